/* staff_activity.c: rows of staff_activity (sql/050) and the accounts its
 * page filters by. */
#include <string.h>

#include "store/staff_activity.h"

enum rd_err
staff_activity_add(struct db *db, const struct staff *st, const char *action, long long refund_id,
    const char *from_state, const char *to_state, int64_t amount, const char *client_ip, long long at)
{
	struct dbval p[] = { DB_INT(st->id), DB_STR(st->login), DB_STR(staff_role_names[st->role]), DB_STR(action),
		DB_INT(refund_id), DB_STR(from_state), DB_STR(to_state), DB_INT(amount),
		DB_STR(client_ip ? client_ip : ""), DB_INT(at) };
	return db_defer(db, Q_STAFF_ACTIVITY_INSERT, p, 10, 0);
}

enum rd_err
staff_activity_load(struct db *db, struct arena *a, const char *login, long long limit, long long offset,
    struct staff_activity *out)
{
	struct dbval p[] = { DB_STR(login), DB_STR(login), DB_INT(limit), DB_INT(offset) };
	struct dbres res;
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_query(db, a, Q_STAFF_ACTIVITY, p, 4, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_OK;
	if ((out->rows = arena_alloc(a, res.nrows * sizeof(*out->rows))) == NULL)
		return RD_ERR_NOMEM;
	for (size_t i = 0; i < res.nrows; i++) {
		struct staff_activity_row *row = &out->rows[out->n++];
		row->login = db_cell(&res, i, 0);
		row->role = db_cell(&res, i, 1);
		row->action = db_cell(&res, i, 2);
		row->public_id = db_cell(&res, i, 3);
		row->order_no = db_cell(&res, i, 4);
		row->from_state = db_cell(&res, i, 5);
		row->to_state = db_cell(&res, i, 6);
		row->amount = db_cell_int(&res, i, 7);
		row->client_ip = db_cell(&res, i, 8);
		row->at = db_cell_int(&res, i, 9);
	}
	out->total = db_cell_int(&res, 0, 10);
	return RD_OK;
}

enum rd_err
staff_logins_load(struct db *db, struct arena *a, const char **logins, size_t cap, size_t *n)
{
	struct dbres res;
	enum rd_err e;

	*n = 0;
	if ((e = db_query(db, a, Q_STAFF_LOGINS, NULL, 0, &res)) != RD_OK)
		return e;
	for (size_t i = 0; i < res.nrows && *n < cap; i++)
		logins[(*n)++] = db_cell(&res, i, 0);
	return RD_OK;
}
