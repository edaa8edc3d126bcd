/* appeal.c: appeals: filing, triage, agency work, deadlines, moderation,
 * lists and statistics. Notifications and the escalation ladder are in
 * appeal_ladder.c. */
#include "domain/appeal.h"
#include "core/arena.h"
#include "core/calendar.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/sniff.h"
#include "core/utf8.h"
#include "domain/appeal_int.h"
#include "domain/event.h"
#include "domain/registry.h"
#include "domain/workcal.h"
#include "core/tz.h"
#include "store/store.h"
#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const kn_appeal_categories[] = {
    "taxes",       N_("Taxes and customs"),
    "business",    N_("Business and trade"),
    "digital",     N_("Digital public services"),
    "social",      N_("Social protection and labour"),
    "health",      N_("Health care"),
    "education",   N_("Education"),
    "law",         N_("Law enforcement and courts"),
    "rights",      N_("Human rights"),
    "housing",     N_("Housing and utilities"),
    "environment", N_("Environment"),
    "other",       N_("Other"),
    NULL};
const char *const kn_appeal_scales[] = {"person",  N_("One person"), "group",   N_("A group of people"),
                                        "sector",  N_("A whole sector"), "country", N_("The whole country"),
                                        NULL};
const char *const kn_appeal_visibilities[] = {
    "public", N_("Public"), "anonymous", N_("Public, without my name"), "confidential",
    N_("Confidential (only me, the secretariat and the agency)"), NULL};
const char *const kn_appeal_urgencies[] = {"normal", N_("Normal"), "urgent", N_("Urgent"), NULL};

const char *kn_appeal_label(const char *const *list, const char *value)
{
	for (int i = 0; value && list[i]; i += 2)
		if (!strcmp(list[i], value))
			return list[i + 1];
	return value ? value : "";
}

const char *kn_appeal_state_label(const char *state)
{
	static const char *const states[] = {
	    "submitted",    N_("Awaiting triage"),        "info_requested", N_("More information requested"),
	    "forwarded",    N_("Forwarded to the agency"), "acknowledged",   N_("Acknowledged by the agency"),
	    "resolved",     N_("Resolved"),               "rejected",       N_("Rejected"),
	    "duplicate",    N_("Duplicate"),              NULL};
	return kn_appeal_label(states, state);
}

static bool in_list(const char *const *list, const char *v)
{
	for (int i = 0; v && list[i]; i += 2)
		if (!strcmp(list[i], v))
			return true;
	return false;
}

/* ---- reading ------------------------------------------------------------- */

#define APPEAL_COLS                                                                                          \
	"a.id, a.council_id, a.filer_id, a.agency_id, a.duplicate_of, a.reference, c.slug, c.timezone, a.subject, " \
	"a.body, a.category, a.urgency, a.affected, a.scale, a.concerns, a.visibility, a.state, a.reason, g.slug, "  \
	"g.name_en, u.display_name, d.reference, a.filed_at, a.forwarded_at, a.ack_due, a.ack_at, a.resolve_due, "   \
	"a.resolved_at, a.updated_at, a.reopened, a.overdue_flag, a.hidden, a.illustrative, a.hidden_reason, "       \
	"a.ext_state, a.ext_reason, a.ext_days, (SELECT COUNT(*) FROM appeals x WHERE x.duplicate_of = a.id)"
#define APPEAL_FROM                                     \
	" FROM appeals a JOIN councils c ON c.id = a.council_id" \
	" LEFT JOIN agencies g ON g.id = a.agency_id"           \
	" LEFT JOIN users u ON u.id = a.filer_id"               \
	" LEFT JOIN appeals d ON d.id = a.duplicate_of"

/* A row of APPEAL_COLS as an appeal; its texts are the row's. */
static void appeal_cells(const struct kn_cells *r, struct kn_appeal *a)
{
	int k = 0;
	a->id = kn_cell_i(r, k++);
	a->council_id = kn_cell_i(r, k++);
	a->filer_id = kn_cell_i(r, k++);
	a->agency_id = kn_cell_i(r, k++);
	a->duplicate_of = kn_cell_i(r, k++);
	a->reference = kn_cell_s(r, k++);
	a->council_slug = kn_cell_s(r, k++);
	a->council_tz = kn_cell_s(r, k++);
	a->subject = kn_cell_s(r, k++);
	a->body = kn_cell_s(r, k++);
	a->category = kn_cell_s(r, k++);
	a->urgency = kn_cell_s(r, k++);
	a->affected = kn_cell_s(r, k++);
	a->scale = kn_cell_s(r, k++);
	a->concerns = kn_cell_s(r, k++);
	a->visibility = kn_cell_s(r, k++);
	a->state = kn_cell_s(r, k++);
	a->reason = kn_cell_s(r, k++);
	a->agency_slug = kn_cell_s(r, k++);
	a->agency_name = kn_cell_s(r, k++);
	a->filer_name = kn_cell_s(r, k++);
	a->duplicate_ref = kn_cell_s(r, k++);
	a->filed_at = kn_cell_i(r, k++);
	a->forwarded_at = kn_cell_i(r, k++);
	a->ack_due = kn_cell_i(r, k++);
	a->ack_at = kn_cell_i(r, k++);
	a->resolve_due = kn_cell_i(r, k++);
	a->resolved_at = kn_cell_i(r, k++);
	a->updated_at = kn_cell_i(r, k++);
	a->reopened = kn_cell_i(r, k++) != 0;
	a->overdue_flag = kn_cell_i(r, k++) != 0;
	a->hidden = kn_cell_i(r, k++) != 0;
	a->illustrative = kn_cell_i(r, k++) != 0;
	a->hidden_reason = kn_cell_s(r, k++);
	a->ext_state = kn_cell_s(r, k++);
	a->ext_reason = kn_cell_s(r, k++);
	a->ext_days = (int)kn_cell_i(r, k++);
	a->duplicates = (int)kn_cell_i(r, k++);
}

/* the same, from rows kn_sql gathered (their lengths are not kept: the
 * appeal's fields need none) */
static void appeal_row(const struct kn_rows *r, int i, struct kn_appeal *a)
{
	struct kn_cells row = {.cols = r->cols, .v = (const char *const *)&r->v[(size_t)i * (size_t)r->cols]};
	appeal_cells(&row, a);
}

enum kn_err kn_appeal_get(struct kn_ctx *x, const char *key, struct kn_appeal **out)
{
	struct kn_rows *r;
	char up[64];
	size_t n = key ? strlen(key) : 0;
	if (n >= sizeof(up))
		return KN_ENOTFOUND;
	for (size_t i = 0; i <= n; i++)
		up[i] = (char)toupper((unsigned char)key[i]);
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT " APPEAL_COLS APPEAL_FROM " WHERE a.reference = $1 OR a.id = $2",
	                        KN_TEXT(n ? up : ""), KN_INT(kn_parse_id(key)));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	*out = kn_zalloc(x->a, sizeof(**out));
	appeal_row(r, 0, *out);
	return KN_OK;
}

static enum kn_err get_by_id(struct kn_ctx *x, int64_t id, struct kn_appeal **out)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)id);
	return kn_appeal_get(x, key, out);
}

bool kn_appeal_has_role(struct kn_ctx *x, const char *role, int64_t council_id, int64_t agency_id)
{
	if (!x->actor_id)
		return false;
	struct kn_rows *r;
	if (kn_sql(x->c, x->a, &r,
	           "SELECT 1 FROM roles WHERE user_id = $1 AND role = $2 AND "
	           "(council_id = $3 OR agency_id = $4)",
	           KN_INT(x->actor_id), KN_TEXT(role), KN_INT(council_id), KN_INT(agency_id)))
		return false;
	return r->n > 0;
}

enum kn_err kn_appeal_access(struct kn_ctx *x, const struct kn_appeal *a, struct kn_appeal_access *acc)
{
	memset(acc, 0, sizeof(*acc));
	acc->filer = x->actor_id && x->actor_id == a->filer_id;
	acc->secretary = kn_appeal_has_role(x, "secretary", a->council_id, -1);
	acc->officer = a->agency_id && kn_appeal_has_role(x, "officer", -1, a->agency_id);
	bool involved = acc->filer || acc->secretary || acc->officer;
	acc->see = strcmp(a->visibility, "confidential") != 0 || involved;
	acc->see_filer = !strcmp(a->visibility, "public") || involved;
	acc->see_hidden = acc->secretary;
	return KN_OK;
}

bool kn_appeal_overdue_now(const struct kn_appeal *a, int64_t now)
{
	if (!strcmp(a->state, "forwarded") && a->ack_due && now >= a->ack_due)
		return true;
	if ((!strcmp(a->state, "forwarded") || !strcmp(a->state, "acknowledged")) && a->resolve_due &&
	    now >= a->resolve_due)
		return true;
	return false;
}

/* ---- events and messages ------------------------------------------------------ */

/* Appends the appeal's event. For confidential appeals the change is cut
 * down to the state and the agency and the actor shown by role only; the
 * filer of an appeal without name is shown as "filer". */
enum kn_err kn_appeal_event(struct kn_ctx *x, const struct kn_appeal *a, const char *action,
                            struct kn_change *ch, const char *new_state)
{
	struct kn_ctx y = *x;
	bool confidential = !strcmp(a->visibility, "confidential");
	bool by_filer = x->actor_id && x->actor_id == a->filer_id;
	if (confidential || (by_filer && strcmp(a->visibility, "public"))) {
		y.actor_id = 0; /* no link to the account either */
		y.actor_name = by_filer ? "filer" : x->actor_role ? x->actor_role : "system";
	}
	if (by_filer)
		y.actor_role = "filer";
	if (confidential) {
		struct kn_change *c2 = kn_change_new(&y);
		if (new_state)
			kn_change_str(c2, "state", a->state, new_state);
		ch = c2;
	} else if (!ch) {
		ch = kn_change_new(&y);
		if (new_state)
			kn_change_str(ch, "state", a->state, new_state);
	} else if (new_state) {
		kn_change_str(ch, "state", a->state, new_state);
	}
	enum kn_err rc = kn_event(&y, "appeal", a->id, action, a->council_id, a->agency_id, ch);
	x->errs = y.errs;
	return rc;
}

