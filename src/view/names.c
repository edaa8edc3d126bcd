/* names.c: records' display names in the visitor's language, read once per request. */
#include "app/app.h"
#include "core/arena.h"
#include "domain/composition.h"
#include "domain/registry.h"
#include "view/view.h"

struct names {
	struct kn_agency *agencies; /* the whole registry (ids, slugs, names), once a page asks for it */
	int nagencies;
	int64_t council; /* whose agencies are in council_agencies (0: none read) */
	struct kn_agency *council_agencies; /* the agencies it gave assignments to */
	int ncouncil_agencies;
	struct kn_agency *one[8]; /* agencies read one by one before that */
	int none;
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
		if (kn_agency_names(&x, &n->agencies, &n->nagencies))
			n->nagencies = 0;
	}
	*out = n->agencies;
	return n->nagencies;
}

int kn_view_council_agencies(struct kn_req *r, int64_t council_id, const struct kn_agency **out)
{
	struct names *n = names_of(r);
	if (n->council != council_id) {
		struct kn_ctx x;
		kn_ctx_init(r, &x);
		n->council = council_id;
		if (kn_council_agencies(&x, council_id, &n->council_agencies, &n->ncouncil_agencies))
			n->ncouncil_agencies = 0;
	}
	*out = n->council_agencies;
	return n->ncouncil_agencies;
}

const struct kn_agency *kn_view_agency(struct kn_req *r, int64_t agency_id)
{
	struct names *n = names_of(r);
	if (n->agencies) {
		for (int i = 0; i < n->nagencies; i++)
			if (n->agencies[i].id == agency_id)
				return &n->agencies[i];
		return NULL;
	}
	for (int i = 0; i < n->ncouncil_agencies; i++)
		if (n->council_agencies[i].id == agency_id)
			return &n->council_agencies[i];
	/* a page naming a few agencies reads those, not the registry */
	for (int i = 0; i < n->none; i++)
		if (n->one[i]->id == agency_id)
			return n->one[i];
	if (n->none == (int)(sizeof(n->one) / sizeof(n->one[0]))) {
		const struct kn_agency *all;
		int na = kn_view_agencies(r, &all);
		for (int i = 0; i < na; i++)
			if (all[i].id == agency_id)
				return &all[i];
		return NULL;
	}
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *g;
	if (kn_agency_name_of(&x, agency_id, &g))
		return NULL;
	n->one[n->none++] = g;
	return g;
}

const char *kn_view_agency_name(struct kn_req *r, int64_t agency_id, const char *fallback)
{
	const struct kn_agency *g = kn_view_agency(r, agency_id);
	return g ? kn_agency_name(g, r->lang) : fallback;
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

const char *kn_view_agency_datalist(struct kn_req *r)
{
	/* counted first: a national registry is not read only to be left out */
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_agency *one;
	int got, count;
	if (kn_agency_page(&x, NULL, false, 0, 1, &one, &got, &count) || count > KN_DATALIST_MAX)
		return NULL;
	const struct kn_agency *all;
	int n = kn_view_agencies(r, &all);
	const char **o = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * n + 1));
	for (int i = 0; i < n; i++) {
		o[2 * i] = all[i].slug;
		o[2 * i + 1] = kn_agency_name(&all[i], r->lang);
	}
	kn_form_datalist(r, "agencies", o);
	return "agencies";
}

const char *kn_view_people_datalist(struct kn_req *r, int64_t council_id, int mode)
{
	struct kn_ctx x;
	kn_ctx_init(r, &x);
	struct kn_person_info *p;
	int n;
	if (kn_person_choices(&x, council_id, mode, KN_DATALIST_MAX + 1, &p, &n) || n > KN_DATALIST_MAX)
		return NULL;
	const char **o = kn_zalloc(r->a, sizeof(char *) * (size_t)(2 * n + 1));
	for (int i = 0; i < n; i++) {
		o[2 * i] = p[i].full_name;
		o[2 * i + 1] = kn_printf(r->a, "%lld", (long long)p[i].id);
	}
	const char *id = mode == KN_CHOICE_SAT ? "people-sat" : mode == KN_CHOICE_ANY ? "people" : "people-can-join";
	kn_form_datalist(r, id, o);
	return id;
}
