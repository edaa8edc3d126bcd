/* demo_loop.h: the council loop of the demo council (demo_loop.c). */
#ifndef KN_DEMO_LOOP_H
#define KN_DEMO_LOOP_H
#include "domain/domain.h"

/* Meetings, proposals, the MVD assignment with its outcomes, individual
 * meetings, the political reform package and its laws, for council_id
 * (the NCPT), after its composition is loaded. In the caller's transaction. */
enum kn_err kn_demo_loop(struct kn_ctx *x, int64_t council_id);

#endif
