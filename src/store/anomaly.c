/* anomaly.c: see anomaly.h. */
#include "store/anomaly.h"
#include "base/log.h"
#include "store/stmts.h"

void
refund_mark_anomaly(struct db *db, const char *public_id, unsigned bit)
{
	struct dbval p[] = { DB_INT(bit), DB_STR(public_id) };
	enum rd_err e = db_exec(db, Q_REFUND_MARK_ANOMALY, p, 2, NULL, NULL);

	log_warn("refund %s marked anomalous (bit %u)%s", public_id, bit,
	    e == RD_OK ? "" : ": the mark could not be written");
}

enum rd_err
refund_anomaly(struct db *db, struct arena *a, long long refund_id, const char **why)
{
	struct dbval p[] = { DB_INT(refund_id) };
	struct dbres res;
	enum rd_err e;

	*why = NULL;
	if ((e = db_query(db, a, Q_REFUND_ANOMALY, p, 1, &res)) != RD_OK)
		return e;
	if (res.nrows != 1)
		return RD_ERR_NOTFOUND;
	unsigned long long flags = (unsigned long long)db_cell_int(&res, 0, 1);
	if (flags & ANOMALY_RENDER_FAILED)
		*why = "申请页面曾无法完整显示";
	else if (flags & ANOMALY_NOTE_CAP)
		*why = "买家补充说明超过上限";
	else if (db_cell_int(&res, 0, 3) > TIMELINE_CAP)
		*why = "处理记录过多，无法完整显示";
	else if (db_cell_int(&res, 0, 0) != 0)
		*why = "申请带有风控标记";
	return RD_OK;
}
