/* cmd_calendar.c: `kenes calendar` — show a month's working days, add working days to a date, check a calendar file. */
#include "cli/cmd_calendar.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/config.h"
#include "domain/workcal.h"
#include "store/store.h"

#define EXIT_USAGE 2
#define MAX_SKIPPED_LISTED 100

static const char *const weekday_short[8] = {"",   "Mon", "Tue", "Wed",
					     "Thu", "Fri", "Sat", "Sun"};
static const char *const weekday_long[8] = {
	"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"};
static const char *const month_names[13] = {
	"",	    "January",	 "February", "March",  "April",
	"May",	    "June",	 "July",     "August", "September",
	"October", "November", "December"};

static const char usage_main[] =
	"usage: kenes calendar COMMAND [--calendar FILE | --db URL]\n"
	"\n"
	"Working days as deadlines count them: weekends, public holidays, days\n"
	"off in lieu of holidays on a weekend, and moved days off.\n"
	"\n"
	"commands:\n"
	"  month YYYY-MM          the month as a grid, its days off with reasons\n"
	"                         and its number of working days\n"
	"  add YYYY-MM-DD N       the date N working days after YYYY-MM-DD, and\n"
	"                         the days off skipped on the way\n"
	"  check                  validate a calendar file (exit 1 on errors)\n"
	"\n"
	"options:\n"
	"  --calendar FILE        use this calendar file instead of the built-in\n"
	"                         Kazakhstan calendar (format: docs/calendar.md)\n"
	"  --db URL               use the calendar stored in this database (edited by\n"
	"                         the operator at /admin/calendar; the built-in one\n"
	"                         when none is stored)\n"
	"  -h, --help             this help; `kenes calendar COMMAND --help` for one\n";

static const char usage_month[] =
	"usage: kenes calendar month YYYY-MM [--calendar FILE | --db URL]\n"
	"\n"
	"Prints the month as a grid starting on Monday. Marks: '.' weekend,\n"
	"'*' holiday or day off, '+' working day by decree (e.g. a working\n"
	"Saturday). Then lists every holiday, day off and decreed working day\n"
	"with its reason, and the number of working days in the month.\n";

static const char usage_add[] =
	"usage: kenes calendar add YYYY-MM-DD N [--calendar FILE | --db URL]\n"
	"\n"
	"Prints the Nth working day strictly after YYYY-MM-DD (N = 0..100000;\n"
	"N = 0 prints the date itself), then each day off skipped on the way\n"
	"and why. \"Acknowledge within 1 working day\" of a Friday is Monday,\n"
	"or the next working day after it.\n";

static const char usage_check[] =
	"usage: kenes calendar check [--calendar FILE | --db URL]\n"
	"\n"
	"Parses the calendar file (the built-in one without --calendar) and\n"
	"prints every error with its line number. Exit status 1 on errors.\n";

struct cal_args {
	const char *file; /* NULL: built-in; points into argv */
	const char *pos[3];
	int npos;
	int help;
};

/* Parses the arguments after the subcommand. Returns 0 or EXIT_USAGE. */
static int parse_args(int argc, char **argv, int first, struct cal_args *a,
		      FILE *err)
{
	memset(a, 0, sizeof(*a));
	for (int i = first; i < argc; i++) {
		const char *s = argv[i];
		if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
			a->help = 1;
		} else if (strcmp(s, "--calendar") == 0) {
			if (i + 1 >= argc) {
				fprintf(err, "kenes calendar: --calendar needs a FILE\n");
				return EXIT_USAGE;
			}
			a->file = argv[++i];
		} else if (strncmp(s, "--calendar=", 11) == 0) {
			a->file = s + 11;
		} else if (s[0] == '-' && s[1] != '\0' &&
			   !(s[1] >= '0' && s[1] <= '9')) {
			fprintf(err, "kenes calendar: unknown option %s\n", s);
			return EXIT_USAGE;
		} else {
			if (a->npos == 3) {
				fprintf(err, "kenes calendar: too many arguments\n");
				return EXIT_USAGE;
			}
			a->pos[a->npos++] = s;
		}
	}
	return 0;
}

/* set when the calendar came from a database (--db) */
static char db_label[300];

static const char *source_label(const struct cal_args *a)
{
	return a->file ? a->file : *db_label ? db_label : "built-in (Kazakhstan)";
}

/* The text stored in the database named by --db (malloc'd), or NULL with
 * a message on err. */
static char *stored_text(FILE *err)
{
	char msg[512];
	struct kn_db *db = kn_db_open(kn_cfg.db, 1, msg, sizeof(msg));
	if (!db) {
		fprintf(err, "kenes calendar: %s\n", msg);
		return NULL;
	}
	int applied;
	char *out = NULL;
	if (kn_db_migrate(db, &applied, msg, sizeof(msg))) {
		fprintf(err, "kenes calendar: %s\n", msg);
	} else {
		struct kn_arena *a = kn_arena_new();
		struct kn_conn *c = kn_db_acquire(db);
		struct kn_ctx x = {.a = a, .c = c};
		const char *text;
		bool builtin;
		int64_t at;
		if (kn_workcal_text(&x, &text, &builtin, &at) == KN_OK) {
			out = strdup(text);
			snprintf(db_label, sizeof(db_label), "%s in %s",
				 builtin ? "built-in (Kazakhstan; none stored)" : "stored", kn_db_url_redacted(db));
		} else {
			fprintf(err, "kenes calendar: cannot read the stored calendar: %s\n", kn_conn_errmsg(c));
		}
		kn_db_release(c);
		kn_arena_free(a);
	}
	kn_db_close(db);
	return out;
}

