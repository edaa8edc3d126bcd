/* demo.h: the demo council from the source article. */
#ifndef KN_DEMO_H
#define KN_DEMO_H
#include "domain/domain.h"
#include <stdio.h>

/* Loads the demo data into an empty database, in one transaction. The
 * demo accounts get random passwords (or password when non-NULL), printed
 * to out. KN_ECONFLICT if the database already has councils. */
enum kn_err kn_demo_load(struct kn_ctx *x, const char *password, FILE *out);
/* The demo council's composition: seats, rotations, quotas, working groups
 * with the split, careers (demo_composition.c). */
enum kn_err kn_demo_composition(struct kn_ctx *x, int64_t council_id);

#endif
