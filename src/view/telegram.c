/* telegram.c: an event as a Telegram message (Bot API HTML parse mode:
 * <b>, <i>, <a href> and the entities &lt; &gt; &amp; &quot;), in the
 * channel's language, with a link back to the record. The headline comes
 * from the template of the event's kind and action; values are escaped. */
#include "core/arena.h"
#include "core/i18n.h"
#include "domain/outbox.h"
#include "view/view.h"
#include <string.h>

/* Headline templates per event type: kind, action (NULL: any), text with
 * {title}. The first match wins; the last line is the fallback. */
static const struct {
	const char *kind, *action, *tpl;
} templates[] = {
    {"council", "created", N_("New council: {title}")},
    {"council", "updated", N_("Council updated: {title}")},
    {"council", "role granted", N_("New office holder in {title}")},
    {"council", "role revoked", N_("Office holder left {title}")},
    {"agency", "created", N_("New agency in the registry: {title}")},
    {"agency", "updated", N_("Agency updated: {title}")},
    {"person", NULL, N_("Person: {title}")},
    {"seat", NULL, N_("Composition changed: {title}")},
    {"rotation", NULL, N_("Rotation: {title}")},
    {"group", NULL, N_("Working group: {title}")},
    {"meeting", NULL, N_("Meeting: {title}")},
    {"proposal", NULL, N_("Proposal: {title}")},
    {"assignment", NULL, N_("Assignment: {title}")},
    {"report", NULL, N_("Progress report: {title}")},
    {"extension", NULL, N_("Deadline extension: {title}")},
    {"reform", NULL, N_("Reform package: {title}")},
    {"reform_item", NULL, N_("Reform item: {title}")},
    {"law", NULL, N_("Law: {title}")},
    {"career", NULL, N_("Later career: {title}")},
    {"appeal", NULL, N_("Appeal: {title}")},
    {NULL, NULL, N_("{title}")},
};

#define FIELD_MAX 300

static void headline(struct kn_buf *b, const char *tpl, const char *title)
{
	const char *p = tpl;
	for (;;) {
		const char *q = strstr(p, "{title}");
		const char *lit = kn_strndup(b->arena, p, q ? (size_t)(q - p) : strlen(p));
		kn_h(b, "%s", lit);
		if (!q)
			break;
		kn_h(b, "%s", title);
		p = q + strlen("{title}");
	}
}

static const char *cut(struct kn_arena *a, const char *s)
{
	if (!s)
		return "—";
	size_t n = strlen(s);
	if (n <= FIELD_MAX)
		return s;
	size_t k = FIELD_MAX;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) /* not inside a UTF-8 sequence */
		k--;
	return kn_printf(a, "%.*s…", (int)k, s);
}

const char *kn_view_telegram(struct kn_ctx *x, const char *lang, const struct kn_event_row *e, const char *title,
                             const char *url)
{
	const char *saved = kn_i18n_get();
	kn_i18n_set(lang);
	const char *tpl = NULL;
	for (size_t i = 0; i < KN_ARRAY_LEN(templates) && !tpl; i++)
		if (!templates[i].kind ||
		    (!strcmp(templates[i].kind, e->kind) && (!templates[i].action || !strcmp(templates[i].action, e->action))))
			tpl = templates[i].tpl;
	struct kn_buf b;
	kn_buf_arena(&b, x->a, 64 * 1024);
	kn_h(&b, "<b>");
	headline(&b, _(tpl), title);
	kn_h(&b, "</b>\n<i>%t</i>", e->action);
	struct kn_change_item *ch;
	int n;
	if (!kn_event_changes(x, e, &ch, &n))
		for (int i = 0; i < n && i < 12; i++) {
			if (ch[i].before)
				kn_h(&b, "\n%s: %s → %s", ch[i].field, cut(x->a, ch[i].before), cut(x->a, ch[i].after));
			else
				kn_h(&b, "\n%s: %s", ch[i].field, cut(x->a, ch[i].after));
		}
	kn_h(&b, "\n<a href=\"%s\">%t</a> · #%D", url, N_("Open the record"), e->seq);
	kn_i18n_set(saved);
	return kn_buf_str(&b);
}
