/* api_loop.h: the JSON API of the council loop (api_loop.c). */
#ifndef KN_API_LOOP_H
#define KN_API_LOOP_H
#include "http/req.h"

void kn_api_meetings(struct kn_req *r);
void kn_api_meeting(struct kn_req *r);
void kn_api_meeting_create(struct kn_req *r);
void kn_api_meeting_update(struct kn_req *r);
void kn_api_meeting_action(struct kn_req *r);    /* agenda, agenda/{item} (DELETE), attendance, minutes, held, cancel */
void kn_api_proposals(struct kn_req *r);
void kn_api_proposal(struct kn_req *r);
void kn_api_proposal_create(struct kn_req *r);   /* a member drafts; a citizen submits */
void kn_api_proposal_update(struct kn_req *r);
void kn_api_proposal_action(struct kn_req *r);   /* submit, cosign, take-up, withdraw, review, accept, reject */
void kn_api_assignments(struct kn_req *r);
void kn_api_assignment(struct kn_req *r);
void kn_api_assignment_create(struct kn_req *r);
void kn_api_assignment_action(struct kn_req *r); /* accept, return, withdraw, extensions/{ext}/grant|refuse */
void kn_api_agency_queue(struct kn_req *r);
void kn_api_agency_scorecard(struct kn_req *r);
void kn_api_agency_action(struct kn_req *r);     /* start, reports, extensions */
void kn_api_reforms(struct kn_req *r);
void kn_api_reform(struct kn_req *r);
void kn_api_reform_create(struct kn_req *r);
void kn_api_reform_action(struct kn_req *r);     /* items, laws */
void kn_api_law(struct kn_req *r);
void kn_api_law_stage(struct kn_req *r);
void kn_api_statistics(struct kn_req *r);

#endif

/* JSON Schemas for the OpenAPI document (used by routes.c). */
#define KN_S_ID "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}}"
#define KN_S_REASON "{\"type\":\"object\",\"properties\":{\"reason\":{\"type\":\"string\"}}}"
#define KN_S_NOTE "{\"type\":\"object\",\"properties\":{\"note\":{\"type\":\"string\"}}}"
#define KN_S_MEETING_IN                                                                                        \
	"{\"type\":\"object\",\"required\":[\"kind\",\"date\",\"time\"],\"properties\":{"                          \
	"\"kind\":{\"enum\":[\"plenary\",\"group\",\"individual\"]},\"number\":{\"type\":\"integer\"},"             \
	"\"group_id\":{\"type\":\"integer\"},\"person_id\":{\"type\":\"integer\"},\"title\":{\"type\":\"string\"}," \
	"\"date\":{\"type\":\"string\",\"format\":\"date\",\"description\":\"in the council's time zone\"},"       \
	"\"time\":{\"type\":\"string\",\"pattern\":\"^[0-2][0-9]:[0-5][0-9]$\"},\"place\":{\"type\":\"string\"},"   \
	"\"online\":{\"type\":\"boolean\"}}}"
#define KN_S_AGENDA_IN \
	"{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},\"proposal_id\":{\"type\":\"integer\"}}}"
#define KN_S_ATTENDANCE_IN                                                                                      \
	"{\"type\":\"object\",\"required\":[\"attendance\"],\"properties\":{\"attendance\":{\"type\":\"array\","     \
	"\"items\":{\"type\":\"object\",\"properties\":{\"person_id\":{\"type\":\"integer\"},"                       \
	"\"status\":{\"enum\":[\"present\",\"remote\",\"absent\"]}}}}}}"
#define KN_S_MINUTES_IN \
	"{\"type\":\"object\",\"required\":[\"minutes\"],\"properties\":{\"minutes\":{\"type\":\"string\",\"description\":\"Markdown\"}}}"
#define KN_S_PROPOSAL_IN                                                                                        \
	"{\"type\":\"object\",\"required\":[\"title\"],\"properties\":{\"title\":{\"type\":\"string\"},"             \
	"\"body\":{\"type\":\"string\",\"description\":\"Markdown\"},\"group_id\":{\"type\":\"integer\"}}}"
