/* pagecache.h: public pages as anonymous visitors get them, rendered once
 * and served from memory until the data behind them may have changed.
 * An entry remembers the tables its render read and the generation before
 * it read anything; it is served only while none of those tables has been
 * written since (a vote or an appeal leaves the council pages that do not
 * show them in place; a new assignment retires every page that read the
 * assignments). Other processes' writes are noticed through the event log's head,
 * checked at most every 250 ms. An entry also expires after a minute, since
 * some pages change with the clock alone (overdue). */
#ifndef KN_PAGECACHE_H
#define KN_PAGECACHE_H
#include "core/kn.h"

struct kn_arena;
struct kn_req;

/* Fills r's response from the cache and returns true on a hit. */
bool kn_pagecache_get(struct kn_req *r, const char *key, int *route_index);
/* Stores r's finished 200 response under key. */
void kn_pagecache_put(struct kn_req *r, const char *key, const char *etag, int route_index);
/* Entries, hits, misses (for /metrics). */
void kn_pagecache_stats(uint64_t *entries, uint64_t *hits, uint64_t *misses);

#endif
