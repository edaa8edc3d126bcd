/* outbox.c: Telegram channels, webhooks, and the durable outbox between
 * the event log and them (see outbox.h). */
#include "domain/outbox.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/http_client.h"
#include "core/log.h"
#include "domain/record.h"
#include "store/store.h"
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define LEASE_SECONDS 120
#define WEBHOOK_MAX_ATTEMPTS 12
#define BACKOFF_MAX 3600
#define SEND_TIMEOUT 15

/* ---- settings ----------------------------------------------------------------- */

static bool token_ok(const char *t)
{
	size_t d = strspn(t, "0123456789");
	if (d == 0 || t[d] != ':')
		return false;
	const char *s = t + d + 1;
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
	return n >= 20 && n <= 100 && !s[n];
}

static bool chat_ok(const char *c)
{
	if (c[0] == '@') {
		size_t n = strspn(c + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		return n >= 5 && n <= 32 && !c[1 + n];
	}
	const char *d = c[0] == '-' ? c + 1 : c;
	size_t n = strspn(d, "0123456789");
	return n >= 1 && n <= 20 && !d[n];
}

/* "*" or a comma-separated list of record kinds; normalised, NULL if bad. */
static const char *kinds_norm(struct kn_ctx *x, const char *in)
{
	if (!in)
		return NULL;
	const char *s = kn_trim(x, in);
	if (!strcmp(s, "*"))
		return "*";
	char *out = kn_zalloc(x->a, strlen(s) + 2);
	size_t o = 0;
	const char *p = s;
	while (*p) {
		while (*p == ',' || *p == ' ')
			p++;
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
		const char *after = p + n;
		while (*after == ' ')
			after++;
		if (!n || (*after && *after != ','))
			return NULL;
		if (o)
			out[o++] = ',';
		memcpy(out + o, p, n);
		o += n;
		p = after;
	}
	return o ? out : NULL;
}

static bool kinds_match(const char *list, const char *kind)
{
	if (!strcmp(list, "*"))
		return true;
	size_t n = strlen(kind);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, kind, n))
			return true;
		p += len + (p[len] ? 1 : 0);
	}
	return false;
}

static int64_t head_seq(struct kn_ctx *x)
{
	struct kn_rows *r;
	if (kn_sql0(x->c, x->a, &r, "SELECT seq FROM event_head WHERE id = 1") || r->n != 1)
		return 0;
	return kn_row_i(r, 0, 0);
}

enum kn_err kn_tg_get(struct kn_ctx *x, int64_t council_id, struct kn_tg_channel **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, council_id, from_seq, bot_token, chat_id, lang, event_kinds, enabled "
	                        "FROM telegram_channels WHERE council_id = $1",
	                        KN_INT(council_id));
	*out = NULL;
	if (rc || !r->n)
		return rc;
	struct kn_tg_channel *c = kn_zalloc(x->a, sizeof(*c));
	c->id = kn_row_i(r, 0, 0);
	c->council_id = kn_row_i(r, 0, 1);
	c->from_seq = kn_row_i(r, 0, 2);
	c->bot_token = kn_row_s(r, 0, 3);
	c->chat_id = kn_row_s(r, 0, 4);
	c->lang = kn_row_s(r, 0, 5);
	c->event_kinds = kn_row_s(r, 0, 6);
	c->enabled = kn_row_i(r, 0, 7) != 0;
	*out = c;
	return KN_OK;
}

