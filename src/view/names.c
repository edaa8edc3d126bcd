/* names.c: records' display names in the visitor's language, read once per request. */
#include "app/app.h"
#include "core/arena.h"
#include "domain/registry.h"
#include "view/view.h"

struct names {
	struct kn_agency *agencies;
	int nagencies;
};

const char *kn_view_agency_name(struct kn_req *r, int64_t agency_id, const char *fallback)
{
	struct names *n = r->names;
	if (!n) {
		struct kn_ctx x;
		kn_ctx_init(r, &x);
		n = kn_zalloc(r->a, sizeof(*n));
		if (kn_agency_list(&x, &n->agencies, &n->nagencies))
			n->nagencies = 0;
		r->names = n;
	}
	for (int i = 0; i < n->nagencies; i++)
		if (n->agencies[i].id == agency_id)
			return kn_agency_name(&n->agencies[i], r->lang);
	return fallback;
}
