/* routes_consultation.h: the routes of consultations, as one block of
 * entries for the table in routes.c. Reading, voting and adding statements
 * are public routes: the handlers apply the consultation's own rules (a
 * registered citizen, or anyone with the per-browser id); the council's
 * secretary creates, imports, moderates and closes. Pages showing a
 * participant's next statement are personal: not in the page cache. */
#ifndef KN_APP_ROUTES_CONSULTATION_H
#define KN_APP_ROUTES_CONSULTATION_H
#include "api/api_consultation.h"
#include "view/pages_consultation.h"

/* the members of a paged list's answer beside the list (kn_api_send_page) */
#define S_PAGED ",\"total\":{\"type\":\"integer\"},\"offset\":{\"type\":\"integer\"},\"limit\":{\"type\":\"integer\"}"
#define S_CONS_IN                                                                                                   \
	"{\"type\":\"object\",\"required\":[\"question\",\"opens_on\",\"closes_on\"],\"properties\":{"                   \
	"\"question\":{\"type\":\"string\",\"maxLength\":300},\"description\":{\"type\":\"string\"},"                      \
	"\"opens_on\":{\"type\":\"string\",\"format\":\"date\"},\"closes_on\":{\"type\":\"string\",\"format\":\"date\"},"   \
	"\"who\":{\"enum\":[\"citizens\",\"anyone\"]},\"statements_open\":{\"type\":\"boolean\"},"                         \
	"\"proposal_id\":{\"type\":\"integer\"},\"group\":{\"type\":\"string\"},"                                           \
	"\"seeds\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":280}}}}"
#define S_CONS                                                                                                      \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"question\":{\"type\":\"string\"},"          \
	"\"opens_on\":{\"type\":\"string\"},\"closes_on\":{\"type\":\"string\"},\"who\":{\"type\":\"string\"},"            \
	"\"open\":{\"type\":\"boolean\"},\"statements\":{\"type\":\"integer\"},\"participants\":{\"type\":\"integer\"},"   \
	"\"url\":{\"type\":\"string\"}}}"
#define S_VOTE_IN                                                                                                   \
	"{\"type\":\"object\",\"required\":[\"statement\",\"vote\"],\"properties\":{\"statement\":{\"type\":\"integer\"," \
	"\"minimum\":0},\"vote\":{\"oneOf\":[{\"enum\":[\"agree\",\"disagree\",\"pass\"]},{\"enum\":[1,-1,0]}]}}}"

#define CONS_P "/councils/{council}/consultations"
#define CONS_A "/api/v1/councils/{council}/consultations"
#define KN_CONSULTATION_ROUTES                                                                                      \
	{KN_GET, CONS_P, kn_page_consultations, KN_RF_PUBLIC, KN_NEED_PUBLIC},                                          \
	{KN_GET | KN_POST, CONS_P "/new", kn_page_consultation_new, 0, KN_NEED_SECRETARY},                              \
	{KN_GET | KN_POST, CONS_P "/import", kn_page_consultation_import, KN_RF_UPLOAD, KN_NEED_SECRETARY},             \
	{KN_GET, CONS_P "/{id}", kn_page_consultation, 0, KN_NEED_PUBLIC},                                              \
	{KN_POST, CONS_P "/{id}/vote", kn_page_consultation_vote, 0, KN_NEED_PUBLIC},                                   \
	{KN_POST, CONS_P "/{id}/statements", kn_page_consultation_statement, 0, KN_NEED_PUBLIC},                        \
	{KN_GET, CONS_P "/{id}/moderation", kn_page_consultation_moderation, 0, KN_NEED_SECRETARY},                     \
	{KN_POST, CONS_P "/{id}/statements/{number}/moderate", kn_page_consultation_moderate, 0, KN_NEED_SECRETARY},    \
	{KN_POST, CONS_P "/{id}/close", kn_page_consultation_close, 0, KN_NEED_SECRETARY},                              \
	{KN_GET, CONS_P "/{id}/results", kn_page_consultation_results, 0, KN_NEED_PUBLIC},                              \
	{KN_GET, CONS_P "/{id}/export/{file}", kn_page_consultation_file, 0, KN_NEED_PUBLIC},                           \
	{KN_GET, CONS_A, kn_api_consultations, KN_RF_API | KN_RF_PUBLIC, KN_NEED_PUBLIC, NULL,                          \
	 "A council's consultations", NULL,                                                                            \
	 "{\"type\":\"object\",\"properties\":{\"consultations\":{\"type\":\"array\",\"items\":" S_CONS "}" S_PAGED "}}"}, \
	{KN_POST, CONS_A, kn_api_consultation_create, KN_RF_API, KN_NEED_SECRETARY, NULL,                               \
	 "Start a consultation with its seed statements (secretary)", S_CONS_IN, S_CONS},                              \
	{KN_GET, CONS_A "/{id}", kn_api_consultation, KN_RF_API, KN_NEED_PUBLIC, NULL,                                  \
	 "A consultation with its accepted statements", NULL, S_CONS},                                                 \
	{KN_GET, CONS_A "/{id}/next", kn_api_consultation_next, KN_RF_API, KN_NEED_PUBLIC, NULL,                        \
	 "The next statement for the caller (chosen by priority), or null", NULL, NULL},                               \
	{KN_POST, CONS_A "/{id}/votes", kn_api_consultation_vote, KN_RF_API, KN_NEED_PUBLIC, NULL,                      \
	 "Vote on a statement (201 once durable; 409 duplicate_vote; a changed vote replaces the last)", S_VOTE_IN,    \
	 NULL},                                                                                                        \
	{KN_POST, CONS_A "/{id}/statements", kn_api_consultation_statement, KN_RF_API, KN_NEED_PUBLIC, NULL,            \
	 "Add a statement (at most 280 characters; waits for moderation)",                                             \
	 "{\"type\":\"object\",\"required\":[\"body\"],\"properties\":{\"body\":{\"type\":\"string\",\"maxLength\":280}}}", \
	 NULL},                                                                                                        \
	{KN_POST, CONS_A "/{id}/statements/{number}/moderate", kn_api_consultation_moderate, KN_RF_API,                 \
	 KN_NEED_SECRETARY, NULL, "Moderate a statement (secretary)",                                                  \
	 "{\"type\":\"object\",\"required\":[\"action\"],\"properties\":{\"action\":{\"enum\":[\"accept\",\"reject\",\"meta\"]}}}", \
	 NULL},                                                                                                        \
	{KN_POST, CONS_A "/{id}/close", kn_api_consultation_close, KN_RF_API, KN_NEED_SECRETARY, NULL,                  \
	 "Close a consultation now (secretary)", NULL, NULL},                                                          \
	{KN_GET, CONS_A "/{id}/results", kn_api_consultation_results, KN_RF_API, KN_NEED_PUBLIC, NULL,                  \
	 "Opinion groups with their representative statements, and the consensus", NULL, NULL},

#endif