enum kn_err kn_tg_save(struct kn_ctx *x, int64_t council_id, const struct kn_tg_channel *in)
{
	struct kn_tg_channel *old;
	enum kn_err rc = kn_tg_get(x, council_id, &old);
	if (rc)
		return rc;
	const char *token = kn_trim(x, in->bot_token);
	if ((!token || !*token) && old)
		token = old->bot_token;
	const char *chat = kn_trim(x, in->chat_id);
	const char *lang = in->lang && *in->lang ? in->lang : "ru";
	const char *kinds = kinds_norm(x, in->event_kinds);
	if (!token || !*token)
		kn_ferr_add(x, "bot_token", "Enter the bot's token (from @BotFather).");
	else if (!token_ok(token))
		kn_ferr_add(x, "bot_token", "This is not a Telegram bot token (digits, a colon, then letters and digits).");
	if (!chat || !*chat)
		kn_ferr_add(x, "chat_id", "Enter the channel (@name or its numeric id).");
	else if (!chat_ok(chat))
		kn_ferr_add(x, "chat_id", "Enter the channel as @name (5 to 32 letters, digits or _) or as its numeric id.");
	if (strcmp(lang, "en") && strcmp(lang, "ru") && strcmp(lang, "kk"))
		kn_ferr_add(x, "lang", "Choose English, Russian or Kazakh.");
	if (!kinds)
		kn_ferr_add(x, "event_kinds", "Choose at least one kind of record to publish.");
	if (x->errs)
		return KN_EINVAL;
	if (old)
		return kn_sql(x->c, x->a, NULL,
		              "UPDATE telegram_channels SET bot_token = $1, chat_id = $2, lang = $3, event_kinds = $4, "
		              "enabled = $5, updated_at = $6 WHERE council_id = $7",
		              KN_TEXT(token), KN_TEXT(chat), KN_TEXT(lang), KN_TEXT(kinds), KN_INT(in->enabled ? 1 : 0),
		              KN_INT(x->now), KN_INT(council_id));
	return kn_sql(x->c, x->a, NULL,
	              "INSERT INTO telegram_channels (council_id, bot_token, chat_id, lang, event_kinds, enabled, from_seq, "
	              "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
	              KN_INT(council_id), KN_TEXT(token), KN_TEXT(chat), KN_TEXT(lang), KN_TEXT(kinds),
	              KN_INT(in->enabled ? 1 : 0), KN_INT(head_seq(x)), KN_INT(x->now));
}

enum kn_err kn_tg_delete(struct kn_ctx *x, int64_t council_id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "DELETE FROM telegram_channels WHERE council_id = $1 RETURNING id",
	                        KN_INT(council_id));
	if (!rc && !r->n)
		return KN_ENOTFOUND;
	if (!rc) /* what was still queued for it is dropped with it */
		rc = kn_sql(x->c, x->a, NULL,
		            "UPDATE outbox SET state = 'failed', last_error = 'channel removed' WHERE target = 'telegram' "
		            "AND target_id = $1 AND state = 'pending'",
		            KN_INT(kn_row_i(r, 0, 0)));
	return rc;
}

enum kn_err kn_webhook_list(struct kn_ctx *x, struct kn_webhook **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r,
	                         "SELECT w.id, w.council_id, w.from_seq, w.created_at, w.url, w.secret, w.event_kinds, "
	                         "c.slug, w.enabled FROM webhooks w LEFT JOIN councils c ON c.id = w.council_id "
	                         "ORDER BY w.id");
	if (rc)
		return rc;
	struct kn_webhook *w = kn_zalloc(x->a, sizeof(*w) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		w[i].id = kn_row_i(r, i, 0);
		w[i].council_id = kn_row_i(r, i, 1);
		w[i].from_seq = kn_row_i(r, i, 2);
		w[i].created_at = kn_row_i(r, i, 3);
		w[i].url = kn_row_s(r, i, 4);
		w[i].secret = kn_row_s(r, i, 5);
		w[i].event_kinds = kn_row_s(r, i, 6);
		w[i].council_slug = kn_row_s(r, i, 7);
		w[i].enabled = kn_row_i(r, i, 8) != 0;
	}
	*out = w;
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_webhook_create(struct kn_ctx *x, const struct kn_webhook *in, struct kn_webhook **out)
{
	const char *url = kn_trim(x, in->url);
	const char *kinds = kinds_norm(x, in->event_kinds && *in->event_kinds ? in->event_kinds : "*");
	if (!url || !*url)
		kn_ferr_add(x, "url", "Enter the address to send events to.");
	else if ((strncmp(url, "https://", 8) && strncmp(url, "http://", 7)) || strlen(url) > 2000 ||
	         strpbrk(url, " \t\r\n\"<>") || !kn_utf8_valid(url, strlen(url)))
		kn_ferr_add(x, "url", "Enter a full http:// or https:// address without spaces.");
	if (!kinds)
		kn_ferr_add(x, "event_kinds", "Enter * or record kinds separated by commas, e.g. council, meeting.");
	int64_t council = 0;
	if (in->council_slug && *in->council_slug) {
		struct kn_rows *r;
		enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT id FROM councils WHERE slug = $1 OR CAST(id AS TEXT) = $1",
		                        KN_TEXT(in->council_slug));
		if (rc)
			return rc;
		if (!r->n)
			kn_ferr_add(x, "council", "No such council.");
		else
			council = kn_row_i(r, 0, 0);
	}
	if (x->errs)
		return KN_EINVAL;
	unsigned char raw[32];
	char secret[65];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(secret, sizeof(secret), raw, sizeof(raw));
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "INSERT INTO webhooks (url, secret, council_id, event_kinds, enabled, from_seq, created_at) "
	                        "VALUES ($1, $2, $3, $4, 1, $5, $6) RETURNING id",
	                        KN_TEXT(url), KN_TEXT(secret), council ? KN_INT(council) : KN_NULL, KN_TEXT(kinds),
	                        KN_INT(head_seq(x)), KN_INT(x->now));
	if (rc)
		return rc;
	struct kn_webhook *w = kn_zalloc(x->a, sizeof(*w));
	w->id = kn_row_i(r, 0, 0);
	w->url = url;
	w->secret = kn_strdup(x->a, secret);
	w->council_id = council;
	w->event_kinds = kinds;
	w->enabled = true;
	w->created_at = x->now;
	*out = w;
	return KN_OK;
}

