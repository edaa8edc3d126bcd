/* pages_record.c: the public record's pages: a record's history
 * (/records/KIND/ID), /transparency (latest checkpoint, public key, how to
 * verify), /open-data (downloads), and the operator's Telegram and webhook
 * settings with their delivery queues. */
#include "app/app.h"
#include "app/jobs.h"
#include "app/opendata.h"
#include "core/config.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "domain/outbox.h"
#include "domain/record.h"
#include "domain/registry.h"
#include "view/view.h"
#include <string.h>

void kn_page_record(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	const char *kind = kn_req_param(r, "kind");
	int64_t id = kn_parse_id(kn_req_param(r, "id"));
	struct kn_event_row *e;
	int n = 0;
	if (!id || strspn(kind, "abcdefghijklmnopqrstuvwxyz_") != strlen(kind) || kn_event_list(&x, kind, id, &e, &n) ||
	    !n) {
		kn_fail(r, 404, "not_found", NULL, "This page does not exist.");
		return;
	}
	const char *title, *path;
	kn_record_label(&x, kind, id, &title, &path);
	kn_view_begin(r, title);
	kn_h(&r->out, "<h1>%s</h1><p class=\"muted\">%t: %s · #%D</p>", title, N_("Kind of record"), kind, id);
	if (strncmp(path, "/records/", 9) != 0)
		kn_h(&r->out, "<p><a href=\"%s\">%t</a></p>", path, N_("Open the record's page"));
	kn_view_history(r, &x, kind, id);
	kn_view_end(r);
}

void kn_page_transparency(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_checkpoint *cp;
	enum kn_err rc = kn_checkpoint_latest(&x, &cp);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	const struct kn_key *k = kn_key_installation();
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Transparency: check the public record"));
	kn_h(b, "<h1>%t</h1><p>%t</p>", N_("Transparency: check the public record"),
	     N_("Every change to a public record is an event in one log. Each event carries the SHA-256 hash of the "
	        "event before it, so no event can be changed, removed or slipped in without breaking the chain. "
	        "At regular intervals the installation signs the head of the log with its key: a signed checkpoint."));
	kn_h(b, "<h2>%t</h2>", N_("Public key"));
	if (k)
		kn_h(b, "<p>%t</p><p><code class=\"key\">%s</code></p>", N_("Ed25519, hexadecimal:"), k->pk_hex);
	else
		kn_h(b, "<p>%t</p>", N_("This installation has no signing key yet: the operator creates it with kenes keygen."));
	kn_h(b, "<h2>%t</h2>", N_("Latest checkpoint"));
	if (cp) {
		kn_h(b, "<dl class=\"facts\"><dt>%t</dt><dd>%D</dd><dt>%t</dt><dd><code>%s</code></dd><dt>%t</dt><dd>%s</dd>"
		        "<dt>%t</dt><dd><code>%s</code></dd></dl>",
		     N_("Event number"), cp->seq, N_("Hash of that event"), cp->hash, N_("Signed at"), kn_view_time(r, cp->at),
		     N_("Signature"), cp->signature);
		kn_h(b, "<p>%t</p><pre>%s</pre>", N_("The signature covers exactly these bytes (each line ends with a newline):"),
		     kn_checkpoint_message(r->a, cp->seq, cp->hash, cp->at));
	} else {
		kn_h(b, "<p>%t</p>", N_("No checkpoint has been signed yet."));
	}
	kn_h(b, "<h2>%t</h2><ol>", N_("How to verify, step by step"));
	kn_h(b, "<li>%t</li>", N_("Write down the public key above, or compare it with the one the council published elsewhere "
	                           "(its Telegram channel, its printed documents)."));
	kn_h(b, "<li>%t <a href=\"/open-data\">%t</a>.</li>", N_("Download every file of the open data:"),
	     N_("open data"));
	kn_h(b, "<li>%t <code>sha256sum -c SHA256SUMS</code></li>", N_("Check that no file was altered:"));
	kn_h(b, "<li>%t <code>kenes verify --dump DIR --public-key KEY</code></li>",
	     N_("Check the signature of SHA256SUMS, the whole hash chain, every checkpoint signature, and every record "
	        "against its events, with the kenes program:"));
	kn_h(b, "<li>%t</li>",
	     N_("Or by hand: for each event, build its canonical JSON as docs/events.md describes, hash it with SHA-256, "
	        "and compare with its hash and with the next event's prev_hash; then check each checkpoint's Ed25519 "
	        "signature over the bytes shown above."));
	kn_h(b, "</ol><p>%t <a href=\"/api/v1/checkpoints/latest\">/api/v1/checkpoints/latest</a>, "
	        "<a href=\"/api/v1/public-key\">/api/v1/public-key</a>.</p>",
	     N_("The same, for programs:"));
	kn_view_end(r);
}

/* ---- open data ------------------------------------------------------------------ */

