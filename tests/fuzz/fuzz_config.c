/* fuzz_config.c: libFuzzer target for the config file parser (kn_config_parse). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[300];
	err[0] = 0;
	/* the text as load_file hands it over: exactly len bytes, no NUL */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	enum kn_err rc = kn_config_parse(text, size, err, sizeof(err));
	if (rc == KN_EINVAL)
		FZ_CHECK(!strncmp(err, "line ", 5)); /* errors name the line */
	else
		FZ_CHECK(rc == KN_OK);
	if (rc == KN_OK) {
		FZ_CHECK(kn_cfg.threads >= 0 && kn_cfg.max_body >= 0);
		FZ_CHECK(kn_cfg.session_hours >= 0 && kn_cfg.login_window >= 0);
	}
	free(text);
	kn_config_free();
	memset(&kn_cfg, 0, sizeof(kn_cfg)); /* longs and bools too */
	return 0;
}
