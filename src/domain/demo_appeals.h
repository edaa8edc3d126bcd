/* demo_appeals.h: the demo council's appeals (the article's invoice case and others). */
#ifndef KN_DEMO_APPEALS_H
#define KN_DEMO_APPEALS_H
#include "domain/domain.h"

/* Loads them into council_id; the demo accounts must exist. Leaves x as it found it. */
enum kn_err kn_demo_appeals(struct kn_ctx *x, int64_t council_id);

#endif
