/* h_healthz.c: GET /healthz: 200 when the database answers, else 503. On
 * Galera (database.galera) also which node this worker uses and its state;
 * a node that is not Synced is left for the next one that is. */
#include <string.h>

#include "config.h"
#include "db.h"
#include "handlers.h"

void
h_healthz(struct req *r)
{
	struct dbres res;
	enum rd_err e = db_query(r->app->db, r->a, Q_PING, NULL, 0, &res);

	resp_header(r, "Content-Type", "text/plain; charset=utf-8");
	if (e != RD_OK) {
		r->status = 503;
		buf_puts(&r->body, "database unavailable\n");
		return;
	}
	if (r->app->cfg->db_galera) {
		char state[32];
		db_node_state(r->app->db, state, sizeof(state));
		if (strcmp(state, "Synced") != 0) {
			db_drop(r->app->db);
			if (db_ensure(r->app->db) == RD_OK)
				db_node_state(r->app->db, state, sizeof(state));
		}
		buf_printf(&r->body, "ok\nnode: %s\nwsrep: %s\n", db_node_name(r->app->db, -1), state);
		if (strcmp(state, "Synced") != 0)
			r->status = 503;
		return;
	}
	buf_puts(&r->body, "ok\n");
}
