/* cli.c: the kenes command line: serve, migrate, demo, user, role, backup,
 * version, config, and the dispatch to calendar and opinion. */
#include "cli/cli.h"
#include "app/app.h"
#include "app/jobs.h"
#include "cli/cmd_calendar.h"
#include "cli/cmd_tick.h"
#include "cli/cmd_consultation.h"
#include "domain/consultation.h"
#include "app/scanner.h"
#include "cli/cmd_record.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/demo.h"
#include "domain/event.h"
#include "http/server.h"
#include "opinion/opinion_cli.h"
#include "store/store.h"
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#ifndef KN_VERSION
#define KN_VERSION "0.1.0"
#endif


static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

static void print_errs(const struct kn_ferr *e)
{
	for (; e; e = e->next)
		fprintf(stderr, "kenes: %s%s%s\n", e->field ? e->field : "", e->field ? ": " : "", e->msg);
}

static struct kn_db *open_db(int pool)
{
	char err[512];
	struct kn_db *db = kn_db_open(kn_cfg.db, pool, err, sizeof(err));
	if (!db)
		fprintf(stderr, "kenes: %s\n", err);
	return db;
}

static int migrate_db(struct kn_db *db, bool quiet)
{
	char err[512];
	int n;
	if (kn_db_migrate(db, &n, err, sizeof(err))) {
		fprintf(stderr, "kenes: %s\n", err);
		return 1;
	}
	if (!quiet || n)
		printf("kenes: %s: %d migration%s applied, schema version %d\n", kn_db_url_redacted(db), n, n == 1 ? "" : "s",
		       kn_db_schema_version(db));
	return 0;
}

/* Runs fn in one transaction on a fresh context. */
static enum kn_err in_tx(struct kn_db *db, enum kn_err (*fn)(struct kn_ctx *x, void *arg), void *arg)
{
	struct kn_arena *a = kn_arena_new();
	struct kn_conn *c = kn_db_acquire(db);
	struct kn_ctx x = {.a = a, .c = c, .now = kn_now(), .actor_name = "command line", .actor_role = "operator"};
	enum kn_err rc = kn_db_begin(c);
	if (!rc) {
		rc = fn(&x, arg);
		if (rc) {
			kn_db_rollback(c);
			if (rc == KN_EINVAL)
				print_errs(x.errs);
		} else {
			rc = kn_db_commit(c);
		}
	}
	if (rc && rc != KN_EINVAL)
		fprintf(stderr, "kenes: failed: %s%s%s\n", kn_err_str(rc), *kn_conn_errmsg(c) ? ": " : "", kn_conn_errmsg(c));
	kn_db_release(c);
	kn_arena_free(a);
	return rc;
}

/* ---- serve ---------------------------------------------------------------- */

static const char *locale_dir(void)
{
	static char dir[PATH_MAX + 64];
	if (kn_cfg.locale_dir && *kn_cfg.locale_dir)
		return kn_cfg.locale_dir;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return "locale";
	exe[n] = 0;
	/* build/kenes finds build/locale; build/asan/kenes finds it one up */
	const char *base = dirname(exe);
	static const char *const tries[] = {"/locale", "/../locale", "/../share/kenes/locale"};
	for (size_t i = 0; i < KN_ARRAY_LEN(tries); i++) {
		char probe[PATH_MAX + 40];
		snprintf(probe, sizeof(probe), "%s%s", base, tries[i]);
		char mo[PATH_MAX + 60];
		snprintf(mo, sizeof(mo), "%s/ru.mo", probe);
		if (access(mo, R_OK) == 0) {
			snprintf(dir, sizeof(dir), "%s", probe);
			return dir;
		}
	}
	snprintf(dir, sizeof(dir), "%s/locale", base);
	return dir;
}

const char *kn_cli_locale_dir(void)
{
	return locale_dir();
}