enum kn_err kn_webhook_delete(struct kn_ctx *x, int64_t id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "DELETE FROM webhooks WHERE id = $1 RETURNING id", KN_INT(id));
	if (!rc && !r->n)
		return KN_ENOTFOUND;
	if (!rc)
		rc = kn_sql(x->c, x->a, NULL,
		            "UPDATE outbox SET state = 'failed', last_error = 'webhook removed' WHERE target = 'webhook' "
		            "AND target_id = $1 AND state = 'pending'",
		            KN_INT(id));
	return rc;
}

enum kn_err kn_outbox_list(struct kn_ctx *x, const char *target, int64_t target_id, int limit,
                           struct kn_outbox_msg **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, target_id, event_seq, next_at, created_at, sent_at, target, state, last_error, "
	                        "body, attempts FROM outbox WHERE target = $1 AND target_id = $2 ORDER BY id DESC LIMIT $3",
	                        KN_TEXT(target), KN_INT(target_id), KN_INT(limit));
	if (rc)
		return rc;
	struct kn_outbox_msg *m = kn_zalloc(x->a, sizeof(*m) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		m[i].id = kn_row_i(r, i, 0);
		m[i].target_id = kn_row_i(r, i, 1);
		m[i].event_seq = kn_row_i(r, i, 2);
		m[i].next_at = kn_row_i(r, i, 3);
		m[i].created_at = kn_row_i(r, i, 4);
		m[i].sent_at = kn_row_i(r, i, 5);
		m[i].target = kn_row_s(r, i, 6);
		m[i].state = kn_row_s(r, i, 7);
		m[i].last_error = kn_row_s(r, i, 8);
		m[i].body = kn_row_s(r, i, 9);
		m[i].attempts = (int)kn_row_i(r, i, 10);
	}
	*out = m;
	*n = r->n;
	return KN_OK;
}

/* ---- the scanner ----------------------------------------------------------------- */

static void decref(void *p)
{
	json_decref(p);
}

static char *dump_keep(struct kn_ctx *x, json_t *o, size_t flags)
{
	kn_arena_cleanup(x->a, decref, o);
	char *s = json_dumps(o, flags);
	char *r = kn_strdup(x->a, s ? s : "{}");
	free(s);
	return r;
}

