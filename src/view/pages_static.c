/* pages_static.c: static assets, served from memory with long caching. */
#include "app/app.h"
#include "view/view.h"
#include <string.h>

extern const unsigned char kn_css[];
extern const size_t kn_css_len;

void kn_page_static(struct kn_req *r)
{
	const char *name = kn_req_param(r, "name");
	if (strcmp(name, "kenes.css") != 0) {
		kn_fail(r, 404, "not_found", NULL, "This page does not exist.");
		return;
	}
	kn_buf_add(&r->out, kn_css, kn_css_len);
	r->ctype = "text/css; charset=utf-8";
	r->cache = "public, max-age=86400";
}
