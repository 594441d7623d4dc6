/* budget.h: fixed-window counters in the database, shared by every worker
 * process (and node): how many failed logins an address or an account, how
 * many POSTs a buyer's session or address, how many failed look-ups an order
 * may spend. A spend is one atomic upsert that returns the new count, so
 * the check and the spend cannot be raced apart: 40 parallel attempts
 * against a budget of 20 get exactly 20 through. */
#ifndef RD_BUDGET_H
#define RD_BUDGET_H

#include <stdbool.h>

#include "store/db.h"

#define BUDGET_MAX_WINDOW 86400    /* the longest window any budget uses (login lockouts) */

/* Spends one unit of key (a window of `window` seconds that starts at its
 * first spend). *ok is false when the spend went over limit; *retry is then
 * the window (an upper bound of the wait, for Retry-After). */
enum rd_err budget_take(struct db *db, const char *key, long long now, long window, int limit,
    bool *ok, long *retry);
/* Returns a unit (an attempt that succeeded does not count as a failure). */
enum rd_err budget_give_back(struct db *db, const char *key, long long now, long window);
/* The units spent in the current window, without spending. */
enum rd_err budget_used(struct db *db, struct arena *a, const char *key, long long now, long window,
    long long *used);
/* A buyer's POST (pages.c buyer_post_budget): one unit of ip_key, then,
 * within ip_limit and when sid_key is not empty, one of sid_key, committed
 * together; with the session generation of buyer (0 for none): one round
 * trip. sid_key comes from the cookie before its MAC is checked: the
 * caller counts sid_ok only once the cookie proves genuine. */
struct post_budget {
	const char *ip_key, *sid_key, *buyer;
	long long now;
	long window;
	int ip_limit, sid_limit;
};
struct post_budget_out {
	bool ip_ok, sid_ok;
	long long gen;
};
enum rd_err budget_take_post(struct db *db, struct arena *a, const struct post_budget *pb,
    struct post_budget_out *out);
enum rd_err budget_purge(struct db *db, long long before);

#endif
