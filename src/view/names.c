/* names.c: records' display names in the visitor's language, read once per request. */
#include "app/app.h"
#include "core/arena.h"
#include "domain/composition.h"
#include "domain/registry.h"
#include "view/view.h"

struct names {
	struct kn_agency *agencies;
	int nagencies;
	int64_t groups_council; /* whose groups are loaded (0: none yet) */
	struct kn_group *groups;
	int ngroups;
};

static struct names *names_of(struct kn_req *r)
{
	if (!r->names)
		r->names = kn_zalloc(r->a, sizeof(struct names));
	return r->names;
}

int kn_view_agencies(struct kn_req *r, const struct kn_agency **out)
{
	struct names *n = names_of(r);
	if (!n->agencies) {
		struct kn_ctx x;
		kn_ctx_init(r, &x);
		if (kn_agency_list(&x, &n->agencies, &n->nagencies))
			n->nagencies = 0;
	}
	*out = n->agencies;
	return n->nagencies;
}

const char *kn_view_agency_name(struct kn_req *r, int64_t agency_id, const char *fallback)
{
	const struct kn_agency *all;
	int na = kn_view_agencies(r, &all);
	for (int i = 0; i < na; i++)
		if (all[i].id == agency_id)
			return kn_agency_name(&all[i], r->lang);
	return fallback;
}

const char *kn_view_group_name(struct kn_req *r, int64_t council_id, int64_t group_id, const char *fallback)
{
	struct names *n = names_of(r);
	if (n->groups_council != council_id) {
		struct kn_ctx x;
		kn_ctx_init(r, &x);
		if (kn_group_list(&x, council_id, &n->groups, &n->ngroups))
			n->ngroups = 0;
		n->groups_council = council_id;
	}
	for (int i = 0; i < n->ngroups; i++)
		if (n->groups[i].id == group_id)
			return kn_group_name(&n->groups[i], r->lang);
	return fallback;
}
