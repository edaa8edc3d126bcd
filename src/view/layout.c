/* layout.c: the page frame, error pages and form pieces. */
#include "app/app.h"
#include "core/arena.h"
#include "core/calendar.h"
#include "core/i18n.h"
#include "view/view.h"
#include <string.h>
#include <time.h>

static void nav_link(struct kn_req *r, const char *href, const char *label)
{
	bool here = !strcmp(r->path, href) || (strlen(href) > 1 && !strncmp(r->path, href, strlen(href)));
	if (here)
		kn_h(&r->out, "<li><a href=\"%s\" aria-current=\"page\">%t</a></li>", href, label);
	else
		kn_h(&r->out, "<li><a href=\"%s\">%t</a></li>", href, label);
}

void kn_view_begin(struct kn_req *r, const char *title)
{
	struct kn_buf *b = &r->out;
	kn_h(b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	        "<title>%s · Kenes</title><link rel=\"stylesheet\" href=\"/static/kenes.css\"></head><body>"
	        "<a class=\"skip\" href=\"#main\">%t</a><header class=\"site\"><a class=\"brand\" href=\"/\">Kenes</a>"
	        "<nav aria-label=\"%t\"><ul>",
	     r->lang, title, N_("Skip to content"), N_("Main menu"));
	nav_link(r, "/councils", N_("Councils"));
	nav_link(r, "/agencies", N_("Agencies"));
	nav_link(r, "/api", N_("API"));
	if (r->user) {
		if (r->user->is_operator)
			nav_link(r, "/admin/roles", N_("Roles"));
		nav_link(r, "/inbox", N_("Inbox"));
		nav_link(r, "/account", N_("Account"));
		kn_h(b, "<li>");
		kn_form_button(r, "/logout", N_("Log out"));
		kn_h(b, "</li>");
	} else {
		nav_link(r, "/login", N_("Log in"));
		nav_link(r, "/register", N_("Register"));
	}
	kn_h(b, "</ul></nav><ul class=\"langs\" aria-label=\"%t\">", N_("Language"));
	static const char *const names[] = {"English", "Русский", "Қазақша"};
	for (int i = 0; i < KN_NLANGS; i++) {
		if (!strcmp(r->lang, kn_langs[i]))
			kn_h(b, "<li><strong lang=\"%s\">%s</strong></li>", kn_langs[i], names[i]);
		else
			kn_h(b, "<li><a lang=\"%s\" hreflang=\"%s\" href=\"%s?lang=%s\">%s</a></li>", kn_langs[i], kn_langs[i],
			     r->path, kn_langs[i], names[i]);
	}
	kn_h(b, "</ul></header><main id=\"main\">");
}

void kn_view_end(struct kn_req *r)
{
	kn_h(&r->out,
	     "</main><footer class=\"site\"><p>%t <a href=\"/api\">%t</a> · <a href=\"/api/v1/openapi.json\">OpenAPI</a></p>"
	     "</footer></body></html>\n",
	     N_("Kenes: public trust councils, in the open."), N_("API"));
	r->ctype = "text/html; charset=utf-8";
	if (!r->status)
		r->status = 200;
}

void kn_view_error(struct kn_req *r, int status, const char *msg)
{
	kn_buf_reset(&r->out);
	const char *title = status == 404   ? N_("Not found")
	                    : status == 403 ? N_("Not allowed")
	                    : status == 413 ? N_("Too large")
	                    : status == 429 ? N_("Too many attempts")
	                    : status >= 500 ? N_("Server error")
	                                    : N_("Something is wrong with the request");
	kn_view_begin(r, _(title));
	kn_h(&r->out, "<h1>%t</h1><p class=\"error\">%t</p><p><a href=\"/\">%t</a></p>", title, msg,
	     N_("Go to the home page"));
	kn_view_end(r);
	r->status = status;
	r->cache = "no-store";
}

