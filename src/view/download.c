/* download.c: sends prepared bytes (an open-data file) as they are: the
 * one place in src/view besides html.c and pages_static.c that writes the
 * response buffer directly, because these bytes are not markup. */
#include "view/view.h"

void kn_view_download(struct kn_req *r, const char *data, size_t len, const char *ctype)
{
	kn_buf_reset(&r->out);
	kn_buf_add(&r->out, data, len);
	r->ctype = ctype;
	r->status = 200;
}
