/* api_composition.h: the JSON API of composition, rotations, quotas,
 * working groups and people (api_composition.c). */
#ifndef KN_API_COMPOSITION_H
#define KN_API_COMPOSITION_H
#include "http/req.h"

void kn_api_composition(struct kn_req *r);
void kn_api_seats(struct kn_req *r);
void kn_api_seat(struct kn_req *r);
void kn_api_seat_create(struct kn_req *r);
void kn_api_seat_end(struct kn_req *r);
void kn_api_rotations(struct kn_req *r);
void kn_api_rotation(struct kn_req *r);
void kn_api_rotation_create(struct kn_req *r);
void kn_api_quotas(struct kn_req *r);
void kn_api_quotas_set(struct kn_req *r);
void kn_api_groups(struct kn_req *r);
void kn_api_group(struct kn_req *r);
void kn_api_group_create(struct kn_req *r);
void kn_api_group_split(struct kn_req *r);
void kn_api_group_merge(struct kn_req *r);
void kn_api_group_close(struct kn_req *r);
void kn_api_group_member_add(struct kn_req *r);
void kn_api_group_member_remove(struct kn_req *r);
void kn_api_group_leader(struct kn_req *r);
void kn_api_people(struct kn_req *r);
void kn_api_person(struct kn_req *r);
void kn_api_person_create(struct kn_req *r);
void kn_api_career_create(struct kn_req *r);
void kn_api_person_account(struct kn_req *r);

#endif