void kn_page_open_data(struct kn_req *r)
{
	const struct kn_open_data *d;
	enum kn_err rc = kn_open_data_get(r, &d);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Open data"));
	kn_h(b, "<h1>%t</h1><p>%t</p><p>%t <a href=\"/transparency\">%t</a></p>", N_("Open data"),
	     N_("Every public record, the whole event log and its signed checkpoints, as CSV and JSON. No personal data: "
	        "no e-mail addresses, no confidential appeals, no private notes."),
	     N_("SHA256SUMS lists the digest of every file and is signed by the installation key."),
	     N_("How to verify"));
	kn_h(b, "<p>%t <strong>#%D</strong> (%s). ", N_("These files hold the record as of event"), d->head_seq,
	     kn_view_time(r, d->made));
	if (kn_cfg.open_data_minutes)
		kn_h(b, "%t %D %s.", N_("They are made again when the log has moved on, at most every"),
		     (int64_t)kn_cfg.open_data_minutes, NG_("minute", "minutes", kn_cfg.open_data_minutes));
	else
		kn_h(b, "%t", N_("They are made again whenever the log has moved on."));
	kn_h(b, "</p><p>%t <a href=\"/open-data/%u\">%s</a> (%D %t)</p>", N_("Every file below in one archive:"),
	     KN_OPEN_DATA_TAR, KN_OPEN_DATA_TAR, (int64_t)kn_open_data_tar_size(d), N_("bytes"));
	kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>", N_("File"),
	     N_("Contents"), N_("Size"));
	for (int i = 0; i < d->n; i++)
		kn_h(b, "<tr><td><a href=\"/open-data/%u\">%s</a></td><td>%s</td><td>%D</td></tr>", d->f[i].name, d->f[i].name,
		     d->f[i].description, (int64_t)d->f[i].len);
	kn_h(b, "</tbody></table><p>%t <code>kenes export DIR</code></p>",
	     N_("The operator can write the same files with"));
	kn_view_end(r);
	kn_open_data_release(d);
}

void kn_page_open_data_file(struct kn_req *r)
{
	const struct kn_open_data *d;
	enum kn_err rc = kn_open_data_get(r, &d);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	/* sent from the export held in memory, no copy made: a file of any size */
	if (!kn_open_data_send(r, d, kn_req_param(r, "file")))
		kn_fail(r, 404, "not_found", NULL, "This page does not exist.");
	kn_open_data_release(d);
}

/* ---- operator: Telegram ---------------------------------------------------------- */

static void queue_table(struct kn_req *r, struct kn_ctx *x, const char *target, int64_t id)
{
	struct kn_outbox_msg *m;
	int n;
	if (kn_outbox_list(x, target, id, 20, &m, &n) || !n)
		return;
	kn_h(&r->out, "<h2>%t</h2><table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>",
	     N_("Latest messages"), N_("Event"), N_("State"), N_("Attempts"), N_("Last error"));
	for (int i = 0; i < n; i++)
		kn_h(&r->out, "<tr><td>#%D</td><td>%t%s%s</td><td>%d</td><td>%s</td></tr>", m[i].event_seq, m[i].state,
		     m[i].sent_at ? " " : "", m[i].sent_at ? kn_view_time(r, m[i].sent_at) : "", m[i].attempts,
		     m[i].last_error);
	kn_h(&r->out, "</tbody></table>");
}

static const char *const langs[] = {"ru", N_("Russian"), "kk", N_("Kazakh"), "en", N_("English"), NULL};

void kn_page_telegram(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_council *c;
	enum kn_err rc = kn_council_get(&x, kn_req_param(r, "council"), &c);
	if (rc) {
		kn_fail_err(r, rc);
		return;
	}
	const char *action = kn_printf(r->a, "/councils/%s/telegram", c->slug);
	struct kn_tg_channel in = {0}, *cur = NULL;
	if (r->method == KN_POST) {
		struct kn_ctx w;
		if ((rc = kn_tx_begin(r, &w))) {
			kn_fail_err(r, rc);
			return;
		}
		if (kn_req_form(r, "delete"))
			rc = kn_tx_end(&w, kn_tg_delete(&w, c->id));
		else {
			in.bot_token = kn_req_form(r, "bot_token");
			in.chat_id = kn_req_form(r, "chat_id");
			in.lang = kn_req_form(r, "lang");
			in.event_kinds = kn_req_form(r, "event_kinds");
			in.enabled = kn_req_form(r, "enabled") != NULL;
			rc = kn_tx_end(&w, kn_tg_save(&w, c->id, &in));
		}
		if (!rc) {
			kn_redirect(r, action);
			return;
		}
		if (rc != KN_EINVAL) {
			kn_fail_err(r, rc);
			return;
		}
		x.errs = w.errs;
		r->status = 422;
		cur = &in;
	} else if ((rc = kn_tg_get(&x, c->id, &cur))) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_tg_channel *stored = NULL;
	if (kn_tg_get(&x, c->id, &stored))
		stored = NULL;
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Telegram channel"));
	kn_h(b, "<h1>%t</h1><p><a href=\"/councils/%u\">%s</a></p><p>%t</p>", N_("Telegram channel"), c->slug,
	     kn_council_name(c, r->lang),
	     N_("Events of this council are posted to its Telegram channel by a bot: create the bot with @BotFather, add "
	        "it to the channel as an administrator, and enter its token and the channel here."));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, action, false);
	kn_form_input(r, x.errs, "bot_token", N_("Bot token"), "", "password", !stored,
	              stored ? N_("Stored. Leave empty to keep it.") : N_("From @BotFather, e.g. 123456:ABC..."));
	kn_form_input(r, x.errs, "chat_id", N_("Channel"), cur ? cur->chat_id : "", NULL, true,
	              N_("@channelname or the numeric id."));
	kn_form_select(r, x.errs, "lang", N_("Language of the messages"), cur && cur->lang ? cur->lang : "ru", langs);
	kn_form_input(r, x.errs, "event_kinds", N_("Kinds of record to publish"),
	              cur && cur->event_kinds ? cur->event_kinds : "meeting,proposal,assignment,law", NULL, true,
	              N_("* for all, or a comma-separated list: council, seat, rotation, group, meeting, proposal, "
	                 "assignment, reform, law, appeal."));
	kn_h(b, "<div class=\"field\"><label><input type=\"checkbox\" name=\"enabled\" value=\"1\"%s> %t</label></div>",
	     !cur || cur->enabled ? " checked" : "", N_("Publishing is on"));
	kn_form_end(r, N_("Save"));
	if (stored) {
		kn_h(b, "<form method=\"post\" action=\"%s\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		        "<input type=\"hidden\" name=\"delete\" value=\"1\"><p><button type=\"submit\">%t</button></p></form>",
		     action, kn_csrf_token(r), N_("Remove the channel"));
		queue_table(r, &x, "telegram", stored->id);
	}
	kn_view_end(r);
}

