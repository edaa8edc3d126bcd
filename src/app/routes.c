/* routes.c: every address Kenes answers, and what each demands before its
 * handler runs. The dispatcher enforces need and CSRF; handlers never
 * check them again. The API part of this table is the OpenAPI document. */
#include "api/api.h"
#include "app/app.h"
#include "core/i18n.h"
#include "view/view.h"
#include "api/api_loop.h"
#include "view/pages_loop.h"
#include "app/routes_appeals.h"
#include "app/routes_consultation.h"
#include "api/api_composition.h"
#include "view/pages_composition.h"

#define S_NAME "{\"type\":\"object\",\"properties\":{\"en\":{\"type\":\"string\"},\"ru\":{\"type\":\"string\"},\"kk\":{\"type\":\"string\"}}}"
#define S_COUNCIL_IN                                                                                         \
	"{\"type\":\"object\",\"properties\":{\"slug\":{\"type\":\"string\",\"pattern\":\"^[a-z0-9-]{1,64}$\"},"   \
	"\"name\":" S_NAME ",\"description\":{\"type\":\"string\",\"description\":\"Markdown\"},"                   \
	"\"chair_person_id\":{\"type\":[\"integer\",\"null\"]},\"founded_on\":{\"type\":\"string\",\"format\":\"date\"}," \
	"\"dissolved_on\":{\"type\":[\"string\",\"null\"],\"format\":\"date\"},"                                     \
	"\"succeeded_by\":{\"type\":[\"string\",\"null\"],\"description\":\"slug or id\"},"                          \
	"\"seats\":{\"type\":\"integer\",\"minimum\":0},\"timezone\":{\"type\":\"string\"}}}"
#define S_COUNCIL                                                                                             \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"slug\":{\"type\":\"string\"},"       \
	"\"name\":" S_NAME ",\"description\":{\"type\":\"string\"},\"chair_person_id\":{\"type\":[\"integer\",\"null\"]}," \
	"\"chair_name\":{\"type\":[\"string\",\"null\"]},\"founded_on\":{\"type\":[\"string\",\"null\"]},"          \
	"\"dissolved_on\":{\"type\":[\"string\",\"null\"]},\"succeeded_by\":{\"type\":[\"string\",\"null\"]},"      \
	"\"seats\":{\"type\":\"integer\"},\"timezone\":{\"type\":\"string\"},\"url\":{\"type\":\"string\"}}}"
#define S_AGENCY_IN                                                                                          \
	"{\"type\":\"object\",\"properties\":{\"slug\":{\"type\":\"string\"},\"name\":" S_NAME ","                 \
	"\"kind\":{\"enum\":[\"ministry\",\"committee\",\"agency\",\"administration\",\"akimat\",\"court\",\"other\"]}," \
	"\"parent\":{\"type\":[\"string\",\"null\"],\"description\":\"slug or id of the parent agency\"},"         \
	"\"website\":{\"type\":\"string\",\"format\":\"uri\"}}}"
#define S_AGENCY                                                                                              \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"slug\":{\"type\":\"string\"},"       \
	"\"name\":" S_NAME ",\"kind\":{\"type\":\"string\"},\"parent\":{\"type\":[\"string\",\"null\"]},"          \
	"\"website\":{\"type\":\"string\"},\"url\":{\"type\":\"string\"},\"units\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}"
#define S_REGISTER                                                                                            \
	"{\"type\":\"object\",\"required\":[\"login\",\"display_name\",\"password\"],\"properties\":{"              \
	"\"login\":{\"type\":\"string\",\"pattern\":\"^[a-z0-9_.-]{3,32}$\"},\"display_name\":{\"type\":\"string\"}," \
	"\"email\":{\"type\":\"string\",\"format\":\"email\"},\"password\":{\"type\":\"string\",\"minLength\":10}}}"
#define S_TOKEN_IN                                                                                            \
	"{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{\"name\":{\"type\":\"string\"},"              \
	"\"login\":{\"type\":\"string\",\"description\":\"only without a session or token\"},"                     \
	"\"password\":{\"type\":\"string\"}}}"
#define S_TOKEN_OUT \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"token\":{\"type\":\"string\"}}}"
#define S_PASSWORD                                                                                  \
	"{\"type\":\"object\",\"required\":[\"old_password\",\"new_password\"],\"properties\":{"         \
	"\"old_password\":{\"type\":\"string\"},\"new_password\":{\"type\":\"string\",\"minLength\":10}}}"

/* composition (pages_composition.c, api_composition.c) */
#define S_SEAT_IN                                                                                                \
	"{\"type\":\"object\",\"required\":[\"role\",\"sector\",\"joined_on\"],\"properties\":{"                       \
	"\"person_id\":{\"type\":\"integer\"},\"person\":{\"type\":\"object\",\"description\":\"a new person: "        \
	"full_name, full_name_ru, full_name_kk, bio\"},\"role\":{\"enum\":[\"chair\",\"secretary\",\"member\"]},"        \
	"\"sector\":{\"enum\":[\"expert\",\"ngo\",\"media\",\"business\",\"culture\",\"youth\",\"other\"]},"             \
	"\"region\":{\"type\":\"string\"},\"joined_on\":{\"type\":\"string\",\"format\":\"date\"},"                     \
	"\"left_on\":{\"type\":\"string\",\"format\":\"date\"},\"left_reason\":{\"type\":\"string\"},"                  \
	"\"left_body\":{\"type\":\"string\"}}}"
