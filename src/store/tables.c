/* tables.c: which tables each SQL statement reads and writes, and when each
 * table last changed in this process. A cached page remembers the tables
 * its render read and is served only while none of them changed: filing an
 * appeal or casting a vote no longer throws away every council's pages.
 *
 * The statements are the program's own literals (kn_sql refuses anything
 * else), so each is scanned once, keyed by its address: a table is the
 * name after FROM, JOIN, INTO or UPDATE, and after a comma in a FROM list.
 * Names beyond the 63rd share the last bit (more invalidation, never less). */
#include "store/driver.h"
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>

#define NBITS 64
#define NAME_MAX_LEN 48
#define SLOTS 2048 /* power of two, above the program's distinct SQL texts */

static char names[NBITS][NAME_MAX_LEN];
static int nnames;
static pthread_mutex_t names_mu = PTHREAD_MUTEX_INITIALIZER;

struct classified {
	_Atomic(const char *) sql;
	uint64_t reads, writes;
};
static struct classified cache[SLOTS];

static _Atomic uint64_t seq = 1;        /* the last change, any table */
static _Atomic uint64_t changed[NBITS]; /* the change that last touched each */

static uint64_t bit_of(const char *name, size_t len)
{
	if (len >= NAME_MAX_LEN)
		len = NAME_MAX_LEN - 1;
	pthread_mutex_lock(&names_mu);
	int i;
	for (i = 0; i < nnames; i++)
		if (strlen(names[i]) == len && !strncasecmp(names[i], name, len))
			break;
	if (i == nnames && nnames < NBITS) {
		memcpy(names[i], name, len);
		names[i][len] = 0;
		for (size_t k = 0; k < len; k++)
			names[i][k] = (char)tolower((unsigned char)names[i][k]);
		nnames++;
	}
	pthread_mutex_unlock(&names_mu);
	return 1ull << (i < NBITS ? i : NBITS - 1);
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool word_is(const char *w, size_t n, const char *kw)
{
	return strlen(kw) == n && !strncasecmp(w, kw, n);
}

/* words that may follow a table name in a FROM list, ending it */
static bool ends_from_list(const char *w, size_t n)
{
	static const char *const kws[] = {"WHERE", "JOIN", "LEFT", "INNER", "CROSS", "ON", "GROUP", "ORDER",
	                                  "LIMIT", "UNION", "HAVING", "SET", "VALUES", "SELECT", "RETURNING",
	                                  "AS", "USING", "NATURAL", "OUTER", "DEFAULT", "WINDOW", NULL};
	for (int i = 0; kws[i]; i++)
		if (word_is(w, n, kws[i]))
			return true;
	return false;
}

static void classify(const char *sql, uint64_t *reads, uint64_t *writes)
{
	*reads = *writes = 0;
	enum { NONE, READ_NEXT, WRITE_NEXT } want = NONE;
	bool in_from = false; /* after a FROM table: ", name" is another table */
	bool prev_comma = false, prev_delete = false;
	const char *p = sql;
	while (*p) {
		if (*p == '\'') { /* a string literal ('' inside is a quote) */
			for (p++; *p; p++) {
				if (*p != '\'')
					continue;
				if (p[1] != '\'')
					break;
				p++;
			}
			if (*p)
				p++;
			want = NONE;
			continue;
		}
		if (*p == ',') {
			prev_comma = true;
			p++;
			continue;
		}
		if (*p == '(' || *p == ')') {
			in_from = false;
			want = NONE;
			prev_comma = false;
			p++;
			continue;
		}
		if (!ident_char(*p) && *p != '"') {
			p++;
			continue;
		}
		bool quoted = *p == '"';
		const char *w = quoted ? p + 1 : p;
		size_t n = 0;
		while (quoted ? (w[n] && w[n] != '"') : ident_char(w[n]))
			n++;
		p = w + n + (quoted && w[n] == '"');
		bool comma = prev_comma, delete = prev_delete;
		prev_comma = false;
		prev_delete = !quoted && word_is(w, n, "DELETE");
		if (!quoted && (word_is(w, n, "FROM") || word_is(w, n, "JOIN"))) {
			want = delete ? WRITE_NEXT : READ_NEXT; /* DELETE FROM t writes t */
			continue;
		}
		if (!quoted && (word_is(w, n, "INTO") || word_is(w, n, "UPDATE"))) {
			want = WRITE_NEXT;
			in_from = false;
			continue;
		}
		if (!quoted && ends_from_list(w, n)) {
			in_from = false;
			want = NONE;
			continue;
		}
		if (want == READ_NEXT || (in_from && comma)) {
			*reads |= bit_of(w, n);
			in_from = true;
		} else if (want == WRITE_NEXT) {
			*writes |= bit_of(w, n);
		}
		want = NONE;
	}
	/* a write reads too (UPDATE ... WHERE, RETURNING) */
	*reads |= *writes;
}

void kn_sql_tables(const char *sql, uint64_t *reads, uint64_t *writes)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	unsigned slot = (unsigned)(h >> 52) & (SLOTS - 1);
	for (unsigned probe = 0; probe < SLOTS; probe++) {
		struct classified *e = &cache[(slot + probe) & (SLOTS - 1)];
		const char *k = atomic_load_explicit(&e->sql, memory_order_acquire);
		if (k == sql) {
			*reads = e->reads;
			*writes = e->writes;
			return;
		}
		if (k)
			continue;
		classify(sql, reads, writes);
		/* publish: the masks first, then the key (a racing thread that
		 * loses just classifies again, with the same answer) */
		const char *expected = NULL;
		pthread_mutex_lock(&names_mu);
		if (!atomic_load_explicit(&e->sql, memory_order_relaxed)) {
			e->reads = *reads;
			e->writes = *writes;
			atomic_compare_exchange_strong(&e->sql, &expected, sql);
		}
		pthread_mutex_unlock(&names_mu);
		return;
	}
	/* full: every table, both ways */
	*reads = *writes = ~0ull;
}

void kn_tables_changed(uint64_t mask)
{
	if (!mask)
		return;
	uint64_t s = atomic_fetch_add(&seq, 1) + 1;
	for (int i = 0; i < NBITS; i++)
		if (mask & (1ull << i)) {
			/* never move a table's mark backwards (a later change may
			 * have stored a higher one first) */
			uint64_t old = atomic_load(&changed[i]);
			while (old < s && !atomic_compare_exchange_weak(&changed[i], &old, s))
				;
		}
}

uint64_t kn_db_generation(void)
{
	return atomic_load(&seq);
}

void kn_db_generation_bump(void)
{
	kn_tables_changed(~0ull);
}

bool kn_tables_unchanged_since(uint64_t mask, uint64_t gen)
{
	for (; mask; mask &= mask - 1)
		if (atomic_load(&changed[__builtin_ctzll(mask)]) > gen)
			return false;
	return true;
}
