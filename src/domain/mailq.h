/* mailq.h: the e-mail outbox: durable rows sent by the scanner (or kenes
 * tick) with retries and exponential backoff, never inside a request. */
#ifndef KN_DOMAIN_MAILQ_H
#define KN_DOMAIN_MAILQ_H
#include "domain/domain.h"

/* Sends what is due at x->now (at most max messages): each row is claimed
 * first (so two senders never send it twice), then sent outside any
 * transaction, then marked sent, or pending again after smtp_retry * 2^n
 * seconds, or failed after smtp_attempts attempts. x->c must not be in a
 * transaction. */
enum kn_err kn_mailq_run(struct kn_ctx *x, int max, int *sent, int *failed);

#endif
