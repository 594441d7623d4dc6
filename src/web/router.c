/* router.c: the one routing table, and the life of a request around it. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "web/gate.h"
#include "web/html.h"
#include "base/log.h"
#include "web/request_limits.h"
#include "web/router.h"
#include "web/sign.h"
#include "pages/fields.h"
#include "base/i18n.h"

#define NELEM(t) (sizeof(t) / sizeof((t)[0]))
/* A route's inputs (web/gate.h): its query table, its body table. */
#define QUERY(t) .query = (t), .nquery = NELEM(t)
#define BODY(t) .body = (t), .nbody = NELEM(t)
/* The buyer's uploads: budget and session before a byte reaches the disk. */
#define UPLOADS .files = "evidence", .admit = buyer_post_admit

const struct route router_routes[] = {
	/* The mount itself ("/refund-desk/"): the guest look-up. */
	{ HM_GET, "/", h_lookup_get, "home", { 0 } },
	{ HM_GET, "/healthz", h_healthz, "healthz", { QUERY(healthz_query) } },
	{ HM_GET, "/metrics", h_metrics, "metrics", { 0 } },
	{ HM_POST, "/cron", h_cron, "cron", { 0 } },       /* a signed raw body, read by the handler */
	{ HM_GET, "/static/rd.css", h_static_css, "css", { 0 } },
	{ HM_GET, "/static/rd-upload.js", h_static_upload_js, "js", { 0 } },
	{ HM_GET, "/static/rd-time.js", h_static_time_js, "js-time", { 0 } },
	{ HM_GET, "/refund/start", h_refund_start, "start", { QUERY(start_query) } },
	{ HM_POST, "/refund/start", h_refund_start_post, "start-switch", { BODY(start_form) } },
	{ HM_POST, "/refund/logout", h_refund_logout, "logout", { BODY(csrf_form) } },
	{ HM_GET, "/lang", h_lang, "lang", { QUERY(lang_query) } },     /* i10-i18n */
	{ HM_GET, "/refund/lookup", h_lookup_get, "lookup", { 0 } },
	{ HM_POST, "/refund/lookup", h_lookup_post, "lookup-post", { BODY(lookup_form) } },
	{ HM_GET, "/refund/new", h_refund_new_get, "new", { QUERY(new_query) } },
	{ HM_POST, "/refund/new", h_refund_new_post, "new-post", { BODY(refund_form), UPLOADS } },
	{ HM_GET, "/refund/:id", h_refund_status, "status", { QUERY(status_query) } },
	{ HM_POST, "/refund/:id/cancel", h_refund_cancel, "cancel",
	    { BODY(buyer_note_form), .admit = buyer_post_admit } },
	{ HM_POST, "/refund/:id/evidence", h_refund_evidence_post, "evidence-post",
	    { BODY(buyer_note_form), UPLOADS } },
	{ HM_GET, "/refund/:id/appeal", h_refund_appeal_get, "appeal-page", { 0 } },
	{ HM_POST, "/refund/:id/appeal", h_refund_appeal, "appeal", { BODY(buyer_note_form), UPLOADS } },
	{ HM_GET, "/refund/:id/evidence/:n", h_evidence_get, "evidence", { 0 } },
	{ HM_POST, "/order/:no/confirm", h_order_confirm, "confirm",
	    { BODY(confirm_form), .admit = buyer_post_admit } },
	{ HM_GET, "/desk/login", h_desk_login_get, "desk-login", { 0 } },
	{ HM_POST, "/desk/login", h_desk_login_post, "desk-login-post", { BODY(login_form) } },
	{ HM_POST, "/desk/logout", h_desk_logout, "desk-logout", { BODY(csrf_form) } },
	{ HM_POST, "/desk/sessions/end", h_desk_sessions_end, "desk-sessions-end", { BODY(csrf_form) } },
	{ HM_GET, "/desk", h_desk_queue, "desk", { QUERY(desk_query) } },
	{ HM_GET, "/desk/queue.csv", h_desk_queue_csv, "desk-queue-csv", { QUERY(desk_query) } },
	{ HM_GET, "/desk/dashboard", h_desk_dashboard, "desk-dashboard", { QUERY(dash_query) } },
	{ HM_GET, "/desk/dashboard.csv", h_desk_dashboard_csv, "desk-dashboard-csv", { QUERY(dash_query) } },
	{ HM_GET, "/desk/refund/:id", h_desk_refund, "desk-refund", { QUERY(desk_refund_query) } },
	{ HM_POST, "/desk/refund/:id/decision", h_desk_decision, "desk-decision", { BODY(decision_form) } },
	{ HM_GET, "/desk/refund/:id/evidence/:n", h_desk_evidence, "desk-evidence", { 0 } },
	{ HM_GET, "/desk/activity", h_desk_activity, "desk-activity", { QUERY(activity_query) } },  /* i10-desk */
	{ HM_GET, "/desk/claims", h_desk_claims, "desk-claims", { QUERY(claims_query) } },      /* i15-console */
	{ HM_GET, "/static/desk.js", h_static_desk_js, "desk-js", { 0 } },                              /* i10-desk */
	/* The API reads its signed JSON itself; its fields go through the same
	 * checks (api.c: api_str, api_ident). */
	{ HM_POST, "/api/v1/orders", api_orders_post, "api-orders", { 0 } },
	{ HM_POST, "/api/v1/orders/:no/delivery", api_order_delivery, "api-delivery", { 0 } },
	{ HM_POST, "/api/v1/orders/:no/usage", api_order_usage, "api-usage", { 0 } },
	{ HM_POST, "/api/v1/orders/:no/upstream-claim", api_order_upstream_claim, "api-upstream-claim", { 0 } },
	{ HM_GET, "/api/v1/orders/:no", api_order_get, "api-order", { 0 } },
	{ HM_POST, "/api/v1/refunds", api_refunds_post, "api-refunds", { 0 } },   /* API clients only (i15) */
	{ HM_GET, "/api/v1/refunds/:id", api_refund_get, "api-refund", { 0 } },
	{ HM_POST, "/api/v1/refunds/:id/payout", api_refund_payout, "api-payout", { 0 } },
};

