/* routes_appeals.h: the routes of the direct channel (appeals), the inbox
 * and the calendar page, as one block of entries for the table in
 * routes.c. Secretariat actions need the secretary of {council}, agency
 * actions an officer of {agency}; filer actions a signed-in account (the
 * domain checks it is the filer). */
#ifndef KN_APP_ROUTES_APPEALS_H
#define KN_APP_ROUTES_APPEALS_H
#include "api/api_appeals.h"
#include "view/pages_appeals.h"

#define S_APPEAL_IN                                                                                                 \
	"{\"type\":\"object\",\"required\":[\"subject\",\"body\",\"category\",\"scale\"],\"properties\":{"            \
	"\"subject\":{\"type\":\"string\",\"maxLength\":200},\"body\":{\"type\":\"string\",\"description\":\"Markdown\"}," \
	"\"category\":{\"enum\":[\"taxes\",\"business\",\"digital\",\"social\",\"health\",\"education\",\"law\","      \
	"\"rights\",\"housing\",\"environment\",\"other\"]},\"urgency\":{\"enum\":[\"normal\",\"urgent\"]},"            \
	"\"scale\":{\"enum\":[\"person\",\"group\",\"sector\",\"country\"]},\"affected\":{\"type\":\"string\"},"        \
	"\"concerns\":{\"type\":\"string\"},\"visibility\":{\"enum\":[\"public\",\"anonymous\",\"confidential\"]},"     \
	"\"attachments\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"filename\":{\"type\":"    \
	"\"string\"},\"data\":{\"type\":\"string\",\"contentEncoding\":\"base64\"}}}}}}"
#define S_APPEAL                                                                                                  \
	"{\"type\":\"object\",\"properties\":{\"reference\":{\"type\":\"string\"},\"state\":{\"enum\":[\"submitted\"," \
	"\"info_requested\",\"forwarded\",\"acknowledged\",\"resolved\",\"rejected\",\"duplicate\"]},"                 \
	"\"agency\":{\"type\":[\"string\",\"null\"]},\"ack_due\":{\"type\":[\"integer\",\"null\"]},"                   \
	"\"resolve_due\":{\"type\":[\"integer\",\"null\"]},\"overdue\":{\"type\":\"boolean\"},\"url\":{\"type\":\"string\"}}}"
/* a paged list of appeals (S_PAGED: routes_consultation.h, expanded where the routes are) */
#define S_APPEAL_LIST "{\"type\":\"object\",\"properties\":{\"appeals\":{\"type\":\"array\",\"items\":" S_APPEAL "}" S_PAGED "}}"
#define S_APPEAL_ACT                                                                                              \
	"{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"},\"note\":{\"type\":\"string\"},"         \
	"\"reason\":{\"type\":\"string\"},\"agency\":{\"type\":\"string\"},\"of\":{\"type\":\"string\"},"              \
	"\"days\":{\"type\":\"integer\"},\"decision\":{\"enum\":[\"grant\",\"refuse\"]},\"message\":{\"type\":\"integer\"}}}"

