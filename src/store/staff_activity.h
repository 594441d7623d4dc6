/* staff_activity.h: the log of what each staff account did (sql/050): one
 * row per decision, written in the decision's own transaction, read by the
 * admins' page GET /desk/activity. */
#ifndef RD_STAFF_ACTIVITY_H
#define RD_STAFF_ACTIVITY_H

#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"
#include "store/staff.h"

#define STAFF_ACTIVITY_PAGE 50          /* rows on a page of the log */
#define STAFF_LOGINS_MAX 500            /* accounts the filter offers (Q_STAFF_LOGINS's LIMIT) */

/* One decision, deferred into the caller's transaction (no round trip of
 * its own): st acted on refund refund_id, moving it from one state to
 * another; amount is what the buyer gets (fen), 0 for no approval. */
enum rd_err staff_activity_add(struct db *db, const struct staff *st, const char *action, long long refund_id,
    const char *from_state, const char *to_state, int64_t amount, const char *client_ip, long long at);

struct staff_activity_row {
	const char *login, *role, *action, *public_id, *order_no, *from_state, *to_state, *client_ip;
	int64_t amount;
	long long at;
};

struct staff_activity {
	struct staff_activity_row *rows;  /* newest first */
	size_t n;
	long long total;                  /* every row the filter matches (0 when n is 0) */
};

/* A page of the log, only login's rows unless login is "" (arena rows). */
enum rd_err staff_activity_load(struct db *db, struct arena *a, const char *login, long long limit,
    long long offset, struct staff_activity *out);

/* Every staff login, sorted, for the filter: *n of them into logins. */
enum rd_err staff_logins_load(struct db *db, struct arena *a, const char **logins, size_t cap, size_t *n);

#endif
