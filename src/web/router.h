/* router.h: the routing table and the per-request driver. */
#ifndef RD_ROUTER_H
#define RD_ROUTER_H

#include "base/arena.h"
#include "web/gate.h"
#include "web/http.h"

/* One row of the routing table: a method and path pattern, the handler
 * and its name (logs, metrics), and the inputs the gate checks before the
 * handler runs. */
struct route {
	enum http_method method;
	const char *pattern;
	void (*fn)(struct req *r);
	const char *name;
	struct route_inputs in;
};
extern const struct route router_routes[];
extern const size_t router_nroutes;

/* The check of a path parameter by its name in a pattern (":id", ":no",
 * ":n"; n bytes of name), or NULL: such a pattern matches nothing. */
const struct form_field *route_param_field(const char *name, size_t n);

/* Runs one request start to finish: parse, route, handle, respond, log. */
void router_dispatch(struct app *app, struct arena *a, const struct http_io *io);

/* Matches a path against a pattern like "/refund/:id/cancel", capturing up
 * to ROUTE_PARAMS segments ([A-Za-z0-9_-], 1..64 bytes, each passing the
 * check of its name: route_param_field) into the arena. */
bool route_match(const char *pattern, const char *path, struct arena *a, const char **params);

/* Appends the per-route counters (requests, database round trips) in
 * Prometheus text, for /metrics. */
void router_metrics(struct buf *b, long pid);

#endif