/* ---- operator: webhooks -------------------------------------------------------------- */

void kn_page_webhooks(struct kn_req *r)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_webhook *created = NULL;
	struct kn_webhook in = {0};
	enum kn_err rc;
	if (r->method == KN_POST) {
		struct kn_ctx w;
		if ((rc = kn_tx_begin(r, &w))) {
			kn_fail_err(r, rc);
			return;
		}
		const char *del = kn_req_form(r, "delete");
		if (del)
			rc = kn_tx_end(&w, kn_webhook_delete(&w, kn_parse_id(del)));
		else {
			in.url = kn_req_form(r, "url");
			in.council_slug = kn_req_form(r, "council");
			in.event_kinds = kn_req_form(r, "event_kinds");
			rc = kn_tx_end(&w, kn_webhook_create(&w, &in, &created));
		}
		if (rc == KN_EINVAL) {
			x.errs = w.errs;
			r->status = 422;
		} else if (rc) {
			kn_fail_err(r, rc);
			return;
		} else if (del) {
			kn_redirect(r, "/admin/webhooks");
			return;
		}
	}
	struct kn_webhook *w;
	int n;
	if ((rc = kn_webhook_list(&x, &w, &n))) {
		kn_fail_err(r, rc);
		return;
	}
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("Webhooks"));
	kn_h(b, "<h1>%t</h1><p>%t</p>", N_("Webhooks"),
	     N_("Each event is POSTed as JSON to these addresses, in order, retried with backoff. The header "
	        "X-Kenes-Signature carries sha256= and the HMAC-SHA256 of the body, keyed with the webhook's secret."));
	if (created)
		kn_h(b, "<div class=\"notice\" role=\"status\"><p>%t</p><p><code>%s</code></p></div>",
		     N_("Webhook added. Its secret (give it to the receiving side):"), created->secret);
	if (n) {
		kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th><th>%t</th><th></th></tr></thead><tbody>",
		     N_("Address"), N_("Council"), N_("Kinds"), N_("Secret"));
		for (int i = 0; i < n; i++) {
			kn_h(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td><code>%s</code></td><td>", w[i].url,
			     w[i].council_slug ? w[i].council_slug : _("all"), w[i].event_kinds, w[i].secret);
			kn_h(b, "<form method=\"post\" action=\"/admin/webhooks\" class=\"inline\"><input type=\"hidden\" "
			        "name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"delete\" value=\"%D\">"
			        "<button type=\"submit\" class=\"link\">%t</button></form></td></tr>",
			     kn_csrf_token(r), w[i].id, N_("Remove"));
		}
		kn_h(b, "</tbody></table>");
	}
	kn_h(b, "<h2>%t</h2>", N_("Add a webhook"));
	kn_form_errors(r, x.errs);
	kn_form_begin(r, "/admin/webhooks", false);
	kn_form_input(r, x.errs, "url", N_("Address"), in.url, "url", true, N_("https://..."));
	kn_form_input(r, x.errs, "council", N_("Council (short name)"), in.council_slug, NULL, false,
	              N_("Empty: events of every council and of the registry."));
	kn_form_input(r, x.errs, "event_kinds", N_("Kinds of record"), in.event_kinds ? in.event_kinds : "*", NULL, false,
	              N_("* for all, or a comma-separated list."));
	kn_form_end(r, N_("Add"));
	for (int i = 0; i < n; i++) {
		kn_h(b, "<h3>%s</h3>", w[i].url);
		queue_table(r, &x, "webhook", w[i].id);
	}
	kn_view_end(r);
}