const char *kn_view_time(struct kn_req *r, int64_t t)
{
	if (!t)
		return "";
	/* "YYYY-MM-DD HH:MM UTC" without gmtime and strftime (a history
	 * shows one per event) */
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), sec = t - day * 86400;
	char *buf = kn_alloc(r->a, 32);
	kn_date_format((int32_t)day, buf, 32);
	size_t n = strlen(buf);
	int hh = (int)(sec / 3600), mm = (int)(sec / 60 % 60);
	buf[n] = ' ';
	buf[n + 1] = (char)('0' + hh / 10);
	buf[n + 2] = (char)('0' + hh % 10);
	buf[n + 3] = ':';
	buf[n + 4] = (char)('0' + mm / 10);
	buf[n + 5] = (char)('0' + mm % 10);
	memcpy(buf + n + 6, " UTC", 5);
	return buf;
}

void kn_form_begin(struct kn_req *r, const char *action, bool multipart)
{
	kn_h(&r->out, "<form method=\"post\" action=\"%s\"", action);
	if (multipart)
		kn_h(&r->out, " enctype=\"multipart/form-data\"");
	kn_h(&r->out, "><input type=\"hidden\" name=\"csrf\" value=\"%s\">", kn_csrf_token(r));
}

void kn_form_end(struct kn_req *r, const char *submit_label)
{
	kn_h(&r->out, "<p><button type=\"submit\">%t</button></p></form>", submit_label);
}

void kn_form_button(struct kn_req *r, const char *action, const char *label)
{
	kn_h(&r->out,
	     "<form method=\"post\" action=\"%s\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	     "<button type=\"submit\" class=\"link\">%t</button></form>",
	     action, kn_csrf_token(r), label);
}

void kn_form_errors(struct kn_req *r, const struct kn_ferr *errs)
{
	if (!errs)
		return;
	kn_h(&r->out, "<div class=\"errors\" role=\"alert\"><h2>%t</h2><ul>", N_("Please correct the following:"));
	for (; errs; errs = errs->next) {
		if (errs->field)
			kn_h(&r->out, "<li><a href=\"#f-%s\">%t</a></li>", errs->field, errs->msg);
		else
			kn_h(&r->out, "<li>%t</li>", errs->msg);
	}
	kn_h(&r->out, "</ul></div>");
}

static const char *field_error(const struct kn_ferr *errs, const char *name)
{
	for (; errs; errs = errs->next)
		if (errs->field && !strcmp(errs->field, name))
			return errs->msg;
	return NULL;
}

static void field_head(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                       const char *hint, bool required)
{
	const char *err = field_error(errs, name);
	kn_h(&r->out, "<div class=\"field%s\"><label for=\"f-%s\">%t", err ? " has-error" : "", name, label);
	if (required)
		kn_h(&r->out, " <span class=\"req\">(%t)</span>", N_("required"));
	kn_h(&r->out, "</label>");
	if (hint)
		kn_h(&r->out, "<p class=\"hint\" id=\"h-%s\">%t</p>", name, hint);
	if (err)
		kn_h(&r->out, "<p class=\"field-error\" id=\"e-%s\">%t</p>", name, err);
}

static void described_by(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *hint)
{
	bool err = field_error(errs, name) != NULL;
	if (!err && !hint)
		return;
	kn_h(&r->out, " aria-describedby=\"");
	if (hint)
		kn_h(&r->out, "h-%s ", name);
	if (err)
		kn_h(&r->out, "e-%s", name);
	kn_h(&r->out, "\"");
	if (err)
		kn_h(&r->out, " aria-invalid=\"true\"");
}

static void input_field(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                        const char *value, const char *type, bool required, const char *hint, const char *list)
{
	field_head(r, errs, name, label, hint, required);
	kn_h(&r->out, "<input id=\"f-%s\" name=\"%s\" type=\"%s\"", name, name, type ? type : "text");
	if (value && (!type || strcmp(type, "password")))
		kn_h(&r->out, " value=\"%s\"", value);
	if (list)
		kn_h(&r->out, " list=\"%s\" autocomplete=\"off\"", list);
	if (required)
		kn_h(&r->out, " required");
	described_by(r, errs, name, hint);
	kn_h(&r->out, "></div>");
}

