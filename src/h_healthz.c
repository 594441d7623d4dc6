/* h_healthz.c: GET /healthz: 200 when the database answers, else 503. */
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
	buf_puts(&r->body, "ok\n");
}
