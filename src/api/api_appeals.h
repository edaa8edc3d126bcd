/* api_appeals.h: the JSON API of the direct channel (appeals) and the inbox. */
#ifndef KN_API_APPEALS_H
#define KN_API_APPEALS_H
#include "http/req.h"

void kn_api_appeals(struct kn_req *r);
void kn_api_appeal_create(struct kn_req *r);
void kn_api_appeal(struct kn_req *r);
void kn_api_appeal_act(struct kn_req *r);
void kn_api_appeal_triage(struct kn_req *r);
void kn_api_agency_appeal_queue(struct kn_req *r);
void kn_api_appeal_stats(struct kn_req *r);
void kn_api_inbox(struct kn_req *r);

#endif
