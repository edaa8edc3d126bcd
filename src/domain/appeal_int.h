/* appeal_int.h: what appeal.c and appeal_ladder.c share; private to them
 * (and to the demo, which backdates appeals). */
#ifndef KN_DOMAIN_APPEAL_INT_H
#define KN_DOMAIN_APPEAL_INT_H
#include "domain/appeal.h"

struct kn_change;

/* Whether the actor holds role in the council (council_id) or the agency
 * (agency_id); pass -1 for the other. */
bool kn_appeal_has_role(struct kn_ctx *x, const char *role, int64_t council_id, int64_t agency_id);
/* The appeal's public event (confidential appeals: state only, no names).
 * new_state NULL: no state change. */
enum kn_err kn_appeal_event(struct kn_ctx *x, const struct kn_appeal *a, const char *action, struct kn_change *ch,
                            const char *new_state);
/* Inbox rows (and e-mail when configured) for the filer, the officers of
 * the appeal's agency and/or the council's secretaries, never for the
 * actor. kind: a kn_note_label kind. */
enum kn_err kn_appeal_notify(struct kn_ctx *x, const struct kn_appeal *a, const char *kind, bool filer, bool agency,
                             bool secretariat);
enum kn_err kn_appeal_notify_filed(struct kn_ctx *x, const struct kn_appeal *a);
void kn_date_to_ymd_tz(struct kn_ctx *x, const char *tz, int64_t t, int *y, int *m, int *d);

#endif