static int cmd_serve(int argc, char **argv)
{
	if (wants_help(argc, argv) || argc > 1) {
		printf("usage: kenes serve [--db URL] [--listen HOST:PORT] [settings]\n\n"
		       "Applies pending migrations, then serves the web portal and the JSON API until\n"
		       "SIGTERM or SIGINT, which finish the requests in flight and exit cleanly.\n\n");
		kn_config_help(stdout);
		return argc > 1 && !wants_help(argc, argv) ? 2 : 0;
	}
	int threads = kn_cfg.threads > 0 ? (int)kn_cfg.threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	int pool = kn_cfg.db_pool > 0 ? (int)kn_cfg.db_pool : threads + 2;
	kn_app.db = open_db(pool);
	if (!kn_app.db)
		return 1;
	if (migrate_db(kn_app.db, true))
		return 1;
	if (kn_log_access_open(kn_cfg.access_log)) {
		fprintf(stderr, "kenes: cannot open access log %s: %s\n", kn_cfg.access_log, strerror(errno));
		return 1;
	}
	kn_i18n_load(locale_dir());

	/* signals are taken by this thread only: block them before the
	 * server's threads start so those inherit the mask */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct kn_server_opts o = {
	    .listen = kn_cfg.listen,
	    .threads = threads,
	    .max_body = (size_t)kn_cfg.max_body,
	    .max_upload = (size_t)kn_cfg.max_body * 10 > (size_t)(kn_cfg.appeal_files * kn_cfg.appeal_file_bytes * 2)
	                      ? (size_t)kn_cfg.max_body * 10
	                      : (size_t)(kn_cfg.appeal_files * kn_cfg.appeal_file_bytes * 2), /* appeal attachments */
	    .trust_proxy = kn_cfg.trust_proxy,
	    .dispatch = kn_app_dispatch,
	    .finished = kn_app_finished,
	    .resumed = kn_app_resumed,
	};
	char err[512];
	struct kn_server *s = kn_server_start(&o, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "kenes: %s\n", err);
		kn_db_close(kn_app.db);
		return 1;
	}
	kn_info("serving %s on http://%s (port %d), %d threads, database %s", kn_app.version, kn_cfg.listen,
	        kn_server_port(s), threads, kn_db_url_redacted(kn_app.db));
	fflush(stderr);
	kn_jobs_start(kn_app.db); /* checkpoints and the publication outbox */
	kn_scanner_start(kn_app.db); /* appeals: deadlines and e-mail */
	kn_consult_start(kn_app.db, 3000); /* consultations: vote writer and analysis */
	int sig = 0;
	sigwait(&set, &sig);
	kn_info("%s received: finishing %d request(s) in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT",
	        kn_server_inflight(s));
	kn_scanner_stop();
	kn_server_quiesce(s, 10000);
	/* votes still waiting for their batch (a slow disk) are written and
	 * answered while their connections are open, then connections close */
	kn_consult_stop();
	kn_server_stop(s);
	kn_jobs_stop();
	kn_db_close(kn_app.db);
	kn_i18n_free();
	kn_info("stopped");
	return 0;
}

/* ---- migrate, demo, backup, version ----------------------------------------- */

static int cmd_migrate(int argc, char **argv)
{
	if (wants_help(argc, argv) || argc > 1) {
		printf("usage: kenes migrate [--db URL]\n\nApplies the numbered schema migrations not yet applied, each in\n"
		       "one transaction. serve does this too at start-up. Known migrations: %d.\n",
		       kn_db_migrations_known());
		return argc > 1 && !wants_help(argc, argv) ? 2 : 0;
	}
	struct kn_db *db = open_db(1);
	if (!db)
		return 1;
	int rc = migrate_db(db, false);
	kn_db_close(db);
	return rc;
}

struct demo_arg {
	const char *password;
};

static enum kn_err demo_fn(struct kn_ctx *x, void *arg)
{
	struct demo_arg *d = arg;
	return kn_demo_load(x, d->password, stdout);
}

static int cmd_demo(int argc, char **argv)
{
	if (wants_help(argc, argv) || argc > 1) {
		printf("usage: kenes demo [--db URL]\n\n"
		       "Loads the demo council (the National Council of Public Trust from the source\n"
		       "article, its successor, people, agencies and one account per role) into an\n"
		       "empty database, in one transaction, and prints the demo accounts' passwords.\n"
		       "KENES_DEMO_PASSWORD, when set, is used for every demo account instead of\n"
		       "random passwords (for tests).\n");
		return argc > 1 && !wants_help(argc, argv) ? 2 : 0;
	}
	struct kn_db *db = open_db(1);
	if (!db)
		return 1;
	if (migrate_db(db, true)) {
		kn_db_close(db);
		return 1;
	}
	struct demo_arg d = {.password = getenv("KENES_DEMO_PASSWORD")};
	enum kn_err rc = in_tx(db, demo_fn, &d);
	if (rc == KN_ECONFLICT)
		fprintf(stderr, "kenes: the database already has councils; demo data goes only into an empty one\n");
	kn_db_close(db);
	return rc ? 1 : 0;
}

