/* history.c: a record's history, from the public event log. */
#include "core/arena.h"
#include "core/i18n.h"
#include "domain/event.h"
#include "view/view.h"

void kn_view_history(struct kn_req *r, struct kn_ctx *x, const char *kind, int64_t id)
{
	kn_view_history_with(r, x, kind, id, NULL, NULL, 0);
}

void kn_view_history_with(struct kn_req *r, struct kn_ctx *x, const char *kind, int64_t id, const char *kind2,
                          const int64_t *ids2, int n2)
{
	struct kn_event_row *e;
	int n;
	if (kn_event_list(x, kind, id, &e, &n))
		return;
	for (int k = 0; k < n2; k++) {
		struct kn_event_row *e2, *m;
		int m2;
		if (kn_event_list(x, kind2, ids2[k], &e2, &m2) || !m2)
			continue;
		/* merge the two lists, oldest first (by seq) */
		m = kn_zalloc(x->a, sizeof(*m) * (size_t)(n + m2));
		int i = 0, j = 0, o = 0;
		while (i < n || j < m2)
			m[o++] = j >= m2 || (i < n && e[i].seq < e2[j].seq) ? e[i++] : e2[j++];
		e = m;
		n = o;
	}
	if (!n)
		return;
	struct kn_buf *b = &r->out;
	kn_h(b, "<h2 id=\"history\">%t</h2><table><thead><tr><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>",
	     N_("History"), N_("When"), N_("Who"), N_("What"));
	for (int i = 0; i < n; i++) {
		const char *label = kn_event_label(e[i].action), *role = kn_event_label(e[i].actor_role);
		kn_h(b, "<tr><td>%s<br><span class=\"muted\">#%D</span></td><td>%s<br><span class=\"muted\">%t</span></td><td>%t",
		     kn_view_time(r, e[i].at), e[i].seq, e[i].actor_name, role ? role : e[i].actor_role, label ? label : e[i].action);
		struct kn_change_item *ch;
		int nc;
		if (!kn_event_changes(x, &e[i], &ch, &nc) && nc) {
			kn_h(b, "<ul class=\"changes\">");
			for (int k = 0; k < nc; k++) {
				if (ch[k].before)
					kn_h(b, "<li>%s: <del>%s</del> → %s</li>", ch[k].field, ch[k].before, ch[k].after ? ch[k].after : "—");
				else
					kn_h(b, "<li>%s: %s</li>", ch[k].field, ch[k].after ? ch[k].after : "—");
			}
			kn_h(b, "</ul>");
		}
		kn_h(b, "</td></tr>");
	}
	kn_h(b, "</tbody></table>");
	kn_h(b, "<p><a href=\"/feeds/%u/%D.atom\">%t</a> · <a href=\"/transparency\">%t</a></p>", kind, id,
	     N_("Atom feed of this record"), N_("How to verify the record"));
}
