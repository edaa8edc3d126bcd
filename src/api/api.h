/* api.h: the JSON API handlers under /api/v1. */
#ifndef KN_API_H
#define KN_API_H
#include "http/req.h"

void kn_api_councils(struct kn_req *r);
void kn_api_council(struct kn_req *r);
void kn_api_council_create(struct kn_req *r);
void kn_api_council_update(struct kn_req *r);
void kn_api_agencies(struct kn_req *r);
void kn_api_agency(struct kn_req *r);
void kn_api_agency_create(struct kn_req *r);
void kn_api_agency_update(struct kn_req *r);
void kn_api_register(struct kn_req *r);
void kn_api_me(struct kn_req *r);
void kn_api_password(struct kn_req *r);
void kn_api_tokens(struct kn_req *r);
void kn_api_token_create(struct kn_req *r);
void kn_api_token_revoke(struct kn_req *r);
void kn_api_openapi(struct kn_req *r);
void kn_api_healthz(struct kn_req *r);
void kn_api_metrics(struct kn_req *r);
void kn_api_test_clock(struct kn_req *r);
/* the public record (api_record.c) */
void kn_api_checkpoint_latest(struct kn_req *r);
void kn_api_public_key(struct kn_req *r);
void kn_api_telegram(struct kn_req *r);
void kn_api_telegram_put(struct kn_req *r);
void kn_api_telegram_delete(struct kn_req *r);
void kn_api_webhooks(struct kn_req *r);
void kn_api_webhook_create(struct kn_req *r);
void kn_api_webhook_delete(struct kn_req *r);

#endif
