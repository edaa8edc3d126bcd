/* pages_api.c: a readable page about the API, made from the route table. */
#include "app/app.h"
#include "core/i18n.h"
#include "view/view.h"

void kn_page_api_docs(struct kn_req *r)
{
	struct kn_buf *b = &r->out;
	kn_view_begin(r, _("API"));
	kn_h(b, "<h1>%t</h1><p>%t</p><p><a href=\"/api/v1/openapi.json\">%t</a> (OpenAPI 3.1)</p>", N_("The JSON API"),
	     N_("Every page of Kenes has the same operations in the JSON API."),
	     N_("The machine-readable description of the API"));
	kn_h(b, "<p>%t</p>",
	     N_("Agency systems use a bearer token (create one on your account page): send it as "
	        "Authorization: Bearer followed by the token. Errors are JSON objects with a code, a message and the field concerned."));
	kn_h(b, "<p>%t</p>",
	     N_("Long lists come a page at a time: ?limit= (100 unless asked, at most 500) and ?offset=; the answer gives "
	        "the total, the offset and the limit beside the list."));
	kn_h(b, "<table><thead><tr><th>%t</th><th>%t</th><th>%t</th></tr></thead><tbody>", N_("Method"), N_("Address"),
	     N_("What it does"));
	static const struct {
		unsigned m;
		const char *name;
	} methods[] = {{KN_GET, "GET"}, {KN_POST, "POST"}, {KN_PUT, "PUT"}, {KN_DELETE, "DELETE"}, {KN_PATCH, "PATCH"}};
	for (int i = 0; i < kn_nroutes; i++) {
		if (!(kn_routes[i].flags & KN_RF_API))
			continue;
		for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++)
			if (kn_routes[i].methods & methods[k].m)
				kn_h(b, "<tr><td>%s</td><td><code>%s</code></td><td>%t</td></tr>", methods[k].name,
				     kn_routes[i].pattern, kn_routes[i].summary ? kn_routes[i].summary : "");
	}
	kn_h(b, "</tbody></table>");
	kn_view_end(r);
}