/* Loads the calendar named by the arguments; prints errors prefixed with
 * the file name. Returns NULL on failure. */
static struct kn_calendar *load(const struct cal_args *a, FILE *err)
{
	struct kn_calendar *cal = NULL;
	char errbuf[4096];
	int rc;
	if (!a->file && kn_config_given("db")) {
		char *text = stored_text(err);
		if (!text)
			return NULL;
		rc = kn_calendar_load_string(text, strlen(text), &cal, errbuf, sizeof(errbuf));
		free(text);
	} else {
		rc = a->file ? kn_calendar_load_file(a->file, &cal, errbuf,
						     sizeof(errbuf))
			     : kn_calendar_load_string(
				       kn_calendar_default_text(),
				       strlen(kn_calendar_default_text()), &cal,
				       errbuf, sizeof(errbuf));
	}
	if (rc == 0)
		return cal;
	/* Content errors are "line N: ..." lines; prefix each with the source. */
	const char *s = errbuf;
	while (*s) {
		const char *nl = strchr(s, '\n');
		int len = nl ? (int)(nl - s) : (int)strlen(s);
		if (strncmp(s, "line ", 5) == 0)
			fprintf(err, "%s: %.*s\n", source_label(a), len, s);
		else
			fprintf(err, "%.*s\n", len, s);
		s += len + (nl ? 1 : 0);
	}
	return NULL;
}

static const char *kind_label(enum kn_calendar_kind k)
{
	switch (k) {
	case KN_CALENDAR_WORKING:
	case KN_CALENDAR_WORK:
		return "working day";
	case KN_CALENDAR_WEEKEND:
		return "weekend";
	case KN_CALENDAR_HOLIDAY:
		return "holiday";
	case KN_CALENDAR_IN_LIEU:
	case KN_CALENDAR_OFF:
		return "day off";
	}
	return "?";
}

/* "2021-07-05 Mon  day off      Day off moved from ..." */
static void print_day_line(FILE *out, const char *indent, int32_t date,
			   const struct kn_calendar_day *d)
{
	char ds[KN_DATE_STRLEN], ls[KN_DATE_STRLEN];
	kn_date_format(date, ds, sizeof(ds));
	int has_reason = d->kind == KN_CALENDAR_IN_LIEU || d->name;
	fprintf(out, has_reason ? "%s%s %s  %-13s" : "%s%s %s  %s", indent, ds,
		weekday_short[kn_date_weekday(date)], kind_label(d->kind));
	if (d->kind == KN_CALENDAR_IN_LIEU)
		fprintf(out, "in lieu of %s (%s)", d->name ? d->name : "?",
			kn_date_format(d->in_lieu_of, ls, sizeof(ls)));
	else if (d->name)
		fputs(d->name, out);
	fputc('\n', out);
}

static int parse_month(const char *s, int *year, int *month)
{
	int32_t date;
	char buf[KN_DATE_STRLEN];
	if (strlen(s) != 7)
		return -1;
	snprintf(buf, sizeof(buf), "%s-01", s);
	if (kn_date_parse(buf, &date) < 0)
		return -1;
	kn_date_to_ymd(date, year, month, NULL);
	return 0;
}

static int cmd_month(const struct cal_args *a, FILE *out, FILE *err)
{
	int year, month;
	if (a->npos != 1 || parse_month(a->pos[0], &year, &month) < 0) {
		fprintf(err, "%s", usage_month);
		return EXIT_USAGE;
	}
	struct kn_calendar *cal = load(a, err);
	if (!cal)
		return 1;
	int ndays = kn_date_days_in_month(year, month);
	int32_t first = kn_date_from_ymd(year, month, 1);
	struct kn_calendar_day days[31];
	int working = 0;
	for (int i = 0; i < ndays; i++) {
		kn_calendar_day_info(cal, first + i, &days[i]);
		working += days[i].working;
	}
	fprintf(out, "%s %d, calendar: %s\n", month_names[month], year,
		source_label(a));
	fprintf(out, " Mo  Tu  We  Th  Fr  Sa  Su\n");
	int col = kn_date_weekday(first) - 1;
	for (int c = 0; c < col; c++)
		fputs("    ", out);
	for (int i = 0; i < ndays; i++) {
		char mark = ' ';
		const struct kn_calendar_day *d = &days[i];
		if (d->kind == KN_CALENDAR_WEEKEND)
			mark = '.';
		else if (!d->working)
			mark = '*';
		else if (d->kind == KN_CALENDAR_WORK)
			mark = '+';
		char cell[16];
		snprintf(cell, sizeof(cell), "%3d%c", i + 1, mark);
		if (col == 6 || i == ndays - 1) {
			/* No trailing blank at the end of a row. */
			if (mark == ' ')
				cell[3] = '\0';
			fprintf(out, "%s\n", cell);
		} else {
			fputs(cell, out);
		}
		col = (col + 1) % 7;
	}
	fputs("('.' weekend, '*' holiday or day off, '+' working day by decree)\n",
	      out);
	for (int i = 0; i < ndays; i++) {
		if (days[i].kind != KN_CALENDAR_WORKING &&
		    days[i].kind != KN_CALENDAR_WEEKEND)
			print_day_line(out, "", first + i, &days[i]);
	}
	fprintf(out, "Working days: %d of %d\n", working, ndays);
	kn_calendar_free(cal);
	return 0;
}

