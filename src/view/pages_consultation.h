/* pages_consultation.h: the HTML handlers of consultations (pages_consultation.c). */
#ifndef KN_VIEW_PAGES_CONSULTATION_H
#define KN_VIEW_PAGES_CONSULTATION_H
#include "http/req.h"

void kn_page_consultations(struct kn_req *r);
void kn_page_consultation_new(struct kn_req *r);
void kn_page_consultation_import(struct kn_req *r);
void kn_page_consultation(struct kn_req *r);
void kn_page_consultation_vote(struct kn_req *r);
void kn_page_consultation_statement(struct kn_req *r);
void kn_page_consultation_moderation(struct kn_req *r);
void kn_page_consultation_moderate(struct kn_req *r);
void kn_page_consultation_close(struct kn_req *r);
void kn_page_consultation_results(struct kn_req *r);
void kn_page_consultation_file(struct kn_req *r);

#endif
