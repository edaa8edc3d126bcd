/* fuzz_multipart.c: libFuzzer target for multipart/form-data; the first input line is the Content-Type, the rest the body. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/arena.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *nl = memchr(in, '\n', size);
	if (!nl)
		return 0;
	struct kn_arena *a = kn_arena_new();
	if (!a)
		return 0;
	size_t hl = (size_t)(nl - in);
	if (hl > 0 && in[hl - 1] == '\r')
		hl--;
	char *ctype = kn_strndup(a, in, hl); /* a header value is a C string */
	size_t n = size - (size_t)(nl + 1 - in);
	char *body = malloc(n ? n : 1); /* exact size: over-reads show */
	if (!body) {
		kn_arena_free(a);
		return 0;
	}
	memcpy(body, nl + 1, n);

	struct kn_kv *fields = (struct kn_kv *)1;
	struct kn_file *files = (struct kn_file *)1;
	enum kn_err rc = kn_parse_multipart(a, ctype, body, n, &fields, &files);
	FZ_CHECK(rc == KN_OK || rc == KN_EINVAL || rc == KN_ETOOBIG);
	if (rc == KN_OK) {
		size_t total = 0;
		for (const struct kn_kv *e = fields; e; e = e->next) {
			FZ_CHECK(e->k && *e->k);
			FZ_CHECK(e->vlen <= n && e->v[e->vlen] == 0);
			FZ_CHECK(memmem(body, n, e->v, e->vlen) != NULL);
			total += e->vlen;
		}
		for (const struct kn_file *f = files; f; f = f->next) {
			FZ_CHECK(f->field && *f->field && f->filename && f->ctype);
			FZ_CHECK(f->len <= n && f->data[f->len] == 0);
			FZ_CHECK(memmem(body, n, f->data, f->len) != NULL);
			total += f->len;
		}
		FZ_CHECK(total <= n);
	} else {
		/* on failure the outputs are reset, never left dangling */
		FZ_CHECK(fields != (struct kn_kv *)1 && files != (struct kn_file *)1);
	}
	free(body);
	kn_arena_free(a);
	return 0;
}
