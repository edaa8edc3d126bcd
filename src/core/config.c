/* config.c: one declarative table drives defaults, file, env, argv and docs. */
#include "core/config.h"
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct kn_config kn_cfg;

enum opt_type { OPT_STR, OPT_INT, OPT_BOOL };

static const struct opt {
	const char *name;
	enum opt_type type;
	size_t off;
	const char *def;
	const char *help;
} opts[] = {
	{"db", OPT_STR, offsetof(struct kn_config, db), "sqlite:kenes.db",
	 "database: sqlite:PATH or postgres://user@host:port/dbname"},
	{"listen", OPT_STR, offsetof(struct kn_config, listen), "127.0.0.1:8080",
	 "address and port the HTTP server listens on"},
	{"threads", OPT_INT, offsetof(struct kn_config, threads), "0",
	 "HTTP worker threads (0: one per CPU core)"},
	{"db_pool", OPT_INT, offsetof(struct kn_config, db_pool), "0",
	 "database connections (0: threads + 2)"},
	{"base_url", OPT_STR, offsetof(struct kn_config, base_url), "",
	 "public URL of the site, e.g. https://kenes.example.org (links in feeds and mail)"},
	{"trust_proxy", OPT_BOOL, offsetof(struct kn_config, trust_proxy), "false",
	 "honour X-Forwarded-For and X-Forwarded-Proto from a reverse proxy"},
	{"access_log", OPT_STR, offsetof(struct kn_config, access_log), "-",
	 "access log file; - for standard error, off to disable"},
	{"log_level", OPT_STR, offsetof(struct kn_config, log_level), "info",
	 "debug, info, warn or error"},
	{"max_body", OPT_INT, offsetof(struct kn_config, max_body), "1048576",
	 "largest request body accepted, in bytes (larger: 413)"},
	{"session_hours", OPT_INT, offsetof(struct kn_config, session_hours), "336",
	 "how long a login session lasts"},
	{"locale_dir", OPT_STR, offsetof(struct kn_config, locale_dir), "",
	 "folder with the ru.mo and kk.mo catalogs (empty: beside the binary)"},
	{"default_lang", OPT_STR, offsetof(struct kn_config, default_lang), "en",
	 "interface language when the browser states none we have: en, ru or kk"},
	{"password_cost", OPT_STR, offsetof(struct kn_config, password_cost), "interactive",
	 "argon2id cost: interactive, moderate or sensitive"},
	{"login_attempts", OPT_INT, offsetof(struct kn_config, login_attempts), "10",
	 "failed logins allowed per address and per account within login_window"},
	{"login_window", OPT_INT, offsetof(struct kn_config, login_window), "900",
	 "seconds over which failed logins are counted"},
	{"test_clock", OPT_BOOL, offsetof(struct kn_config, test_clock), "false",
	 "tests only: lets an operator move the server's clock (POST /api/v1/_test/clock); never in production"},
	{"key_file", OPT_STR, offsetof(struct kn_config, key_file), "kenes.key",
	 "the installation's Ed25519 signing key (kenes keygen creates it): signs checkpoints and open data"},
	{"checkpoint_events", OPT_INT, offsetof(struct kn_config, checkpoint_events), "100",
	 "sign a checkpoint of the event log after this many new events (0: not by count)"},
	{"checkpoint_minutes", OPT_INT, offsetof(struct kn_config, checkpoint_minutes), "60",
	 "sign a checkpoint when the last one is this old and events were added (0: not by time)"},
	{"open_data_minutes", OPT_INT, offsetof(struct kn_config, open_data_minutes), "10",
	 "/open-data serves one export; it is made again when the log has moved on and it is this old (0: at once)"},
	{"telegram_api", OPT_STR, offsetof(struct kn_config, telegram_api), "https://api.telegram.org",
	 "base URL of the Telegram Bot API (tests point it at a local stand-in)"},
	{"scan_interval", OPT_INT, offsetof(struct kn_config, scan_interval), "60",
	 "seconds between runs of the deadline scanner and the mail sender inside serve (0: off; use kenes tick)"},
	{"smtp_url", OPT_STR, offsetof(struct kn_config, smtp_url), "",
	 "mail server for notifications, smtp://host:port or smtps://host:port (empty: no e-mail)"},
	{"smtp_from", OPT_STR, offsetof(struct kn_config, smtp_from), "kenes@localhost",
	 "sender address of notification e-mail"},
	{"smtp_user", OPT_STR, offsetof(struct kn_config, smtp_user), "",
	 "mail server login (empty: none)"},
	{"smtp_password", OPT_STR, offsetof(struct kn_config, smtp_password), "",
	 "mail server password"},
	{"smtp_retry", OPT_INT, offsetof(struct kn_config, smtp_retry), "60",
	 "seconds before the first retry of a failed e-mail; doubles each time"},
	{"smtp_attempts", OPT_INT, offsetof(struct kn_config, smtp_attempts), "8",
	 "attempts before an e-mail is given up as failed"},
	{"appeal_files", OPT_INT, offsetof(struct kn_config, appeal_files), "3",
	 "attachments allowed per appeal or message"},
	{"appeal_file_bytes", OPT_INT, offsetof(struct kn_config, appeal_file_bytes), "5242880",
	 "largest attachment, in bytes"},
	{"appeal_rate_account", OPT_INT, offsetof(struct kn_config, appeal_rate_account), "5",
	 "appeals one account may file within appeal_rate_window"},
	{"appeal_rate_address", OPT_INT, offsetof(struct kn_config, appeal_rate_address), "20",
	 "appeals one network address may file within appeal_rate_window"},
	{"appeal_rate_window", OPT_INT, offsetof(struct kn_config, appeal_rate_window), "3600",
	 "seconds over which filed appeals are counted for the rate limits"},
};
/* which settings were given rather than left at their default */
static bool given[KN_ARRAY_LEN(opts)];