#define S_SEAT                                                                                                   \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"person_id\":{\"type\":\"integer\"},"      \
	"\"person\":{\"type\":\"string\"},\"role\":{\"type\":\"string\"},\"sector\":{\"type\":\"string\"},"             \
	"\"region\":{\"type\":\"string\"},\"joined_on\":{\"type\":\"string\"},\"left_on\":{\"type\":[\"string\",\"null\"]}," \
	"\"left_reason\":{\"type\":[\"string\",\"null\"]},\"left_body\":{\"type\":[\"string\",\"null\"]},"              \
	"\"illustrative\":{\"type\":\"boolean\"},\"url\":{\"type\":\"string\"}}}"
#define S_SEAT_END                                                                                               \
	"{\"type\":\"object\",\"required\":[\"left_on\",\"reason\"],\"properties\":{\"left_on\":{\"type\":\"string\","  \
	"\"format\":\"date\"},\"reason\":{\"enum\":[\"rotation\",\"resignation\",\"end_of_term\",\"elected\",\"other\"]}," \
	"\"body\":{\"type\":\"string\",\"description\":\"required when elected\"},\"note\":{\"type\":\"string\"}}}"
#define S_ROTATION_IN                                                                                            \
	"{\"type\":\"object\",\"required\":[\"held_on\"],\"properties\":{\"held_on\":{\"type\":\"string\","            \
	"\"format\":\"date\"},\"basis\":{\"type\":\"string\"},\"leaving\":{\"type\":\"array\",\"items\":{"              \
	"\"type\":\"object\",\"properties\":{\"seat_id\":{\"type\":\"integer\"},\"reason\":{\"type\":\"string\"},"      \
	"\"body\":{\"type\":\"string\"},\"note\":{\"type\":\"string\"}}}},\"joining\":{\"type\":\"array\",\"items\":{"  \
	"\"type\":\"object\",\"properties\":{\"person_id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\","       \
	"\"description\":\"a new person\"},\"role\":{\"type\":\"string\"},\"sector\":{\"type\":\"string\"},"            \
	"\"region\":{\"type\":\"string\"}}}}}}"
#define S_ROTATION                                                                                               \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"number\":{\"type\":\"integer\"},"         \
	"\"held_on\":{\"type\":\"string\"},\"basis\":{\"type\":\"string\"},\"left\":{\"type\":\"array\",\"items\":"     \
	S_SEAT "},\"joined\":{\"type\":\"array\",\"items\":" S_SEAT "},\"warnings\":{\"type\":\"array\"}}}"
#define S_QUOTAS_IN                                                                                              \
	"{\"type\":\"object\",\"description\":\"sector -> least member seats, or null for none\","                     \
	"\"additionalProperties\":{\"type\":[\"integer\",\"null\"],\"minimum\":0}}"
#define S_GROUP_IN                                                                                               \
	"{\"type\":\"object\",\"required\":[\"slug\",\"name\",\"created_on\"],\"properties\":{\"slug\":{"               \
	"\"type\":\"string\"},\"name\":" S_NAME ",\"theme\":{\"type\":\"string\"},\"leader_person_id\":{"               \
	"\"type\":\"integer\"},\"created_on\":{\"type\":\"string\",\"format\":\"date\"}}}"
#define S_GROUP                                                                                                  \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"slug\":{\"type\":\"string\"},"            \
	"\"name\":" S_NAME ",\"theme\":{\"type\":\"string\"},\"leader\":{\"type\":[\"string\",\"null\"]},"              \
	"\"created_on\":{\"type\":\"string\"},\"closed_on\":{\"type\":[\"string\",\"null\"]},"                          \
	"\"came_from\":{\"type\":\"array\"},\"became\":{\"type\":\"array\"},\"members\":{\"type\":\"array\"}}}"
#define S_SPLIT_IN                                                                                               \
	"{\"type\":\"object\",\"required\":[\"on\",\"parts\"],\"properties\":{\"on\":{\"type\":\"string\","            \
	"\"format\":\"date\"},\"parts\":{\"type\":\"array\",\"minItems\":2,\"items\":{\"type\":\"object\","             \
	"\"properties\":{\"slug\":{\"type\":\"string\"},\"name\":" S_NAME ",\"theme\":{\"type\":\"string\"},"          \
	"\"leader_person_id\":{\"type\":\"integer\"},\"members\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"},"  \
	"\"description\":\"current members moving here; members not listed leave\"}}}}}}"
#define S_MERGE_IN                                                                                               \
	"{\"type\":\"object\",\"required\":[\"groups\",\"slug\",\"name\",\"created_on\"],\"properties\":{\"groups\":{"  \
	"\"type\":\"array\",\"items\":{\"type\":[\"string\",\"integer\"]}},\"slug\":{\"type\":\"string\"},"             \
	"\"name\":" S_NAME ",\"theme\":{\"type\":\"string\"},\"created_on\":{\"type\":\"string\",\"format\":\"date\"}}}"
#define S_PERSON_IN                                                                                              \
	"{\"type\":\"object\",\"required\":[\"full_name\"],\"properties\":{\"full_name\":{\"type\":\"string\"},"        \
	"\"full_name_ru\":{\"type\":\"string\"},\"full_name_kk\":{\"type\":\"string\"},\"bio\":{\"type\":\"string\"}}}"
#define S_PERSON                                                                                                 \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":" S_NAME ",\"bio\":{"              \
	"\"type\":\"string\"},\"illustrative\":{\"type\":\"boolean\"},\"seats\":{\"type\":\"array\",\"items\":" S_SEAT  \
	"},\"groups\":{\"type\":\"array\"},\"careers\":{\"type\":\"array\"}}}"
#define S_CAREER_IN                                                                                              \
	"{\"type\":\"object\",\"required\":[\"position\"],\"properties\":{\"position\":{\"type\":\"string\"},"          \
	"\"body\":{\"type\":\"string\"},\"started_on\":{\"type\":\"string\",\"format\":\"date\"},"                      \
	"\"ended_on\":{\"type\":\"string\",\"format\":\"date\"}}}"
