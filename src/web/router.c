/* router.c: the one routing table, and the life of a request around it. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "base/log.h"
#include "web/request_limits.h"
#include "web/router.h"

struct route {
	enum http_method method;
	const char *pattern;
	handler_fn fn;
	const char *name;
};

static const struct route routes[] = {
	/* The mount itself ("/refund-desk/"): the guest look-up. */
	{ HM_GET, "/", h_lookup_get, "home" },
	{ HM_GET, "/healthz", h_healthz, "healthz" },
	{ HM_GET, "/metrics", h_metrics, "metrics" },
	{ HM_POST, "/cron", h_cron, "cron" },
	{ HM_GET, "/static/rd.css", h_static_css, "css" },
	{ HM_GET, "/refund/start", h_refund_start, "start" },
	{ HM_POST, "/refund/start", h_refund_start_post, "start-switch" },
	{ HM_POST, "/refund/logout", h_refund_logout, "logout" },
	{ HM_GET, "/refund/lookup", h_lookup_get, "lookup" },
	{ HM_POST, "/refund/lookup", h_lookup_post, "lookup-post" },
	{ HM_GET, "/refund/new", h_refund_new_get, "new" },
	{ HM_POST, "/refund/new", h_refund_new_post, "new-post" },
	{ HM_GET, "/refund/:id", h_refund_status, "status" },
	{ HM_POST, "/refund/:id/cancel", h_refund_cancel, "cancel" },
	{ HM_POST, "/refund/:id/evidence", h_refund_evidence_post, "evidence-post" },
	{ HM_POST, "/refund/:id/appeal", h_refund_appeal, "appeal" },
	{ HM_GET, "/refund/:id/evidence/:n", h_evidence_get, "evidence" },
	{ HM_POST, "/order/:no/confirm", h_order_confirm, "confirm" },
	{ HM_GET, "/desk/login", h_desk_login_get, "desk-login" },
	{ HM_POST, "/desk/login", h_desk_login_post, "desk-login-post" },
	{ HM_POST, "/desk/logout", h_desk_logout, "desk-logout" },
	{ HM_POST, "/desk/sessions/end", h_desk_sessions_end, "desk-sessions-end" },
	{ HM_GET, "/desk", h_desk_queue, "desk" },
	{ HM_GET, "/desk/refund/:id", h_desk_refund, "desk-refund" },
	{ HM_POST, "/desk/refund/:id/decision", h_desk_decision, "desk-decision" },
	{ HM_GET, "/desk/refund/:id/evidence/:n", h_desk_evidence, "desk-evidence" },
	{ HM_POST, "/api/v1/orders", api_orders_post, "api-orders" },
	{ HM_POST, "/api/v1/orders/:no/delivery", api_order_delivery, "api-delivery" },
	{ HM_POST, "/api/v1/orders/:no/usage", api_order_usage, "api-usage" },
	{ HM_GET, "/api/v1/orders/:no", api_order_get, "api-order" },
	{ HM_GET, "/api/v1/refunds/:id", api_refund_get, "api-refund" },
	{ HM_POST, "/api/v1/refunds/:id/payout", api_refund_payout, "api-payout" },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Per route: requests served and the database round trips they made
 * (connects and statement preparations left out: once per connection). */
static struct {
	unsigned long long requests, trips;
} route_stats[NROUTES];

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
			if (!segment_ok(s, slen) || np >= ROUTE_PARAMS)
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

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *rt = &routes[i];
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
	if (pre_checks(&r))
		route(&r);
	req_finish(&r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	app->requests++;
	for (size_t i = 0; i < NROUTES; i++)
		if (r.route == routes[i].name) {
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
		    routes[i].name, route_stats[i].requests);
	buf_printf(b, "# HELP refund_desk_route_db_round_trips_total Database round trips of those "
	    "requests (connects and statement preparations not counted).\n"
	    "# TYPE refund_desk_route_db_round_trips_total counter\n");
	for (size_t i = 0; i < NROUTES; i++)
		buf_printf(b, "refund_desk_route_db_round_trips_total{pid=\"%ld\",route=\"%s\"} %llu\n", pid,
		    routes[i].name, route_stats[i].trips);
}
