/* routes.c: every address Kenes answers, and what each demands before its
 * handler runs. The dispatcher enforces need and CSRF; handlers never
 * check them again. The API part of this table is the OpenAPI document. */
#include "api/api.h"
#include "app/app.h"
#include "core/i18n.h"
#include "view/view.h"

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

#define PUB KN_NEED_PUBLIC
#define API KN_RF_API
#define CACHE KN_RF_PUBLIC

const struct kn_route kn_routes[] = {
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
    {KN_GET, "/api/v1/agencies", kn_api_agencies, API | CACHE, PUB, NULL, N_("List government agencies"), NULL,
     "{\"type\":\"object\",\"properties\":{\"agencies\":{\"type\":\"array\",\"items\":" S_AGENCY "}}}"},
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
};
const int kn_nroutes = (int)(sizeof(kn_routes) / sizeof(kn_routes[0]));
