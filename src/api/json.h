/* json.h: JSON in and out for the API (the only code that uses jansson,
 * with the event encoders). Values sent are released by the arena. */
#ifndef KN_API_JSON_H
#define KN_API_JSON_H
#include "domain/domain.h"
#include "http/req.h"
#include <jansson.h>

/* Parses a request body as a JSON object (duplicate keys refused). On
 * failure returns NULL and writes where and why into err. The caller owns
 * the returned value (json_decref). Used by kn_api_body and fuzzed. */
json_t *kn_json_parse_object(const char *body, size_t len, char *err, size_t errlen);
/* Parses the request body as a JSON object into r->json. On failure sends
 * 400 (or 415 for another content type) saying where, and returns false. */
bool kn_api_body(struct kn_req *r);
/* A string member of the body: NULL if absent or JSON null; a member of
 * another type adds an error for that field to x. */
const char *kn_api_str(struct kn_req *r, struct kn_ctx *x, const char *key);
/* An integer member: def if absent; a non-integer adds an error. */
int64_t kn_api_int(struct kn_req *r, struct kn_ctx *x, const char *key, int64_t def);
/* Checks the body's members against the types the route's request schema
 * gives them (string, integer, an enum of strings; others are left to the
 * handler): one of another type is refused, never read as absent. On
 * failure sends 422 naming each and returns false. */
bool kn_api_members_typed(struct kn_req *r, struct kn_ctx *x);
/* Sends v (reference stolen) with status. */
void kn_api_send(struct kn_req *r, int status, json_t *v);
/* Sends list (a JSON array) as {key: list, total, offset, limit}: one page of a list. */
void kn_api_send_page(struct kn_req *r, const char *key, json_t *list, int total, int offset, int limit);
/* A JSON answer written with kn_jw straight into r->out: begin, write one
 * value, finish with the status. */
struct kn_jw;
void kn_api_begin(struct kn_req *r, struct kn_jw *w);
void kn_api_finish(struct kn_req *r, int status);
/* kn_api_send_page's members, written after a list made with kn_jw, in its object. */
void kn_api_page_keys(struct kn_jw *w, int total, int offset, int limit);
/* One page of a list written with kn_jw, as kn_api_send_page sends it:
 * begin writes {"key":[ , the caller writes the elements, end closes the
 * array, adds the page's members and finishes the answer with 200. */
void kn_api_list_begin(struct kn_req *r, struct kn_jw *w, const char *key);
void kn_api_list_end(struct kn_req *r, struct kn_jw *w, int total, int offset, int limit);
/* Sends {"error": {"code", "message", "field", "fields": [...]}}. */
void kn_api_error(struct kn_req *r, int status, const char *code, const char *field, const char *msg,
                  const struct kn_ferr *errs);
/* Sends the field errors of a failed domain call as 422. */
void kn_api_invalid(struct kn_req *r, const struct kn_ferr *errs);
/* json_string that maps NULL to JSON null. */
json_t *kn_json_str(const char *s);
/* Puts a value in the arena's care. */
json_t *kn_json_keep(struct kn_req *r, json_t *v);

#endif
