/* api_consultation.h: the JSON API of consultations (api_consultation.c). */
#ifndef KN_API_CONSULTATION_H
#define KN_API_CONSULTATION_H
#include "http/req.h"

void kn_api_consultations(struct kn_req *r);
void kn_api_consultation(struct kn_req *r);
void kn_api_consultation_create(struct kn_req *r);
void kn_api_consultation_next(struct kn_req *r);
void kn_api_consultation_vote(struct kn_req *r);
void kn_api_consultation_statement(struct kn_req *r);
void kn_api_consultation_moderate(struct kn_req *r);
void kn_api_consultation_close(struct kn_req *r);
void kn_api_consultation_results(struct kn_req *r);

#endif
