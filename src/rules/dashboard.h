/* dashboard.h: the admin dashboard's figures (GET /desk/dashboard), pure:
 * Beijing calendar days, what a request's state counts as, and the
 * figures summed from the rows the store read (store/dash_reads.c). No I/O. */
#ifndef RD_DASHBOARD_H
#define RD_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DASH_DAYS_MAX 366        /* the longest range one page shows */
#define DASH_DAYS_DEFAULT 30     /* without a range: the last 30 days, today included */
#define DASH_MERCHANTS_MAX 10    /* Q_DASHBOARD's LIMIT */

/* What became of a request, as the charts stack it. */
enum dash_outcome { DO_REFUNDED, DO_REJECTED, DO_ENDED, DO_OPEN, DO__MAX };
extern const char *const dash_outcome_names[DO__MAX];   /* CSS classes and CSV */
extern const char *const dash_outcome_labels[DO__MAX];

/* approved / refunding / refunded: refunded; rejected; cancelled / closed:
 * ended; anything else (and a state this build does not know, -1): open. */
enum dash_outcome dash_outcome_of(int refund_state);

/* Days since 1970-01-01 in Beijing time (UTC+8, no DST), and back. */
long long dash_day_of(long long unix_secs);
long long dash_day_start(long long day);    /* the UNIX second it begins */
/* "YYYY-MM-DD" (a real date, years 2000-2099) to its day; false otherwise. */
bool dash_day_parse(const char *s, long long *day);
void dash_day_format(long long day, char out[11]);      /* "2026-12-03" */
void dash_day_short(long long day, char out[6]);        /* "12-03", for axes */

struct dash_day {
	long long count[DO__MAX];    /* requests filed that day, by outcome */
	long long filed, instant;    /* all of them; decided in their own second */
	int64_t fees;                /* fen: fees of the refunded ones */
};

struct dash_merchant {
	const char *merchant_id;
	long long requests, disputes, orders;   /* disputes: not decided instantly */
};

struct dashboard {
	long long day0, ndays;        /* the range: day0 .. day0 + ndays - 1 */
	struct dash_day days[DASH_DAYS_MAX];
	struct dash_day total;
	long long decided;           /* requests decided by a person or a timer */
	long long median_secs;       /* their median time to decision; -1: none */
	struct dash_merchant merchants[DASH_MERCHANTS_MAX];
	size_t nmerchants;
};

/* An empty dashboard for the days [day0, day0 + ndays), ndays 1..DASH_DAYS_MAX. */
void dash_init(struct dashboard *d, long long day0, long long ndays);
/* One 'd' row: count requests filed on day in refund_state, instant of them
 * decided instantly, fees their fees charged. Rows of days outside the
 * range are ignored (false). */
bool dash_add_day(struct dashboard *d, long long day, int refund_state, long long count,
    long long instant, int64_t fees);
/* The median of n sorted values from their middle: the value at rank
 * (n + 1) / 2 and the one at n / 2 + 1 (the same one when n is odd),
 * averaged (rounded down). Ranks count from 1. */
long long dash_median_of_middle(long long lower, long long upper);
/* Per mille, rounded half up; 0 when whole is 0. */
long long dash_permille(long long part, long long whole);
/* A duration as a person reads it, its two largest units: "2 天 3 小时",
 * "3 小时 20 分", "5 分 7 秒", "42 秒"; "—" when secs < 0 (none). */
void dash_duration_text(long long secs, char out[48]);

#endif
