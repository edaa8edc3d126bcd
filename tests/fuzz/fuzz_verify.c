/* fuzz_verify.c: libFuzzer target for `kenes verify --dump`: the reader of
 * an export folder (its signed manifest, export.json, the event log, the
 * checkpoints and every record kind's JSON) and the verification over what
 * it read. A journalist runs it on a folder downloaded from anywhere, signed
 * by whoever made it, so everything after the signatures is the sender's.
 *
 * Input: one byte of flags, then the folder's files, each after a line
 * "=== NAME" (its content runs to the next such line). The target then seals
 * the folder with its own key, so that inputs get past the signatures and
 * the digests:
 *   flags & 1  the log is rewritten into a valid chain: each event's seq,
 *              prev_hash and hash, and export.json's head, are set from the
 *              events as given (the chain is then only as broken as the
 *              changes make it);
 *   flags & 2  every checkpoint is signed with the target's key;
 *   flags & 4  the key is pinned (as --public-key), else it is taken from
 *              public-key.txt;
 *   flags & 8  (with 2) each checkpoint first takes the hash of the event
 *              its seq names, as the log has it then.
 * SHA256SUMS (unless the input has one), its signature and public-key.txt
 * (unless given) are always made. Invariants: the answer is OK, a conflict
 * or an unreadable file, never anything else; its message is terminated;
 * an OK answer counts as many events as the log has. FZ_SHOW=1 in the
 * environment prints each answer (to see how far a seed gets). */
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"

#include "core/arena.h"
#include "core/config.h"
#include "domain/event.h"
#include "domain/record.h"

#define MAXF 64

struct file {
	char name[128];
	char *data; /* malloc'd, NUL-terminated */
	size_t len;
};

struct folder {
	struct file f[MAXF];
	int n;
};

static struct kn_key key;

static struct file *find(struct folder *d, const char *name)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->f[i].name, name))
			return &d->f[i];
	return NULL;
}

/* sets (or adds) a file's content; takes data */
static void put(struct folder *d, const char *name, char *data, size_t len)
{
	struct file *f = find(d, name);
	if (!f) {
		if (d->n == MAXF) {
			free(data);
			return;
		}
		f = &d->f[d->n++];
		snprintf(f->name, sizeof(f->name), "%s", name);
	} else {
		free(f->data);
	}
	f->data = data;
	f->len = len;
}

static void put_json(struct folder *d, const char *name, json_t *v)
{
	char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (t)
		put(d, name, t, strlen(t));
}