const size_t router_nroutes = NELEM(router_routes);

/* What each path parameter may hold, by its name in the pattern: a
 * segment that fails is no match (404), so handlers get checked ids. */
static const struct form_field path_params[] = {
	{ ":id", "id", form_check_token, 1, 64, true, NULL, 0 },
	{ ":no", "order", form_check_ident, 1, ORDER_NO_MAX, true, NULL, 0 },
	{ ":n", "n", form_check_digits, 1, 9, true, NULL, 0 },
};

#define NROUTES NELEM(router_routes)

/* Per route: requests served and the database round trips they made
 * (connects and statement preparations left out: once per connection). */
static struct {
	unsigned long long requests, trips;
} route_stats[NROUTES];

const struct form_field *
route_param_field(const char *name, size_t n)
{
	for (size_t i = 0; i < NELEM(path_params); i++)
		if (strlen(path_params[i].name) == n && memcmp(path_params[i].name, name, n) == 0)
			return &path_params[i];
	return NULL;
}

static bool
param_ok(const char *pname, size_t plen, const char *s, size_t n)
{
	const struct form_field *f = route_param_field(pname, plen);
	char msg[160], seg[65];

	/* A name without a row is a pattern error: no match, never unchecked.
	 * The checks take a NUL-terminated value: the segment, copied. */
	if (f == NULL || n >= sizeof(seg))
		return false;
	memcpy(seg, s, n);
	seg[n] = '\0';
	return f->check(seg, n, f, msg, sizeof(msg)) == NULL;
}

