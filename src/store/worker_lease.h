/* worker_lease.h: the worker_lease row that keeps overlapping passes
 * (cron, POST /cron, daemons on other nodes) from running the housekeeping
 * jobs twice at once, and remembers the last finished pass for /healthz.
 * A row with an expiry, not GET_LOCK(): that is node-local on Galera, while
 * a row update is certified across the cluster; a killed run's lease just
 * runs out. */
#ifndef RD_WORKER_LEASE_H
#define RD_WORKER_LEASE_H

#include <stdbool.h>

#include "base/err.h"

struct db;
struct arena;

#define WORKER_STALE_SECS 600      /* /healthz flags a worker idle this long */

struct lease {
	char token[33];                /* this run's holder token */
	char node[65];                 /* this machine's name */
	bool held;
};

/* This machine's name (gethostname), for the lease and /healthz. */
const char *worker_node(char out[65]);
/* Takes the lease until `until` unless another run holds it; l->held says
 * which. RD_ERR_DB when the database failed. */
enum rd_err lease_take(struct db *db, struct lease *l, long long now, long long until);
/* Gives the lease back and records the pass as the last run. */
enum rd_err lease_done(struct db *db, struct lease *l, long long now, const char *summary);

struct worker_seen {
	long long last_run_at;         /* 0: never */
	char last_node[65];
	char holder_node[65];          /* "" unless a lease is live */
	long long lease_until;
};
enum rd_err worker_last_run(struct db *db, struct arena *a, struct worker_seen *out);

#endif
