/* mailq.c: claiming, sending and retrying the e-mail outbox. */
#include "domain/mailq.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/smtp.h"
#include "store/store.h"
#include <string.h>

/* a claim older than this is taken to be from a sender that died */
#define STALE_CLAIM 600

enum kn_err kn_mailq_run(struct kn_ctx *x, int max, int *sent, int *failed)
{
	*sent = *failed = 0;
	if (!kn_cfg.smtp_url || !*kn_cfg.smtp_url)
		return KN_OK;
	struct kn_smtp s = {.url = kn_cfg.smtp_url, .from = kn_cfg.smtp_from, .user = kn_cfg.smtp_user,
	                    .password = kn_cfg.smtp_password, .timeout = 30};
	for (int i = 0; i < max; i++) {
		struct kn_rows *r;
		/* the state test is repeated outside the subquery: a concurrent
		 * claimer that lost the race updates nothing */
		enum kn_err rc = kn_sql(x->c, x->a, &r,
		                        "UPDATE mail_outbox SET state = 'sending', claimed_at = $1 WHERE id = (SELECT id FROM "
		                        "mail_outbox WHERE (state = 'pending' AND next_at <= $1) OR (state = 'sending' AND "
		                        "claimed_at < $2) ORDER BY id LIMIT 1) AND ((state = 'pending' AND next_at <= $1) OR "
		                        "(state = 'sending' AND claimed_at < $2)) RETURNING id, to_addr, subject, body, attempts",
		                        KN_INT(x->now), KN_INT(x->now - STALE_CLAIM));
		if (rc)
			return rc;
		if (!r->n)
			return KN_OK;
		int64_t id = kn_row_i(r, 0, 0);
		int64_t attempts = kn_row_i(r, 0, 4) + 1;
		char err[300] = "";
		rc = kn_smtp_send(&s, kn_row_s(r, 0, 1), kn_row_s(r, 0, 2), kn_row_s(r, 0, 3), err, sizeof(err));
		if (rc == KN_OK) {
			(*sent)++;
			rc = kn_sql(x->c, x->a, NULL,
			            "UPDATE mail_outbox SET state = 'sent', attempts = $1, sent_at = $2, last_error = '' WHERE id = "
			            "$3",
			            KN_INT(attempts), KN_INT(x->now), KN_INT(id));
		} else {
			(*failed)++;
			long base = kn_cfg.smtp_retry > 0 ? kn_cfg.smtp_retry : 60;
			int64_t delay = base;
			for (int k = 1; k < attempts && delay < 86400; k++)
				delay *= 2;
			if (delay > 86400)
				delay = 86400;
			bool give_up = attempts >= (kn_cfg.smtp_attempts > 0 ? kn_cfg.smtp_attempts : 8);
			kn_warn("mail %lld to outbox recipient failed (attempt %lld%s): %s", (long long)id, (long long)attempts,
			        give_up ? ", giving up" : "", err);
			rc = kn_sql(x->c, x->a, NULL,
			            "UPDATE mail_outbox SET state = $1, attempts = $2, next_at = $3, last_error = $4 WHERE id = $5",
			            KN_TEXT(give_up ? "failed" : "pending"), KN_INT(attempts), KN_INT(x->now + delay),
			            KN_TEXT(err), KN_INT(id));
		}
		if (rc)
			return rc;
	}
	return KN_OK;
}
