/* h_healthz.c: GET /healthz: 200 when the database answers, else 503. The
 * body names this node and the worker's last finished pass (the
 * worker_lease row); a pass older than WORKER_STALE_SECS, or none, is
 * flagged "worker: stale", in the X-RD-Worker header too (ok | stale), and
 * makes `GET /healthz?strict=1` answer 503 for monitors that read only the
 * status. On Galera (database.galera) also the database node this worker
 * uses and its wsrep state; a node that is not Synced is left for the next
 * one that is, and with none Synced the answer is 503. */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "store/db.h"
#include "pages/handlers.h"
#include "store/worker_lease.h"

static void
galera_lines(struct req *r)
{
	char state[32];

	db_node_state(r->app->db, state, sizeof(state));
	if (strcmp(state, "Synced") != 0) {
		db_drop(r->app->db);
		if (db_ensure(r->app->db) == RD_OK)
			db_node_state(r->app->db, state, sizeof(state));
	}
	if (strcmp(state, "Synced") != 0)
		r->status = 503;
	buf_printf(&r->body, "db: %s\nwsrep: %s\n", db_node_name(r->app->db, -1), state);
}

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
	if (stale && r->q.v[HQ_STRICT] != NULL && r->q.v[HQ_STRICT][0] != '\0')
		r->status = 503;
	buf_printf(&r->body, "%s\nnode: %s\n", r->status == 503 ? "unhealthy" : "ok", worker_node(node));
	if (w.last_run_at == 0)
		buf_printf(&r->body, "worker: stale: no pass has finished yet\n");
	else
		buf_printf(&r->body, "worker: %slast pass %lld s ago on %s\n", stale ? "stale: " : "", age,
		    w.last_node);
	if (r->app->cfg->db_galera)
		galera_lines(r);
}