static bool
segment_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool
route_match(const char *pattern, const char *path, struct arena *a, const char **params)
{
	const char *p = pattern, *s = path;
	int np = 0;

	while (*p != '\0' && *s != '\0') {
		if (*p == ':') {
			size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
			if (!segment_ok(s, slen) || !param_ok(p, plen, s, slen) || np >= ROUTE_PARAMS)
				return false;
			if (params != NULL && (params[np] = arena_strndup(a, s, slen)) == NULL)
				return false;
			np++;
			p += plen;
			s += slen;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

static void
method_not_allowed(struct req *r, const char *allow)
{
	resp_header(r, "Allow", allow);
	if (strncmp(r->path, "/api/", 5) == 0) {
		r->status = 405;
		resp_header(r, "Content-Type", "application/json");
		buf_puts(&r->body, "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"method not allowed\"}}");
		return;
	}
	html_error_page(r, 405, "不支持的请求方式", "该地址不接受这种请求方式。");
}

static void
route(struct req *r)
{
	bool path_known = false;
	char allow[32] = "";

	for (size_t i = 0; i < NROUTES; i++) {
		const struct route *rt = &router_routes[i];
		if (!route_match(rt->pattern, r->path, r->a, NULL))
			continue;
		path_known = true;
		enum http_method m = r->method == HM_HEAD ? HM_GET : r->method;
		if (rt->method != m) {
			const char *add = rt->method == HM_GET ? "GET, HEAD" : "POST";
			if (strstr(allow, add) == NULL)
				snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s",
				    allow[0] ? ", " : "", add);
			continue;
		}
		route_match(rt->pattern, r->path, r->a, r->params);
		r->route = rt->name;
		int kind = request_kind_of(rt->name);
		if (kind >= 0 && request_limits_apply(r) && !request_limits_admit(r, (enum request_kind)kind))
			return;
		if (gate_run(r, &rt->in))
			rt->fn(r);
		return;
	}
	r->route = path_known ? "405" : "404";
	if (path_known)
		method_not_allowed(r, allow);
	else if (strncmp(r->path, "/api/", 5) == 0) {
		r->status = 404;
		resp_header(r, "Content-Type", "application/json");
		buf_puts(&r->body, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such endpoint\"}}");
	} else
		html_error_page(r, 404, "页面不存在", "没有找到这个页面。");
}

/* Gates that apply before any handler: body size and a Content-Length. */
static bool
pre_checks(struct req *r)
{
	if (r->method != HM_POST)
		return true;
	if (r->content_length < 0) {
		html_error_page(r, 411, "缺少请求长度", "请求缺少 Content-Length。");
		return false;
	}
	if (r->content_length > r->app->cfg->body_max_bytes) {
		html_error_page(r, 413, "上传内容过大", "上传的内容超过了允许的大小。");
		return false;
	}
	return true;
}

void
router_dispatch(struct app *app, struct arena *a, const struct http_io *io)
{
	struct req r;
	struct timespec t0, t1;
	char p[160], m[16];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned long long trips0 = db_round_trips(app->db) - db_setup_trips(app->db);
	req_begin(&r, app, a, io);
	/* i10-i18n: this request's page language, before any page is written. */
	i18n_use(i18n_negotiate(r.cookie, req_param(&r, "HTTP_ACCEPT_LANGUAGE")));
	if (pre_checks(&r))
		route(&r);
	req_finish(&r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	app->requests++;
	for (size_t i = 0; i < NROUTES; i++)
		if (r.route == router_routes[i].name) {
			route_stats[i].requests++;
			route_stats[i].trips += db_round_trips(app->db) - db_setup_trips(app->db) - trips0;
		}
	long us = (long)((t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000);
	log_info("req method=%s path=\"%s\" route=%s status=%d us=%ld", log_safe(r.method_str, m, sizeof(m)),
	    log_safe(r.path, p, sizeof(p)), r.route ? r.route : "-", r.status, us);
	req_end(&r);
}

void
router_metrics(struct buf *b, long pid)
{
	buf_printf(b, "# HELP refund_desk_route_requests_total Requests served by this worker, per route.\n"
	    "# TYPE refund_desk_route_requests_total counter\n");
	for (size_t i = 0; i < NROUTES; i++)
		buf_printf(b, "refund_desk_route_requests_total{pid=\"%ld\",route=\"%s\"} %llu\n", pid,
		    router_routes[i].name, route_stats[i].requests);
	buf_printf(b, "# HELP refund_desk_route_db_round_trips_total Database round trips of those "
	    "requests (connects and statement preparations not counted).\n"
	    "# TYPE refund_desk_route_db_round_trips_total counter\n");
	for (size_t i = 0; i < NROUTES; i++)
		buf_printf(b, "refund_desk_route_db_round_trips_total{pid=\"%ld\",route=\"%s\"} %llu\n", pid,
		    router_routes[i].name, route_stats[i].trips);
}