#define S_DATE_IN(f) "{\"type\":\"object\",\"required\":[\"" f "\"],\"properties\":{\"" f "\":{\"type\":\"string\",\"format\":\"date\"}}}"

/* the public record (issue 5) */
#define S_CHECKPOINT                                                                                        \
	"{\"type\":\"object\",\"properties\":{\"seq\":{\"type\":\"integer\"},\"hash\":{\"type\":\"string\"},"       \
	"\"at\":{\"type\":\"integer\"},\"public_key\":{\"type\":\"string\"},\"signature\":{\"type\":\"string\"},"   \
	"\"signed_message\":{\"type\":\"string\"}}}"
#define S_TELEGRAM_IN                                                                                       \
	"{\"type\":\"object\",\"properties\":{\"bot_token\":{\"type\":\"string\"},\"chat_id\":{\"type\":\"string\"}," \
	"\"lang\":{\"enum\":[\"en\",\"ru\",\"kk\"]},\"event_kinds\":{\"type\":\"string\"},\"enabled\":{\"type\":\"integer\"}}}"
#define S_TELEGRAM                                                                                          \
	"{\"type\":\"object\",\"properties\":{\"chat_id\":{\"type\":\"string\"},\"lang\":{\"type\":\"string\"},"     \
	"\"event_kinds\":{\"type\":\"string\"},\"enabled\":{\"type\":\"boolean\"},\"has_token\":{\"type\":\"boolean\"}}}"
#define S_WEBHOOK_IN                                                                                        \
	"{\"type\":\"object\",\"required\":[\"url\"],\"properties\":{\"url\":{\"type\":\"string\"},"                \
	"\"council\":{\"type\":[\"string\",\"null\"]},\"event_kinds\":{\"type\":\"string\"}}}"
#define S_WEBHOOK                                                                                           \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"url\":{\"type\":\"string\"},"          \
	"\"secret\":{\"type\":\"string\"},\"council\":{\"type\":[\"string\",\"null\"]},"                            \
	"\"event_kinds\":{\"type\":\"string\"},\"enabled\":{\"type\":\"boolean\"}}}"

#define PUB KN_NEED_PUBLIC
#define API KN_RF_API
#define CACHE KN_RF_PUBLIC