static const char *webhook_body(struct kn_ctx *x, const struct kn_event_row *e, const char *url)
{
	json_error_t err;
	json_t *ch = json_loads(e->change, 0, &err);
	json_t *o = json_pack("{s:I, s:I, s:{s:s, s:s}, s:s, s:I, s:s, s:o, s:o, s:o, s:s, s:s, s:s}", "seq",
	                      (json_int_t)e->seq, "at", (json_int_t)e->at, "actor", "role", e->actor_role, "name",
	                      e->actor_name, "kind", e->kind, "id", (json_int_t)e->record_id, "action", e->action,
	                      "council_id", e->council_id ? json_integer(e->council_id) : json_null(), "agency_id",
	                      e->agency_id ? json_integer(e->agency_id) : json_null(), "change",
	                      ch ? ch : json_object(), "prev_hash", e->prev_hash, "hash", e->hash, "url", url);
	return o ? dump_keep(x, o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
}

static const char *tg_body(struct kn_ctx *x, const char *chat, const char *text)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:b}", "chat_id", chat, "text", text, "parse_mode", "HTML",
	                      "disable_web_page_preview", 1);
	return o ? dump_keep(x, o, JSON_COMPACT) : NULL;
}

static enum kn_err enqueue(struct kn_ctx *x, const char *target, int64_t target_id, int64_t seq, const char *body)
{
	if (!body)
		return KN_ENOMEM;
	return kn_sql(x->c, x->a, NULL,
	              "INSERT INTO outbox (target, target_id, event_seq, body, next_at, created_at) "
	              "VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (target, target_id, event_seq) DO NOTHING",
	              KN_TEXT(target), KN_INT(target_id), KN_INT(seq), KN_TEXT(body), KN_INT(x->now));
}

enum kn_err kn_outbox_scan(struct kn_ctx *x, kn_tg_render_fn render, const char *base_url, int *queued)
{
	*queued = 0;
	struct kn_rows *cur, *tg, *wh;
	/* taking the cursor row serializes scanners across processes */
	enum kn_err rc = kn_sql0(x->c, x->a, &cur, "UPDATE outbox_cursor SET seq = seq WHERE id = 1 RETURNING seq");
	if (rc || cur->n != 1)
		return rc ? rc : KN_EDB;
	int64_t after = kn_row_i(cur, 0, 0);
	struct kn_event_row *e;
	int n;
	if ((rc = kn_event_range(x, after, 500, &e, &n)) || !n)
		return rc;
	if ((rc = kn_sql0(x->c, x->a, &tg,
	                  "SELECT id, council_id, from_seq, chat_id, lang, event_kinds FROM telegram_channels "
	                  "WHERE enabled = 1")))
		return rc;
	if ((rc = kn_sql0(x->c, x->a, &wh, "SELECT id, council_id, from_seq, event_kinds FROM webhooks WHERE enabled = 1")))
		return rc;
	for (int i = 0; i < n && !rc; i++) {
		const char *title = NULL, *path = NULL;
		for (int t = 0; t < tg->n && !rc; t++) {
			if (kn_row_i(tg, t, 1) != e[i].council_id || e[i].seq <= kn_row_i(tg, t, 2) ||
			    !kinds_match(kn_row_s(tg, t, 5), e[i].kind))
				continue;
			if (!title)
				kn_record_label(x, e[i].kind, e[i].record_id, &title, &path);
			const char *text = render(x, kn_row_s(tg, t, 4), &e[i], title, kn_printf(x->a, "%s%s", base_url, path));
			rc = enqueue(x, "telegram", kn_row_i(tg, t, 0), e[i].seq, tg_body(x, kn_row_s(tg, t, 3), text));
			*queued += !rc;
		}
		for (int w = 0; w < wh->n && !rc; w++) {
			int64_t wc = kn_row_i(wh, w, 1);
			if ((wc && wc != e[i].council_id) || e[i].seq <= kn_row_i(wh, w, 2) ||
			    !kinds_match(kn_row_s(wh, w, 3), e[i].kind))
				continue;
			if (!title)
				kn_record_label(x, e[i].kind, e[i].record_id, &title, &path);
			rc = enqueue(x, "webhook", kn_row_i(wh, w, 0), e[i].seq,
			             webhook_body(x, &e[i], kn_printf(x->a, "%s%s", base_url, path)));
			*queued += !rc;
		}
	}
	if (!rc)
		rc = kn_sql(x->c, x->a, NULL, "UPDATE outbox_cursor SET seq = $1 WHERE id = 1", KN_INT(e[n - 1].seq));
	return rc;
}

