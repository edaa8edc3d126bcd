/* pages_loop.h: the HTML handlers of the council loop (pages_loop.c,
 * pages_loop_staff.c): meetings, proposals, assignments, agency queue and
 * scorecard, reforms and laws, statistics. */
#ifndef KN_PAGES_LOOP_H
#define KN_PAGES_LOOP_H
#include "http/req.h"

/* public pages (staff controls appear for the roles that may use them) */
void kn_page_meetings(struct kn_req *r);
void kn_page_meeting(struct kn_req *r);
void kn_page_proposals(struct kn_req *r);
void kn_page_proposal(struct kn_req *r);
void kn_page_assignments(struct kn_req *r);
void kn_page_assignment(struct kn_req *r);
void kn_page_reforms(struct kn_req *r);
void kn_page_reform(struct kn_req *r);
void kn_page_law(struct kn_req *r);
void kn_page_statistics(struct kn_req *r);
void kn_page_scorecard(struct kn_req *r);

/* forms and actions */
void kn_page_meeting_new(struct kn_req *r);
void kn_page_meeting_edit(struct kn_req *r);
void kn_page_meeting_action(struct kn_req *r);   /* agenda, agenda/{item}/remove, attendance, minutes, held, cancel */
void kn_page_proposal_new(struct kn_req *r);     /* member drafts; a citizen submits */
void kn_page_proposal_edit(struct kn_req *r);
void kn_page_proposal_member(struct kn_req *r);  /* submit, cosign, take-up, withdraw */
void kn_page_proposal_staff(struct kn_req *r);   /* review, accept, reject */
void kn_page_assignment_new(struct kn_req *r);
void kn_page_assignment_staff(struct kn_req *r); /* accept, return */
void kn_page_assignment_chair(struct kn_req *r); /* withdraw, extensions/{ext}/grant|refuse */
void kn_page_agency_queue(struct kn_req *r);
void kn_page_agency_start(struct kn_req *r);
void kn_page_agency_report(struct kn_req *r);
void kn_page_agency_extension(struct kn_req *r);
void kn_page_reform_new(struct kn_req *r);
void kn_page_reform_action(struct kn_req *r);    /* items, laws */
void kn_page_law_stage(struct kn_req *r);

#endif