const struct kn_route kn_routes[] = {
    KN_APPEAL_ROUTES /* appeals: src/view/pages_appeals.h */
    KN_CONSULTATION_ROUTES /* consultations: src/app/routes_consultation.h */
    /* pages */
    {KN_GET, "/", kn_page_home, CACHE, PUB},
    {KN_GET, "/static/{name}", kn_page_static, CACHE, PUB},
    {KN_GET, "/councils", kn_page_councils, CACHE, PUB},
    {KN_GET | KN_POST, "/councils/new", kn_page_council_new, 0, KN_NEED_OPERATOR},
    {KN_GET, "/councils/{council}", kn_page_council, CACHE, PUB},
    {KN_GET | KN_POST, "/councils/{council}/edit", kn_page_council_edit, 0, KN_NEED_OPERATOR},
    {KN_GET, "/agencies", kn_page_agencies, CACHE, PUB},
    {KN_GET | KN_POST, "/agencies/new", kn_page_agency_new, 0, KN_NEED_OPERATOR},
    {KN_GET, "/agencies/{agency}", kn_page_agency, CACHE, PUB},
    {KN_GET | KN_POST, "/agencies/{agency}/edit", kn_page_agency_edit, 0, KN_NEED_OPERATOR},
    {KN_GET | KN_POST, "/register", kn_page_register, 0, PUB},
    {KN_GET | KN_POST, "/login", kn_page_login, 0, PUB},
    {KN_POST, "/logout", kn_page_logout, 0, KN_NEED_LOGIN},
    {KN_GET, "/account", kn_page_account, 0, KN_NEED_LOGIN},
    {KN_POST, "/account/password", kn_page_account_password, 0, KN_NEED_LOGIN},
    {KN_POST, "/account/tokens", kn_page_account_token_new, 0, KN_NEED_LOGIN},
    {KN_POST, "/account/tokens/{id}/revoke", kn_page_account_token_revoke, 0, KN_NEED_LOGIN},
    {KN_GET | KN_POST, "/admin/roles", kn_page_admin_roles, 0, KN_NEED_OPERATOR},
    {KN_GET, "/api", kn_page_api_docs, CACHE, PUB},

    /* the council loop: meetings, proposals, assignments, reforms (pages_loop.c).
     * Overdue changes with the day too: cached copies live at most a minute
     * (pagecache.c) */
#define CP "/councils/{council}"
    {KN_GET, CP "/meetings", kn_page_meetings, CACHE, PUB},
    {KN_GET | KN_POST, CP "/meetings/new", kn_page_meeting_new, 0, KN_NEED_SECRETARY},
    {KN_GET, CP "/meetings/{id}", kn_page_meeting, CACHE, PUB},
    {KN_GET | KN_POST, CP "/meetings/{id}/edit", kn_page_meeting_edit, 0, KN_NEED_SECRETARY},
    {KN_POST, CP "/meetings/{id}/agenda", kn_page_meeting_action, 0, KN_NEED_SECRETARY},
    {KN_POST, CP "/meetings/{id}/agenda/{item}/remove", kn_page_meeting_action, 0, KN_NEED_SECRETARY},
    {KN_POST, CP "/meetings/{id}/attendance", kn_page_meeting_action, 0, KN_NEED_SECRETARY},
    {KN_POST, CP "/meetings/{id}/minutes", kn_page_meeting_action, 0, KN_NEED_SECRETARY},
    {KN_POST, CP "/meetings/{id}/held", kn_page_meeting_action, 0, KN_NEED_SECRETARY},
    {KN_POST, CP "/meetings/{id}/cancel", kn_page_meeting_action, 0, KN_NEED_SECRETARY},
    {KN_GET, CP "/proposals", kn_page_proposals, CACHE, PUB},
    {KN_GET | KN_POST, CP "/proposals/new", kn_page_proposal_new, 0, KN_NEED_LOGIN},
    {KN_GET, CP "/proposals/{id}", kn_page_proposal, CACHE, PUB},
    {KN_GET | KN_POST, CP "/proposals/{id}/edit", kn_page_proposal_edit, 0, KN_NEED_MEMBER},
    {KN_POST, CP "/proposals/{id}/submit", kn_page_proposal_member, 0, KN_NEED_MEMBER},
    {KN_POST, CP "/proposals/{id}/cosign", kn_page_proposal_member, 0, KN_NEED_MEMBER},
    {KN_POST, CP "/proposals/{id}/take-up", kn_page_proposal_member, 0, KN_NEED_MEMBER},
    {KN_POST, CP "/proposals/{id}/withdraw", kn_page_proposal_member, 0, KN_NEED_MEMBER},
    {KN_POST, CP "/proposals/{id}/review", kn_page_proposal_staff, 0, KN_NEED_STAFF},
    {KN_POST, CP "/proposals/{id}/accept", kn_page_proposal_staff, 0, KN_NEED_STAFF},
    {KN_POST, CP "/proposals/{id}/reject", kn_page_proposal_staff, 0, KN_NEED_STAFF},
    {KN_GET, CP "/assignments", kn_page_assignments, CACHE, PUB},
    {KN_GET | KN_POST, CP "/assignments/new", kn_page_assignment_new, 0, KN_NEED_STAFF},
    {KN_GET, CP "/assignments/{id}", kn_page_assignment, CACHE, PUB},
    {KN_POST, CP "/assignments/{id}/accept", kn_page_assignment_staff, 0, KN_NEED_STAFF},
    {KN_POST, CP "/assignments/{id}/return", kn_page_assignment_staff, 0, KN_NEED_STAFF},
    {KN_POST, CP "/assignments/{id}/withdraw", kn_page_assignment_chair, 0, KN_NEED_CHAIR},
    {KN_POST, CP "/assignments/{id}/extensions/{ext}/grant", kn_page_assignment_chair, 0, KN_NEED_CHAIR},
    {KN_POST, CP "/assignments/{id}/extensions/{ext}/refuse", kn_page_assignment_chair, 0, KN_NEED_CHAIR},
    {KN_GET, CP "/reforms", kn_page_reforms, CACHE, PUB},
    {KN_GET | KN_POST, CP "/reforms/new", kn_page_reform_new, 0, KN_NEED_SECRETARY},
    {KN_GET, CP "/reforms/{id}", kn_page_reform, CACHE, PUB},
    {KN_POST, CP "/reforms/{id}/items", kn_page_reform_action, 0, KN_NEED_SECRETARY},
    {KN_POST, CP "/reforms/{id}/laws", kn_page_reform_action, 0, KN_NEED_SECRETARY},
    {KN_GET, CP "/laws/{id}", kn_page_law, CACHE, PUB},
    {KN_POST, CP "/laws/{id}/stage", kn_page_law_stage, 0, KN_NEED_SECRETARY},
    {KN_GET, CP "/statistics", kn_page_statistics, CACHE, PUB},
    {KN_GET, "/agencies/{agency}/scorecard", kn_page_scorecard, CACHE, PUB},
    {KN_GET, "/agencies/{agency}/queue", kn_page_agency_queue, 0, KN_NEED_OFFICER},
    {KN_POST, "/agencies/{agency}/assignments/{id}/start", kn_page_agency_start, 0, KN_NEED_OFFICER},
    {KN_GET | KN_POST, "/agencies/{agency}/assignments/{id}/report", kn_page_agency_report, 0, KN_NEED_OFFICER},
    {KN_GET | KN_POST, "/agencies/{agency}/assignments/{id}/extension", kn_page_agency_extension, 0, KN_NEED_OFFICER},
#undef CP

    /* composition: people, seats, rotations, working groups (pages_composition.c) */
    {KN_GET, "/councils/{council}/composition", kn_page_composition, CACHE, PUB},
    {KN_GET | KN_POST, "/councils/{council}/seats/new", kn_page_seat_new, 0, KN_NEED_SECRETARY},
    {KN_GET | KN_POST, "/councils/{council}/seats/{id}/end", kn_page_seat_end, 0, KN_NEED_SECRETARY},
    {KN_GET, "/councils/{council}/seats/{id}", kn_page_seat, CACHE, PUB},
    {KN_GET | KN_POST, "/councils/{council}/quotas", kn_page_quotas, 0, KN_NEED_SECRETARY},
    {KN_GET | KN_POST, "/councils/{council}/rotations/new", kn_page_rotation_new, 0, KN_NEED_SECRETARY},
    {KN_GET, "/councils/{council}/rotations", kn_page_rotations, CACHE, PUB},
    {KN_GET, "/councils/{council}/rotations/{id}", kn_page_rotation, CACHE, PUB},
    {KN_GET | KN_POST, "/councils/{council}/groups/new", kn_page_group_new, 0, KN_NEED_SECRETARY},
    {KN_GET | KN_POST, "/councils/{council}/groups/merge", kn_page_group_merge, 0, KN_NEED_SECRETARY},
    {KN_GET, "/councils/{council}/groups", kn_page_groups, CACHE, PUB},
    {KN_GET | KN_POST, "/councils/{council}/groups/{group}/split", kn_page_group_split, 0, KN_NEED_SECRETARY},
    {KN_GET | KN_POST, "/councils/{council}/groups/{group}/close", kn_page_group_close, 0, KN_NEED_SECRETARY},
    {KN_GET | KN_POST, "/councils/{council}/groups/{group}/leader", kn_page_group_leader, 0, KN_NEED_SECRETARY},
    {KN_GET | KN_POST, "/councils/{council}/groups/{group}/members/add", kn_page_group_member_add, 0, KN_NEED_SECRETARY},
    {KN_GET | KN_POST, "/councils/{council}/groups/{group}/members/remove", kn_page_group_member_remove, 0,
     KN_NEED_SECRETARY},
    {KN_GET, "/councils/{council}/groups/{group}", kn_page_group, CACHE, PUB},
    {KN_GET | KN_POST, "/councils/{council}/people/new", kn_page_person_new, 0, KN_NEED_SECRETARY},
    {KN_GET | KN_POST, "/councils/{council}/people/{person}/career", kn_page_career_new, 0, KN_NEED_SECRETARY},
    {KN_GET | KN_POST, "/councils/{council}/people/{person}/account", kn_page_person_account, 0, KN_NEED_SECRETARY},
    {KN_GET, "/people", kn_page_people, CACHE, PUB},
    {KN_GET, "/people/{id}", kn_page_person, CACHE, PUB},

    /* operations */
    {KN_GET, "/healthz", kn_api_healthz, 0, PUB},
    {KN_GET, "/metrics", kn_api_metrics, 0, PUB},

    /* the JSON API */
    {KN_GET, "/api/v1/openapi.json", kn_api_openapi, API | CACHE, PUB, NULL, N_("This document")},
    {KN_GET, "/api/v1/councils", kn_api_councils, API | CACHE, PUB, NULL, N_("List councils"), NULL,
     "{\"type\":\"object\",\"properties\":{\"councils\":{\"type\":\"array\",\"items\":" S_COUNCIL "}}}"},
    {KN_POST, "/api/v1/councils", kn_api_council_create, API, KN_NEED_OPERATOR, NULL, N_("Create a council"),
     S_COUNCIL_IN, S_COUNCIL},
    {KN_GET, "/api/v1/councils/{council}", kn_api_council, API | CACHE, PUB, NULL, N_("A council (by id or slug)"), NULL,
     S_COUNCIL},
    {KN_PUT, "/api/v1/councils/{council}", kn_api_council_update, API, KN_NEED_OPERATOR, NULL,
     "Update a council (fields left out keep their value)", S_COUNCIL_IN, S_COUNCIL},
    {KN_GET, "/api/v1/agencies", kn_api_agencies, API | CACHE, PUB, NULL, N_("List government agencies (?kind=, and ?q= for words of a name in any language)"), NULL,
     "{\"type\":\"object\",\"properties\":{\"agencies\":{\"type\":\"array\",\"items\":" S_AGENCY "}" S_PAGED "}}"},
    {KN_POST, "/api/v1/agencies", kn_api_agency_create, API, KN_NEED_OPERATOR, NULL, N_("Create an agency"), S_AGENCY_IN,
     S_AGENCY},
    {KN_GET, "/api/v1/agencies/{agency}", kn_api_agency, API | CACHE, PUB, NULL, N_("An agency with its units"), NULL,
     S_AGENCY},
    {KN_PUT, "/api/v1/agencies/{agency}", kn_api_agency_update, API, KN_NEED_OPERATOR, NULL,
     "Update an agency (fields left out keep their value)", S_AGENCY_IN, S_AGENCY},
    {KN_POST, "/api/v1/users", kn_api_register, API, PUB, NULL, N_("Create an account (register)"), S_REGISTER,
     "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}}"},
    {KN_GET, "/api/v1/me", kn_api_me, API, KN_NEED_LOGIN, NULL, N_("The signed-in account and its roles")},
    {KN_POST, "/api/v1/me/password", kn_api_password, API, KN_NEED_LOGIN, NULL, N_("Change the password (ends other sessions)"),
     S_PASSWORD},
    {KN_GET, "/api/v1/tokens", kn_api_tokens, API, KN_NEED_LOGIN, NULL, N_("The account's API tokens")},
    {KN_POST, "/api/v1/tokens", kn_api_token_create, API, PUB, NULL,
     "Create an API token (shown once), as the signed-in account or with login and password", S_TOKEN_IN, S_TOKEN_OUT},
    {KN_DELETE, "/api/v1/tokens/{id}", kn_api_token_revoke, API, KN_NEED_LOGIN, NULL, N_("Revoke an API token")},
    {KN_POST, "/api/v1/_test/clock", kn_api_test_clock, API, KN_NEED_OPERATOR, NULL,
     "Tests only (setting test_clock): move the server's clock",
     "{\"type\":\"object\",\"properties\":{\"now\":{\"type\":\"integer\"},\"advance\":{\"type\":\"integer\"}}}"},

    /* the council loop (api_loop.c) */
#define CA "/api/v1/councils/{council}"
#define AA "/api/v1/agencies/{agency}"
    {KN_GET, CA "/meetings", kn_api_meetings, API | CACHE, PUB, NULL, N_("A council's meetings (?kind=plenary|group|individual)")},
    {KN_POST, CA "/meetings", kn_api_meeting_create, API, KN_NEED_SECRETARY, NULL, N_("Schedule a meeting"), KN_S_MEETING_IN, KN_S_ID},
    {KN_GET, CA "/meetings/{id}", kn_api_meeting, API | CACHE, PUB, NULL, N_("A meeting with its agenda, attendance and minutes")},
    {KN_PUT, CA "/meetings/{id}", kn_api_meeting_update, API, KN_NEED_SECRETARY, NULL, N_("Change a scheduled meeting's title, date, time or place"), KN_S_MEETING_IN},
    {KN_POST, CA "/meetings/{id}/agenda", kn_api_meeting_action, API, KN_NEED_SECRETARY, NULL, N_("Add an agenda item (a proposal in group review goes on the agenda)"), KN_S_AGENDA_IN},
    {KN_DELETE, CA "/meetings/{id}/agenda/{item}", kn_api_meeting_action, API, KN_NEED_SECRETARY, NULL, N_("Remove an agenda item")},
    {KN_PUT, CA "/meetings/{id}/attendance", kn_api_meeting_action, API, KN_NEED_SECRETARY, NULL, N_("Record attendance of a held meeting"), KN_S_ATTENDANCE_IN},
    {KN_PUT, CA "/meetings/{id}/minutes", kn_api_meeting_action, API, KN_NEED_SECRETARY, NULL, N_("Publish the minutes of a held meeting"), KN_S_MINUTES_IN},
    {KN_POST, CA "/meetings/{id}/held", kn_api_meeting_action, API, KN_NEED_SECRETARY, NULL, N_("Mark a meeting as held")},
    {KN_POST, CA "/meetings/{id}/cancel", kn_api_meeting_action, API, KN_NEED_SECRETARY, NULL, N_("Cancel a scheduled meeting"), KN_S_REASON},
    {KN_GET, CA "/proposals", kn_api_proposals, API | CACHE, PUB, NULL, N_("A council's proposals (?state=)")},
    {KN_POST, CA "/proposals", kn_api_proposal_create, API, KN_NEED_LOGIN, NULL, N_("A member drafts a proposal; a citizen submits one"), KN_S_PROPOSAL_IN, KN_S_ID},
    {KN_GET, CA "/proposals/{id}", kn_api_proposal, API | CACHE, PUB, NULL, N_("A proposal with its signers and what followed")},
    {KN_PUT, CA "/proposals/{id}", kn_api_proposal_update, API, KN_NEED_MEMBER, NULL, N_("Edit a draft (its authors)"), KN_S_PROPOSAL_IN},
    {KN_POST, CA "/proposals/{id}/submit", kn_api_proposal_action, API, KN_NEED_MEMBER, NULL, N_("Submit a draft (its authors)")},
    {KN_POST, CA "/proposals/{id}/cosign", kn_api_proposal_action, API, KN_NEED_MEMBER, NULL, N_("Co-sign a proposal")},
    {KN_POST, CA "/proposals/{id}/take-up", kn_api_proposal_action, API, KN_NEED_MEMBER, NULL, N_("Take up a citizen's proposal")},
    {KN_POST, CA "/proposals/{id}/withdraw", kn_api_proposal_action, API, KN_NEED_MEMBER, NULL, N_("Withdraw a proposal (its authors)")},
    {KN_POST, CA "/proposals/{id}/review", kn_api_proposal_action, API, KN_NEED_STAFF, NULL, N_("Send a submitted proposal to group review"), KN_S_REVIEW_IN},
    {KN_POST, CA "/proposals/{id}/accept", kn_api_proposal_action, API, KN_NEED_STAFF, NULL, N_("Accept a proposal on the agenda")},
    {KN_POST, CA "/proposals/{id}/reject", kn_api_proposal_action, API, KN_NEED_STAFF, NULL, N_("Reject a proposal, with the reason"), KN_S_REASON},
    {KN_GET, CA "/assignments", kn_api_assignments, API | CACHE, PUB, NULL, N_("A council's assignments (?agency=&status=open&overdue=1)")},
    {KN_POST, CA "/assignments", kn_api_assignment_create, API, KN_NEED_STAFF, NULL, N_("Issue (chair) or record (secretary) an assignment"), KN_S_ASSIGNMENT_IN, KN_S_ASSIGNMENT},
    {KN_GET, CA "/assignments/{id}", kn_api_assignment, API | CACHE, PUB, NULL, N_("An assignment with its reports and extensions"), NULL, KN_S_ASSIGNMENT},
    {KN_POST, CA "/assignments/{id}/accept", kn_api_assignment_action, API, KN_NEED_STAFF, NULL, N_("Accept completion (on time or late follows from the date)"), NULL, KN_S_ASSIGNMENT},
    {KN_POST, CA "/assignments/{id}/return", kn_api_assignment_action, API, KN_NEED_STAFF, NULL, N_("Return for rework, with the reason"), KN_S_REASON, KN_S_ASSIGNMENT},
    {KN_POST, CA "/assignments/{id}/withdraw", kn_api_assignment_action, API, KN_NEED_CHAIR, NULL, N_("Withdraw an assignment, with the reason"), KN_S_REASON, KN_S_ASSIGNMENT},
    {KN_POST, CA "/assignments/{id}/extensions/{ext}/grant", kn_api_assignment_action, API, KN_NEED_CHAIR, NULL, N_("Grant an extension"), KN_S_NOTE, KN_S_ASSIGNMENT},
    {KN_POST, CA "/assignments/{id}/extensions/{ext}/refuse", kn_api_assignment_action, API, KN_NEED_CHAIR, NULL, N_("Refuse an extension"), KN_S_NOTE, KN_S_ASSIGNMENT},
    {KN_GET, AA "/queue", kn_api_agency_queue, API, KN_NEED_OFFICER, NULL, N_("Open assignments addressed to the agency")},
    {KN_GET, AA "/scorecard", kn_api_agency_scorecard, API | CACHE, PUB, NULL, N_("The agency's scorecard")},
    {KN_POST, AA "/assignments/{id}/start", kn_api_agency_action, API, KN_NEED_OFFICER, NULL, N_("Acknowledge an assignment and start work"), NULL, KN_S_ASSIGNMENT},
    {KN_POST, AA "/assignments/{id}/reports", kn_api_agency_action, API, KN_NEED_OFFICER, NULL, N_("Post a report with outcome indicators"), KN_S_REPORT_IN, KN_S_ASSIGNMENT},
    {KN_POST, AA "/assignments/{id}/extensions", kn_api_agency_action, API, KN_NEED_OFFICER, NULL, N_("Ask for a later deadline"), KN_S_EXTENSION_IN, KN_S_ASSIGNMENT},
    {KN_GET, CA "/reforms", kn_api_reforms, API | CACHE, PUB, NULL, N_("A council's reform packages with their progress")},
    {KN_POST, CA "/reforms", kn_api_reform_create, API, KN_NEED_SECRETARY, NULL, N_("Add a reform package"), KN_S_REFORM_IN},
    {KN_GET, CA "/reforms/{id}", kn_api_reform, API | CACHE, PUB, NULL, N_("A reform package with its items and laws")},
    {KN_POST, CA "/reforms/{id}/items", kn_api_reform_action, API, KN_NEED_SECRETARY, NULL, N_("Add a reform item linked to proposals and assignments"), KN_S_ITEM_IN},
    {KN_POST, CA "/reforms/{id}/laws", kn_api_reform_action, API, KN_NEED_SECRETARY, NULL, N_("Add a law to a reform item"), KN_S_LAW_IN},
    {KN_GET, CA "/laws/{id}", kn_api_law, API | CACHE, PUB, NULL, N_("A law with its stages")},
    {KN_POST, CA "/laws/{id}/stage", kn_api_law_stage, API, KN_NEED_SECRETARY, NULL, N_("Move a law to a later stage"), KN_S_STAGE_IN},
    {KN_GET, CA "/statistics", kn_api_statistics, API | CACHE, PUB, NULL, N_("A council's figures")},
#undef CA
#undef AA

    /* the public record (issue 5): verification, feeds, open data, publishing */
    {KN_GET, "/transparency", kn_page_transparency, 0, PUB},
    /* served from the one export in memory (app/opendata.c), not the page
     * cache: a cached file could outlive the export it came from, and its
     * digest in SHA256SUMS */
    {KN_GET, "/open-data", kn_page_open_data, 0, PUB},
    {KN_GET, "/open-data/{file}", kn_page_open_data_file, 0, PUB},
    {KN_GET, "/records/{kind}/{id}", kn_page_record, CACHE, PUB},
    {KN_GET, "/councils/{council}/feed.atom", kn_feed_council, CACHE, PUB},
    {KN_GET, "/councils/{council}/meetings.ics", kn_feed_meetings_ics, CACHE, PUB},
    {KN_GET, "/councils/{council}/groups/{group}/feed.atom", kn_feed_group_atom, CACHE, PUB},
    {KN_GET, "/agencies/{agency}/feed.atom", kn_feed_agency, CACHE, PUB},
    {KN_GET, "/feeds/{kind}/{file}", kn_feed_record, CACHE, PUB},
    {KN_GET | KN_POST, "/councils/{council}/telegram", kn_page_telegram, 0, KN_NEED_OPERATOR},
    {KN_GET | KN_POST, "/admin/webhooks", kn_page_webhooks, 0, KN_NEED_OPERATOR},
    {KN_GET, "/api/v1/checkpoints/latest", kn_api_checkpoint_latest, API, PUB, NULL,
     N_("The latest signed checkpoint of the event log"), NULL, S_CHECKPOINT},
    {KN_GET, "/api/v1/public-key", kn_api_public_key, API, PUB, NULL, N_("The installation's Ed25519 public key (hex)"),
     NULL, "{\"type\":\"object\",\"properties\":{\"algorithm\":{\"type\":\"string\"},\"public_key\":{\"type\":\"string\"}}}"},
    {KN_GET, "/api/v1/councils/{council}/telegram", kn_api_telegram, API, KN_NEED_OPERATOR, NULL,
     N_("A council's Telegram channel settings (the token is never shown)"), NULL, S_TELEGRAM},
    {KN_PUT, "/api/v1/councils/{council}/telegram", kn_api_telegram_put, API, KN_NEED_OPERATOR, NULL,
     N_("Set a council's Telegram channel (an empty token keeps the stored one)"), S_TELEGRAM_IN, S_TELEGRAM},
    {KN_DELETE, "/api/v1/councils/{council}/telegram", kn_api_telegram_delete, API, KN_NEED_OPERATOR, NULL,
     N_("Remove a council's Telegram channel")},
    {KN_GET, "/api/v1/webhooks", kn_api_webhooks, API, KN_NEED_OPERATOR, NULL, N_("Webhooks"), NULL,
     "{\"type\":\"object\",\"properties\":{\"webhooks\":{\"type\":\"array\",\"items\":" S_WEBHOOK "}}}"},
    {KN_POST, "/api/v1/webhooks", kn_api_webhook_create, API, KN_NEED_OPERATOR, NULL,
     N_("Add a webhook (its HMAC secret is generated and returned)"), S_WEBHOOK_IN, S_WEBHOOK},
    {KN_DELETE, "/api/v1/webhooks/{id}", kn_api_webhook_delete, API, KN_NEED_OPERATOR, NULL, N_("Remove a webhook")},
    /* composition over JSON (api_composition.c); writes: the council's secretary */
    {KN_GET, "/api/v1/councils/{council}/composition", kn_api_composition, API | CACHE, PUB, NULL,
     "Who sat on the council on a date (?on=YYYY-MM-DD; default today), with sector counts, quotas and warnings"},
    {KN_GET, "/api/v1/councils/{council}/seats", kn_api_seats, API | CACHE, PUB, NULL, "Every seat the council ever had",
     NULL, "{\"type\":\"object\",\"properties\":{\"seats\":{\"type\":\"array\",\"items\":" S_SEAT "}}}"},
    {KN_POST, "/api/v1/councils/{council}/seats", kn_api_seat_create, API, KN_NEED_SECRETARY, NULL,
     "Add a seat (an existing person_id, or a new person)", S_SEAT_IN, S_SEAT},
    {KN_GET, "/api/v1/councils/{council}/seats/{id}", kn_api_seat, API | CACHE, PUB, NULL, "A seat", NULL, S_SEAT},
    {KN_POST, "/api/v1/councils/{council}/seats/{id}/end", kn_api_seat_end, API, KN_NEED_SECRETARY, NULL,
     "End a seat with a reason", S_SEAT_END, S_SEAT},
    {KN_GET, "/api/v1/councils/{council}/rotations", kn_api_rotations, API | CACHE, PUB, NULL,
     "The council's rotations: who left and who joined", NULL,
     "{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\"},\"rotations\":{\"type\":\"array\",\"items\":" S_ROTATION "}}}"},
    {KN_POST, "/api/v1/councils/{council}/rotations", kn_api_rotation_create, API, KN_NEED_SECRETARY, NULL,
     "Record a rotation in one transaction (warnings: sector quotas no longer met)", S_ROTATION_IN, S_ROTATION},
    {KN_GET, "/api/v1/councils/{council}/rotations/{id}", kn_api_rotation, API | CACHE, PUB, NULL, "A rotation", NULL,
     S_ROTATION},
    {KN_GET, "/api/v1/councils/{council}/quotas", kn_api_quotas, API | CACHE, PUB, NULL, "Sector quotas and seats held today"},
    {KN_PUT, "/api/v1/councils/{council}/quotas", kn_api_quotas_set, API, KN_NEED_SECRETARY, NULL,
     "Set the sector quotas (sectors left out: no quota)", S_QUOTAS_IN},
    {KN_GET, "/api/v1/councils/{council}/groups", kn_api_groups, API | CACHE, PUB, NULL, "Working groups with lineage",
     NULL, "{\"type\":\"object\",\"properties\":{\"groups\":{\"type\":\"array\",\"items\":" S_GROUP "}}}"},
    {KN_POST, "/api/v1/councils/{council}/groups", kn_api_group_create, API, KN_NEED_SECRETARY, NULL,
     "Create a working group", S_GROUP_IN, S_GROUP},
    {KN_POST, "/api/v1/councils/{council}/groups/merge", kn_api_group_merge, API, KN_NEED_SECRETARY, NULL,
     "Merge open groups into a new one (members follow; lineage kept)", S_MERGE_IN, S_GROUP},
    {KN_GET, "/api/v1/councils/{council}/groups/{group}", kn_api_group, API | CACHE, PUB, NULL,
     "A working group with its members and lineage", NULL, S_GROUP},
    {KN_POST, "/api/v1/councils/{council}/groups/{group}/split", kn_api_group_split, API, KN_NEED_SECRETARY, NULL,
     "Split a group into new ones, reassigning its members", S_SPLIT_IN, S_GROUP},
    {KN_POST, "/api/v1/councils/{council}/groups/{group}/close", kn_api_group_close, API, KN_NEED_SECRETARY, NULL,
     "Close a group (it stays visible with its history)", S_DATE_IN("closed_on"), S_GROUP},
    {KN_POST, "/api/v1/councils/{council}/groups/{group}/members", kn_api_group_member_add, API, KN_NEED_SECRETARY,
     NULL, "Add a member (a person sitting on the council)",
     "{\"type\":\"object\",\"required\":[\"person_id\",\"joined_on\"],\"properties\":{\"person_id\":{\"type\":\"integer\"},\"joined_on\":{\"type\":\"string\",\"format\":\"date\"}}}",
     S_GROUP},
    {KN_POST, "/api/v1/councils/{council}/groups/{group}/members/{person}/remove", kn_api_group_member_remove, API,
     KN_NEED_SECRETARY, NULL, "A member leaves the group", S_DATE_IN("left_on"), S_GROUP},
    {KN_PUT, "/api/v1/councils/{council}/groups/{group}/leader", kn_api_group_leader, API, KN_NEED_SECRETARY, NULL,
     "Set the leader (a member; null for none)",
     "{\"type\":\"object\",\"properties\":{\"person_id\":{\"type\":[\"integer\",\"null\"]}}}", S_GROUP},
    {KN_POST, "/api/v1/councils/{council}/people", kn_api_person_create, API, KN_NEED_SECRETARY, NULL,
     "Add a person (no account needed)", S_PERSON_IN, S_PERSON},
    {KN_POST, "/api/v1/councils/{council}/people/{person}/careers", kn_api_career_create, API, KN_NEED_SECRETARY, NULL,
     "Record a later career of a person who sat on the council", S_CAREER_IN, S_PERSON},
    {KN_PUT, "/api/v1/councils/{council}/people/{person}/account", kn_api_person_account, API, KN_NEED_SECRETARY, NULL,
     "Link a person who sat on the council to an account",
     "{\"type\":\"object\",\"required\":[\"login\"],\"properties\":{\"login\":{\"type\":\"string\"}}}", S_PERSON},
    {KN_GET, "/api/v1/people", kn_api_people, API | CACHE, PUB, NULL, "People (members of councils, with or without accounts; ?q= for words of a name in any language)"},
    {KN_GET, "/api/v1/people/{id}", kn_api_person, API | CACHE, PUB, NULL,
     "A person: seats held, groups, later careers", NULL, S_PERSON},
};
const int kn_nroutes = (int)(sizeof(kn_routes) / sizeof(kn_routes[0]));
