/* ratelimit.h: counting failures per key (an address, an account) within a
 * sliding window, in this process's memory. */
#ifndef KN_RATELIMIT_H
#define KN_RATELIMIT_H
#include "core/kn.h"

/* True when key has already failed limit times within window seconds. */
bool kn_rl_blocked(const char *key, long limit, long window, int64_t now);
/* Counts one failure for key. */
void kn_rl_fail(const char *key, long window, int64_t now);
/* Forgets key (after a success). */
void kn_rl_clear(const char *key);

#endif