static void split(struct folder *d, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (n - i < 4 || memcmp(s + i, "=== ", 4) != 0) {
			/* text before the first header, or a line that is not one */
			const char *nl = memchr(s + i, '\n', n - i);
			i = nl ? (size_t)(nl - s) + 1 : n;
			continue;
		}
		const char *name = s + i + 4, *nl = memchr(name, '\n', n - (size_t)(name - s));
		size_t nlen = nl ? (size_t)(nl - name) : n - (size_t)(name - s);
		size_t start = nl ? (size_t)(nl - s) + 1 : n, end = start;
		while (end < n && !(end + 4 <= n && (end == start || s[end - 1] == '\n') && !memcmp(s + end, "=== ", 4)))
			end++;
		if (nlen > 0 && nlen < sizeof(d->f[0].name) && !memchr(name, 0, nlen)) {
			char nm[128];
			memcpy(nm, name, nlen);
			nm[nlen] = 0;
			char *data = malloc(end - start + 1);
			if (data) {
				memcpy(data, s + start, end - start);
				data[end - start] = 0;
				put(d, nm, data, end - start);
			}
		}
		i = end;
	}
}

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t int_of(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* flags & 1: the events as a valid chain, the head after the last */
static void seal_chain(struct folder *d)
{
	struct file *f = find(d, "events.json");
	json_t *ev = f ? json_loads(f->data, 0, NULL) : NULL;
	if (!json_is_array(ev)) {
		json_decref(ev);
		return;
	}
	char prev[65];
	memset(prev, '0', 64);
	prev[64] = 0;
	size_t i;
	json_t *o;
	json_array_foreach(ev, i, o)
	{
		if (!json_is_object(o))
			continue;
		json_object_set_new(o, "seq", json_integer((json_int_t)i + 1));
		json_object_set_new(o, "prev_hash", json_string(prev));
		struct kn_event_row e = {
		    .seq = (int64_t)i + 1,
		    .at = int_of(o, "at"),
		    .council_id = int_of(o, "council_id"),
		    .agency_id = int_of(o, "agency_id"),
		    .record_id = int_of(o, "record_id"),
		    .actor_role = str_of(o, "actor_role"),
		    .actor_name = str_of(o, "actor_name"),
		    .kind = str_of(o, "record_kind"),
		    .action = str_of(o, "action"),
		    .change = str_of(o, "change"),
		    .prev_hash = prev,
		};
		char hex[65];
		if (!e.actor_role || !e.actor_name || !e.kind || !e.action || !e.change || kn_event_hash(&e, hex) != KN_OK)
			continue;
		json_object_set_new(o, "hash", json_string(hex));
		memcpy(prev, hex, sizeof(prev));
	}
	struct file *m = find(d, "export.json");
	json_t *meta = m ? json_loads(m->data, 0, NULL) : NULL;
	if (!json_is_object(meta)) {
		json_decref(meta);
		meta = json_object();
	}
	json_object_set_new(meta, "head", json_pack("{s:I, s:s}", "seq", (json_int_t)json_array_size(ev), "hash", prev));
	put_json(d, "events.json", ev);
	put_json(d, "export.json", meta);
	json_decref(ev);
	json_decref(meta);
}

/* flags & 2: every checkpoint signed, over the hash it names (flags & 8:
 * the hash of its event in the log) */
static void sign_checkpoints(struct folder *d, struct kn_arena *a, bool take_hash)
{
	struct file *f = find(d, "checkpoints.json"), *e = find(d, "events.json");
	json_t *cp = f ? json_loads(f->data, 0, NULL) : NULL;
	json_t *ev = take_hash && e ? json_loads(e->data, 0, NULL) : NULL;
	size_t i;
	json_t *o;
	json_array_foreach(cp, i, o)
	{
		if (!json_is_object(o))
			continue;
		int64_t seq = int_of(o, "seq");
		const char *eh = seq >= 1 ? str_of(json_array_get(ev, (size_t)(seq - 1)), "hash") : NULL;
		if (eh)
			json_object_set_new(o, "hash", json_string(eh));
		const char *h = str_of(o, "hash");
		const char *msg = kn_checkpoint_message(a, int_of(o, "seq"), h ? h : "", int_of(o, "at"));
		char sig[129];
		kn_key_sign_hex(&key, msg, strlen(msg), sig);
		json_object_set_new(o, "signature", json_string(sig));
		json_object_set_new(o, "public_key", json_string(key.pk_hex));
	}
	if (json_is_array(cp))
		put_json(d, "checkpoints.json", cp);
	json_decref(cp);
	json_decref(ev);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(((const struct file *)x)->name, ((const struct file *)y)->name);
}

/* the manifest (unless given), its signature and the key (unless given) */
static void seal_manifest(struct folder *d)
{
	if (!find(d, "SHA256SUMS")) {
		qsort(d->f, (size_t)d->n, sizeof(d->f[0]), by_name);
		size_t cap = (size_t)d->n * (64 + 2 + 128 + 1) + 1, len = 0;
		char *sums = malloc(cap);
		if (!sums)
			return;
		sums[0] = 0;
		for (int i = 0; i < d->n; i++) {
			unsigned char h[crypto_hash_sha256_BYTES];
			char hex[65];
			crypto_hash_sha256(h, (const unsigned char *)d->f[i].data, d->f[i].len);
			sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
			len += (size_t)snprintf(sums + len, cap - len, "%s  %s\n", hex, d->f[i].name);
		}
		put(d, "SHA256SUMS", sums, len);
	}
	struct file *m = find(d, "SHA256SUMS");
	char *sig = malloc(130);
	if (m && sig) {
		kn_key_sign_hex(&key, m->data, m->len, sig);
		sig[128] = '\n';
		sig[129] = 0;
		put(d, "SHA256SUMS.sig", sig, 129);
	} else {
		free(sig);
	}
	if (!find(d, "public-key.txt")) {
		char *pk = strdup(key.pk_hex);
		if (pk)
			put(d, "public-key.txt", pk, strlen(pk));
	}
}

static char *read_mem(void *ctx, struct kn_arena *a, const char *name, size_t *len)
{
	struct file *f = find(ctx, name);
	if (!f)
		return NULL;
	*len = f->len;
	return kn_strndup(a, f->data, f->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		FZ_CHECK(sodium_init() >= 0);
		crypto_sign_keypair(key.pk, key.sk);
		sodium_bin2hex(key.pk_hex, sizeof(key.pk_hex), key.pk, sizeof(key.pk));
		kn_cfg.key_file = "/nonexistent/kenes.key"; /* no installation key */
		ready = 1;
	}
	if (size < 1)
		return 0;
	int flags = data[0];
	struct folder *d = calloc(1, sizeof(*d));
	if (!d)
		return 0;
	struct kn_arena *a = kn_arena_new();
	split(d, (const char *)data + 1, size - 1);
	if (flags & 1)
		seal_chain(d);
	if (flags & 2)
		sign_checkpoints(d, a, flags & 8);
	seal_manifest(d);
	struct kn_verify_report rep;
	enum kn_err rc = kn_record_verify_export(a, read_mem, d, "fuzz", flags & 4 ? key.pk_hex : NULL, &rep);
	if (getenv("FZ_SHOW")) /* to see where a seed gets: FZ_SHOW=1 build/fuzz/fuzz_verify FILE */
		fprintf(stderr, "verify: rc %d, %lld events, %lld checkpoints, %lld records: %s\n", (int)rc,
		        (long long)rep.events, (long long)rep.checkpoints, (long long)rep.records, rep.msg);
	FZ_CHECK(rc == KN_OK || rc == KN_ECONFLICT || rc == KN_EIO);
	FZ_CHECK(memchr(rep.msg, 0, sizeof(rep.msg)) != NULL);
	if (rc == KN_OK) {
		struct file *ev = find(d, "events.json");
		json_t *v = ev ? json_loads(ev->data, 0, NULL) : NULL;
		FZ_CHECK(json_is_array(v) && rep.events == (int64_t)json_array_size(v));
		json_decref(v);
	}
	kn_arena_free(a);
	for (int i = 0; i < d->n; i++)
		free(d->f[i].data);
	free(d);
	return 0;
}
