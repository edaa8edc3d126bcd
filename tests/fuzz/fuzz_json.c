/* fuzz_json.c: libFuzzer target for the API body parser (kn_json_parse_object) with a dump/re-parse round trip. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "api/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[300];
	err[0] = 0;
	json_t *v = kn_json_parse_object((const char *)data, size, err, sizeof(err));
	if (!v) {
		FZ_CHECK(err[0] != 0); /* a failure always says why */
		return 0;
	}
	FZ_CHECK(json_is_object(v));
	char *out = json_dumps(v, JSON_COMPACT);
	FZ_CHECK(out != NULL);
	json_t *w = kn_json_parse_object(out, strlen(out), err, sizeof(err));
	if (!w)
		fprintf(stderr, "re-parse failed: %s\n%s\n", err, out);
	FZ_CHECK(w != NULL);
	FZ_CHECK(json_equal(v, w));
	/* and the dump is stable */
	char *out2 = json_dumps(w, JSON_COMPACT);
	FZ_CHECK(out2 && !strcmp(out, out2));
	free(out2);
	free(out);
	json_decref(w);
	json_decref(v);
	return 0;
}
