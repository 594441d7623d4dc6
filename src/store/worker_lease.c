/* worker_lease.c: take, give back and read the worker_lease row. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/crypto.h"
#include "store/db.h"
#include "store/worker_lease.h"

const char *
worker_node(char out[65])
{
	if (gethostname(out, 64) != 0)
		snprintf(out, 65, "unknown");
	out[64] = '\0';
	return out;
}

enum rd_err
lease_take(struct db *db, struct lease *l, long long now, long long until)
{
	char prev[33];
	unsigned long long n = 0;
	enum rd_err e;

	/* A fresh token for every pass, so the row always changes (MariaDB
	 * counts changed rows) and a daemon renews its own lease at once. */
	memcpy(prev, l->token, sizeof(prev));
	random_token(l->token, 32);
	if (l->node[0] == '\0')
		worker_node(l->node);
	struct dbval p[] = { DB_STR(l->token), DB_STR(l->node), DB_INT(until), DB_INT(now), DB_STR(prev) };
	e = db_exec(db, W_LEASE_TAKE, p, 5, &n, NULL);
	l->held = e == RD_OK && n == 1;
	/* A deadlock or a Galera certification failure: another run took it. */
	return e == RD_ERR_RETRY ? RD_OK : e;
}

enum rd_err
lease_done(struct db *db, struct lease *l, long long now, const char *summary)
{
	struct dbval p[] = { DB_INT(now), DB_STR(l->node), DB_STR(summary), DB_STR(l->token) };

	if (!l->held)
		return RD_OK;
	l->held = false;
	return db_exec(db, W_LEASE_DONE, p, 4, NULL, NULL);
}

enum rd_err
worker_last_run(struct db *db, struct arena *a, struct worker_seen *out)
{
	struct dbres res;
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_query(db, a, W_LEASE_GET, NULL, 0, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_OK;
	snprintf(out->holder_node, sizeof(out->holder_node), "%s", db_cell(&res, 0, 0));
	out->lease_until = db_cell_int(&res, 0, 1);
	out->last_run_at = db_cell_int(&res, 0, 2);
	snprintf(out->last_node, sizeof(out->last_node), "%s", db_cell(&res, 0, 3));
	return RD_OK;
}
