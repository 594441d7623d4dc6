/* router.h: the routing table and the per-request driver. */
#ifndef RD_ROUTER_H
#define RD_ROUTER_H

#include "base/arena.h"
#include "web/http.h"

/* Runs one request start to finish: parse, route, handle, respond, log. */
void router_dispatch(struct app *app, struct arena *a, const struct http_io *io);

/* Matches a path against a pattern like "/refund/:id/cancel", capturing up
 * to ROUTE_PARAMS segments ([A-Za-z0-9_-], 1..64 bytes) into the arena. */
bool route_match(const char *pattern, const char *path, struct arena *a, const char **params);

/* Appends the per-route counters (requests, database round trips) in
 * Prometheus text, for /metrics. */
void router_metrics(struct buf *b, long pid);

#endif
