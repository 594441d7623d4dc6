/* desk_reads.c: the queue page's reads, as rows the view can show. */
#include <string.h>

#include "rules/domain.h"
#include "store/desk_reads.h"

enum rd_err
desk_queue_load(struct db *db, struct arena *a, const struct staff *st, const char *const states[5],
    struct desk_queue *q)
{
	/* A merchant's queue goes through its own orders (k_merchant). */
	struct dbval p[] = { DB_STR(st->merchant_id), DB_STR(states[0]), DB_STR(states[1]),
		DB_STR(states[2]), DB_STR(states[3]), DB_STR(states[4]) };
	struct dbres res;
	enum rd_err e;

	memset(q, 0, sizeof(*q));
	if (st->role == ROLE_MERCHANT)
		e = db_query(db, a, Q_DESK_QUEUE_MERCHANT, p, 6, &res);
	else
		e = db_query(db, a, Q_DESK_QUEUE, p + 1, 5, &res);
	if (e != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_OK;
	if ((q->rows = arena_alloc(a, res.nrows * sizeof(*q->rows))) == NULL)
		return RD_ERR_NOMEM;
	for (size_t i = 0; i < res.nrows; i++) {
		struct desk_queue_row *row = &q->rows[q->n++];
		row->public_id = db_cell(&res, i, 0);
		row->state = ENUM_LOOKUP(refund_state_names, db_cell(&res, i, 1));
		row->type = ENUM_LOOKUP(refund_type_names, db_cell(&res, i, 2));
		row->amount = db_cell_int(&res, i, 3);
		row->deadline = db_cell_int(&res, i, 4);
		row->risk = db_cell_int(&res, i, 5) != 0;
		row->order_no = db_cell(&res, i, 6);
		row->title = db_cell(&res, i, 7);
	}
	q->total = db_cell_int(&res, 0, 9);
	return RD_OK;
}

enum rd_err
login_locks_load(struct db *db, struct arena *a, long long per_account, long long since,
    struct login_lock locks[LOGIN_LOCKS_MAX], size_t *n)
{
	struct dbval p[] = { DB_INT(per_account), DB_INT(since) };
	struct dbres res;
	enum rd_err e;

	*n = 0;
	if ((e = db_query(db, a, Q_LOGIN_LOCKS, p, 2, &res)) != RD_OK)
		return e;
	for (size_t i = 0; i < res.nrows && *n < LOGIN_LOCKS_MAX; i++) {
		struct login_lock *l = &locks[(*n)++];
		l->login = db_cell(&res, i, 0);
		l->attempts = db_cell_int(&res, i, 1);
		l->since = db_cell_int(&res, i, 2);
	}
	return RD_OK;
}