static enum kn_err add_message(struct kn_ctx *x, const struct kn_appeal *a, const char *role, const char *kind,
                               const char *body, int64_t *mid)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "INSERT INTO appeal_messages (appeal_id, author_id, author_role, agency_id, kind, body, "
	                        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	                        KN_INT(a->id), x->actor_id ? KN_INT(x->actor_id) : KN_NULL, KN_TEXT(role),
	                        !strcmp(role, "officer") && a->agency_id ? KN_INT(a->agency_id) : KN_NULL,
	                        KN_TEXT(kind), KN_TEXT(body ? body : ""), KN_INT(x->now));
	if (!rc && mid)
		*mid = kn_row_i(r, 0, 0);
	return rc;
}

/* ---- attachments ---------------------------------------------------------------- */

static bool check_files(struct kn_ctx *x, const struct kn_upload *files)
{
	int n = 0;
	bool ok = true;
	for (const struct kn_upload *f = files; f; f = f->next) {
		if (!f->len && (!f->filename || !*f->filename))
			continue; /* an empty file input */
		n++;
		const char *name = f->filename && *f->filename ? f->filename : "file";
		if (!f->len) {
			kn_ferr_add(x, "files", kn_printf(x->a, "%s: %s", name, _("This file is empty.")));
			ok = false;
		} else if ((long)f->len > kn_cfg.appeal_file_bytes) {
			kn_ferr_add(x, "files",
			            kn_printf(x->a, "%s: %s (%ld KiB)", name, _("This file is larger than the limit"),
			                      kn_cfg.appeal_file_bytes / 1024));
			ok = false;
		} else if (!kn_sniff_type(f->data, f->len)) {
			kn_ferr_add(x, "files",
			            kn_printf(x->a, "%s: %s", name,
			                      _("Only PDF, PNG, JPEG and WebP files are accepted; the content of this file "
			                        "is none of them (its name does not matter).")));
			ok = false;
		}
	}
	if (n > kn_cfg.appeal_files) {
		kn_ferr_add(x, "files",
		            kn_printf(x->a, "%s (%ld)", _("Too many attachments; the limit is"), kn_cfg.appeal_files));
		ok = false;
	}
	return ok;
}

/* A file name fit to keep and to send back: no path, no control or quote
 * characters, at most 120 bytes of valid UTF-8, and the sniffed type's
 * extension. */
static const char *clean_name(struct kn_ctx *x, const char *name, const char *type)
{
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	char buf[128];
	size_t k = 0;
	for (const char *p = base; *p && k < 100; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f || c == '"' || c == ';')
			continue;
		buf[k++] = (char)c;
	}
	while (k && !kn_utf8_valid(buf, k))
		k--;
	buf[k] = 0;
	char *dot = strrchr(buf, '.');
	if (dot)
		*dot = 0;
	if (!buf[0])
		snprintf(buf, sizeof(buf), "attachment");
	return kn_printf(x->a, "%s.%s", buf, kn_sniff_ext(type));
}

static enum kn_err store_files(struct kn_ctx *x, int64_t appeal_id, int64_t message_id, const struct kn_upload *files)
{
	for (const struct kn_upload *f = files; f; f = f->next) {
		if (!f->len)
			continue;
		const char *type = kn_sniff_type(f->data, f->len);
		unsigned char h[32];
		char hex[65];
		crypto_hash_sha256(h, (const unsigned char *)f->data, f->len);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		enum kn_err rc = kn_sql(x->c, x->a, NULL,
		                        "INSERT INTO appeal_files (appeal_id, message_id, filename, ctype, size, sha256, data, "
		                        "uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		                        KN_INT(appeal_id), message_id ? KN_INT(message_id) : KN_NULL,
		                        KN_TEXT(clean_name(x, f->filename, type)), KN_TEXT(type), KN_INT((int64_t)f->len),
		                        KN_TEXT(hex), KN_BLOB(f->data, f->len), x->actor_id ? KN_INT(x->actor_id) : KN_NULL,
		                        KN_INT(x->now));
		if (rc)
			return rc;
	}
	return KN_OK;
}

