/* demo.h: the demo council from the source article. */
#ifndef KN_DEMO_H
#define KN_DEMO_H
#include "domain/domain.h"
#include <stdio.h>

/* Loads the demo data into an empty database, in one transaction. The
 * demo accounts get random passwords (or password when non-NULL), printed
 * to out. KN_ECONFLICT if the database already has councils. */
enum kn_err kn_demo_load(struct kn_ctx *x, const char *password, FILE *out);

#endif