void kn_form_input(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                   const char *value, const char *type, bool required, const char *hint)
{
	input_field(r, errs, name, label, value, type, required, hint, NULL);
}

void kn_form_input_list(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                        const char *value, const char *list, const char *hint)
{
	input_field(r, errs, name, label, value, NULL, false, hint, list);
}

void kn_form_datalist(struct kn_req *r, const char *id, const char *const *options)
{
	kn_h(&r->out, "<datalist id=\"%s\">", id);
	for (int i = 0; options[i]; i += 2)
		if (*options[i])
			kn_h(&r->out, "<option value=\"%s\">%t</option>", options[i], options[i + 1]);
	kn_h(&r->out, "</datalist>");
}

void kn_form_textarea(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                      const char *value, const char *hint)
{
	field_head(r, errs, name, label, hint, false);
	kn_h(&r->out, "<textarea id=\"f-%s\" name=\"%s\" rows=\"8\"", name, name);
	described_by(r, errs, name, hint);
	kn_h(&r->out, ">%s</textarea></div>", value ? value : "");
}

void kn_form_select(struct kn_req *r, const struct kn_ferr *errs, const char *name, const char *label,
                    const char *value, const char *const *options)
{
	field_head(r, errs, name, label, NULL, false);
	kn_h(&r->out, "<select id=\"f-%s\" name=\"%s\"", name, name);
	described_by(r, errs, name, NULL);
	kn_h(&r->out, ">");
	for (int i = 0; options[i]; i += 2) {
		bool sel = value && !strcmp(value, options[i]);
		kn_h(&r->out, "<option value=\"%s\"%s>%t</option>", options[i], sel ? " selected" : "", options[i + 1]);
	}
	kn_h(&r->out, "</select></div>");
}

void kn_view_filter_link(struct kn_req *r, bool first, const char *href, bool current, const char *text)
{
	if (!first)
		kn_h(&r->out, " · ");
	if (current)
		kn_h(&r->out, "<a href=\"%s\" aria-current=\"page\">%s</a>", href, text);
	else
		kn_h(&r->out, "<a href=\"%s\">%s</a>", href, text);
}

void kn_view_pager(struct kn_req *r, const char *base, int offset, int limit, int total)
{
	if (total <= limit && offset == 0)
		return;
	int page = offset / limit + 1, pages = (total + limit - 1) / limit;
	const char *sep = strchr(base, '?') ? "&" : "?";
	int last = offset + limit < total ? offset + limit : total;
	kn_h(&r->out, "<nav class=\"pager\" aria-label=\"%t\"><p>", N_("Pages"));
	if (offset >= total) {
		/* past the end (an old link, a hand-made address): say so, and where the list ends */
		kn_h(&r->out, "%t", N_("This page is past the end of the list."));
		if (pages > 0)
			kn_h(&r->out, " <a href=\"%s%spage=%d\">%t %d / %d</a>", base, sep, pages, N_("Page"), pages, pages);
		kn_h(&r->out, "</p></nav>");
		return;
	}
	kn_h(&r->out, "%d–%d / %d. ", offset + 1 > total ? total : offset + 1, last, total);
	if (page > 1)
		kn_h(&r->out, "<a rel=\"prev\" href=\"%s%spage=%d\">%t</a> ", base, sep, page - 1, N_("Previous page"));
	kn_h(&r->out, "%t %d / %d", N_("Page"), page, pages > 0 ? pages : 1);
	if (page < pages)
		kn_h(&r->out, " <a rel=\"next\" href=\"%s%spage=%d\">%t</a>", base, sep, page + 1, N_("Next page"));
	kn_h(&r->out, "</p></nav>");
}
