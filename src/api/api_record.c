/* api_record.c: the public record over JSON: the latest checkpoint, the
 * public key, a council's Telegram channel settings, webhooks. */
#include "api/api.h"
#include "api/json.h"
#include "app/app.h"
#include "core/arena.h"
#include "domain/outbox.h"
#include "domain/record.h"
#include "domain/registry.h"

void kn_api_checkpoint_latest(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_checkpoint *c;
	enum kn_err rc = kn_checkpoint_latest(&x, &c);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	if (!c) {
		kn_fail(r, 404, "not_found", NULL, "No checkpoint has been signed yet.");
		return;
	}
	kn_api_send(r, 200,
	            json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "seq", (json_int_t)c->seq, "hash", c->hash, "at",
	                      (json_int_t)c->at, "public_key", c->public_key, "signature", c->signature, "signed_message",
	                      kn_checkpoint_message(r->a, c->seq, c->hash, c->at)));
}

void kn_api_public_key(struct kn_req *r)
{
	const struct kn_key *k = kn_key_installation();
	if (!k) {
		kn_fail(r, 404, "not_found", NULL, "This installation has no signing key yet.");
		return;
	}
	kn_api_send(r, 200, json_pack("{s:s, s:s}", "algorithm", "Ed25519", "public_key", k->pk_hex));
}

static json_t *tg_json(const struct kn_tg_channel *c)
{
	/* the token is a secret: only whether one is stored */
	return json_pack("{s:s, s:s, s:s, s:b, s:b}", "chat_id", c->chat_id, "lang", c->lang, "event_kinds",
	                 c->event_kinds, "enabled", c->enabled, "has_token", c->bot_token && *c->bot_token);
}

void kn_api_telegram(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &c);
	struct kn_tg_channel *t = NULL;
	if (!rc)
		rc = kn_tg_get(&x, c->id, &t);
	if (!rc && !t)
		rc = KN_ENOTFOUND;
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	kn_api_send(r, 200, tg_json(t));
}

void kn_api_telegram_put(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &c);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_tg_channel in = {0};
	in.bot_token = kn_api_str(r, &x, "bot_token");
	in.chat_id = kn_api_str(r, &x, "chat_id");
	in.lang = kn_api_str(r, &x, "lang");
	in.event_kinds = kn_api_str(r, &x, "event_kinds");
	in.enabled = kn_api_int(r, &x, "enabled", 1) != 0;
	if (x.errs) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if ((rc = kn_tx_begin(r, &x)) == KN_OK)
		rc = kn_tx_end(&x, kn_tg_save(&x, c->id, &in));
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	struct kn_tg_channel *t = NULL;
	if (!rc)
		rc = kn_tg_get(&x, c->id, &t);
	if (rc || !t) {
		kn_fail_err(r, rc ? rc : KN_EDB);
		return;
	}
	kn_api_send(r, 200, tg_json(t));
}

void kn_api_telegram_delete(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &c);
	if (!rc && (rc = kn_tx_begin(r, &x)) == KN_OK)
		rc = kn_tx_end(&x, kn_tg_delete(&x, c->id));
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	r->status = 204;
}

static json_t *webhook_json(const struct kn_webhook *w)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:b}", "id", (json_int_t)w->id, "url", w->url, "secret", w->secret,
	                 "council", kn_json_str(w->council_slug), "event_kinds", w->event_kinds, "enabled", w->enabled);
}

void kn_api_webhooks(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_webhook *w;
	int n;
	enum kn_err rc = kn_webhook_list(&x, &w, &n);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, webhook_json(&w[i]));
	kn_api_send(r, 200, json_pack("{s:o}", "webhooks", a));
}

void kn_api_webhook_create(struct kn_req *r)
{
	if (!kn_api_body(r))
		return;
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_webhook in = {0}, *w = NULL;
	in.url = kn_api_str(r, &x, "url");
	in.council_slug = kn_api_str(r, &x, "council");
	in.event_kinds = kn_api_str(r, &x, "event_kinds");
	if (x.errs) {
		kn_api_invalid(r, x.errs);
		return;
	}
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, kn_webhook_create(&x, &in, &w));
	if (rc == KN_EINVAL) {
		kn_api_invalid(r, x.errs);
		return;
	}
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	w->council_slug = in.council_slug && *in.council_slug ? in.council_slug : NULL;
	kn_api_send(r, 201, webhook_json(w));
}

void kn_api_webhook_delete(struct kn_req *r)
{
	struct kn_ctx x;
	int64_t id = kn_parse_id(kn_req_param(r, "id"));
	enum kn_err rc = kn_tx_begin(r, &x);
	if (!rc)
		rc = kn_tx_end(&x, id ? kn_webhook_delete(&x, id) : KN_ENOTFOUND);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	r->status = 204;
}
