/* dash_reads.c: Q_DASHBOARD's rows ('d' days, 'm' the median's middle, 'r'
 * merchants) into the dashboard's figures. */
#include <string.h>

#include "rules/domain.h"
#include "store/dash_reads.h"

enum rd_err
dash_load(struct db *db, struct arena *a, struct dashboard *d)
{
	long long from = dash_day_start(d->day0), to = dash_day_start(d->day0 + d->ndays);
	struct dbval p[8];
	struct dbres res;
	long long mid[2] = { -1, -1 };
	enum rd_err e;

	for (int i = 0; i < 4; i++) {
		p[2 * i] = DB_INT(from);
		p[2 * i + 1] = DB_INT(to);
	}
	if ((e = db_query(db, a, Q_DASHBOARD, p, 8, &res)) != RD_OK)
		return e;
	for (size_t i = 0; i < res.nrows; i++) {
		const char *kind = db_cell(&res, i, 0);
		if (strcmp(kind, "d") == 0) {
			dash_add_day(d, db_cell_int(&res, i, 1), ENUM_LOOKUP(refund_state_names, db_cell(&res, i, 2)),
			    db_cell_int(&res, i, 3), db_cell_int(&res, i, 4), db_cell_int(&res, i, 5));
		} else if (strcmp(kind, "m") == 0) {
			/* rank, '', n, value: rank (n + 1) / 2 is the lower middle. */
			long long rank = db_cell_int(&res, i, 1), n = db_cell_int(&res, i, 3);
			d->decided = n;
			if (rank == (n + 1) / 2)
				mid[0] = db_cell_int(&res, i, 4);
			if (rank == n / 2 + 1)
				mid[1] = db_cell_int(&res, i, 4);
		} else if (strcmp(kind, "r") == 0 && d->nmerchants < DASH_MERCHANTS_MAX) {
			struct dash_merchant *m = &d->merchants[d->nmerchants++];
			m->merchant_id = db_cell(&res, i, 1);
			m->requests = db_cell_int(&res, i, 3);
			m->disputes = db_cell_int(&res, i, 4);
			m->orders = db_cell_int(&res, i, 6);
		}
	}
	if (mid[0] >= 0 && mid[1] >= 0)
		d->median_secs = dash_median_of_middle(mid[0], mid[1]);
	return RD_OK;
}