#define KN_APPEAL_ROUTES                                                                                           \
	{KN_GET, "/inbox", kn_page_inbox, 0, KN_NEED_LOGIN},                                                          \
	{KN_POST, "/inbox/read", kn_page_inbox_read, 0, KN_NEED_LOGIN},                                               \
	{KN_GET, "/appeals/mine", kn_page_my_appeals, 0, KN_NEED_LOGIN},                                              \
	{KN_GET | KN_POST, "/admin/calendar", kn_page_admin_calendar, 0, KN_NEED_OPERATOR},                           \
	{KN_GET, "/councils/{council}/appeals", kn_page_appeals, KN_RF_PUBLIC, KN_NEED_PUBLIC},                       \
	{KN_GET | KN_POST, "/councils/{council}/appeals/new", kn_page_appeal_new, KN_RF_UPLOAD, KN_NEED_LOGIN},        \
	{KN_GET, "/councils/{council}/appeals/statistics", kn_page_appeal_stats, KN_RF_PUBLIC, KN_NEED_PUBLIC},       \
	{KN_GET, "/councils/{council}/appeals/triage", kn_page_appeal_triage, 0, KN_NEED_SECRETARY},                  \
	{KN_GET | KN_POST, "/councils/{council}/appeals/settings", kn_page_appeal_settings, 0, KN_NEED_SECRETARY},     \
	{KN_GET, "/councils/{council}/appeals/{ref}", kn_page_appeal, KN_RF_PUBLIC, KN_NEED_PUBLIC},                  \
	{KN_GET, "/councils/{council}/appeals/{ref}/files/{file}", kn_page_appeal_file, 0, KN_NEED_PUBLIC},           \
	{KN_POST, "/councils/{council}/appeals/{ref}/forward", kn_page_appeal_act, 0, KN_NEED_SECRETARY},             \
	{KN_POST, "/councils/{council}/appeals/{ref}/duplicate", kn_page_appeal_act, 0, KN_NEED_SECRETARY},           \
	{KN_POST, "/councils/{council}/appeals/{ref}/ask", kn_page_appeal_act, 0, KN_NEED_SECRETARY},                 \
	{KN_POST, "/councils/{council}/appeals/{ref}/reject", kn_page_appeal_act, 0, KN_NEED_SECRETARY},              \
	{KN_POST, "/councils/{council}/appeals/{ref}/extension", kn_page_appeal_act, 0, KN_NEED_SECRETARY},           \
	{KN_POST, "/councils/{council}/appeals/{ref}/hide", kn_page_appeal_act, 0, KN_NEED_SECRETARY},                \
	{KN_POST, "/councils/{council}/appeals/{ref}/answer", kn_page_appeal_act, KN_RF_UPLOAD, KN_NEED_LOGIN},       \
	{KN_POST, "/councils/{council}/appeals/{ref}/reopen", kn_page_appeal_act, 0, KN_NEED_LOGIN},                  \
	{KN_GET, "/agencies/{agency}/appeals", kn_page_agency_appeals, KN_RF_PUBLIC, KN_NEED_PUBLIC},                 \
	{KN_GET, "/agencies/{agency}/appeals/queue", kn_page_agency_appeal_queue, 0, KN_NEED_OFFICER},                               \
	{KN_POST, "/agencies/{agency}/appeals/{ref}/acknowledge", kn_page_appeal_act, 0, KN_NEED_OFFICER},            \
	{KN_POST, "/agencies/{agency}/appeals/{ref}/reply", kn_page_appeal_act, KN_RF_UPLOAD, KN_NEED_OFFICER},       \
	{KN_POST, "/agencies/{agency}/appeals/{ref}/extension", kn_page_appeal_act, 0, KN_NEED_OFFICER},              \
	{KN_POST, "/agencies/{agency}/appeals/{ref}/resolve", kn_page_appeal_act, 0, KN_NEED_OFFICER},                \
	{KN_GET, "/api/v1/councils/{council}/appeals", kn_api_appeals, KN_RF_API | KN_RF_PUBLIC, KN_NEED_PUBLIC, NULL, \
	 "A council's public appeals (confidential ones are never listed)", NULL,                                    \
	 S_APPEAL_LIST},                                                                                              \
	{KN_POST, "/api/v1/councils/{council}/appeals", kn_api_appeal_create, KN_RF_API, KN_NEED_LOGIN, NULL,          \
	 "File an appeal (rate-limited per account and address: 429)", S_APPEAL_IN, S_APPEAL},                        \
	{KN_GET, "/api/v1/councils/{council}/appeals/statistics", kn_api_appeal_stats, KN_RF_API | KN_RF_PUBLIC,       \
	 KN_NEED_PUBLIC, NULL, "Response statistics per agency and per category", NULL, NULL},                        \
	{KN_GET, "/api/v1/councils/{council}/appeals/triage", kn_api_appeal_triage, KN_RF_API, KN_NEED_SECRETARY, NULL, \
	 "Secretariat: the appeals waiting for it (?list=waiting) or with agencies (?list=agencies), confidential "   \
	 "ones too", NULL, S_APPEAL_LIST},                                                                            \
	{KN_GET, "/api/v1/councils/{council}/appeals/{ref}", kn_api_appeal, KN_RF_API, KN_NEED_PUBLIC, NULL,           \
	 "An appeal with its messages, attachments and escalation (confidential: only to those involved)", NULL,      \
	 S_APPEAL},                                                                                                   \
	{KN_POST, "/api/v1/councils/{council}/appeals/{ref}/forward", kn_api_appeal_act, KN_RF_API,                    \
	 KN_NEED_SECRETARY, NULL, "Secretariat: forward to an agency {agency, note}", S_APPEAL_ACT, S_APPEAL},         \
	{KN_POST, "/api/v1/councils/{council}/appeals/{ref}/duplicate", kn_api_appeal_act, KN_RF_API,                  \
	 KN_NEED_SECRETARY, NULL, "Secretariat: mark as a duplicate {of, note}", S_APPEAL_ACT, S_APPEAL},              \
	{KN_POST, "/api/v1/councils/{council}/appeals/{ref}/ask", kn_api_appeal_act, KN_RF_API, KN_NEED_SECRETARY,     \
	 NULL, "Secretariat: ask the filer for more information {text}", S_APPEAL_ACT, S_APPEAL},                      \
	{KN_POST, "/api/v1/councils/{council}/appeals/{ref}/reject", kn_api_appeal_act, KN_RF_API, KN_NEED_SECRETARY,  \
	 NULL, "Secretariat: reject with a reason {text}", S_APPEAL_ACT, S_APPEAL},                                    \
	{KN_POST, "/api/v1/councils/{council}/appeals/{ref}/extension", kn_api_appeal_act, KN_RF_API,                  \
	 KN_NEED_SECRETARY, NULL, "Secretariat: grant or refuse an extension {decision, note}", S_APPEAL_ACT,          \
	 S_APPEAL},                                                                                                   \
	{KN_POST, "/api/v1/councils/{council}/appeals/{ref}/hide", kn_api_appeal_act, KN_RF_API, KN_NEED_SECRETARY,    \
	 NULL, "Secretariat: hide offensive text, keeping the original {message, reason}", S_APPEAL_ACT, S_APPEAL},     \
	{KN_POST, "/api/v1/councils/{council}/appeals/{ref}/answer", kn_api_appeal_act, KN_RF_API, KN_NEED_LOGIN,      \
	 NULL, "Filer: a message or the information asked for {text, attachments}", S_APPEAL_ACT, S_APPEAL},           \
	{KN_POST, "/api/v1/councils/{council}/appeals/{ref}/reopen", kn_api_appeal_act, KN_RF_API, KN_NEED_LOGIN,      \
	 NULL, "Filer: reopen a resolved appeal once {reason}", S_APPEAL_ACT, S_APPEAL},                               \
	{KN_GET, "/api/v1/agencies/{agency}/appeals/queue", kn_api_agency_appeal_queue, KN_RF_API, KN_NEED_OFFICER, NULL,             \
	 "Officers: the agency's open appeals (forwarded or acknowledged)", NULL, S_APPEAL_LIST},                     \
	{KN_GET, "/api/v1/agencies/{agency}/appeals/statistics", kn_api_appeal_stats, KN_RF_API | KN_RF_PUBLIC,        \
	 KN_NEED_PUBLIC, NULL, "An agency's response statistics across councils", NULL, NULL},                        \
	{KN_POST, "/api/v1/agencies/{agency}/appeals/{ref}/acknowledge", kn_api_appeal_act, KN_RF_API,                 \
	 KN_NEED_OFFICER, NULL, "Agency: acknowledge {text}", S_APPEAL_ACT, S_APPEAL},                                 \
	{KN_POST, "/api/v1/agencies/{agency}/appeals/{ref}/reply", kn_api_appeal_act, KN_RF_API, KN_NEED_OFFICER,      \
	 NULL, "Agency: reply {text, attachments}", S_APPEAL_ACT, S_APPEAL},                                           \
	{KN_POST, "/api/v1/agencies/{agency}/appeals/{ref}/extension", kn_api_appeal_act, KN_RF_API, KN_NEED_OFFICER,  \
	 NULL, "Agency: ask for an extension {days, reason}", S_APPEAL_ACT, S_APPEAL},                                 \
	{KN_POST, "/api/v1/agencies/{agency}/appeals/{ref}/resolve", kn_api_appeal_act, KN_RF_API, KN_NEED_OFFICER,    \
	 NULL, "Agency: resolve {text}", S_APPEAL_ACT, S_APPEAL},                                                      \
	{KN_GET, "/api/v1/inbox", kn_api_inbox, KN_RF_API, KN_NEED_LOGIN, NULL, "The signed-in account's inbox, newest first, with its unread count", NULL, \
	 NULL},

#endif
