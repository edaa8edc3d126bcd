/* registry.h: the first records: councils, government agencies, people. */
#ifndef KN_REGISTRY_H
#define KN_REGISTRY_H
#include "domain/domain.h"

struct kn_council {
	int64_t id;
	const char *slug, *name_en, *name_ru, *name_kk, *description;
	int64_t chair_person_id;
	const char *chair_name; /* read only */
	const char *founded_on, *dissolved_on;
	int64_t succeeded_by;
	const char *succeeded_by_slug, *succeeded_by_name; /* read only */
	const char *succeeded_by_key; /* input: id or slug of the successor */
	long seats;
	const char *timezone;
	int64_t created_at, updated_at;
};

struct kn_agency {
	int64_t id;
	const char *slug, *name_en, *name_ru, *name_kk, *kind, *website;
	int64_t parent_id;
	const char *parent_slug, *parent_name; /* read only */
	const char *parent_key; /* input: id or slug of the parent */
	int64_t created_at, updated_at;
	int units; /* read only, by kn_agency_page: how many agencies are directly under it */
};

struct kn_person {
	int64_t id;
	const char *full_name, *full_name_ru, *full_name_kk, *bio;
	int64_t user_id;
};

extern const char *const kn_agency_kinds[]; /* NULL-terminated */

/* Name in the given language, falling back to English. */
const char *kn_council_name(const struct kn_council *c, const char *lang);
const char *kn_agency_name(const struct kn_agency *g, const char *lang);

enum kn_err kn_council_list(struct kn_ctx *x, struct kn_council **out, int *n);
/* key: id or slug. KN_ENOTFOUND if none. */
enum kn_err kn_council_get(struct kn_ctx *x, const char *key, struct kn_council **out);
/* The councils c succeeded and the one that succeeded it: id, slug, names
 * and succeeded_by only. */
enum kn_err kn_council_lineage(struct kn_ctx *x, const struct kn_council *c, struct kn_council **out, int *n);
/* Creates (in->id == 0) or updates; errors in x->errs. */
enum kn_err kn_council_save(struct kn_ctx *x, const struct kn_council *in, int64_t *id);

enum kn_err kn_agency_list(struct kn_ctx *x, struct kn_agency **out, int *n);
enum kn_err kn_agency_get(struct kn_ctx *x, const char *key, struct kn_agency **out);
/* Every agency's id, slug and names alone (for menus and labels), by name;
 * or one agency's. */
enum kn_err kn_agency_names(struct kn_ctx *x, struct kn_agency **out, int *n);
enum kn_err kn_agency_name_of(struct kn_ctx *x, int64_t id, struct kn_agency **out);
/* The same for the agencies a council has given assignments to (as the
 * executor or a co-executor), by name. */
enum kn_err kn_council_agencies(struct kn_ctx *x, int64_t council_id, struct kn_agency **out, int *n);
enum kn_err kn_agency_save(struct kn_ctx *x, const struct kn_agency *in, int64_t *id);
/* Agencies directly under parent_id, by name: limit of them (0: all) from
 * offset; total (if not NULL): how many there are. */
enum kn_err kn_agency_children(struct kn_ctx *x, int64_t parent_id, int offset, int limit, struct kn_agency **out,
                               int *n, int *total);
/* The registry a page at a time, by name: limit agencies from offset, of
 * kind (NULL or "": any), only those under no other if top, each of them
 * then with its number of units; total: how many match. */
enum kn_err kn_agency_page(struct kn_ctx *x, const char *kind, bool top, int offset, int limit, struct kn_agency **out,
                           int *n, int *total);
/* The agencies whose slug or name in any language has a word starting
 * with each word of q (case and ё/е aside: kn_utf8_fold), of kind (NULL or "": any), by name:
 * limit of them from offset; total: how many match. The registry is read
 * whole and matched here, the same on both databases. */
enum kn_err kn_agency_search(struct kn_ctx *x, const char *kind, const char *q, int offset, int limit,
                             struct kn_agency **out, int *n, int *total);
/* The agency key names: its id or short name, or else words of its name
 * that only it has (as kn_agency_search reads them: "finance" for the
 * Ministry of Finance). None or several: a field error (several are named
 * in it) and KN_EINVAL. */
enum kn_err kn_agency_pick(struct kn_ctx *x, const char *field, const char *key, struct kn_agency **out);
/* The first per units (by name) of each agency on that page of top-level
 * agencies (kn_agency_page with no kind, top): ordered by parent, then name. */
enum kn_err kn_agency_first_units(struct kn_ctx *x, int offset, int limit, int per, struct kn_agency **out, int *n);

enum kn_err kn_person_list(struct kn_ctx *x, struct kn_person **out, int *n);
/* limit of them from offset, by name; total (if not NULL): how many in all. */
enum kn_err kn_person_page(struct kn_ctx *x, int offset, int limit, struct kn_person **out, int *n, int *total);
/* The people with a word of their name (in any language) starting with
 * each word of q, by name: as kn_agency_search. */
enum kn_err kn_person_search(struct kn_ctx *x, const char *q, int offset, int limit, struct kn_person **out, int *n,
                             int *total);
enum kn_err kn_person_create(struct kn_ctx *x, const struct kn_person *in, int64_t *id);

#endif
