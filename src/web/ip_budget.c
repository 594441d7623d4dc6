/* ip_budget.c: counted in lookup_failures, keyed by REMOTE_ADDR. */
#include "base/config.h"
#include "store/db.h"
#include "web/ip_budget.h"

enum rd_err
ip_budget_spent(struct req *r, bool *spent)
{
	struct dbval p[] = { DB_STR(r->remote_addr), DB_INT(r->now - 3600) };
	struct dbres res;
	enum rd_err e;

	*spent = false;
	if ((e = db_query(r->app->db, r->a, Q_LOOKUP_FAIL_COUNT, p, 2, &res)) != RD_OK)
		return e;
	*spent = db_cell_int(&res, 0, 0) >= r->app->cfg->lookup_failures_per_hour;
	if (*spent)
		resp_header(r, "Retry-After", "3600");
	return RD_OK;
}

void
ip_budget_charge(struct req *r)
{
	struct dbval p[] = { DB_STR(r->remote_addr), DB_INT(r->now) };
	db_exec(r->app->db, Q_LOOKUP_FAIL_INSERT, p, 2, NULL, NULL);
}
