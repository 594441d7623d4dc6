/* desk_reads.c: the queue page's reads, as rows the view can show. */
#include <string.h>

#include "rules/domain.h"
#include "store/desk_reads.h"

enum rd_err
desk_queue_load(struct db *db, struct arena *a, const struct staff *st, const struct desk_filter *f,
    struct desk_queue *q)
{
	/* The placeholders in stmts.h's order: (merchant's own,) the states,
	 * then QUEUE_WHERE's filters, (the merchant filter,) LIMIT, OFFSET. */
	struct dbval p[1 + DESK_QUEUE_SLOTS + 11 + 2 + 2];
	size_t n = 0;
	bool merchant = st->role == ROLE_MERCHANT;
	struct dbres res;
	enum rd_err e;

	memset(q, 0, sizeof(*q));
	if (merchant)
		p[n++] = DB_STR(st->merchant_id);
	for (size_t i = 0; i < DESK_QUEUE_SLOTS; i++)
		p[n++] = DB_STR(f->states[i]);
	p[n++] = DB_STR(f->type);
	p[n++] = DB_STR(f->type);
	p[n++] = DB_INT(f->risk);
	p[n++] = DB_INT(f->overdue);
	p[n++] = DB_INT(f->now);
	for (int i = 0; i < 4; i++)
		p[n++] = DB_STR(f->search);
	if (!merchant) {
		p[n++] = DB_STR(f->merchant);
		p[n++] = DB_STR(f->merchant);
	}
	p[n++] = DB_INT(f->limit);
	p[n++] = DB_INT(f->offset);
	enum stmt_id id = merchant ? (f->newest ? Q_DESK_QUEUE_MERCHANT_NEWEST : Q_DESK_QUEUE_MERCHANT) :
	    (f->newest ? Q_DESK_QUEUE_NEWEST : Q_DESK_QUEUE);
	if ((e = db_query(db, a, id, p, n, &res)) != RD_OK)
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
		row->merchant_id = db_cell(&res, i, 8);
		row->buyer_id = db_cell(&res, i, 10);
		row->created_at = db_cell_int(&res, i, 11);
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