/* ---- the sender -------------------------------------------------------------------- */

const char *kn_webhook_signature(struct kn_ctx *x, const char *secret, const char *body)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	return kn_printf(x->a, "sha256=%s", hex);
}

static int64_t backoff(int attempts)
{
	int64_t s = 5;
	for (int i = 1; i < attempts && s < BACKOFF_MAX; i++)
		s *= 2;
	return s < BACKOFF_MAX ? s : BACKOFF_MAX;
}

enum outcome { SENT, RETRY, FAILED };

/* Sends one claimed message; says what became of it. */
static enum outcome send_one(struct kn_ctx *x, const char *target, int64_t tid, int64_t id, int64_t seq,
                             const char *body, int attempts, int64_t *next_at, const char **why)
{
	struct kn_rows *r;
	bool tg = !strcmp(target, "telegram");
	enum kn_err rc = tg ? kn_sql(x->c, x->a, &r, "SELECT bot_token, enabled FROM telegram_channels WHERE id = $1",
	                             KN_INT(tid))
	                    : kn_sql(x->c, x->a, &r, "SELECT url, secret, enabled FROM webhooks WHERE id = $1", KN_INT(tid));
	if (rc) {
		*why = "database error";
		*next_at = x->now + 30;
		return RETRY;
	}
	if (!r->n) {
		*why = tg ? "channel removed" : "webhook removed";
		return FAILED;
	}
	if (!kn_row_i(r, 0, tg ? 1 : 2)) {
		*why = "paused";
		*next_at = x->now + 60;
		return RETRY;
	}
	struct kn_http_result res;
	if (tg) {
		const char *url = kn_printf(x->a, "%s/bot%s/sendMessage", kn_cfg.telegram_api, kn_row_s(r, 0, 0));
		rc = kn_http_post(url, "application/json", body, strlen(body), NULL, SEND_TIMEOUT, &res);
	} else {
		const char *h[] = {kn_printf(x->a, "X-Kenes-Signature: %s", kn_webhook_signature(x, kn_row_s(r, 0, 1), body)),
		                   kn_printf(x->a, "X-Kenes-Event: %lld", (long long)seq),
		                   kn_printf(x->a, "X-Kenes-Delivery: %lld", (long long)id), NULL};
		rc = kn_http_post(kn_row_s(r, 0, 0), "application/json", body, strlen(body), h, SEND_TIMEOUT, &res);
	}
	enum outcome out;
	if (rc) {
		*why = kn_printf(x->a, "no answer: %s", res.error);
		*next_at = x->now + backoff(attempts);
		out = RETRY;
	} else if (res.status >= 200 && res.status < 300) {
		out = SENT;
		if (tg) { /* Telegram says {"ok": true, ...} */
			json_error_t err;
			json_t *o = res.body ? json_loads(res.body, 0, &err) : NULL;
			if (!json_is_true(json_object_get(o, "ok"))) {
				out = RETRY;
				*why = "answer without ok: true";
				*next_at = x->now + backoff(attempts);
			}
			json_decref(o);
		}
	} else if (res.status == 429) {
		int64_t after = 0;
		json_error_t err;
		json_t *o = res.body ? json_loads(res.body, 0, &err) : NULL;
		json_t *ra = json_object_get(json_object_get(o, "parameters"), "retry_after");
		if (json_is_integer(ra))
			after = json_integer_value(ra);
		json_decref(o);
		if (after <= 0 || after > 86400)
			after = backoff(attempts);
		*why = kn_printf(x->a, "429 Too Many Requests: retry after %lld s", (long long)after);
		*next_at = x->now + after;
		out = RETRY;
	} else {
		const char *desc = NULL;
		json_error_t err;
		json_t *o = res.body ? json_loads(res.body, 0, &err) : NULL;
		if (json_is_string(json_object_get(o, "description")))
			desc = kn_strdup(x->a, json_string_value(json_object_get(o, "description")));
		json_decref(o);
		*why = kn_printf(x->a, "HTTP %ld%s%s", res.status, desc ? ": " : "", desc ? desc : "");
		*next_at = x->now + backoff(attempts);
		/* Telegram's 400 is about this message (too long, bad markup):
		 * retrying cannot help; a webhook gets a bounded number of tries */
		out = (tg && res.status == 400) || (!tg && attempts >= WEBHOOK_MAX_ATTEMPTS) ? FAILED : RETRY;
	}
	free(res.body);
	return out;
}