enum kn_err kn_appeal_attachments(struct kn_ctx *x, int64_t id, struct kn_appeal_attachment **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT id, appeal_id, message_id, size, created_at, filename, ctype, sha256 FROM "
	                        "appeal_files WHERE appeal_id = $1 ORDER BY id",
	                        KN_INT(id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_appeal_attachment *f = &(*out)[i];
		f->id = kn_row_i(r, i, 0);
		f->appeal_id = kn_row_i(r, i, 1);
		f->message_id = kn_row_i(r, i, 2);
		f->size = kn_row_i(r, i, 3);
		f->created_at = kn_row_i(r, i, 4);
		f->filename = kn_row_s(r, i, 5);
		f->ctype = kn_row_s(r, i, 6);
		f->sha256 = kn_row_s(r, i, 7);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_appeal_attachment_get(struct kn_ctx *x, int64_t appeal_id, int64_t file_id,
                                     struct kn_appeal_attachment **out)
{
	struct kn_rows *r;
	enum kn_err rc;
	/* bytes come back as hex: the one place the two backends need their own SQL */
	if (kn_conn_kind(x->c) == KN_DB_PG)
		rc = kn_sql(x->c, x->a, &r,
		            "SELECT id, appeal_id, message_id, size, created_at, filename, ctype, sha256, encode(data, 'hex') "
		            "FROM appeal_files WHERE id = $1 AND appeal_id = $2",
		            KN_INT(file_id), KN_INT(appeal_id));
	else
		rc = kn_sql(x->c, x->a, &r,
		            "SELECT id, appeal_id, message_id, size, created_at, filename, ctype, sha256, hex(data) "
		            "FROM appeal_files WHERE id = $1 AND appeal_id = $2",
		            KN_INT(file_id), KN_INT(appeal_id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	struct kn_appeal_attachment *f = kn_zalloc(x->a, sizeof(*f));
	f->id = kn_row_i(r, 0, 0);
	f->appeal_id = kn_row_i(r, 0, 1);
	f->message_id = kn_row_i(r, 0, 2);
	f->size = kn_row_i(r, 0, 3);
	f->created_at = kn_row_i(r, 0, 4);
	f->filename = kn_row_s(r, 0, 5);
	f->ctype = kn_row_s(r, 0, 6);
	f->sha256 = kn_row_s(r, 0, 7);
	const char *hex = kn_row_s(r, 0, 8);
	size_t hl = hex ? strlen(hex) : 0;
	if (hl != (size_t)f->size * 2)
		return KN_EDB;
	char *data = kn_alloc(x->a, hl / 2 + 1);
	for (size_t i = 0; i < hl / 2; i++) {
		int hi = kn_hexval((unsigned char)hex[2 * i]), lo = kn_hexval((unsigned char)hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return KN_EDB;
		data[i] = (char)(hi << 4 | lo);
	}
	data[hl / 2] = 0;
	f->data = data;
	*out = f;
	return KN_OK;
}

/* ---- rate limits ------------------------------------------------------------------ */

/* Counts one filing for key in the current fixed window; KN_ELIMIT when
 * that makes more than limit (the caller's rollback undoes the count). */
static enum kn_err rate_count(struct kn_ctx *x, const char *key, long limit)
{
	long window = kn_cfg.appeal_rate_window > 0 ? kn_cfg.appeal_rate_window : 3600;
	int64_t start = x->now - x->now % window;
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "INSERT INTO rate_counters (key, window_start, count) VALUES ($1, $2, 1) "
	                        "ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + 1 "
	                        "RETURNING count",
	                        KN_TEXT(key), KN_INT(start));
	if (rc)
		return rc;
	if (kn_row_i(r, 0, 0) > limit)
		return KN_ELIMIT;
	/* old windows are of no use: drop them now and then */
	if (kn_row_i(r, 0, 0) == 1)
		rc = kn_sql(x->c, x->a, NULL, "DELETE FROM rate_counters WHERE window_start < $1",
		            KN_INT(start - window));
	return rc;
}

/* ---- filing ---------------------------------------------------------------------------- */

enum kn_err kn_appeal_file(struct kn_ctx *x, int64_t council_id, const struct kn_appeal_in *in, int64_t *id)
{
	if (!x->actor_id)
		return KN_EPERM;
	const char *subject = kn_trim(x, in->subject);
	const char *body = in->body ? in->body : "";
	const char *affected = kn_trim(x, in->affected);
	const char *concerns = kn_trim(x, in->concerns);
	const char *category = in->category && *in->category ? in->category : "";
	const char *urgency = in->urgency && *in->urgency ? in->urgency : "normal";
	const char *scale = in->scale && *in->scale ? in->scale : "";
	const char *vis = in->visibility && *in->visibility ? in->visibility : "public";
	kn_check_text(x, "subject", subject, 200, true, false);
	if (kn_check_text(x, "body", body, 20000, true, true) && strlen(kn_trim(x, body)) < 10)
		kn_ferr_add(x, "body", "Describe the problem in a few words at least.");
	if (!in_list(kn_appeal_categories, category))
		kn_ferr_add(x, "category", "Choose a category from the list.");
	if (!in_list(kn_appeal_urgencies, urgency))
		kn_ferr_add(x, "urgency", "Choose urgent or normal.");
	if (!in_list(kn_appeal_scales, scale))
		kn_ferr_add(x, "scale", "Say who is affected: one person, a group, a sector or the whole country.");
	if (!in_list(kn_appeal_visibilities, vis))
		kn_ferr_add(x, "visibility", "Choose public, public without your name, or confidential.");
	kn_check_text(x, "affected", affected, 1000, false, true);
	kn_check_text(x, "concerns", concerns, 300, false, false);
	check_files(x, in->files);
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT slug, timezone FROM councils WHERE id = $1", KN_INT(council_id));
	if (rc)
		return rc;
	if (!r->n)
		return KN_ENOTFOUND;
	if (x->errs)
		return KN_EINVAL;
	const char *slug = kn_row_s(r, 0, 0), *tz = kn_row_s(r, 0, 1);
	/* rate limits, counted in the database so they hold across processes */
	if ((rc = rate_count(x, kn_printf(x->a, "appeal:user:%lld", (long long)x->actor_id), kn_cfg.appeal_rate_account)))
		return rc;
	if (in->ip && *in->ip && (rc = rate_count(x, kn_printf(x->a, "appeal:ip:%s", in->ip), kn_cfg.appeal_rate_address)))
		return rc;
	int year, month, day;
	kn_date_to_ymd_tz(x, tz, x->now, &year, &month, &day);
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "INSERT INTO appeal_counters (council_id, year, last) VALUES ($1, $2, 1) "
	                 "ON CONFLICT (council_id, year) DO UPDATE SET last = appeal_counters.last + 1 RETURNING last",
	                 KN_INT(council_id), KN_INT(year))))
		return rc;
	int64_t number = kn_row_i(r, 0, 0);
	char prefix[40];
	size_t k = 0;
	for (const char *p = slug; *p && k < sizeof(prefix) - 1; p++)
		prefix[k++] = (char)toupper((unsigned char)*p);
	prefix[k] = 0;
	const char *ref = kn_printf(x->a, "%s-%04d-%06lld", prefix, year, (long long)number);
	rc = kn_sql(x->c, x->a, &r,
	            "INSERT INTO appeals (council_id, reference, year, number, filer_id, subject, body, category, urgency, "
	            "affected, scale, concerns, visibility, state, filed_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
	            "$7, $8, $9, $10, $11, $12, $13, 'submitted', $14, $14) RETURNING id",
	            KN_INT(council_id), KN_TEXT(ref), KN_INT(year), KN_INT(number), KN_INT(x->actor_id), KN_TEXT(subject),
	            KN_TEXT(body), KN_TEXT(category), KN_TEXT(urgency), KN_TEXT(affected ? affected : ""), KN_TEXT(scale),
	            KN_TEXT(concerns ? concerns : ""), KN_TEXT(vis), KN_INT(x->now));
	if (rc)
		return rc;
	*id = kn_row_i(r, 0, 0);
	/* the total of the council's public list, kept (migration 0012) */
	if (strcmp(vis, "confidential") &&
	    (rc = kn_sql(x->c, x->a, NULL,
	                 "INSERT INTO appeal_counts (council_id, public_appeals) VALUES ($1, 1) ON CONFLICT (council_id) DO "
	                 "UPDATE SET public_appeals = appeal_counts.public_appeals + 1",
	                 KN_INT(council_id))))
		return rc;
	if ((rc = store_files(x, *id, 0, in->files)))
		return rc;
	struct kn_appeal *a;
	if ((rc = get_by_id(x, *id, &a)))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	/* no free text: the event log is append-only, and moderation must be
	 * able to hide a subject later */
	kn_change_str(ch, "reference", NULL, ref);
	kn_change_int(ch, "year", 0, year);
	kn_change_int(ch, "number", 0, number);
	kn_change_str(ch, "category", NULL, category);
	kn_change_str(ch, "urgency", NULL, urgency);
	kn_change_str(ch, "scale", NULL, scale);
	kn_change_str(ch, "visibility", NULL, vis);
	struct kn_appeal before = *a;
	before.state = NULL;
	if ((rc = kn_appeal_event(x, &before, "filed", ch, "submitted")))
		return rc;
	return kn_appeal_notify_filed(x, a);
}

/* ---- transitions ------------------------------------------------------------------------ */

/* Loads the appeal and checks that the actor holds role for it: "secretary"
 * (of its council), "officer" (of its current agency) or "filer". */
static enum kn_err load_for(struct kn_ctx *x, int64_t id, const char *role, struct kn_appeal **a)
{
	enum kn_err rc = get_by_id(x, id, a);
	if (rc)
		return rc;
	bool ok;
	if (!strcmp(role, "secretary"))
		ok = kn_appeal_has_role(x, "secretary", (*a)->council_id, -1);
	else if (!strcmp(role, "officer"))
		ok = (*a)->agency_id && kn_appeal_has_role(x, "officer", -1, (*a)->agency_id);
	else
		ok = x->actor_id && x->actor_id == (*a)->filer_id;
	return ok ? KN_OK : KN_EPERM;
}

static bool state_is(const struct kn_appeal *a, const char *s1, const char *s2)
{
	return !strcmp(a->state, s1) || (s2 && !strcmp(a->state, s2));
}

static const char *required_text(struct kn_ctx *x, const char *field, const char *v, size_t max)
{
	const char *t = kn_trim(x, v);
	kn_check_text(x, field, t, max, true, true);
	return t;
}

static void target_days(struct kn_ctx *x, const struct kn_appeal *a, int *ack, int *res)
{
	struct kn_appeal_settings s;
	if (kn_appeal_settings_get(x, a->council_id, &s)) {
		s.ack_urgent = 1, s.resolve_urgent = 5, s.ack_normal = 3, s.resolve_normal = 15;
	}
	bool urgent = !strcmp(a->urgency, "urgent");
	*ack = urgent ? s.ack_urgent : s.ack_normal;
	*res = urgent ? s.resolve_urgent : s.resolve_normal;
}

enum kn_err kn_appeal_forward(struct kn_ctx *x, int64_t id, const char *agency_key, const char *note)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "secretary", &a);
	if (rc)
		return rc;
	if (!state_is(a, "submitted", "forwarded") && !state_is(a, "acknowledged", "info_requested"))
		return KN_ECONFLICT;
	struct kn_agency *g = NULL;
	if (!agency_key || !*agency_key)
		kn_ferr_add(x, "agency", "Choose the agency to forward the appeal to.");
	else if ((rc = kn_agency_pick(x, "agency", kn_trim(x, agency_key), &g)) && rc != KN_EINVAL)
		return rc;
	if (g && g->id == a->agency_id)
		kn_ferr_add(x, "agency", "The appeal is already with this agency.");
	const char *n = kn_trim(x, note);
	kn_check_text(x, "note", n, 5000, false, true);
	if (x->errs)
		return KN_EINVAL;
	int ack, res;
	target_days(x, a, &ack, &res);
	int64_t ack_due, res_due;
	if ((rc = kn_workcal_deadline(x, a->council_tz, x->now, ack, &ack_due)) ||
	    (rc = kn_workcal_deadline(x, a->council_tz, x->now, res, &res_due)))
		return rc;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE appeals SET state = 'forwarded', agency_id = $1, forwarded_at = $2, ack_due = $3, "
	                 "ack_at = NULL, resolve_due = $4, resolved_at = NULL, ext_state = NULL, ext_days = NULL, "
	                 "ext_reason = NULL, overdue_flag = 0, updated_at = $2 WHERE id = $5 AND state = $6 RETURNING id",
	                 KN_INT(g->id), KN_INT(x->now), KN_INT(ack_due), KN_INT(res_due), KN_INT(a->id),
	                 KN_TEXT(a->state))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	if ((rc = add_message(x, a, "secretariat", "forward",
	                      n && *n ? n : kn_printf(x->a, "Forwarded to %s.", g->name_en), NULL)))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "agency_id", a->agency_id, g->id);
	kn_change_int(ch, "ack_due", a->ack_due, ack_due);
	kn_change_int(ch, "resolve_due", a->resolve_due, res_due);
	kn_change_str(ch, "ext_state", a->ext_state, NULL);
	kn_change_id(ch, "ext_days", a->ext_days, 0);
	kn_change_int(ch, "overdue_flag", a->overdue_flag, 0);
	struct kn_appeal now = *a;
	now.agency_id = g->id; /* the event is filed under the new agency */
	if ((rc = kn_appeal_event(x, &now, a->agency_id ? "reforwarded" : "forwarded", ch, "forwarded")))
		return rc;
	now.state = "forwarded";
	now.ack_due = ack_due;
	now.resolve_due = res_due;
	return kn_appeal_notify(x, &now, "forwarded", true, true, false);
}

