/* h_healthz.c: GET /healthz: 200 when the database answers, else 503. The
 * body names this node and the worker's last finished pass (the
 * worker_lease row); a pass older than WORKER_STALE_SECS, or none, is
 * flagged "worker: stale", in the X-RD-Worker header too (ok | stale), and
 * makes `GET /healthz?strict=1` answer 503 for monitors that read only the
 * status. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "worker_lease.h"

void
h_healthz(struct req *r)
{
	struct worker_seen w;
	char node[65];
	enum rd_err e = worker_last_run(r->app->db, r->a, &w);

	resp_header(r, "Content-Type", "text/plain; charset=utf-8");
	if (e != RD_OK) {
		r->status = 503;
		buf_puts(&r->body, "database unavailable\n");
		return;
	}
	long long age = r->now - w.last_run_at;
	bool stale = w.last_run_at == 0 || age > WORKER_STALE_SECS;
	resp_header(r, "X-RD-Worker", stale ? "stale" : "ok");
	if (stale && r->query != NULL && strcmp(r->query, "strict=1") == 0)
		r->status = 503;
	buf_printf(&r->body, "%s\nnode: %s\n", r->status == 503 ? "unhealthy" : "ok", worker_node(node));
	if (w.last_run_at == 0)
		buf_printf(&r->body, "worker: stale: no pass has finished yet\n");
	else
		buf_printf(&r->body, "worker: %slast pass %lld s ago on %s\n", stale ? "stale: " : "", age,
		    w.last_node);
}
