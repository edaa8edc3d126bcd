/* api_system.c: the OpenAPI document (made from the route table), health
 * and metrics. */
#include "api/api.h"
#include "api/json.h"
#include "app/app.h"
#include "core/arena.h"
#include "store/store.h"
#include "core/config.h"
#include <ctype.h>
#include <time.h>
#include <string.h>

static const char *method_name(unsigned m)
{
	switch (m) {
	case KN_GET: return "get";
	case KN_POST: return "post";
	case KN_PUT: return "put";
	case KN_DELETE: return "delete";
	case KN_PATCH: return "patch";
	default: return NULL;
	}
}

static json_t *schema(const char *text)
{
	json_error_t e;
	json_t *v = text ? json_loads(text, 0, &e) : NULL;
	return v ? v : json_object();
}

static json_t *error_response(const char *desc)
{
	json_t *o = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", desc, "content", "application/json", "schema",
	                      "$ref", "#/components/schemas/Error");
	return o;
}

void kn_api_openapi(struct kn_req *r)
{
	json_t *paths = json_object();
	for (int i = 0; i < kn_nroutes; i++) {
		const struct kn_route *rt = &kn_routes[i];
		if (!(rt->flags & KN_RF_API))
			continue;
		json_t *item = json_object_get(paths, rt->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->pattern, item);
		}
		for (unsigned m = KN_GET; m <= KN_PATCH; m <<= 1) {
			if (!(rt->methods & m) || !method_name(m))
				continue;
			json_t *op = json_object();
			json_object_set_new(op, "summary", json_string(rt->summary ? rt->summary : rt->pattern));
			char opid[200];
			size_t k = (size_t)snprintf(opid, sizeof(opid), "%s", method_name(m));
			for (const char *p = rt->pattern + 7; *p && k + 1 < sizeof(opid); p++)
				if (isalnum((unsigned char)*p))
					opid[k++] = *p;
				else if (k && opid[k - 1] != '_')
					opid[k++] = '_';
			opid[k] = 0;
			json_object_set_new(op, "operationId", json_string(opid));
			json_t *params = json_array();
			for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
				const char *e = strchr(p, '}');
				if (!e)
					break;
				json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1, (size_t)(e - p - 1),
				                                         "in", "path", "required", 1, "schema", "type", "string"));
			}
			if (json_array_size(params))
				json_object_set_new(op, "parameters", params);
			else
				json_decref(params);
			if (rt->request)
				json_object_set_new(op, "requestBody",
				                    json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content", "application/json",
				                              "schema", schema(rt->request)));
			json_t *responses = json_object();
			const char *ok = m == KN_POST && strstr(rt->summary ? rt->summary : "", "Create") ? "201" : "200";
			if (rt->response)
				json_object_set_new(responses, ok,
				                    json_pack("{s:s, s:{s:{s:o}}}", "description", "Success", "content",
				                              "application/json", "schema", schema(rt->response)));
			else
				json_object_set_new(responses, m == KN_DELETE ? "204" : ok, json_pack("{s:s}", "description", "Success"));
			json_object_set_new(responses, "400", error_response("Malformed request"));
			if (rt->need != KN_NEED_PUBLIC) {
				json_object_set_new(responses, "401", error_response("Not signed in"));
				json_object_set_new(responses, "403", error_response("Not allowed for this account"));
				json_object_set_new(op, "security",
				                    json_pack("[{s:[]}, {s:[]}]", "bearerAuth", "cookieAuth"));
			}
			if (strchr(rt->pattern, '{'))
				json_object_set_new(responses, "404", error_response("No such record"));
			if (rt->request) {
				json_object_set_new(responses, "413", error_response("Body too large"));
				json_object_set_new(responses, "415", error_response("Body is not JSON"));
				json_object_set_new(responses, "422", error_response("Invalid fields"));
			}
			json_object_set_new(op, "responses", responses);
			json_object_set_new(item, method_name(m), op);
		}
	}
	json_t *doc = json_pack(
	    "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}}, s:{s:o}}}",
	    "openapi", "3.1.0", "info", "title", "Kenes API", "version", kn_app.version, "description",
	    "Public trust councils: councils, agencies, accounts. Errors are {\"error\": {\"code\", \"message\", "
	    "\"field\"}}. Writes with a session cookie need the X-CSRF-Token header (the kn_csrf cookie's value); "
	    "writes with a bearer token do not.",
	    "servers", "url", "/", "paths", paths, "components", "securitySchemes", "bearerAuth", "type", "http",
	    "scheme", "bearer", "cookieAuth", "type", "apiKey", "in", "cookie", "name", "kn_session", "schemas", "Error",
	    schema("{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{\"type\":\"object\","
	           "\"required\":[\"code\",\"message\"],\"properties\":{\"code\":{\"type\":\"string\"},"
	           "\"message\":{\"type\":\"string\"},\"field\":{\"type\":[\"string\",\"null\"]},"
	           "\"fields\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}}}}}}"));
	kn_api_send(r, 200, doc);
}

void kn_api_healthz(struct kn_req *r)
{
	struct kn_rows *rows;
	bool ok = kn_sql0(kn_req_db(r), r->a, &rows, "SELECT 1") == KN_OK;
	json_t *o = json_pack("{s:s, s:s}", "status", ok ? "ok" : "database unavailable", "version", kn_app.version);
	kn_api_send(r, ok ? 200 : 503, o);
	r->cache = "no-store";
	r->no_etag = true;
}

void kn_api_metrics(struct kn_req *r)
{
	kn_metrics_write(r);
}

/* Tests only (setting test_clock): moves the clock every deadline is
 * measured against. {"now": unix seconds} or {"advance": seconds}. */
void kn_api_test_clock(struct kn_req *r)
{
	if (!kn_cfg.test_clock) {
		kn_fail(r, 404, "not_found", NULL, "This page does not exist.");
		return;
	}
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	int64_t now = kn_api_int(r, &x, "now", 0), adv = kn_api_int(r, &x, "advance", 0);
	if (x.errs) {
		kn_api_invalid(r, x.errs);
		return;
	}
	int64_t wall = (int64_t)time(NULL);
	if (now)
		kn_app.clock_offset = now - wall;
	else
		kn_app.clock_offset += adv;
	kn_api_send(r, 200, json_pack("{s:I, s:I}", "now", (json_int_t)kn_now(), "offset", (json_int_t)kn_app.clock_offset));
}
