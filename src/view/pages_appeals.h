/* pages_appeals.h: the HTML pages of the direct channel (appeals), the
 * inbox and the operator's calendar page. */
#ifndef KN_VIEW_PAGES_APPEALS_H
#define KN_VIEW_PAGES_APPEALS_H
#include "http/req.h"

void kn_page_appeals(struct kn_req *r);          /* a council's public list */
void kn_page_appeal_new(struct kn_req *r);       /* the filing form */
void kn_page_appeal(struct kn_req *r);           /* one appeal */
void kn_page_appeal_act(struct kn_req *r);       /* POST .../{ref}/{action} */
void kn_page_appeal_file(struct kn_req *r);      /* an attachment */
void kn_page_appeal_stats(struct kn_req *r);     /* a council's statistics */
void kn_page_appeal_triage(struct kn_req *r);    /* the secretariat's queue */
void kn_page_appeal_settings(struct kn_req *r);  /* targets, ladder, routing */
void kn_page_agency_appeals(struct kn_req *r);   /* an agency's public figures */
void kn_page_agency_appeal_queue(struct kn_req *r);     /* an agency's officers' queue */
void kn_page_my_appeals(struct kn_req *r);
void kn_page_inbox(struct kn_req *r);
void kn_page_inbox_read(struct kn_req *r);
void kn_page_admin_calendar(struct kn_req *r);

#endif
