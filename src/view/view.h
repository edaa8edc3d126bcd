/* view.h: page layout, forms and the HTML handlers. Only src/view writes markup. */
#ifndef KN_VIEW_H
#define KN_VIEW_H
#include "domain/domain.h"
#include "http/req.h"
#include "view/html.h"

/* The CSRF token forms must carry (creates it and its cookie on first use). */
const char *kn_csrf_token(struct kn_req *r);

/* Starts a page: doctype, head, site header and navigation, <main>. */
void kn_view_begin(struct kn_req *r, const char *title);
/* Ends it: </main>, footer. Sets status 200 unless set, and the type. */
void kn_view_end(struct kn_req *r);
/* A whole error page in the visitor's language. */
void kn_view_error(struct kn_req *r, int status, const char *msg);
/* Formats a unix time / date for display. */
const char *kn_view_time(struct kn_req *r, int64_t t);

/* The links to a council's sections (composition, meetings, ...). The
 * table of sections is in pages_registry.c: add yours there. */
void kn_council_nav(struct kn_req *r, const char *slug);

/* "Showing 51-100 of 500" and links to the previous and next pages of a
 * list; base is the list's address with its filters (a query string
 * without page=), already URL-safe. */
void kn_view_pager(struct kn_req *r, const char *base, int offset, int limit, int total);

/* One link of a row of filters, " · " before all but the first; the list
 * shown is marked aria-current="page". href is URL-safe; text is shown
 * as it is (already translated). */
void kn_view_filter_link(struct kn_req *r, bool first, const char *href, bool current, const char *text);

/* An agency, read once per request: from the whole registry when the
 * page has read it (kn_view_agencies), else by itself; NULL if unknown.
 * Only its id, slug and names are to be used. */
struct kn_agency;
const struct kn_agency *kn_view_agency(struct kn_req *r, int64_t agency_id);
/* Its name in the visitor's language; fallback when the id is unknown. */
const char *kn_view_agency_name(struct kn_req *r, int64_t agency_id, const char *fallback);
/* Every agency, read once per request: id, slug and names only. */
int kn_view_agencies(struct kn_req *r, const struct kn_agency **out);
/* A datalist offers at most this many choices; past it, a field takes
 * words of a name instead (kn_agency_pick, kn_person_pick). */
#define KN_DATALIST_MAX 100
/* The registry as a datalist (id "agencies") for fields naming an agency,
 * while it has at most KN_DATALIST_MAX agencies: a national registry's
 * (804 at the scale test's size) is ~58 KB. Returns the list's id, or NULL. */
const char *kn_view_agency_datalist(struct kn_req *r);
/* The people of mode (kn_person_choices) as a datalist for the fields
 * naming a person, while there are at most KN_DATALIST_MAX of them: a
 * national registry of people would be the page. The fields take the name
 * or words of it instead (kn_person_pick). Returns the list's id or NULL. */
const char *kn_view_people_datalist(struct kn_req *r, int64_t council_id, int mode);
/* The agencies council_id gave assignments to (its list's agency filter),
 * read once per request; kn_view_agency finds the others one by one. */
int kn_view_council_agencies(struct kn_req *r, int64_t council_id, const struct kn_agency **out);

/* A working group's name in the visitor's language (the council's groups,
 * read once per request); fallback when the id is unknown. */
const char *kn_view_group_name(struct kn_req *r, int64_t council_id, int64_t group_id, const char *fallback);

/* How an event action reads ("agenda_item_added": "agenda item added"),
 * as an untranslated msgid, or NULL for an action without words. */
const char *kn_event_label(const char *action);

/* The whole history of a record (its events), oldest first. */
void kn_view_history(struct kn_req *r, struct kn_ctx *x, const char *kind, int64_t id);
/* The same with the events of related records of kind2 (ids2[0..n2)),
 * merged in log order: a person's history with its career entries. */
void kn_view_history_with(struct kn_req *r, struct kn_ctx *x, const char *kind, int64_t id, const char *kind2,
                          const int64_t *ids2, int n2);

/* Form pieces. errs: the field errors to show next to their fields. */
void kn_form_begin(struct kn_req *r, const char *action, bool multipart);
void kn_form_end(struct kn_req *r, const char *submit_label);
void kn_form_errors(struct kn_req *r, const struct kn_ferr *errs);
void kn_form_input(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                   const char *value, const char *type, bool required, const char *hint);
void kn_form_textarea(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                      const char *value, const char *hint);
/* options: value/label pairs, NULL-terminated. Labels are translated. */
void kn_form_select(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                    const char *value, const char *const *options);
/* A text input offering the choices of the datalist list (kn_form_datalist)
 * as the visitor types; the server checks what is sent. Many inputs share
 * one list: a page with eleven of them carries its choices once. */
void kn_form_input_list(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                        const char *value, const char *list /* NULL: none */, const char *hint);
/* The choices of such inputs, once per page: value/label pairs as
 * kn_form_select's (a pair with an empty value is left out). */
void kn_form_datalist(struct kn_req *r, const char *id, const char *const *options);
/* A one-button form posting to action (e.g. log out, revoke). */
void kn_form_button(struct kn_req *r, const char *action, const char *label);

/* Static files and the HTML handlers (one file per page family). */
void kn_page_static(struct kn_req *r);
void kn_page_home(struct kn_req *r);
void kn_page_councils(struct kn_req *r);
void kn_page_council(struct kn_req *r);
void kn_page_council_new(struct kn_req *r);
void kn_page_council_edit(struct kn_req *r);
void kn_page_agencies(struct kn_req *r);
void kn_page_agency(struct kn_req *r);
void kn_page_agency_new(struct kn_req *r);
void kn_page_agency_edit(struct kn_req *r);
void kn_page_register(struct kn_req *r);
void kn_page_login(struct kn_req *r);
void kn_page_logout(struct kn_req *r);
void kn_page_account(struct kn_req *r);
void kn_page_account_password(struct kn_req *r);
void kn_page_account_token_new(struct kn_req *r);
void kn_page_account_token_revoke(struct kn_req *r);
void kn_page_admin_roles(struct kn_req *r);
void kn_page_api_docs(struct kn_req *r);

/* The public record (issue 5): feeds.c, pages_record.c, telegram.c. */
struct kn_event_row;
const char *kn_view_telegram(struct kn_ctx *x, const char *lang, const struct kn_event_row *e, const char *title,
                             const char *url);
void kn_feed_council(struct kn_req *r);
void kn_feed_agency(struct kn_req *r);
void kn_feed_record(struct kn_req *r);
void kn_feed_group_atom(struct kn_req *r);
void kn_feed_meetings_ics(struct kn_req *r);
void kn_page_record(struct kn_req *r);
void kn_page_transparency(struct kn_req *r);
void kn_page_open_data(struct kn_req *r);
void kn_page_open_data_file(struct kn_req *r);
void kn_page_telegram(struct kn_req *r);
void kn_page_webhooks(struct kn_req *r);
/* Sends prepared bytes unchanged (download.c). */
void kn_view_download(struct kn_req *r, const char *data, size_t len, const char *ctype);

#endif
