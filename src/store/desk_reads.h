/* desk_reads.h: what the desk's queue page reads: the requests waiting on
 * a role, and (for admins) the accounts locked by failed logins. */
#ifndef RD_DESK_READS_H
#define RD_DESK_READS_H

#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"
#include "store/staff.h"

#include "rules/desk.h"

#define DESK_QUEUE_PAGE 50             /* rows on a page of the queue */
#define DESK_QUEUE_CSV_MAX 10000       /* rows in one CSV export */
#define LOGIN_LOCKS_MAX 20             /* Q_LOGIN_LOCKS's LIMIT */

struct desk_queue_row {
	const char *public_id, *order_no, *title, *merchant_id, *buyer_id;
	int state;                     /* enum refund_state, -1 when unknown to this build */
	int type;                      /* enum refund_type, -1 likewise */
	int64_t amount;
	long long deadline;            /* 0: none */
	long long created_at;
	bool risk;
};

/* What a queue shows: a tab's states and the filters (each off when ""
 * or false), sorted by time left or newest, a window of rows. */
struct desk_filter {
	const char *states[DESK_QUEUE_SLOTS];  /* desk_queue_states() */
	const char *type, *merchant, *search;
	bool risk, overdue, newest;
	long long now;                 /* what overdue is measured against */
	long long limit, offset;
};

struct desk_queue {
	struct desk_queue_row *rows;   /* in the filter's order */
	size_t n;
	long long total;               /* every match, not only those read (0 when n is 0) */
};

/* The requests f selects, a merchant's through its own orders (f->merchant
 * is then its own whatever was asked). Rows in arena a. */
enum rd_err desk_queue_load(struct db *db, struct arena *a, const struct staff *st,
    const struct desk_filter *f, struct desk_queue *q);

struct login_lock {
	const char *login;
	long long attempts, since;
};

/* Accounts with more than per_account failed logins in windows that began
 * after since; *n of them into locks[LOGIN_LOCKS_MAX] (arena strings). */
enum rd_err login_locks_load(struct db *db, struct arena *a, long long per_account, long long since,
    struct login_lock locks[LOGIN_LOCKS_MAX], size_t *n);

#endif
