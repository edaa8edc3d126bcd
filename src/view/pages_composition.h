/* pages_composition.h: the HTML handlers of composition, rotations,
 * working groups and people (pages_composition.c). */
#ifndef KN_PAGES_COMPOSITION_H
#define KN_PAGES_COMPOSITION_H
#include "http/req.h"

/* public */
void kn_page_composition(struct kn_req *r);
void kn_page_seat(struct kn_req *r);
void kn_page_rotations(struct kn_req *r);
void kn_page_rotation(struct kn_req *r);
void kn_page_groups(struct kn_req *r);
void kn_page_group(struct kn_req *r);
void kn_page_people(struct kn_req *r);
void kn_page_person(struct kn_req *r);
/* On the council's page: member seats filled now and the rotations (how
 * many, when), linking to the composition and rotation pages. */
struct kn_council;
struct kn_ctx;
void kn_composition_summary(struct kn_req *r, struct kn_ctx *x, const struct kn_council *c);
/* the secretary's forms */
void kn_page_seat_new(struct kn_req *r);
void kn_page_seat_end(struct kn_req *r);
void kn_page_person_new(struct kn_req *r);
void kn_page_career_new(struct kn_req *r);
void kn_page_person_account(struct kn_req *r);
void kn_page_quotas(struct kn_req *r);
void kn_page_rotation_new(struct kn_req *r);
void kn_page_group_new(struct kn_req *r);
void kn_page_group_merge(struct kn_req *r);
void kn_page_group_split(struct kn_req *r);
void kn_page_group_member_add(struct kn_req *r);
void kn_page_group_member_remove(struct kn_req *r);
void kn_page_group_leader(struct kn_req *r);
void kn_page_group_close(struct kn_req *r);

#endif