enum kn_err kn_appeal_mark_duplicate(struct kn_ctx *x, int64_t id, const char *of_ref, const char *note)
{
	struct kn_appeal *a, *orig = NULL;
	enum kn_err rc = load_for(x, id, "secretary", &a);
	if (rc)
		return rc;
	if (!state_is(a, "submitted", "info_requested"))
		return KN_ECONFLICT;
	if (!of_ref || !*of_ref)
		kn_ferr_add(x, "of", "Give the reference of the original appeal.");
	else if ((rc = kn_appeal_get(x, kn_trim(x, of_ref), &orig)) == KN_ENOTFOUND)
		kn_ferr_add(x, "of", "No appeal has this reference.");
	else if (rc)
		return rc;
	else if (orig->id == a->id)
		kn_ferr_add(x, "of", "An appeal cannot duplicate itself.");
	else if (orig->council_id != a->council_id)
		kn_ferr_add(x, "of", "The original must be an appeal of the same council.");
	else if (orig->duplicate_of)
		kn_ferr_add(x, "of", "That appeal is itself a duplicate; give its original.");
	const char *n = kn_trim(x, note);
	kn_check_text(x, "note", n, 5000, false, true);
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE appeals SET state = 'duplicate', duplicate_of = $1, reason = $2, updated_at = $3 "
	                 "WHERE id = $4 AND state = $5 RETURNING id",
	                 KN_INT(orig->id), KN_TEXT(n ? n : ""), KN_INT(x->now), KN_INT(a->id), KN_TEXT(a->state))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	if ((rc = add_message(x, a, "secretariat", "duplicate",
	                      n && *n ? n : kn_printf(x->a, "Marked as a duplicate of %s.", orig->reference), NULL)))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_id(ch, "duplicate_of", a->duplicate_of, orig->id);
	kn_change_str(ch, "duplicate_of_reference", NULL, orig->reference); /* for the reader */
	kn_change_str(ch, "reason", a->reason && *a->reason ? a->reason : NULL, n && *n ? n : NULL);
	if ((rc = kn_appeal_event(x, a, "duplicate", ch, "duplicate")))
		return rc;
	a->state = "duplicate";
	return kn_appeal_notify(x, a, "duplicate", true, false, false);
}

enum kn_err kn_appeal_ask_info(struct kn_ctx *x, int64_t id, const char *question)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "secretary", &a);
	if (rc)
		return rc;
	if (!state_is(a, "submitted", NULL))
		return KN_ECONFLICT;
	const char *q = required_text(x, "text", question, 5000);
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE appeals SET state = 'info_requested', updated_at = $1 WHERE id = $2 AND state = "
	                 "'submitted' RETURNING id",
	                 KN_INT(x->now), KN_INT(a->id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	if ((rc = add_message(x, a, "secretariat", "info_request", q, NULL)) ||
	    (rc = kn_appeal_event(x, a, "info_requested", NULL, "info_requested")))
		return rc;
	a->state = "info_requested";
	return kn_appeal_notify(x, a, "info_requested", true, false, false);
}

enum kn_err kn_appeal_reject(struct kn_ctx *x, int64_t id, const char *reason)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "secretary", &a);
	if (rc)
		return rc;
	if (!state_is(a, "submitted", "info_requested"))
		return KN_ECONFLICT;
	const char *why = required_text(x, "text", reason, 5000);
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE appeals SET state = 'rejected', reason = $1, updated_at = $2 WHERE id = $3 AND state = $4 "
	                 "RETURNING id",
	                 KN_TEXT(why), KN_INT(x->now), KN_INT(a->id), KN_TEXT(a->state))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "reason", a->reason && *a->reason ? a->reason : NULL, why);
	if ((rc = add_message(x, a, "secretariat", "rejection", why, NULL)) ||
	    (rc = kn_appeal_event(x, a, "rejected", ch, "rejected")))
		return rc;
	a->state = "rejected";
	return kn_appeal_notify(x, a, "rejected", true, false, false);
}

enum kn_err kn_appeal_acknowledge(struct kn_ctx *x, int64_t id, const char *text)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "officer", &a);
	if (rc)
		return rc;
	if (!state_is(a, "forwarded", NULL))
		return KN_ECONFLICT;
	const char *t = kn_trim(x, text);
	kn_check_text(x, "text", t, 5000, false, true);
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE appeals SET state = 'acknowledged', ack_at = $1, overdue_flag = 0, updated_at = $1 "
	                 "WHERE id = $2 AND state = 'forwarded' RETURNING id",
	                 KN_INT(x->now), KN_INT(a->id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "on_time", NULL, a->ack_due && x->now >= a->ack_due ? "late" : "on time");
	kn_change_int(ch, "overdue_flag", a->overdue_flag, 0);
	if ((rc = add_message(x, a, "officer", "acknowledgement",
	                      t && *t ? t : "The agency has received the appeal and is working on it.", NULL)) ||
	    (rc = kn_appeal_event(x, a, "acknowledged", ch, "acknowledged")))
		return rc;
	a->state = "acknowledged";
	return kn_appeal_notify(x, a, "acknowledged", true, false, false);
}

enum kn_err kn_appeal_extension_ask(struct kn_ctx *x, int64_t id, int days, const char *reason)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "officer", &a);
	if (rc)
		return rc;
	if (!state_is(a, "forwarded", "acknowledged"))
		return KN_ECONFLICT;
	if (a->ext_state && !strcmp(a->ext_state, "requested"))
		kn_ferr_add(x, "days", "An extension is already waiting for the secretariat's decision.");
	if (days < 1 || days > 60)
		kn_ferr_add(x, "days", "Ask for 1 to 60 working days.");
	const char *why = required_text(x, "reason", reason, 5000);
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE appeals SET ext_state = 'requested', ext_days = $1, ext_reason = $2, updated_at = $3 "
	                 "WHERE id = $4 AND state = $5 AND (ext_state IS NULL OR ext_state <> 'requested') RETURNING id",
	                 KN_INT(days), KN_TEXT(why), KN_INT(x->now), KN_INT(a->id), KN_TEXT(a->state))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "ext_state", a->ext_state, "requested");
	kn_change_id(ch, "ext_days", a->ext_days, days);
	if ((rc = add_message(x, a, "officer", "extension",
	                      kn_printf(x->a, "Extension of %d working days asked: %s", days, why), NULL)) ||
	    (rc = kn_appeal_event(x, a, "extension_requested", ch, NULL)))
		return rc;
	return kn_appeal_notify(x, a, "extension_requested", false, false, true);
}

enum kn_err kn_appeal_extension_decide(struct kn_ctx *x, int64_t id, bool grant, const char *note)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "secretary", &a);
	if (rc)
		return rc;
	if (!state_is(a, "forwarded", "acknowledged") || !a->ext_state || strcmp(a->ext_state, "requested"))
		return KN_ECONFLICT;
	const char *n = kn_trim(x, note);
	kn_check_text(x, "note", n, 5000, false, true);
	if (x->errs)
		return KN_EINVAL;
	int64_t due = a->resolve_due;
	if (grant) {
		/* the new deadline: ext_days working days after the old deadline day */
		if ((rc = kn_workcal_deadline(x, a->council_tz, a->resolve_due - 1, a->ext_days, &due)))
			return rc;
	}
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE appeals SET ext_state = $1, resolve_due = $2, overdue_flag = CASE WHEN $3 = 1 THEN 0 "
	                 "ELSE overdue_flag END, updated_at = $4 WHERE id = $5 AND ext_state = 'requested' RETURNING id",
	                 KN_TEXT(grant ? "granted" : "refused"), KN_INT(due), KN_INT(grant ? 1 : 0), KN_INT(x->now),
	                 KN_INT(a->id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "ext_state", a->ext_state, grant ? "granted" : "refused");
	kn_change_int(ch, "resolve_due", a->resolve_due, due);
	if (grant)
		kn_change_int(ch, "overdue_flag", a->overdue_flag, 0);
	const char *text = n && *n ? n : grant ? "Extension granted." : "Extension refused.";
	if ((rc = add_message(x, a, "secretariat", "extension_decision", text, NULL)) ||
	    (rc = kn_appeal_event(x, a, grant ? "extension_granted" : "extension_refused", ch, NULL)))
		return rc;
	a->resolve_due = due;
	return kn_appeal_notify(x, a, grant ? "extension_granted" : "extension_refused", true, true, false);
}

enum kn_err kn_appeal_reply(struct kn_ctx *x, int64_t id, const char *text, const struct kn_upload *files)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "officer", &a);
	if (rc)
		return rc;
	if (!state_is(a, "forwarded", "acknowledged"))
		return KN_ECONFLICT;
	const char *t = required_text(x, "text", text, 20000);
	check_files(x, files);
	if (x->errs)
		return KN_EINVAL;
	int64_t mid;
	if ((rc = add_message(x, a, "officer", "reply", t, &mid)) || (rc = store_files(x, a->id, mid, files)))
		return rc;
	if ((rc = kn_sql(x->c, x->a, NULL, "UPDATE appeals SET updated_at = $1 WHERE id = $2", KN_INT(x->now),
	                 KN_INT(a->id))) ||
	    (rc = kn_appeal_event(x, a, "replied", NULL, NULL)))
		return rc;
	return kn_appeal_notify(x, a, "reply", true, false, false);
}

enum kn_err kn_appeal_resolve(struct kn_ctx *x, int64_t id, const char *text)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "officer", &a);
	if (rc)
		return rc;
	if (!state_is(a, "forwarded", "acknowledged"))
		return KN_ECONFLICT;
	const char *t = required_text(x, "text", text, 20000);
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	/* resolving without a separate acknowledgement acknowledges too */
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE appeals SET state = 'resolved', resolved_at = $1, ack_at = COALESCE(ack_at, $1), "
	                 "overdue_flag = 0, ext_state = CASE WHEN ext_state = 'requested' THEN NULL ELSE ext_state END, "
	                 "updated_at = $1 WHERE id = $2 AND state = $3 RETURNING id",
	                 KN_INT(x->now), KN_INT(a->id), KN_TEXT(a->state))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_str(ch, "on_time", NULL, a->resolve_due && x->now >= a->resolve_due ? "late" : "on time");
	kn_change_int(ch, "overdue_flag", a->overdue_flag, 0);
	if (a->ext_state && !strcmp(a->ext_state, "requested"))
		kn_change_str(ch, "ext_state", a->ext_state, NULL);
	if ((rc = add_message(x, a, "officer", "resolution", t, NULL)) ||
	    (rc = kn_appeal_event(x, a, "resolved", ch, "resolved")))
		return rc;
	a->state = "resolved";
	return kn_appeal_notify(x, a, "resolved", true, false, true);
}