static int cmd_backup(int argc, char **argv)
{
	if (wants_help(argc, argv) || argc != 2) {
		printf("usage: kenes backup [--db URL] DEST\n\n"
		       "Writes a consistent copy of a SQLite database to DEST with SQLite's online\n"
		       "backup API; safe while kenes serve is running. For PostgreSQL use pg_dump -Fc\n"
		       "(a consistent snapshot while serving) or pg_basebackup for a physical copy.\n");
		return wants_help(argc, argv) ? 0 : 2;
	}
	if (access(argv[1], F_OK) == 0) {
		fprintf(stderr, "kenes: %s exists; choose a new file\n", argv[1]);
		return 1;
	}
	struct kn_db *db = open_db(1);
	if (!db)
		return 1;
	char err[512];
	enum kn_err rc = kn_db_backup(db, argv[1], err, sizeof(err));
	if (rc)
		fprintf(stderr, "kenes: %s\n", err);
	else
		printf("kenes: backup written to %s\n", argv[1]);
	kn_db_close(db);
	return rc ? 1 : 0;
}

/* ---- user and role ------------------------------------------------------------ */

/* Reads one line (the password) from stdin, without echo on a terminal. */
static char *read_password(const char *prompt)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fprintf(stderr, "%s", prompt);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	return line;
}

struct user_arg {
	const char *login, *name, *email, *password, *role, *scope;
	bool operator, revoke;
};

static enum kn_err user_add_fn(struct kn_ctx *x, void *arg)
{
	struct user_arg *u = arg;
	int64_t id;
	enum kn_err rc = kn_account_register(x, u->login, u->name ? u->name : u->login, u->email, u->password, &id);
	if (!rc && u->operator)
		rc = kn_role_grant(x, u->login, "operator", NULL);
	return rc;
}

static enum kn_err user_passwd_fn(struct kn_ctx *x, void *arg)
{
	struct user_arg *u = arg;
	enum kn_err rc = kn_account_set_password(x, u->login, u->password);
	if (rc == KN_ENOTFOUND) {
		kn_ferr_add(x, "login", "No such account.");
		return KN_EINVAL;
	}
	return rc;
}

