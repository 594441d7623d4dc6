/* budget.c: the budgets table (see budget.h). */
#include <string.h>

#include "store/budget.h"

enum rd_err
budget_take(struct db *db, const char *key, long long now, long window, int limit, bool *ok, long *retry)
{
	long long stale = now - window;
	struct dbval p[] = { DB_STR(key), DB_INT(now), DB_INT(stale), DB_INT(stale), DB_INT(now) };
	unsigned long long affected = 0, used = 0;
	enum rd_err e;

	*ok = false;
	*retry = window;
	if ((e = db_exec(db, Q_BUDGET_TAKE, p, 5, &affected, &used)) != RD_OK)
		return e;
	/* 1 row affected: a fresh row (used = 1); 2: the update ran and
	 * LAST_INSERT_ID(expr) carries the count it wrote. */
	if (affected == 1)
		used = 1;
	*ok = used <= (unsigned long long)limit;
	return RD_OK;
}

enum rd_err
budget_give_back(struct db *db, const char *key, long long now, long window)
{
	struct dbval p[] = { DB_STR(key), DB_INT(now - window) };
	return db_exec(db, Q_BUDGET_GIVE_BACK, p, 2, NULL, NULL);
}

enum rd_err
budget_used(struct db *db, struct arena *a, const char *key, long long now, long window, long long *used)
{
	struct dbval p[] = { DB_STR(key), DB_INT(now - window) };
	struct dbres res;
	enum rd_err e;

	*used = 0;
	if ((e = db_query(db, a, Q_BUDGET_USED, p, 2, &res)) != RD_OK)
		return e;
	if (res.nrows == 1)
		*used = db_cell_int(&res, 0, 0);
	return RD_OK;
}

enum rd_err
budget_purge(struct db *db, long long before)
{
	struct dbval p[] = { DB_INT(before) };
	return db_exec(db, W_BUDGET_PURGE, p, 1, NULL, NULL);
}

enum rd_err
budget_take_post(struct db *db, struct arena *a, const struct post_budget *pb, struct post_budget_out *out)
{
	long long stale = pb->now - pb->window;
	struct dbval p[] = {
		DB_STR(pb->ip_key), DB_INT(pb->now), DB_INT(stale), DB_INT(stale), DB_INT(pb->now),
		DB_INT(pb->ip_limit), DB_STR(pb->sid_key),
		DB_STR(pb->sid_key), DB_INT(pb->now), DB_INT(stale), DB_INT(stale), DB_INT(pb->now),
		DB_STR(pb->buyer),
	};
	struct dbres res;
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_query(db, a, Q_BUDGET_TAKE_POST, p, 13, &res)) != RD_OK)
		return e;
	if (res.nrows != 1)
		return RD_ERR_INTERNAL;
	long long ip_used = db_cell_int(&res, 0, 0), sid_used = db_cell_int(&res, 0, 1);
	out->ip_ok = ip_used <= pb->ip_limit;
	/* Not spent (address over its limit, or no session): not over. */
	out->sid_ok = sid_used <= pb->sid_limit;
	out->gen = db_cell_int(&res, 0, 2);
	return RD_OK;
}