bool kn_config_given(const char *name)
{
	for (size_t i = 0; i < KN_ARRAY_LEN(opts); i++)
		if (!strcmp(opts[i].name, name))
			return given[i];
	return false;
}

static const struct opt *find_opt(const char *name, size_t n)
{
	for (size_t i = 0; i < KN_ARRAY_LEN(opts); i++) {
		if (strlen(opts[i].name) != n)
			continue;
		size_t j;
		for (j = 0; j < n; j++) {
			char c = name[j] == '-' ? '_' : (char)tolower((unsigned char)name[j]);
			if (c != opts[i].name[j])
				break;
		}
		if (j == n)
			return &opts[i];
	}
	return NULL;
}

static enum kn_err set_opt(const struct opt *o, const char *value, char *err, size_t errlen)
{
	char *base = (char *)&kn_cfg;
	switch (o->type) {
	case OPT_STR: {
		char **slot = (char **)(base + o->off);
		char *v = strdup(value);
		if (!v)
			return KN_ENOMEM;
		free(*slot);
		*slot = v;
		return KN_OK;
	}
	case OPT_INT: {
		char *end;
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end || v < 0) {
			snprintf(err, errlen, "%s: '%s' is not a non-negative whole number", o->name, value);
			return KN_EINVAL;
		}
		*(long *)(base + o->off) = v;
		return KN_OK;
	}
	case OPT_BOOL: {
		bool *slot = (bool *)(base + o->off);
		if (!strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "1") || !strcmp(value, "on"))
			*slot = true;
		else if (!strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "0") || !strcmp(value, "off"))
			*slot = false;
		else {
			snprintf(err, errlen, "%s: '%s' is not true or false", o->name, value);
			return KN_EINVAL;
		}
		return KN_OK;
	}
	}
	return KN_EINVAL;
}

enum kn_err kn_config_set(const char *name, const char *value, char *err, size_t errlen)
{
	const struct opt *o = find_opt(name, strlen(name));
	if (!o) {
		snprintf(err, errlen, "unknown setting '%s'", name);
		return KN_EINVAL;
	}
	enum kn_err rc = set_opt(o, value, err, errlen);
	if (!rc)
		given[o - opts] = true;
	return rc;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

enum kn_err kn_config_parse(const char *text, size_t len, char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	int line = 0;
	while (p < end) {
		line++;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *s = p, *e = le;
		p = nl ? nl + 1 : end;
		trim(&s, &e);
		if (s == e || *s == '#')
			continue;
		const char *eq = memchr(s, '=', (size_t)(e - s));
		if (!eq) {
			snprintf(err, errlen, "line %d: expected 'name = value'", line);
			return KN_EINVAL;
		}
		const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
		trim(&ks, &ke);
		trim(&vs, &ve);
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		const struct opt *o = find_opt(ks, (size_t)(ke - ks));
		if (!o) {
			snprintf(err, errlen, "line %d: unknown setting '%.*s'", line, (int)(ke - ks), ks);
			return KN_EINVAL;
		}
		if (memchr(vs, 0, (size_t)(ve - vs))) {
			snprintf(err, errlen, "line %d: NUL byte in value", line);
			return KN_EINVAL;
		}
		char *v = strndup(vs, (size_t)(ve - vs));
		if (!v)
			return KN_ENOMEM;
		char sub[256];
		enum kn_err rc = set_opt(o, v, sub, sizeof(sub));
		free(v);
		if (!rc)
			given[o - opts] = true;
		if (rc) {
			snprintf(err, errlen, "line %d: %s", line, sub);
			return rc;
		}
	}
	return KN_OK;
}

static enum kn_err load_file(const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "cannot open config file %s: %s", path, strerror(errno));
		return KN_EIO;
	}
	char *text = NULL;
	size_t len = 0, cap = 0;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (len + n > 1 << 20) {
			fclose(fp);
			free(text);
			snprintf(err, errlen, "config file %s is over 1 MiB", path);
			return KN_ETOOBIG;
		}
		if (len + n > cap) {
			cap = (len + n) * 2;
			char *t = realloc(text, cap);
			if (!t) {
				fclose(fp);
				free(text);
				return KN_ENOMEM;
			}
			text = t;
		}
		memcpy(text + len, chunk, n);
		len += n;
	}
	fclose(fp);
	char sub[300];
	enum kn_err rc = kn_config_parse(text ? text : "", len, sub, sizeof(sub));
	free(text);
	if (rc)
		snprintf(err, errlen, "%s: %s", path, sub);
	return rc;
}