enum kn_err kn_appeal_answer(struct kn_ctx *x, int64_t id, const char *text, const struct kn_upload *files)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "filer", &a);
	if (rc)
		return rc;
	if (state_is(a, "rejected", "duplicate") || state_is(a, "resolved", NULL))
		return KN_ECONFLICT;
	const char *t = required_text(x, "text", text, 20000);
	check_files(x, files);
	if (x->errs)
		return KN_EINVAL;
	bool back = !strcmp(a->state, "info_requested");
	int64_t mid;
	if ((rc = add_message(x, a, "filer", back ? "answer" : "message", t, &mid)) ||
	    (rc = store_files(x, a->id, mid, files)))
		return rc;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE appeals SET state = CASE WHEN state = 'info_requested' THEN 'submitted' ELSE state END, "
	                 "updated_at = $1 WHERE id = $2 AND state = $3 RETURNING id",
	                 KN_INT(x->now), KN_INT(a->id), KN_TEXT(a->state))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	if ((rc = kn_appeal_event(x, a, back ? "information_given" : "filer_message", NULL, back ? "submitted" : NULL)))
		return rc;
	bool with_agency = state_is(a, "forwarded", "acknowledged");
	return kn_appeal_notify(x, a, "filer_message", false, with_agency, !with_agency);
}

enum kn_err kn_appeal_reopen(struct kn_ctx *x, int64_t id, const char *reason)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "filer", &a);
	if (rc)
		return rc;
	if (!state_is(a, "resolved", NULL))
		return KN_ECONFLICT;
	if (a->reopened) {
		kn_ferr_add(x, "reason", "An appeal can be reopened only once.");
		return KN_EINVAL;
	}
	const char *why = required_text(x, "reason", reason, 5000);
	if (x->errs)
		return KN_EINVAL;
	int ack, res;
	target_days(x, a, &ack, &res);
	int64_t due;
	if ((rc = kn_workcal_deadline(x, a->council_tz, x->now, res, &due)))
		return rc;
	struct kn_rows *r;
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "UPDATE appeals SET state = 'acknowledged', reopened = 1, resolved_at = NULL, resolve_due = $1, "
	                 "ext_state = NULL, ext_days = NULL, ext_reason = NULL, updated_at = $2 WHERE id = $3 AND state = "
	                 "'resolved' AND reopened = 0 RETURNING id",
	                 KN_INT(due), KN_INT(x->now), KN_INT(a->id))))
		return rc;
	if (!r->n)
		return KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	kn_change_int(ch, "resolve_due", a->resolve_due, due);
	kn_change_int(ch, "reopened", 0, 1);
	kn_change_str(ch, "ext_state", a->ext_state, NULL);
	kn_change_id(ch, "ext_days", a->ext_days, 0);
	if ((rc = add_message(x, a, "filer", "reopen", why, NULL)) ||
	    (rc = kn_appeal_event(x, a, "reopened", ch, "acknowledged")))
		return rc;
	a->state = "acknowledged";
	a->resolve_due = due;
	return kn_appeal_notify(x, a, "reopened", false, true, true);
}

enum kn_err kn_appeal_hide(struct kn_ctx *x, int64_t id, int64_t message_id, const char *reason)
{
	struct kn_appeal *a;
	enum kn_err rc = load_for(x, id, "secretary", &a);
	if (rc)
		return rc;
	const char *why = required_text(x, "reason", reason, 1000);
	if (x->errs)
		return KN_EINVAL;
	struct kn_rows *r;
	if (message_id)
		rc = kn_sql(x->c, x->a, &r,
		            "UPDATE appeal_messages SET hidden = 1, hidden_reason = $1, hidden_by = $2, hidden_at = $3 "
		            "WHERE id = $4 AND appeal_id = $5 AND hidden = 0 RETURNING id",
		            KN_TEXT(why), KN_INT(x->actor_id), KN_INT(x->now), KN_INT(message_id), KN_INT(a->id));
	else
		rc = kn_sql(x->c, x->a, &r,
		            "UPDATE appeals SET hidden = 1, hidden_reason = $1, updated_at = $2 WHERE id = $3 AND hidden = 0 "
		            "RETURNING id",
		            KN_TEXT(why), KN_INT(x->now), KN_INT(a->id));
	if (rc)
		return rc;
	if (!r->n)
		return message_id ? KN_ENOTFOUND : KN_ECONFLICT;
	struct kn_change *ch = kn_change_new(x);
	if (message_id) { /* a message is not a column of the appeal */
		kn_change_id(ch, "hidden_message_id", 0, message_id);
		kn_change_str(ch, "hidden_message_reason", NULL, why);
	} else {
		kn_change_int(ch, "hidden", 0, 1);
		kn_change_str(ch, "hidden_reason", NULL, why);
	}
	return kn_appeal_event(x, a, "moderated", ch, NULL);
}

/* ---- lists, messages, steps ------------------------------------------------------------ */

/* The filter of kn_appeal_list and kn_appeal_count, in SQL. The lists ask
 * by one key (a council's, an agency's or a filer's appeals) and mostly one
 * condition beside it (a public list, the secretariat's two, or none: a
 * filer's own). Those have statements of their own where the key is a plain
 * equality and the condition is written out: then the list is read newest
 * first from the key's index (appeals_council, appeals_agency, appeals_filer)
 * and stops after a page, and the count walks that index alone. Through the
 * generic statement's "($1 = 0 OR ...)" terms SQLite could use no index
 * (every appeal read and sorted for a page of one council's: 195 ms a page
 * at 106,404 appeals, then 0.3 ms), evaluated every term for every appeal
 * counted (22.7 M instructions a count at 19,905, then 15.5 M), and
 * PostgreSQL's generic plan, estimating one row, sorted the whole council's
 * appeals for a page (31.7 ms at 12,957). The generic statements remain for
 * any other filter: one with a category or a state. */
#define APPEAL_LIST_REST(N2, N3, N4, N5, N6)                                                       \
	" AND ($" N2 " = '' OR a.category = $" N2 ") AND ($" N3 " = '' OR a.state = $" N3 ")"            \
	" AND ($" N4 " = 0 OR a.visibility <> 'confidential')"                                        \
	" AND ($" N5 " = 0 OR a.state IN ('submitted', 'info_requested'))"                            \
	" AND ($" N6 " = 0 OR a.state IN ('forwarded', 'acknowledged'))"
#define APPEAL_LIST_WHERE                                                                                  \
	" WHERE ($1 = 0 OR a.council_id = $1) AND ($2 = 0 OR a.agency_id = $2) AND ($3 = 0 OR a.filer_id = $3)" \
	APPEAL_LIST_REST("4", "5", "6", "7", "8")
#define APPEAL_LIST_PARAMS                                                                                          \
	KN_INT(f->council_id), KN_INT(f->agency_id), KN_INT(f->filer_id), KN_TEXT(f->category ? f->category : ""), \
	    KN_TEXT(f->state ? f->state : ""), KN_INT(f->public_only), KN_INT(f->triage), KN_INT(f->open)
/* by one key: $1 the key, $2-$6 the rest, then limit and offset */
#define APPEAL_KEY_WHERE(col) " WHERE a." col " = $1" APPEAL_LIST_REST("2", "3", "4", "5", "6")
#define APPEAL_KEY_PARAMS(key)                                                                        \
	KN_INT(key), KN_TEXT(f->category ? f->category : ""), KN_TEXT(f->state ? f->state : ""), \
	    KN_INT(f->public_only), KN_INT(f->triage), KN_INT(f->open)
#define APPEAL_ORDER " ORDER BY a.filed_at DESC, a.id DESC"
/* by one key and one condition written out: $1 the key */
#define COND_ALL(col) " WHERE a." col " = $1"
#define COND_PUBLIC(col) COND_ALL(col) " AND a.visibility <> 'confidential'"
#define COND_TRIAGE(col) COND_ALL(col) " AND a.state IN ('submitted', 'info_requested')"
#define COND_OPEN(col) COND_ALL(col) " AND a.state IN ('forwarded', 'acknowledged')"

/* which key a filter asks by, when it asks by exactly one */
enum appeal_key { BY_NONE, BY_COUNCIL, BY_AGENCY, BY_FILER };

static enum appeal_key key_of(const struct kn_appeal_filter *f)
{
	int keys = (f->council_id != 0) + (f->agency_id != 0) + (f->filer_id != 0);
	if (keys != 1)
		return BY_NONE;
	return f->council_id ? BY_COUNCIL : f->agency_id ? BY_AGENCY : BY_FILER;
}

/* the one condition a filter asks beside its key; NO_COND when it asks a
 * category, a state or more than one */
enum appeal_cond { NO_COND, WITH_ALL, WITH_PUBLIC, WITH_TRIAGE, WITH_OPEN };

static enum appeal_cond cond_of(const struct kn_appeal_filter *f)
{
	if ((f->category && *f->category) || (f->state && *f->state) || f->public_only + f->triage + f->open > 1)
		return NO_COND;
	return f->public_only ? WITH_PUBLIC : f->triage ? WITH_TRIAGE : f->open ? WITH_OPEN : WITH_ALL;
}

bool kn_appeal_triage_filter(int64_t council_id, const char *list, struct kn_appeal_filter *f)
{
	bool agencies = list && !strcmp(list, "agencies");
	*f = (struct kn_appeal_filter){.council_id = council_id, .triage = !agencies, .open = agencies};
	return agencies || !list || !*list || !strcmp(list, "waiting");
}

/* The statement of filter f by the key in column col (its value key), as
 * HEAD (a SELECT up to FROM), then TAIL (order, limit) with the parameters
 * after the key's; assigns rc. One call per key: the SQL stays literal. */