static int cmd_add(const struct cal_args *a, FILE *out, FILE *err)
{
	int32_t date, due;
	if (a->npos != 2 || kn_date_parse(a->pos[0], &date) < 0) {
		fprintf(err, "%s", usage_add);
		return EXIT_USAGE;
	}
	char *end;
	errno = 0;
	long n = strtol(a->pos[1], &end, 10);
	if (errno || end == a->pos[1] || *end != '\0' || n < 0 || n > 100000) {
		fprintf(err, "kenes calendar add: N must be a whole number 0..100000, got \"%s\"\n",
			a->pos[1]);
		return EXIT_USAGE;
	}
	struct kn_calendar *cal = load(a, err);
	if (!cal)
		return 1;
	int rc = 1;
	if (kn_calendar_add_working_days(cal, date, (int)n, &due) < 0) {
		fprintf(err, "kenes calendar add: %s + %ld working days is out of range\n",
			a->pos[0], n);
		goto out;
	}
	char ds[KN_DATE_STRLEN];
	fprintf(out, "%s + %ld working day%s = %s (%s)\n", a->pos[0], n,
		n == 1 ? "" : "s", kn_date_format(due, ds, sizeof(ds)),
		weekday_long[kn_date_weekday(due)]);
	int skipped = 0;
	for (int32_t d = date + 1; d < due; d++) {
		struct kn_calendar_day day;
		kn_calendar_day_info(cal, d, &day);
		if (day.working)
			continue;
		if (skipped == 0)
			fputs("Days off skipped:\n", out);
		if (skipped < MAX_SKIPPED_LISTED)
			print_day_line(out, "  ", d, &day);
		skipped++;
	}
	if (skipped > MAX_SKIPPED_LISTED)
		fprintf(out, "  ... and %d more\n", skipped - MAX_SKIPPED_LISTED);
	if (skipped == 0 && n > 0)
		fputs("No days off skipped.\n", out);
	rc = 0;
out:
	kn_calendar_free(cal);
	return rc;
}

static int cmd_check(const struct cal_args *a, FILE *out, FILE *err)
{
	if (a->npos != 0) {
		fprintf(err, "%s", usage_check);
		return EXIT_USAGE;
	}
	struct kn_calendar *cal = load(a, err);
	if (!cal)
		return 1;
	struct kn_calendar_stats st;
	kn_calendar_stats(cal, &st);
	fprintf(out, "%s: ok, %d fixed holiday%s, %d dated entr%s", source_label(a),
		st.fixed, st.fixed == 1 ? "" : "s", st.dated,
		st.dated == 1 ? "y" : "ies");
	if (st.dated)
		fprintf(out, " (%d-%d)", st.first_year, st.last_year);
	fputs(", weekend", out);
	for (int wd = 1; wd <= 7; wd++)
		if (st.weekend_mask & (1 << (wd - 1)))
			fprintf(out, " %s", weekday_short[wd]);
	fputc('\n', out);
	kn_calendar_free(cal);
	return 0;
}

int kn_cmd_calendar_io(int argc, char **argv, FILE *out, FILE *err)
{
	struct cal_args a;
	if (argc < 2) {
		fprintf(err, "%s", usage_main);
		return EXIT_USAGE;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0 ||
	    strcmp(sub, "help") == 0) {
		fprintf(out, "%s", usage_main);
		return 0;
	}
	static const struct {
		const char *name;
		const char *usage;
		int (*run)(const struct cal_args *, FILE *, FILE *);
	} cmds[] = {
		{"month", usage_month, cmd_month},
		{"add", usage_add, cmd_add},
		{"check", usage_check, cmd_check},
	};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(sub, cmds[i].name) != 0)
			continue;
		int rc = parse_args(argc, argv, 2, &a, err);
		if (rc)
			return rc;
		if (a.help) {
			fprintf(out, "%s", cmds[i].usage);
			return 0;
		}
		return cmds[i].run(&a, out, err);
	}
	fprintf(err, "kenes calendar: unknown command \"%s\"\n\n%s", sub,
		usage_main);
	return EXIT_USAGE;
}

int kn_cmd_calendar(int argc, char **argv)
{
	return kn_cmd_calendar_io(argc, argv, stdout, stderr);
}