#define KN_S_REVIEW_IN "{\"type\":\"object\",\"properties\":{\"group_id\":{\"type\":\"integer\"}}}"
#define KN_S_ASSIGNMENT_IN                                                                                      \
	"{\"type\":\"object\",\"required\":[\"title\",\"agency\",\"deadline\"],\"properties\":{"                    \
	"\"title\":{\"type\":\"string\"},\"body\":{\"type\":\"string\"},\"agency\":{\"type\":\"string\"},"           \
	"\"coexecutors\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"                                     \
	"\"deadline\":{\"type\":\"string\",\"format\":\"date\"},\"issued_on\":{\"type\":\"string\",\"format\":\"date\"}," \
	"\"proposal_id\":{\"type\":\"integer\"},\"meeting_id\":{\"type\":\"integer\"}}}"
#define KN_S_ASSIGNMENT                                                                                          \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"state\":{\"type\":\"string\"},"        \
	"\"deadline\":{\"type\":\"string\"},\"overdue\":{\"type\":\"boolean\"},"                                     \
	"\"timing\":{\"enum\":[\"on_time\",\"late\",null]},\"reports\":{\"type\":\"array\"},\"extensions\":{\"type\":\"array\"}}}"
#define KN_S_REPORT_IN                                                                                           \
	"{\"type\":\"object\",\"required\":[\"body\"],\"properties\":{\"body\":{\"type\":\"string\"},"                \
	"\"evidence\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"format\":\"uri\"}},\"final\":{\"type\":\"boolean\"}," \
	"\"indicators\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"name\",\"actual\"],"        \
	"\"properties\":{\"name\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\"},\"baseline\":{\"type\":[\"string\",\"number\"]}," \
	"\"target\":{\"type\":[\"string\",\"number\"]},\"actual\":{\"type\":[\"string\",\"number\"]}}}}}}"
#define KN_S_EXTENSION_IN                                                                                         \
	"{\"type\":\"object\",\"required\":[\"deadline\",\"reason\"],\"properties\":{"                                 \
	"\"deadline\":{\"type\":\"string\",\"format\":\"date\"},\"reason\":{\"type\":\"string\"}}}"
#define KN_S_REFORM_IN                                                                                            \
	"{\"type\":\"object\",\"required\":[\"title\"],\"properties\":{\"title\":{\"type\":\"string\"},"               \
	"\"description\":{\"type\":\"string\"},\"announced_on\":{\"type\":\"string\",\"format\":\"date\"}}}"
#define KN_S_ITEM_IN                                                                                              \
	"{\"type\":\"object\",\"required\":[\"title\"],\"properties\":{\"title\":{\"type\":\"string\"},"               \
	"\"description\":{\"type\":\"string\"},\"links\":{\"type\":\"string\",\"description\":\"p12 a7: accepted proposals, assignments\"}}}"
#define KN_S_LAW_IN                                                                                               \
	"{\"type\":\"object\",\"required\":[\"item_id\",\"title\",\"stage\",\"date\"],\"properties\":{"               \
	"\"item_id\":{\"type\":\"integer\"},\"title\":{\"type\":\"string\"},\"number\":{\"type\":\"string\"},"          \
	"\"stage\":{\"enum\":[\"drafted\",\"in_parliament\",\"adopted\",\"signed\",\"in_force\"]},"                     \
	"\"date\":{\"type\":\"string\",\"format\":\"date\"}}}"
#define KN_S_STAGE_IN                                                                                             \
	"{\"type\":\"object\",\"required\":[\"stage\",\"date\"],\"properties\":{"                                      \
	"\"stage\":{\"enum\":[\"drafted\",\"in_parliament\",\"adopted\",\"signed\",\"in_force\"]},"                     \
	"\"date\":{\"type\":\"string\",\"format\":\"date\"},\"number\":{\"type\":\"string\"}}}"