enum kn_err kn_outbox_pass(struct kn_db *db, kn_tg_render_fn render, const char *base_url, int64_t (*now)(void),
                           _Atomic bool *stop, int *sent, int64_t *wait)
{
	*sent = 0;
	*wait = -1;
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = now(), .actor_name = "system", .actor_role = "system"};
	enum kn_err rc = KN_OK;
	for (int round = 0; !(stop && *stop); round++) {
		x.now = now();
		int queued = 0;
		if (!(rc = kn_db_begin(c))) {
			rc = kn_outbox_scan(&x, render, base_url, &queued);
			if (!rc)
				rc = kn_db_commit(c);
			else
				kn_db_rollback(c);
		}
		if (rc)
			break;
		struct kn_rows *h;
		rc = kn_sql0(c, a, &h,
		             "SELECT o.id, o.target, o.target_id, o.event_seq, o.body, o.next_at FROM outbox o "
		             "WHERE o.state = 'pending' AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.state = 'pending' "
		             "AND p.target = o.target AND p.target_id = o.target_id) ORDER BY o.id");
		if (rc)
			break;
		bool progress = queued > 0;
		*wait = -1;
		for (int i = 0; i < h->n && !(stop && *stop); i++) {
			int64_t id = kn_row_i(h, i, 0), due = kn_row_i(h, i, 5);
			x.now = now();
			if (due > x.now) {
				if (*wait < 0 || due - x.now < *wait)
					*wait = due - x.now;
				continue;
			}
			/* claim it: another sender (another process) skips it */
			struct kn_rows *cl;
			if ((rc = kn_sql(c, a, &cl,
			                 "UPDATE outbox SET next_at = $2, attempts = attempts + 1 WHERE id = $1 AND "
			                 "state = 'pending' AND next_at <= $3 RETURNING attempts",
			                 KN_INT(id), KN_INT(x.now + LEASE_SECONDS), KN_INT(x.now))))
				break;
			if (cl->n != 1)
				continue;
			const char *target = kn_row_s(h, i, 1), *why = "";
			int64_t next_at = x.now;
			enum outcome o = send_one(&x, target, kn_row_i(h, i, 2), id, kn_row_i(h, i, 3), kn_row_s(h, i, 4),
			                          (int)kn_row_i(cl, 0, 0), &next_at, &why);
			x.now = now();
			if (o == SENT) {
				rc = kn_sql(c, a, NULL,
				            "UPDATE outbox SET state = 'sent', sent_at = $2, last_error = '' WHERE id = $1",
				            KN_INT(id), KN_INT(x.now));
				(*sent)++;
				progress = true;
			} else {
				rc = kn_sql(c, a, NULL, "UPDATE outbox SET state = $2, next_at = $3, last_error = $4 WHERE id = $1",
				            KN_INT(id), KN_TEXT(o == FAILED ? "failed" : "pending"), KN_INT(next_at), KN_TEXT(why));
				kn_warn("outbox: %s %lld, event %lld: %s%s", target, (long long)kn_row_i(h, i, 2),
				        (long long)kn_row_i(h, i, 3), why, o == FAILED ? " (given up)" : "");
				progress = progress || o == FAILED;
				if (o == RETRY && (*wait < 0 || next_at - x.now < *wait))
					*wait = next_at - x.now;
			}
			if (rc)
				break;
		}
		if (rc || !progress || round > 10000)
			break;
	}
	if (rc)
		kn_error("outbox: %s: %s", kn_err_str(rc), kn_conn_errmsg(c));
	kn_db_release(c);
	kn_arena_free(a);
	return rc;
}