void kn_config_free(void)
{
	char *base = (char *)&kn_cfg;
	for (size_t i = 0; i < KN_ARRAY_LEN(opts); i++)
		if (opts[i].type == OPT_STR) {
			char **slot = (char **)(base + opts[i].off);
			free(*slot);
			*slot = NULL;
		}
	free(kn_cfg.config_file);
	kn_cfg.config_file = NULL;
}

static void remove_args(int *argc, char **argv, int at, int n)
{
	for (int i = at; i + n <= *argc; i++)
		argv[i] = argv[i + n];
	*argc -= n;
}

enum kn_err kn_config_load(int *argc, char **argv, char *err, size_t errlen)
{
	enum kn_err rc;
	kn_config_free();
	memset(given, 0, sizeof(given));
	for (size_t i = 0; i < KN_ARRAY_LEN(opts); i++)
		if ((rc = set_opt(&opts[i], opts[i].def, err, errlen)))
			return rc;

	/* the config file: --config on the command line wins over KENES_CONFIG */
	const char *file = getenv("KENES_CONFIG");
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) 
			break;
		if (!strcmp(argv[i], "--config") && i + 1 < *argc)
			file = argv[i + 1];
		else if (!strncmp(argv[i], "--config=", 9))
			file = argv[i] + 9;
	}
	if (file && *file) {
		kn_cfg.config_file = strdup(file);
		if ((rc = load_file(file, err, errlen)))
			return rc;
	}

	for (size_t i = 0; i < KN_ARRAY_LEN(opts); i++) {
		char env[64] = "KENES_";
		size_t k = 6;
		for (const char *c = opts[i].name; *c && k < sizeof(env) - 1; c++)
			env[k++] = (char)toupper((unsigned char)*c);
		env[k] = 0;
		const char *v = getenv(env);
		if (v) {
			char sub[200];
			if ((rc = set_opt(&opts[i], v, sub, sizeof(sub)))) {
				snprintf(err, errlen, "%s: %s", env, sub);
				return rc;
			}
			given[i] = true;
		}
	}

	for (int i = 1; i < *argc;) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			break;
		if (strncmp(a, "--", 2) != 0) {
			i++;
			continue;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		if (nlen == 6 && !strncmp(name, "config", 6)) {
			remove_args(argc, argv, i, eq ? 1 : (i + 1 < *argc ? 2 : 1));
			continue;
		}
		const struct opt *o = find_opt(name, nlen);
		if (!o) {
			i++;
			continue;
		}
		const char *v;
		int used = 1;
		if (eq)
			v = eq + 1;
		else if (o->type == OPT_BOOL && (i + 1 >= *argc || strncmp(argv[i + 1], "--", 2) == 0 ||
		                                  (strcmp(argv[i + 1], "true") && strcmp(argv[i + 1], "false"))))
			v = "true";
		else if (i + 1 < *argc) {
			v = argv[i + 1];
			used = 2;
		} else {
			snprintf(err, errlen, "option --%s needs a value", o->name);
			return KN_EINVAL;
		}
		if ((rc = set_opt(o, v, err, errlen)))
			return rc;
		given[o - opts] = true;
		remove_args(argc, argv, i, used);
	}
	return KN_OK;
}

void kn_config_example(FILE *out)
{
	fputs("# Kenes configuration file. Every setting, with its default.\n"
	      "# Precedence: default < this file < KENES_<NAME> environment < --name VALUE.\n\n",
	      out);
	for (size_t i = 0; i < KN_ARRAY_LEN(opts); i++)
		fprintf(out, "# %s\n#%s = %s\n\n", opts[i].help, opts[i].name, opts[i].def);
}

void kn_config_help(FILE *out)
{
	fputs("Settings (also KENES_<NAME> and the config file):\n"
	      "  --config FILE             read settings from FILE (KENES_CONFIG)\n",
	      out);
	for (size_t i = 0; i < KN_ARRAY_LEN(opts); i++) {
		char name[40];
		snprintf(name, sizeof(name), "--%s", opts[i].name);
		for (char *c = name + 2; *c; c++)
			if (*c == '_')
				*c = '-';
		fprintf(out, "  %-25s %s (default: %s)\n", name, opts[i].help,
		        *opts[i].def ? opts[i].def : "none");
	}
}