static int cmd_user(int argc, char **argv)
{
	if (argc < 3 || wants_help(argc, argv)) {
		fputs("usage: kenes user add LOGIN [--name NAME] [--email EMAIL] [--operator]\n"
		      "       kenes user passwd LOGIN\n\n"
		      "The password is read from standard input (one line; not echoed on a terminal),\n"
		      "never from the command line. Example: printf '%s\\n' \"$PW\" | kenes user add ada\n",
		      stdout);
		return wants_help(argc, argv) ? 0 : 2;
	}
	struct user_arg u = {.login = argv[2]};
	bool add = !strcmp(argv[1], "add");
	if (!add && strcmp(argv[1], "passwd")) {
		fprintf(stderr, "kenes user: unknown subcommand '%s'\n", argv[1]);
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (add && !strcmp(argv[i], "--name") && i + 1 < argc)
			u.name = argv[++i];
		else if (add && !strcmp(argv[i], "--email") && i + 1 < argc)
			u.email = argv[++i];
		else if (add && !strcmp(argv[i], "--operator"))
			u.operator= true;
		else {
			fprintf(stderr, "kenes user: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	char *pw = read_password("Password: ");
	if (!pw) {
		fprintf(stderr, "kenes user: no password on standard input\n");
		return 1;
	}
	u.password = pw;
	struct kn_db *db = open_db(1);
	int status = 1;
	if (db && !migrate_db(db, true)) {
		enum kn_err rc = in_tx(db, add ? user_add_fn : user_passwd_fn, &u);
		if (!rc)
			printf("kenes: %s %s\n", add ? "created account" : "changed the password of", u.login);
		status = rc ? 1 : 0;
	}
	sodium_memzero(pw, strlen(pw));
	free(pw);
	kn_db_close(db);
	return status;
}

static enum kn_err role_fn(struct kn_ctx *x, void *arg)
{
	struct user_arg *u = arg;
	return u->revoke ? kn_role_revoke(x, u->login, u->role, u->scope) : kn_role_grant(x, u->login, u->role, u->scope);
}

static int cmd_role(int argc, char **argv)
{
	if (argc < 4 || wants_help(argc, argv)) {
		printf("usage: kenes role grant|revoke ROLE LOGIN [--council ID|SLUG | --agency ID|SLUG]\n\n"
		       "Roles: operator (platform-wide), chair, secretary, member (per council, with\n"
		       "--council), officer (per agency, with --agency).\n");
		return wants_help(argc, argv) ? 0 : 2;
	}
	struct user_arg u = {.role = argv[2], .login = argv[3]};
	if (!strcmp(argv[1], "revoke"))
		u.revoke = true;
	else if (strcmp(argv[1], "grant")) {
		fprintf(stderr, "kenes role: say grant or revoke, not '%s'\n", argv[1]);
		return 2;
	}
	for (int i = 4; i < argc; i++) {
		if ((!strcmp(argv[i], "--council") || !strcmp(argv[i], "--agency")) && i + 1 < argc)
			u.scope = argv[++i];
		else {
			fprintf(stderr, "kenes role: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	struct kn_db *db = open_db(1);
	int status = 1;
	if (db && !migrate_db(db, true)) {
		enum kn_err rc = in_tx(db, role_fn, &u);
		if (!rc)
			printf("kenes: %s %s %s%s%s\n", u.revoke ? "revoked" : "granted", u.role, u.login, u.scope ? " in " : "",
			       u.scope ? u.scope : "");
		status = rc ? 1 : 0;
	}
	kn_db_close(db);
	return status;
}

static int cmd_config(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "example")) {
		kn_config_example(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "show")) {
		printf("db = %s\nlisten = %s\nconfig file = %s\n", kn_cfg.db, kn_cfg.listen,
		       kn_cfg.config_file ? kn_cfg.config_file : "(none)");
		return 0;
	}
	printf("usage: kenes config example | show\n\n  example  prints a config file with every setting and its default\n"
	       "  show     prints the effective database and listen address\n");
	return wants_help(argc, argv) ? 0 : 2;
}

static int cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		printf("usage: kenes version\n");
		return wants_help(argc, argv) ? 0 : 2;
	}
	printf("kenes %s (sqlite schema migrations: %d)\n", KN_VERSION, kn_db_migrations_known());
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
    {"serve", cmd_serve, "serve the web portal and the API"},
    {"migrate", cmd_migrate, "apply database migrations"},
    {"demo", cmd_demo, "load the demo council into an empty database"},
    {"user", cmd_user, "add an account or change its password (password on stdin)"},
    {"role", cmd_role, "grant or revoke a role"},
    {"verify", kn_cmd_verify, "check the public record: event chain, checkpoints, records (live or a dump)"},
    {"keygen", kn_cmd_keygen, "create the installation's signing key"},
    {"checkpoint", kn_cmd_checkpoint, "sign the head of the event log now"},
    {"export", kn_cmd_export, "write the open data (CSV, JSON, signed manifest) into a folder"},
    {"outbox", kn_cmd_outbox, "deliver pending Telegram and webhook messages once"},
    {"backup", cmd_backup, "online, consistent copy of a SQLite database"},
    {"tick", kn_cmd_tick, "run the appeals' deadline scanner and send due e-mail once (cron)"},
    {"calendar", kn_cmd_calendar, "working days: show a month, add working days"},
    {"opinion", kn_cmd_opinion, "opinion mapping of a Pol.is export"},
    {"consultation", kn_cmd_consultation, "export a consultation in Pol.is format, or import a Pol.is export"},
    {"config", cmd_config, "print an example config file"},
    {"version", cmd_version, "print the version"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: kenes COMMAND [options]\n\nCommands:\n");
	for (size_t i = 0; i < KN_ARRAY_LEN(cmds); i++)
		fprintf(out, "  %-10s %s\n", cmds[i].name, cmds[i].help);
	fprintf(out, "\nCommon options: --db sqlite:PATH | postgres://..., --listen HOST:PORT, --config FILE.\n"
	             "Run 'kenes COMMAND --help' for a command's options.\n\n");
	kn_config_help(out);
}

int kn_cli_main(int argc, char **argv)
{
	snprintf(kn_app.version, sizeof(kn_app.version), "%s", KN_VERSION);
	if (sodium_init() < 0) {
		fprintf(stderr, "kenes: libsodium failed to initialise\n");
		return 1;
	}
	unsetenv("LANGUAGE");
	char err[512];
	if (kn_config_load(&argc, argv, err, sizeof(err))) {
		fprintf(stderr, "kenes: %s\n", err);
		return 2;
	}
	if (!strcmp(kn_cfg.log_level, "debug"))
		kn_log_set_level(KN_LOG_DEBUG);
	else if (!strcmp(kn_cfg.log_level, "warn"))
		kn_log_set_level(KN_LOG_WARN);
	else if (!strcmp(kn_cfg.log_level, "error"))
		kn_log_set_level(KN_LOG_ERROR);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, argv + 1);
	int status = 2;
	bool found = false;
	for (size_t i = 0; i < KN_ARRAY_LEN(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name)) {
			found = true;
			status = cmds[i].fn(argc - 1, argv + 1);
			break;
		}
	if (!found) {
		fprintf(stderr, "kenes: unknown command '%s'\n\n", argv[1]);
		usage(stderr);
	}
	kn_config_free();
	return status;
}
