/* checkpoint.c: the installation's Ed25519 key (key file) and signed
 * checkpoints of the event log's head. */
#include "domain/record.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "store/store.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY_HEADER "# kenes installation signing key (Ed25519): keep it secret, back it up.\n"
#define KEY_PREFIX "secret-key: "

enum kn_err kn_key_generate(const char *path, struct kn_key *out, char *err, size_t errlen)
{
	crypto_sign_keypair(out->pk, out->sk);
	sodium_bin2hex(out->pk_hex, sizeof(out->pk_hex), out->pk, sizeof(out->pk));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path,
		         errno == EEXIST ? "a key file is already there; it is never overwritten" : strerror(errno));
		return errno == EEXIST ? KN_ECONFLICT : KN_EIO;
	}
	char hex[2 * crypto_sign_SECRETKEYBYTES + 1];
	sodium_bin2hex(hex, sizeof(hex), out->sk, sizeof(out->sk));
	char text[sizeof(hex) + 256];
	int n = snprintf(text, sizeof(text), KEY_HEADER "public-key: %s\n" KEY_PREFIX "%s\n", out->pk_hex, hex);
	sodium_memzero(hex, sizeof(hex));
	bool ok = write(fd, text, (size_t)n) == n && fsync(fd) == 0;
	sodium_memzero(text, sizeof(text));
	if (close(fd) != 0)
		ok = false;
	if (!ok) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
		unlink(path);
		return KN_EIO;
	}
	return KN_OK;
}

enum kn_err kn_key_load(const char *path, struct kn_key *out, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? KN_ENOTFOUND : KN_EIO;
	}
	char line[512];
	bool found = false;
	while (fgets(line, sizeof(line), fp)) {
		if (strncmp(line, KEY_PREFIX, strlen(KEY_PREFIX)))
			continue;
		size_t blen;
		const char *hex = line + strlen(KEY_PREFIX);
		found = sodium_hex2bin(out->sk, sizeof(out->sk), hex, strcspn(hex, "\r\n"), NULL, &blen, NULL) == 0 &&
		        blen == sizeof(out->sk);
		break;
	}
	sodium_memzero(line, sizeof(line));
	fclose(fp);
	if (!found) {
		snprintf(err, errlen, "%s: not a kenes key file (no valid '" KEY_PREFIX "' line)", path);
		return KN_EINVAL;
	}
	crypto_sign_ed25519_sk_to_pk(out->pk, out->sk);
	sodium_bin2hex(out->pk_hex, sizeof(out->pk_hex), out->pk, sizeof(out->pk));
	return KN_OK;
}

static pthread_mutex_t key_mu = PTHREAD_MUTEX_INITIALIZER;
static struct kn_key inst_key;
static int inst_state; /* 0 not tried, 1 loaded, -1 none */

static const struct kn_key *installation(bool warn_missing)
{
	pthread_mutex_lock(&key_mu);
	if (inst_state == 0) {
		char err[512];
		const char *path = kn_cfg.key_file && *kn_cfg.key_file ? kn_cfg.key_file : "kenes.key";
		enum kn_err rc = kn_key_load(path, &inst_key, err, sizeof(err));
		inst_state = rc ? -1 : 1;
		if (rc == KN_ENOTFOUND) {
			if (warn_missing)
				kn_warn("no installation key (%s): checkpoints are not signed; run kenes keygen", path);
		} else if (rc)
			kn_error("installation key: %s", err);
	}
	const struct kn_key *k = inst_state == 1 ? &inst_key : NULL;
	pthread_mutex_unlock(&key_mu);
	return k;
}

const struct kn_key *kn_key_installation(void)
{
	return installation(true);
}

const struct kn_key *kn_key_installation_if_any(void)
{
	return installation(false);
}

void kn_key_sign_hex(const struct kn_key *k, const void *msg, size_t len, char sig_hex[129])
{
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, msg, len, k->sk);
	sodium_bin2hex(sig_hex, 129, sig, sizeof(sig));
}

