/* desk_reads.h: what the desk's queue page reads: the requests waiting on
 * a role, and (for admins) the accounts locked by failed logins. */
#ifndef RD_DESK_READS_H
#define RD_DESK_READS_H

#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"
#include "store/staff.h"

#define DESK_QUEUE_MAX 200             /* Q_DESK_QUEUE's LIMIT */
#define LOGIN_LOCKS_MAX 20             /* Q_LOGIN_LOCKS's LIMIT */

struct desk_queue_row {
	const char *public_id, *order_no, *title;
	int state;                     /* enum refund_state, -1 when unknown to this build */
	int type;                      /* enum refund_type, -1 likewise */
	int64_t amount;
	long long deadline;            /* 0: none */
	bool risk;
};

struct desk_queue {
	struct desk_queue_row *rows;   /* soonest deadline first */
	size_t n;
	long long total;               /* all waiting, not only those read */
};

/* The requests in states[] (desk_queue_states), a merchant's through its
 * own orders. Rows in arena a. */
enum rd_err desk_queue_load(struct db *db, struct arena *a, const struct staff *st,
    const char *const states[5], struct desk_queue *q);

struct login_lock {
	const char *login;
	long long attempts, since;
};

/* Accounts with more than per_account failed logins in windows that began
 * after since; *n of them into locks[LOGIN_LOCKS_MAX] (arena strings). */
enum rd_err login_locks_load(struct db *db, struct arena *a, long long per_account, long long since,
    struct login_lock locks[LOGIN_LOCKS_MAX], size_t *n);

#endif
