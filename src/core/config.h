/* config.h: the settings table. Precedence, lowest to highest: built-in
 * default, config file (--config FILE or KENES_CONFIG), environment
 * (KENES_<NAME>), command line (--name VALUE or --name=VALUE). */
#ifndef KN_CONFIG_H
#define KN_CONFIG_H
#include "core/kn.h"
#include <stdio.h>

struct kn_config {
	char *db;
	char *listen;
	long threads;
	long db_pool;
	char *base_url;
	bool trust_proxy;
	char *access_log;
	char *log_level;
	long max_body;
	long session_hours;
	char *locale_dir;
	char *default_lang;
	char *password_cost;
	long login_attempts;
	long login_window;
	bool test_clock;
	/* appeals: background scanner, mail, attachments, rate limits */
	long scan_interval;
	char *smtp_url, *smtp_from, *smtp_user, *smtp_password;
	long smtp_retry;
	long smtp_attempts;
	long appeal_files;
	long appeal_file_bytes;
	long appeal_rate_account;
	long appeal_rate_address;
	long appeal_rate_window;
	/* the public record (issue 5) */
	char *key_file;
	long checkpoint_events;
	long checkpoint_minutes;
	long open_data_minutes;
	char *telegram_api;
	char *config_file; /* not a setting: where the file came from */
};

/* The process-wide configuration (filled by kn_config_load). */
extern struct kn_config kn_cfg;

/* Fills kn_cfg from defaults, file, environment and argv. Options it knows
 * are removed from argv (argc updated); others stay for the subcommand.
 * On error writes a message to err and returns KN_EINVAL. */
enum kn_err kn_config_load(int *argc, char **argv, char *err, size_t errlen);
/* Applies one "name = value" setting; used by the loader and tests. */
enum kn_err kn_config_set(const char *name, const char *value, char *err, size_t errlen);
/* Parses a config file's text; err names the line. Used by the fuzz target. */
enum kn_err kn_config_parse(const char *text, size_t len, char *err, size_t errlen);
/* Writes the documented example config file (every setting, its default). */
void kn_config_example(FILE *out);
/* Writes the option help lines for --help. */
void kn_config_help(FILE *out);
void kn_config_free(void);
/* True when the setting was given (file, environment or command line)
 * rather than left at its default. */
bool kn_config_given(const char *name);

#endif