bool kn_sig_check_hex(const char *pk_hex, const void *msg, size_t len, const char *sig_hex)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
	size_t n;
	if (!pk_hex || !sig_hex || strlen(pk_hex) != 2 * sizeof(pk) || strlen(sig_hex) != 2 * sizeof(sig))
		return false;
	if (sodium_hex2bin(pk, sizeof(pk), pk_hex, strlen(pk_hex), NULL, &n, NULL) || n != sizeof(pk))
		return false;
	if (sodium_hex2bin(sig, sizeof(sig), sig_hex, strlen(sig_hex), NULL, &n, NULL) || n != sizeof(sig))
		return false;
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}

const char *kn_checkpoint_message(struct kn_arena *a, int64_t seq, const char *hash, int64_t at)
{
	return kn_printf(a, "kenes-checkpoint v1\nseq %lld\nhash %s\nat %lld\n", (long long)seq, hash, (long long)at);
}

static void cp_rows(struct kn_ctx *x, struct kn_rows *r, struct kn_checkpoint **out)
{
	struct kn_checkpoint *c = kn_zalloc(x->a, sizeof(*c) * (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		c[i].id = kn_row_i(r, i, 0);
		c[i].seq = kn_row_i(r, i, 1);
		c[i].hash = kn_row_s(r, i, 2);
		c[i].at = kn_row_i(r, i, 3);
		c[i].public_key = kn_row_s(r, i, 4);
		c[i].signature = kn_row_s(r, i, 5);
	}
	*out = c;
}

enum kn_err kn_checkpoint_latest(struct kn_ctx *x, struct kn_checkpoint **out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r,
	                         "SELECT id, seq, hash, at, public_key, signature FROM checkpoints ORDER BY seq DESC LIMIT 1");
	if (rc)
		return rc;
	*out = NULL;
	if (r->n)
		cp_rows(x, r, out);
	return KN_OK;
}

enum kn_err kn_checkpoint_list(struct kn_ctx *x, struct kn_checkpoint **out, int *n)
{
	struct kn_rows *r;
	enum kn_err rc =
	    kn_sql0(x->c, x->a, &r, "SELECT id, seq, hash, at, public_key, signature FROM checkpoints ORDER BY seq");
	if (rc)
		return rc;
	cp_rows(x, r, out);
	*n = r->n;
	return KN_OK;
}

enum kn_err kn_checkpoint_maybe(struct kn_ctx *x, const struct kn_key *k, bool force, long every_events,
                                long every_seconds, int64_t *made)
{
	*made = 0;
	struct kn_rows *h;
	/* reading the head row inside the transaction: the head we sign is
	 * the head of a consistent snapshot */
	enum kn_err rc = kn_sql0(x->c, x->a, &h, "SELECT seq, hash FROM event_head WHERE id = 1");
	if (rc)
		return rc;
	if (h->n != 1)
		return KN_EDB;
	int64_t seq = kn_row_i(h, 0, 0);
	const char *hash = kn_row_s(h, 0, 1);
	struct kn_checkpoint *last;
	if ((rc = kn_checkpoint_latest(x, &last)))
		return rc;
	if (seq == 0 || (last && last->seq >= seq))
		return KN_OK; /* nothing new to sign */
	bool due = force || !last || (every_events > 0 && seq - last->seq >= every_events) ||
	           (every_seconds > 0 && x->now - last->at >= every_seconds);
	if (!due)
		return KN_OK;
	const char *msg = kn_checkpoint_message(x->a, seq, hash, x->now);
	char sig[129];
	kn_key_sign_hex(k, msg, strlen(msg), sig);
	rc = kn_sql(x->c, x->a, &h,
	            "INSERT INTO checkpoints (seq, hash, at, public_key, signature) VALUES ($1, $2, $3, $4, $5) "
	            "ON CONFLICT (seq) DO NOTHING RETURNING seq",
	            KN_INT(seq), KN_TEXT(hash), KN_INT(x->now), KN_TEXT(k->pk_hex), KN_TEXT(sig));
	if (!rc && h->n == 1) /* no row: another process signed this head first */
		*made = seq;
	return rc;
}
