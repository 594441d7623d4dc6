/* h_metrics.c: GET /metrics: this worker's counters in Prometheus text.
 * Loopback only (nginx also restricts it). */
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "web/router.h"

void
h_metrics(struct req *r)
{
	if (strcmp(r->remote_addr, "127.0.0.1") != 0 && strcmp(r->remote_addr, "::1") != 0) {
		html_error_page(r, 403, "禁止访问", "仅限本机访问。");
		return;
	}
	resp_header(r, "Content-Type", "text/plain; version=0.0.4");
	buf_printf(&r->body,
	    "# HELP refund_desk_requests_total Requests served by this worker.\n"
	    "# TYPE refund_desk_requests_total counter\n"
	    "refund_desk_requests_total{pid=\"%ld\"} %llu\n"
	    "# HELP refund_desk_db_round_trips_total Database round trips by this worker.\n"
	    "# TYPE refund_desk_db_round_trips_total counter\n"
	    "refund_desk_db_round_trips_total{pid=\"%ld\"} %llu\n",
	    (long)getpid(), r->app->requests, (long)getpid(), db_round_trips(r->app->db));
	router_metrics(&r->body, (long)getpid());
	buf_printf(&r->body,
	    "# HELP refund_desk_db_tx_retries_total Transactions run again after a deadlock or a Galera certification failure.\n"
	    "# TYPE refund_desk_db_tx_retries_total counter\n"
	    "refund_desk_db_tx_retries_total{pid=\"%ld\"} %llu\n"
	    "# HELP refund_desk_db_failovers_total Connections made to a database node other than the preferred one.\n"
	    "# TYPE refund_desk_db_failovers_total counter\n"
	    "refund_desk_db_failovers_total{pid=\"%ld\"} %llu\n",
	    (long)getpid(), db_tx_retries(r->app->db), (long)getpid(), db_failovers(r->app->db));
}
