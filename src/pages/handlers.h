/* handlers.h: one handler per route; each lives in its own h_*.c or api_*.c
 * file and is registered in the table in router.c. */
#ifndef RD_HANDLERS_H
#define RD_HANDLERS_H

#include "pages/fields.h"
#include "web/body.h"
#include "web/http.h"

typedef void (*handler_fn)(struct req *r);

void h_healthz(struct req *r);
void h_metrics(struct req *r);
void h_cron(struct req *r);
void h_static_css(struct req *r);
void h_static_upload_js(struct req *r);
void h_static_desk_js(struct req *r);
void h_static_time_js(struct req *r);
void h_refund_appeal_get(struct req *r);
void h_refund_start(struct req *r);
void h_lookup_get(struct req *r);
void h_lang(struct req *r);                 /* i10-i18n */
void h_lookup_post(struct req *r);
void h_refund_new_get(struct req *r);
void h_refund_new_post(struct req *r);
void h_refund_status(struct req *r);
void h_refund_cancel(struct req *r);
void h_refund_evidence_post(struct req *r);
void h_refund_appeal(struct req *r);
void h_evidence_get(struct req *r);
void h_order_confirm(struct req *r);

void h_desk_login_get(struct req *r);
void h_desk_login_post(struct req *r);
void h_desk_logout(struct req *r);
void h_desk_sessions_end(struct req *r);
void h_refund_start_post(struct req *r);
void h_refund_logout(struct req *r);
void h_desk_queue(struct req *r);
void h_desk_queue_csv(struct req *r);
void h_desk_refund(struct req *r);
void h_desk_decision(struct req *r);
void h_desk_evidence(struct req *r);
void h_desk_dashboard(struct req *r);
void h_desk_dashboard_csv(struct req *r);
void h_desk_activity(struct req *r);   /* i10-desk: admins only */
void h_desk_claims(struct req *r);     /* i15-console: admins and arbiters */

void api_orders_post(struct req *r);
void api_order_delivery(struct req *r);
void api_order_usage(struct req *r);
void api_order_upstream_claim(struct req *r); /* i15-chain */
void api_order_get(struct req *r);
void api_refund_get(struct req *r);
void api_refunds_post(struct req *r);   /* i15-client: API clients file as their buyer */
void api_refund_payout(struct req *r);

/* Turns an error into the matching page: 503 when the database is away,
 * 404, 403, 413, 415, 409, 507 (disk full), 500 for the rest. */
void fail_page(struct req *r, enum rd_err e);
/* A refund page (status, desk, API) that ran out of memory marks its refund
 * anomalous: no deadline may then decide it by itself. */
void mark_unrendered(struct req *r);
/* Spends one of the buyer's POSTs (per session and per address); false
 * after writing a 429 page. Every buyer POST calls it first. */
bool buyer_post_budget(struct req *r);
/* 404 for the buyer: the same page whether the thing is missing or not theirs. */
void not_found_page(struct req *r);
/* The buyer's session must allow this order, else a 403 page asking them to
 * come back through the storefront link or the look-up. */
bool require_session(struct req *r);
/* require_session() for a page whose own row named its buyer (NULL: the
 * read failed) and that buyer's session generation: the cookie is checked
 * without a round trip of its own when it is that buyer's. */
bool require_session_of(struct req *r, const char *buyer, long long gen);
/* CSRF check for a POST whose fields were parsed; 403 page when it fails. */
bool csrf_ok(struct req *r, const char *given);
/* A buyer POST without files: the body was read (the gate) and its CSRF
 * token is right; false after writing the error page. */
bool buyer_form_read(struct req *r);
/* The body could be read (the gate did: web/gate.c); false after writing
 * the page for why not (400, 413, 415, 507). */
bool body_ok(struct req *r);
/* A file the body refused (web/body.h: file_refused): its status (413 too
 * large, 415 a type we do not take) and a message naming the file and the
 * limit, for the form shown again; 0 when none was refused. */
int evidence_refusal(struct req *r, const char **msg);
/* The status page again, its action form refused (views/view_refund_status.h). */
struct status_again;
void refund_status_again(struct req *r, const struct status_again *again);
/* The route gate of the buyer's POSTs that may upload: the budget, then
 * the session, before the body is read. False after writing the page. */
bool buyer_post_admit(struct req *r);

/* Serves evidence N of refund ID (route params 0 and 1) through nginx when
 * allowed(r, buyer, order_no, merchant, ctx) says so; 404 otherwise. */
typedef bool (*evidence_allowed_fn)(struct req *r, const char *buyer, const char *order_no,
    const char *merchant, const void *ctx);
void evidence_serve(struct req *r, evidence_allowed_fn allowed, const void *ctx);

#endif