#define BY_KEY(HEAD, col, key, TAIL, ...)                                                                           \
	switch (cond_of(f)) {                                                                                          \
	case WITH_ALL: rc = QUERY(HEAD COND_ALL(col) TAIL, KN_INT(key), ##__VA_ARGS__); break;                         \
	case WITH_PUBLIC: rc = QUERY(HEAD COND_PUBLIC(col) TAIL, KN_INT(key), ##__VA_ARGS__); break;                   \
	case WITH_TRIAGE: rc = QUERY(HEAD COND_TRIAGE(col) TAIL, KN_INT(key), ##__VA_ARGS__); break;                   \
	case WITH_OPEN: rc = QUERY(HEAD COND_OPEN(col) TAIL, KN_INT(key), ##__VA_ARGS__); break;                       \
	case NO_COND: rc = QUERY2(HEAD APPEAL_KEY_WHERE(col) TAIL, APPEAL_KEY_PARAMS(key), ##__VA_ARGS__); break;       \
	}

enum kn_err kn_appeal_count(struct kn_ctx *x, const struct kn_appeal_filter *f, int *total)
{
	/* a council's public list: its total is kept as appeals are filed */
	if (key_of(f) == BY_COUNCIL && cond_of(f) == WITH_PUBLIC)
		return kn_count(x->c, x->a, total, "SELECT public_appeals FROM appeal_counts WHERE council_id = $1",
		                KN_INT(f->council_id));
	enum kn_err rc = KN_OK;
#define QUERY(SQL, ...) kn_count(x->c, x->a, total, SQL, __VA_ARGS__)
#define QUERY2 QUERY
	switch (key_of(f)) {
	case BY_COUNCIL: BY_KEY("SELECT COUNT(*) FROM appeals a", "council_id", f->council_id, "") break;
	case BY_AGENCY: BY_KEY("SELECT COUNT(*) FROM appeals a", "agency_id", f->agency_id, "") break;
	case BY_FILER: BY_KEY("SELECT COUNT(*) FROM appeals a", "filer_id", f->filer_id, "") break;
	case BY_NONE:
		rc = kn_count(x->c, x->a, total, "SELECT COUNT(*) FROM appeals a" APPEAL_LIST_WHERE, APPEAL_LIST_PARAMS);
	}
#undef QUERY2
#undef QUERY
	return rc;
}

/* kn_appeal_each's rows, each as an appeal to its callback */
struct appeal_each {
	kn_appeal_fn fn;
	void *arg;
};

static bool appeal_each_row(void *arg, const struct kn_cells *row)
{
	struct appeal_each *e = arg;
	struct kn_appeal a = {0};
	appeal_cells(row, &a);
	return e->fn(e->arg, &a);
}

/* how many appeals a page of f holds at most */
static int page_limit(const struct kn_appeal_filter *f)
{
	return f->limit > 0 && f->limit <= 500 ? f->limit : 100;
}

/* a filter's page of appeals, each row to each_row */
static enum kn_err appeal_page(struct kn_ctx *x, const struct kn_appeal_filter *f, kn_row_fn each_row, void *arg)
{
	struct kn_param lim = KN_INT(page_limit(f)), off = KN_INT(f->offset > 0 ? f->offset : 0);
	enum kn_err rc = KN_OK;
	/* with a condition written out, limit and offset are $2 and $3; after
	 * the generic terms, $7 and $8 */
#define QUERY(SQL, ...) kn_sql_each(x->c, x->a, each_row, arg, SQL " LIMIT $2 OFFSET $3", __VA_ARGS__)
#define QUERY2(SQL, ...) kn_sql_each(x->c, x->a, each_row, arg, SQL " LIMIT $7 OFFSET $8", __VA_ARGS__)
	switch (key_of(f)) {
	case BY_COUNCIL: BY_KEY("SELECT " APPEAL_COLS APPEAL_FROM, "council_id", f->council_id, APPEAL_ORDER, lim, off) break;
	case BY_AGENCY: BY_KEY("SELECT " APPEAL_COLS APPEAL_FROM, "agency_id", f->agency_id, APPEAL_ORDER, lim, off) break;
	case BY_FILER: BY_KEY("SELECT " APPEAL_COLS APPEAL_FROM, "filer_id", f->filer_id, APPEAL_ORDER, lim, off) break;
	case BY_NONE:
		rc = kn_sql_each(x->c, x->a, each_row, arg,
		                 "SELECT " APPEAL_COLS APPEAL_FROM APPEAL_LIST_WHERE APPEAL_ORDER " LIMIT $9 OFFSET $10",
		                 APPEAL_LIST_PARAMS, lim, off);
	}
#undef QUERY2
#undef QUERY
	return rc;
}

enum kn_err kn_appeal_each(struct kn_ctx *x, const struct kn_appeal_filter *f, kn_appeal_fn fn, void *arg)
{
	struct appeal_each e = {.fn = fn, .arg = arg};
	return appeal_page(x, f, appeal_each_row, &e);
}

/* kn_appeal_list's appeals, kept: each row's texts copied out in one piece */
struct appeal_keep {
	struct kn_arena *a;
	struct kn_appeal *v;
	int n, cap;
};

static bool keep_appeal(void *arg, const struct kn_cells *row)
{
	struct appeal_keep *k = arg;
	struct kn_cells kept = kn_cells_kept(k->a, row);
	k->v = kn_grow(k->a, k->v, k->n, &k->cap, sizeof(*k->v));
	k->v[k->n] = (struct kn_appeal){0};
	appeal_cells(&kept, &k->v[k->n++]);
	return true;
}

enum kn_err kn_appeal_list(struct kn_ctx *x, const struct kn_appeal_filter *f, struct kn_appeal **out, int *n)
{
	/* room for the page made at once, each appeal cleared as it is filled */
	struct appeal_keep k = {.a = x->a, .cap = page_limit(f)};
	k.v = kn_alloc(x->a, sizeof(*k.v) * (size_t)k.cap);
	enum kn_err rc = appeal_page(x, f, keep_appeal, &k);
	if (rc)
		return rc;
	*out = k.v;
	*n = k.n;
	return KN_OK;
}
#undef BY_KEY

enum kn_err kn_appeal_messages(struct kn_ctx *x, int64_t id, struct kn_appeal_msg **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT m.id, m.author_id, m.agency_id, m.created_at, m.author_role, u.display_name, m.kind, "
	                        "m.body, m.hidden_reason, m.hidden FROM appeal_messages m LEFT JOIN users u ON u.id = "
	                        "m.author_id WHERE m.appeal_id = $1 ORDER BY m.id",
	                        KN_INT(id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_appeal_msg *m = &(*out)[i];
		m->id = kn_row_i(r, i, 0);
		m->author_id = kn_row_i(r, i, 1);
		m->agency_id = kn_row_i(r, i, 2);
		m->created_at = kn_row_i(r, i, 3);
		m->author_role = kn_row_s(r, i, 4);
		m->author_name = kn_row_s(r, i, 5);
		m->kind = kn_row_s(r, i, 6);
		m->body = kn_row_s(r, i, 7);
		m->hidden_reason = kn_row_s(r, i, 8);
		m->hidden = kn_row_i(r, i, 9) != 0;
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_appeal_steps(struct kn_ctx *x, int64_t id, struct kn_appeal_step **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT step, due_at, at, meeting_id FROM appeal_escalations WHERE appeal_id = $1 ORDER BY "
	                        "at, id",
	                        KN_INT(id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		(*out)[i].step = kn_row_s(r, i, 0);
		(*out)[i].due_at = kn_row_i(r, i, 1);
		(*out)[i].at = kn_row_i(r, i, 2);
		(*out)[i].meeting_id = kn_row_i(r, i, 3);
	}
	*n = r->n;
	return KN_OK;
}

/* ---- settings and routing ------------------------------------------------------------------ */

enum kn_err kn_appeal_settings_get(struct kn_ctx *x, int64_t council_id, struct kn_appeal_settings *s)
{
	*s = (struct kn_appeal_settings){.ack_urgent = 1, .resolve_urgent = 5, .ack_normal = 3, .resolve_normal = 15,
	                                 .remind_hours = 24, .flag_days = 1, .agenda_days = 3};
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT urgency, ack_days, resolve_days FROM appeal_targets WHERE council_id = $1",
	                        KN_INT(council_id));
	if (rc)
		return rc;
	for (int i = 0; i < r->n; i++) {
		bool urgent = !strcmp(kn_row_s(r, i, 0), "urgent");
		*(urgent ? &s->ack_urgent : &s->ack_normal) = (int)kn_row_i(r, i, 1);
		*(urgent ? &s->resolve_urgent : &s->resolve_normal) = (int)kn_row_i(r, i, 2);
	}
	if ((rc = kn_sql(x->c, x->a, &r,
	                 "SELECT remind_hours, flag_days, agenda_days FROM appeal_ladder WHERE council_id = $1",
	                 KN_INT(council_id))))
		return rc;
	if (r->n) {
		s->remind_hours = (int)kn_row_i(r, 0, 0);
		s->flag_days = (int)kn_row_i(r, 0, 1);
		s->agenda_days = (int)kn_row_i(r, 0, 2);
	}
	return KN_OK;
}

enum kn_err kn_appeal_settings_save(struct kn_ctx *x, int64_t council_id, const struct kn_appeal_settings *s)
{
	if (!kn_appeal_has_role(x, "secretary", council_id, -1))
		return KN_EPERM;
	if (s->ack_urgent < 0 || s->ack_urgent > 60)
		kn_ferr_add(x, "ack_urgent", "Enter 0 to 60 working days.");
	if (s->ack_normal < 0 || s->ack_normal > 60)
		kn_ferr_add(x, "ack_normal", "Enter 0 to 60 working days.");
	if (s->resolve_urgent < 1 || s->resolve_urgent > 365)
		kn_ferr_add(x, "resolve_urgent", "Enter 1 to 365 working days.");
	if (s->resolve_normal < 1 || s->resolve_normal > 365)
		kn_ferr_add(x, "resolve_normal", "Enter 1 to 365 working days.");
	if (s->resolve_urgent >= 1 && s->ack_urgent > s->resolve_urgent)
		kn_ferr_add(x, "ack_urgent", "Acknowledgement cannot be due after resolution.");
	if (s->resolve_normal >= 1 && s->ack_normal > s->resolve_normal)
		kn_ferr_add(x, "ack_normal", "Acknowledgement cannot be due after resolution.");
	if (s->remind_hours < 0 || s->remind_hours > 720)
		kn_ferr_add(x, "remind_hours", "Enter 0 to 720 hours.");
	if (s->flag_days < 0 || s->flag_days > 60)
		kn_ferr_add(x, "flag_days", "Enter 0 to 60 working days.");
	if (s->agenda_days < 0 || s->agenda_days > 120)
		kn_ferr_add(x, "agenda_days", "Enter 0 to 120 working days.");
	else if (s->flag_days >= 0 && s->agenda_days < s->flag_days)
		kn_ferr_add(x, "agenda_days", "The agenda step comes after the public overdue flag.");
	if (x->errs)
		return KN_EINVAL;
	struct kn_appeal_settings old;
	enum kn_err rc = kn_appeal_settings_get(x, council_id, &old);
	if (rc)
		return rc;
	static const char *const urg[] = {"urgent", "normal"};
	for (int i = 0; i < 2; i++) {
		int ack = i ? s->ack_normal : s->ack_urgent, res = i ? s->resolve_normal : s->resolve_urgent;
		if ((rc = kn_sql(x->c, x->a, NULL,
		                 "INSERT INTO appeal_targets (council_id, urgency, ack_days, resolve_days, updated_at) VALUES "
		                 "($1, $2, $3, $4, $5) ON CONFLICT (council_id, urgency) DO UPDATE SET ack_days = "
		                 "excluded.ack_days, resolve_days = excluded.resolve_days, updated_at = excluded.updated_at",
		                 KN_INT(council_id), KN_TEXT(urg[i]), KN_INT(ack), KN_INT(res), KN_INT(x->now))))
			return rc;
	}
	if ((rc = kn_sql(x->c, x->a, NULL,
	                 "INSERT INTO appeal_ladder (council_id, remind_hours, flag_days, agenda_days, updated_at) VALUES "
	                 "($1, $2, $3, $4, $5) ON CONFLICT (council_id) DO UPDATE SET remind_hours = excluded.remind_hours, "
	                 "flag_days = excluded.flag_days, agenda_days = excluded.agenda_days, updated_at = "
	                 "excluded.updated_at",
	                 KN_INT(council_id), KN_INT(s->remind_hours), KN_INT(s->flag_days), KN_INT(s->agenda_days),
	                 KN_INT(x->now))))
		return rc;
	struct kn_change *ch = kn_change_new(x);
	kn_change_int(ch, "ack_urgent", old.ack_urgent, s->ack_urgent);
	kn_change_int(ch, "resolve_urgent", old.resolve_urgent, s->resolve_urgent);
	kn_change_int(ch, "ack_normal", old.ack_normal, s->ack_normal);
	kn_change_int(ch, "resolve_normal", old.resolve_normal, s->resolve_normal);
	kn_change_int(ch, "remind_hours", old.remind_hours, s->remind_hours);
	kn_change_int(ch, "flag_days", old.flag_days, s->flag_days);
	kn_change_int(ch, "agenda_days", old.agenda_days, s->agenda_days);
	if (kn_change_empty(ch))
		return KN_OK;
	return kn_event(x, "appeal_settings", council_id, "updated", council_id, 0, ch);
}

enum kn_err kn_appeal_routes(struct kn_ctx *x, int64_t council_id, struct kn_appeal_route **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "SELECT t.category, g.slug FROM appeal_routes t JOIN agencies g ON g.id = t.agency_id "
	                        "WHERE t.council_id = $1 ORDER BY t.category",
	                        KN_INT(council_id));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		(*out)[i].category = kn_row_s(r, i, 0);
		(*out)[i].agency_slug = kn_row_s(r, i, 1);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_appeal_route_set(struct kn_ctx *x, int64_t council_id, const char *category, const char *agency_key)
{
	if (!kn_appeal_has_role(x, "secretary", council_id, -1))
		return KN_EPERM;
	if (!in_list(kn_appeal_categories, category)) {
		kn_ferr_add(x, "category", "Choose a category from the list.");
		return KN_EINVAL;
	}
	const char *old = kn_appeal_suggest(x, council_id, category);
	enum kn_err rc;
	struct kn_change *ch = kn_change_new(x);
	if (!agency_key || !*agency_key) {
		if (!old)
			return KN_OK;
		if ((rc = kn_sql(x->c, x->a, NULL, "DELETE FROM appeal_routes WHERE council_id = $1 AND category = $2",
		                 KN_INT(council_id), KN_TEXT(category))))
			return rc;
		kn_change_str(ch, category, old, NULL);
	} else {
		struct kn_agency *g;
		if ((rc = kn_agency_pick(x, kn_printf(x->a, "route_%s", category), kn_trim(x, agency_key), &g)))
			return rc;
		if ((rc = kn_sql(x->c, x->a, NULL,
		                 "INSERT INTO appeal_routes (council_id, category, agency_id, updated_at) VALUES ($1, $2, $3, "
		                 "$4) ON CONFLICT (council_id, category) DO UPDATE SET agency_id = excluded.agency_id, "
		                 "updated_at = excluded.updated_at",
		                 KN_INT(council_id), KN_TEXT(category), KN_INT(g->id), KN_INT(x->now))))
			return rc;
		kn_change_str(ch, category, old, g->slug);
	}
	if (kn_change_empty(ch))
		return KN_OK;
	return kn_event(x, "appeal_settings", council_id, "routing", council_id, 0, ch);
}

const char *kn_appeal_suggest(struct kn_ctx *x, int64_t council_id, const char *category)
{
	struct kn_rows *r;
	if (kn_sql(x->c, x->a, &r,
	           "SELECT g.slug FROM appeal_routes t JOIN agencies g ON g.id = t.agency_id WHERE t.council_id = $1 AND "
	           "t.category = $2",
	           KN_INT(council_id), KN_TEXT(category ? category : "")))
		return NULL;
	return r->n ? kn_row_s(r, 0, 0) : NULL;
}

/* ---- statistics ------------------------------------------------------------------------------ */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

struct stat_acc {
	struct kn_appeal_stat s;
	int *days, ndays, cap;
};

/* what the statistics read of one appeal */
struct stat_row {
	bool open, resolved; /* its state: forwarded or acknowledged; resolved */
	int64_t ack_due, ack_at, res_due, res_at;
	int days; /* working days to resolution, -1 when not resolved */
};

static void stat_add(struct kn_ctx *x, struct stat_acc *acc, const struct stat_row *a)
{
	acc->s.received++;
	bool open = a->open, resolved = a->resolved;
	if (a->ack_due && (a->ack_at || x->now >= a->ack_due)) {
		acc->s.ack_counted++;
		if (a->ack_at && a->ack_at < a->ack_due)
			acc->s.ack_on_time++;
	}
	if (a->res_due && ((a->res_at && resolved) || (open && x->now >= a->res_due))) {
		acc->s.res_counted++;
		if (a->res_at && resolved && a->res_at < a->res_due)
			acc->s.res_on_time++;
	}
	if (open && ((!a->ack_at && a->ack_due && x->now >= a->ack_due) || (a->res_due && x->now >= a->res_due)))
		acc->s.overdue_now++;
	if (a->days >= 0) {
		acc->s.resolved++;
		acc->days = kn_grow(x->a, acc->days, acc->ndays, &acc->cap, sizeof(*acc->days));
		acc->days[acc->ndays++] = a->days;
	}
}

/* the k-th smallest (from 0) of the days counted in hist[0, len) */
static int hist_at(const int *hist, int len, int k)
{
	int d = 0;
	for (int seen = hist[0]; seen <= k && d + 1 < len; seen += hist[++d])
		;
	return d;
}

static void stat_finish(struct kn_ctx *x, struct stat_acc *acc)
{
	acc->s.median_days = acc->s.p90_days = -1;
	if (!acc->ndays)
		return;
	int n = acc->ndays, rank = (int)ceil(0.9 * n); /* nearest rank */
	int lo = n % 2 ? n / 2 : n / 2 - 1, hi = n / 2;
	int max = 0;
	for (int i = 0; i < n; i++)
		max = acc->days[i] > max ? acc->days[i] : max;
	if (max < 4096) {
		/* days are few and small: counted, not sorted (100,000 appeals
		 * resolved in some 20 working days each) */
		int *hist = kn_zalloc(x->a, sizeof(int) * (size_t)(max + 1));
		for (int i = 0; i < n; i++)
			hist[acc->days[i]]++;
		acc->s.median_days = (hist_at(hist, max + 1, lo) + hist_at(hist, max + 1, hi)) / 2.0;
		acc->s.p90_days = hist_at(hist, max + 1, rank - 1);
		return;
	}
	qsort(acc->days, (size_t)n, sizeof(int), cmp_int);
	acc->s.median_days = (acc->days[lo] + acc->days[hi]) / 2.0;
	acc->s.p90_days = acc->days[rank - 1];
}

/* One grouping being counted: its groups in the order first met, and the
 * total over the rows it takes. */
struct stat_grouping {
	struct stat_acc *g, all;
	int n, cap;
};

/* The appeal to key's group, made on its first appeal with its label:
 * label, or when labels is given, key's label in that list (looked up
 * once a group, not once an appeal). key and label may be the row's:
 * copied when they start a group. */
static void grouping_add(struct kn_ctx *x, struct stat_grouping *gr, const char *key, const char *label,
                         const char *const *labels, const struct stat_row *a)
{
	int k;
	for (k = 0; k < gr->n && (gr->g[k].s.key[0] != key[0] || strcmp(gr->g[k].s.key, key)); k++)
		;
	if (k == gr->n) {
		gr->g = kn_grow(x->a, gr->g, gr->n, &gr->cap, sizeof(*gr->g));
		gr->g[k].s.key = kn_strdup(x->a, key);
		gr->g[k].s.label = kn_strdup(x->a, labels ? kn_appeal_label(labels, key) : label);
		gr->n++;
	}
	stat_add(x, &gr->g[k], a);
	stat_add(x, &gr->all, a);
}

static void grouping_finish(struct kn_ctx *x, struct stat_grouping *gr, struct kn_appeal_stats *out)
{
	out->groups = kn_zalloc(x->a, sizeof(*out->groups) * (size_t)(gr->n + 1));
	for (int k = 0; k < gr->n; k++) {
		stat_finish(x, &gr->g[k]);
		out->groups[k] = gr->g[k].s;
	}
	out->n = gr->n;
	stat_finish(x, &gr->all);
	gr->all.s.key = "total";
	gr->all.s.label = "All";
	out->total = gr->all.s;
}

/* The statistics being gathered, an appeal at a time as they are read. */
struct stat_read {
	struct kn_ctx *x;
	struct kn_calendar_days *days_of;
	const char *zone_name; /* the zone last looked up (a council's), and it */
	const struct kn_tz *zone;
	struct stat_grouping ga, gc;
	bool by_agency, by_category;
};

static bool stat_row(void *arg, const struct kn_cells *row)
{
	struct stat_read *t = arg;
	const char *state = kn_cell_s(row, 2);
	struct stat_row a = {.open = !strcmp(state, "forwarded") || !strcmp(state, "acknowledged"),
	                     .resolved = !strcmp(state, "resolved"),
	                     .ack_due = kn_cell_i(row, 3),
	                     .ack_at = kn_cell_i(row, 4),
	                     .res_due = kn_cell_i(row, 5),
	                     .res_at = kn_cell_i(row, 6),
	                     .days = -1};
	int64_t forwarded_at = kn_cell_i(row, 7);
	if (a.resolved && a.res_at && forwarded_at) {
		const char *tz = kn_cell_s(row, 8);
		if (!t->zone_name || strcmp(t->zone_name, tz)) {
			t->zone_name = kn_strdup(t->x->a, tz);
			t->zone = kn_workcal_tz(tz);
		}
		int d;
		if (!kn_workcal_days(t->days_of, t->zone, forwarded_at, a.res_at, &d))
			a.days = d < 0 ? 0 : d;
	}
	/* by agency: the appeals forwarded to one */
	if (t->by_agency && kn_cell_i(row, 10))
		grouping_add(t->x, &t->ga, kn_cell_s(row, 0), kn_cell_s(row, 9), NULL, &a);
	if (t->by_category)
		grouping_add(t->x, &t->gc, kn_cell_s(row, 1), NULL, kn_appeal_categories, &a);
	return true;
}

enum kn_err kn_appeal_stats(struct kn_ctx *x, int64_t council_id, int64_t agency_id, struct kn_appeal_stats *by_agency,
                            struct kn_appeal_stats *by_category)
{
	/* the calendar read once and its years built once, a zone looked up
	 * when it changes: kn_workcal_between per appeal (a query, a year's
	 * calendar built) took 475 ms a view at 95,718 resolved appeals */
	const struct kn_calendar *cal;
	enum kn_err rc = kn_workcal_get(x, &cal);
	if (rc)
		return rc;
	struct stat_read t = {.x = x, .by_agency = by_agency != NULL, .by_category = by_category != NULL};
	if (!(t.days_of = kn_calendar_days_new(cal)))
		return KN_ENOMEM;
	/* Both groupings from one read of the appeals, each counted as it is
	 * read (a council's 10,045 were first copied whole). An agency's are
	 * read from its index (see kn_appeal_list): through "($2 = 0 OR ...)"
	 * alone SQLite read every council's. A council's are read in one pass
	 * over the table in id order, as the groups' order needs: from the
	 * council's index they would be sorted after (at 106,404 appeals of
	 * one council, 70 ms a view became 106 ms). */
#define STATS_SELECT                                                                                         \
	"SELECT g.slug, a.category, a.state, a.ack_due, a.ack_at, a.resolve_due, a.resolved_at, a.forwarded_at, " \
	"c.timezone, g.name_en, a.agency_id FROM appeals a JOIN councils c ON c.id = a.council_id LEFT JOIN "     \
	"agencies g ON g.id = a.agency_id"
	if (agency_id && !council_id)
		rc = kn_sql_each(x->c, x->a, stat_row, &t, STATS_SELECT " WHERE a.agency_id = $1 ORDER BY a.id",
		                 KN_INT(agency_id));
	else
		rc = kn_sql_each(x->c, x->a, stat_row, &t,
		                 STATS_SELECT " WHERE ($1 = 0 OR a.council_id = $1) AND ($2 = 0 OR a.agency_id = $2) ORDER BY a.id",
		                 KN_INT(council_id), KN_INT(agency_id));
#undef STATS_SELECT
	kn_calendar_days_free(t.days_of);
	if (rc)
		return rc;
	if (by_agency)
		grouping_finish(x, &t.ga, by_agency);
	if (by_category)
		grouping_finish(x, &t.gc, by_category);
	return KN_OK;
}

/* ---- inbox ------------------------------------------------------------------------------------- */

const char *kn_note_label(const char *kind)
{
	static const char *const kinds[] = {
	    "filed",               N_("Your appeal was received"),
	    "new_appeal",          N_("A new appeal awaits triage"),
	    "forwarded",           N_("Appeal forwarded to the agency"),
	    "info_requested",      N_("The secretariat asks for more information"),
	    "duplicate",           N_("Appeal marked as a duplicate"),
	    "rejected",            N_("Appeal rejected"),
	    "acknowledged",        N_("The agency acknowledged the appeal"),
	    "reply",               N_("The agency replied"),
	    "resolved",            N_("The agency resolved the appeal"),
	    "reopened",            N_("The filer reopened the appeal"),
	    "filer_message",       N_("The filer wrote"),
	    "extension_requested", N_("The agency asks for an extension"),
	    "extension_granted",   N_("Extension granted"),
	    "extension_refused",   N_("Extension refused"),
	    "ack_reminder",        N_("Reminder: acknowledgement due soon"),
	    "resolve_reminder",    N_("Reminder: resolution due soon"),
	    "ack_breach",          N_("Deadline missed: not acknowledged in time"),
	    "resolve_breach",      N_("Deadline missed: not resolved in time"),
	    "ack_flagged",         N_("Appeal flagged overdue in public"),
	    "resolve_flagged",     N_("Appeal flagged overdue in public"),
	    "ack_agenda",          N_("Overdue appeal proposed for the next meeting's agenda"),
	    "resolve_agenda",      N_("Overdue appeal proposed for the next meeting's agenda"),
	    NULL};
	return kn_appeal_label(kinds, kind);
}

enum kn_err kn_inbox_list(struct kn_ctx *x, int64_t user_id, int offset, int limit, struct kn_note **out, int *n,
                          int *total, int *unread)
{
	struct kn_rows *r;
	/* kept as notifications are written and read (migration 0012) */
	enum kn_err rc = kn_sql(x->c, x->a, &r, "SELECT total, unread FROM inbox_counts WHERE user_id = $1",
	                        KN_INT(user_id));
	if (rc)
		return rc;
	*total = r->n ? (int)kn_row_i(r, 0, 0) : 0;
	*unread = r->n ? (int)kn_row_i(r, 0, 1) : 0;
	rc = kn_sql(x->c, x->a, &r,
	            "SELECT id, appeal_id, created_at, read_at, kind, body, link FROM notifications WHERE "
	            "user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
	            KN_INT(user_id), KN_INT(limit > 0 ? limit : 100), KN_INT(offset > 0 ? offset : 0));
	if (rc)
		return rc;
	*out = kn_zalloc(x->a, sizeof(**out) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		struct kn_note *m = &(*out)[i];
		m->id = kn_row_i(r, i, 0);
		m->appeal_id = kn_row_i(r, i, 1);
		m->created_at = kn_row_i(r, i, 2);
		m->read_at = kn_row_i(r, i, 3);
		m->kind = kn_row_s(r, i, 4);
		m->body = kn_row_s(r, i, 5);
		m->link = kn_row_s(r, i, 6);
	}
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_inbox_mark_read(struct kn_ctx *x, int64_t user_id, int64_t note_id)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql(x->c, x->a, &r,
	                        "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL AND ($3 = 0 OR "
	                        "id = $3) RETURNING id",
	                        KN_INT(x->now), KN_INT(user_id), KN_INT(note_id));
	if (rc || !r->n)
		return rc;
	return kn_sql(x->c, x->a, NULL, "UPDATE inbox_counts SET unread = unread - $1 WHERE user_id = $2", KN_INT(r->n),
	              KN_INT(user_id));
}

/* The local civil date of t in zone tz, as year, month and day. */
void kn_date_to_ymd_tz(struct kn_ctx *x, const char *tz, int64_t t, int *y, int *m, int *d)
{
	(void)x;
	const struct kn_tz *z = kn_workcal_tz(tz);
	kn_date_to_ymd(z ? kn_tz_local_date(z, t) : (int32_t)(t / 86400), y, m, d);
}
