/* json.c: request body parsing and JSON responses. */
#include "api/json.h"
#include "api/jw.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/i18n.h"
#include <string.h>
#include <strings.h>

static void decref(void *p)
{
	json_decref(p);
}

json_t *kn_json_keep(struct kn_req *r, json_t *v)
{
	if (v)
		kn_arena_cleanup(r->a, decref, v);
	return v;
}

json_t *kn_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *kn_json_parse_object(const char *body, size_t len, char *err, size_t errlen)
{
	json_error_t e;
	json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
	if (!v) {
		snprintf(err, errlen, "Malformed JSON at line %d, column %d (byte %d): %s", e.line, e.column, e.position,
		         e.text);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		snprintf(err, errlen, "The request body must be a JSON object.");
		return NULL;
	}
	return v;
}

bool kn_api_body(struct kn_req *r)
{
	if (r->json)
		return true;
	const char *ct = kn_req_header(r, "Content-Type");
	if (r->body_len == 0) {
		kn_api_error(r, 400, "invalid_json", NULL, "The request body must be a JSON object.", NULL);
		return false;
	}
	if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
		kn_api_error(r, 415, "unsupported_media_type", NULL, "Send the body as application/json.", NULL);
		return false;
	}
	char msg[300];
	json_t *v = kn_json_parse_object(r->body, r->body_len, msg, sizeof(msg));
	if (!v) {
		kn_api_error(r, 400, "invalid_json", NULL, kn_strdup(r->a, msg), NULL);
		return false;
	}
	r->json = kn_json_keep(r, v);
	return true;
}

const char *kn_api_str(struct kn_req *r, struct kn_ctx *x, const char *key)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		kn_ferr_add(x, key, "This field must be a string.");
		return NULL;
	}
	size_t n = json_string_length(v);
	const char *s = json_string_value(v);
	if (memchr(s, 0, n)) {
		kn_ferr_add(x, key, "This text contains control characters.");
		return NULL;
	}
	return s;
}

int64_t kn_api_int(struct kn_req *r, struct kn_ctx *x, const char *key, int64_t def)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	if (!v || json_is_null(v))
		return def;
	if (!json_is_integer(v)) {
		kn_ferr_add(x, key, "This field must be a whole number.");
		return def;
	}
	return json_integer_value(v);
}

bool kn_api_members_typed(struct kn_req *r, struct kn_ctx *x)
{
	json_t *schema = r->route && r->route->request ? json_loads(r->route->request, 0, NULL) : NULL;
	const char *key;
	json_t *p;
	json_object_foreach(json_object_get(schema, "properties"), key, p)
	{
		const char *type = json_string_value(json_object_get(p, "type"));
		bool text_enum = !type && json_is_string(json_array_get(json_object_get(p, "enum"), 0));
		if (text_enum || (type && !strcmp(type, "string")))
			kn_api_str(r, x, key);
		else if (type && !strcmp(type, "integer"))
			kn_api_int(r, x, key, 0);
	}
	/* the errors name their fields by the schema's keys: sent before it goes */
	bool ok = !x->errs;
	if (!ok)
		kn_api_invalid(r, x->errs);
	json_decref(schema);
	return ok;
}

void kn_api_send_page(struct kn_req *r, const char *key, json_t *list, int total, int offset, int limit)
{
	kn_api_send(r, 200,
	            json_pack("{s:o, s:i, s:i, s:i}", key, list, "total", total, "offset", offset, "limit", limit));
}

void kn_api_page_keys(struct kn_jw *w, int total, int offset, int limit)
{
	kn_jw_kint(w, "total", total);
	kn_jw_kint(w, "offset", offset);
	kn_jw_kint(w, "limit", limit);
}

void kn_api_list_begin(struct kn_req *r, struct kn_jw *w, const char *key)
{
	kn_api_begin(r, w);
	kn_jw_obj(w);
	kn_jw_key(w, key);
	kn_jw_arr(w);
}

void kn_api_list_end(struct kn_req *r, struct kn_jw *w, int total, int offset, int limit)
{
	kn_jw_end(w);
	kn_api_page_keys(w, total, offset, limit);
	kn_jw_end(w);
	kn_api_finish(r, 200);
}

void kn_api_send(struct kn_req *r, int status, json_t *v)
{
	kn_json_keep(r, v);
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	r->status = status;
	r->ctype = "application/json";
	kn_buf_reset(&r->out);
	if (s) {
		kn_buf_adds(&r->out, s);
		kn_buf_addc(&r->out, '\n');
		free(s);
	}
}

void kn_api_begin(struct kn_req *r, struct kn_jw *w)
{
	kn_buf_reset(&r->out);
	kn_jw_init(w, &r->out);
}

void kn_api_finish(struct kn_req *r, int status)
{
	kn_buf_addc(&r->out, '\n');
	r->status = status;
	r->ctype = "application/json";
}

void kn_api_error(struct kn_req *r, int status, const char *code, const char *field, const char *msg,
                  const struct kn_ferr *errs)
{
	json_t *e = json_object();
	json_object_set_new(e, "code", json_string(code));
	json_object_set_new(e, "message", json_string(_(msg)));
	json_object_set_new(e, "field", kn_json_str(field));
	if (errs) {
		json_t *list = json_array();
		for (; errs; errs = errs->next) {
			json_t *fe = json_object();
			json_object_set_new(fe, "field", kn_json_str(errs->field));
			json_object_set_new(fe, "message", json_string(_(errs->msg)));
			json_array_append_new(list, fe);
		}
		json_object_set_new(e, "fields", list);
	}
	json_t *o = json_object();
	json_object_set_new(o, "error", e);
	kn_api_send(r, status, o);
	r->cache = "no-store";
}

void kn_api_invalid(struct kn_req *r, const struct kn_ferr *errs)
{
	kn_api_error(r, 422, "invalid", errs ? errs->field : NULL,
	             errs ? errs->msg : "The request is not valid.", errs);
}
