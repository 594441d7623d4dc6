/* cmd_worker.c: `refund-desk worker [--once] [--max-seconds N]`: the
 * deadlines that act by themselves, escrow auto-release, webhook delivery and
 * the sweep of temp files left by killed workers. Each item is its own
 * transaction, so a crash leaves every item either done or not started.
 * Passes may overlap (cron, POST /cron, a daemon on another node): the
 * housekeeping jobs run under the worker_lease row, webhook events are
 * claimed one by one (webhook_send.c), and every pass ends by its deadline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/anomaly.h"
#include "store/budget.h"
#include "cmd/commands.h"
#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "web/evidence.h"
#include "web/http.h"
#include "base/log.h"
#include "store/replay.h"
#include "store/flow_apply.h"
#include "store/settle.h"
#include "store/webhook_send.h"
#include "cmd/worker.h"
#include "store/worker_lease.h"

#define WORKER_PERIOD 5            /* seconds between passes */
#define TMP_MAX_AGE 3600           /* a temp upload older than this is abandoned */
#define LEASE_SLACK 30             /* the lease outlives the pass's deadline by this much */

struct item {
	const char *key;
	struct arena *a;
	long long now;
	const char *did;
};

static enum rd_err
release_tx(struct db *db, void *ctx)
{
	struct item *it = ctx;
	struct order o;
	enum rd_err e;

	it->did = NULL;
	if ((e = order_load(db, it->a, it->key, true, &o)) != RD_OK)
		return e;
	if (o.hold_state != HOLD_HELD || o.release_at > it->now || o.open_refund[0] != '\0')
		return RD_OK;
	it->did = "released";
	return settle_release(db, it->a, &o, "hold_period_ended", it->now);
}

/* A waiting state whose deadline passed:
 *   merchant_review -> approved and paid (the merchant's silence is consent),
 *                      or arbitration when anything about it is anomalous
 *   cs_review       -> merchant_review (the merchant gets its say)
 *   need_info       -> closed (the buyer did not answer), hold unfrozen
 *   awaiting_upstream -> cs_review (the storefront did not answer: never
 *                      a refund by timeout) */
static enum rd_err
deadline_tx(struct db *db, void *ctx)
{
	struct item *it = ctx;
	struct refund rf;
	struct order o;
	enum rd_err e;

	it->did = NULL;
	if ((e = refund_load(db, it->a, it->key, true, &rf)) != RD_OK)
		return e;
	if (rf.deadline == 0 || rf.deadline > it->now)
		return RD_OK;
	struct flow_step step = { .role = FROLE_WORKER, .now = it->now };
	switch (rf.state) {
	case RS_MERCHANT_REVIEW:
		if ((e = order_load(db, it->a, rf.order_no, true, &o)) != RD_OK)
			return e;
		step.o = &o;
		if (rf.amount > order_refundable(&o)) {
			/* Another refund took the money first: nothing is left to pay. */
			it->did = "closed (nothing left to refund)";
			step.event = FE_CLOSE;
			return flow_apply(db, it->a, &rf, &step);
		}
		/* Silence is consent only for a request nothing is odd about. */
		const char *why;
		if ((e = refund_anomaly(db, it->a, rf.id, &why)) != RD_OK)
			return e;
		if (why != NULL) {
			it->did = "sent to arbitration (merchant timeout, anomalous)";
			step.event = FE_ESCALATE;
			step.note = arena_printf(it->a, "商家超时未处理，但%s，转平台仲裁，不自动退款", why);
			return flow_apply(db, it->a, &rf, &step);
		}
		it->did = "approved (merchant timeout)";
		step.event = FE_APPROVE;
		step.note = "商家超时未处理，视为同意退款";
		return flow_apply(db, it->a, &rf, &step);
	case RS_CS_REVIEW:
		it->did = "escalated to merchant";
		step.event = FE_ESCALATE;
		step.note = "客服超时，转商家复核";
		return flow_apply(db, it->a, &rf, &step);
	case RS_AWAITING_UPSTREAM:
		it->did = "sent to review (upstream did not answer)";
		step.event = FE_ROUTE_CS;
		step.note = "上游未在期限内答复商品使用状态，转客服人工审核";
		return flow_apply(db, it->a, &rf, &step);
	case RS_NEED_INFO:
		it->did = "closed (no answer)";
		step.event = FE_CLOSE;
		return flow_apply(db, it->a, &rf, &step);
	default:
		return RD_OK;
	}
}

/* Errs on the side of keeping: a database error counts as referenced. */
static bool
evidence_referenced(const char *sha, void *ctx)
{
	struct app *app = ((void **)ctx)[0];
	struct arena *a = ((void **)ctx)[1];
	struct dbval p[] = { DB_STR(sha) };
	struct dbres res;

	/* Sync-wait: a submission committed on another node counts too. */
	return db_query_sync(app->db, a, Q_EVIDENCE_REFS, p, 1, &res) != RD_OK || db_cell_int(&res, 0, 0) != 0;
}

/* Returns how many items it acted on; clears *ok when the query or an
 * item's transaction failed (MariaDB went away mid-pass), so `--once` does
 * not report a pass that did nothing as one that had nothing to do. */
static int
run_due(struct app *app, struct arena *a, enum stmt_id q, db_tx_fn fn, const char *what, long long deadline,
    bool *ok)
{
	struct dbres res;
	long long now = (long long)time(NULL);
	struct dbval p[] = { DB_INT(now) };
	int n = 0;

	if (db_query(app->db, a, q, p, 1, &res) != RD_OK) {
		*ok = false;
		return -1;
	}
	for (size_t i = 0; i < res.nrows && (long long)time(NULL) < deadline; i++) {
		struct item it = { db_cell(&res, i, 0), a, now, NULL };
		enum rd_err e = db_tx(app->db, fn, &it);
		if (e != RD_OK) {
			log_warn("worker: %s %s failed: %s", what, it.key, rd_err_names[e]);
			*ok = false;
		} else if (it.did != NULL) {
			log_info("worker: %s %s %s", what, it.key, it.did);
			n++;
		}
	}
	return n;
}

void
worker_summary(const struct worker_report *r, char *out, size_t cap)
{
	if (r->housekeeping)
		snprintf(out, cap, "%d holds released, %d deadlines acted on, %d webhooks delivered, "
		    "%d failed, %d deferred, %d abandoned files swept", r->released, r->deadlines,
		    r->wh.delivered, r->wh.failed, r->wh.deferred, r->swept);
	else
		snprintf(out, cap, "housekeeping skipped (lease held by %s), %d webhooks delivered, "
		    "%d failed, %d deferred", r->held_by, r->wh.delivered, r->wh.failed, r->wh.deferred);
}

/* Replay records that can no longer pass the skew check, and spent
 * budget windows: both tables stay as small as a day's traffic. */
static void
housekeeping(struct app *app)
{
	long long now = (long long)time(NULL);

	replay_purge(app->db, now - app->cfg->api_skew - 60);
	budget_purge(app->db, now - BUDGET_MAX_WINDOW);
}

enum rd_err
worker_pass(struct app *app, int max_seconds, struct worker_report *out)
{
	struct arena a;
	struct lease l = { .token = "" };
	long long start = (long long)time(NULL), deadline = start + max_seconds;
	enum rd_err e;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	arena_init(&a, 0);
	if ((e = db_ensure(app->db)) != RD_OK ||
	    (e = lease_take(app->db, &l, start, deadline + LEASE_SLACK)) != RD_OK) {
		arena_free(&a);
		return e;
	}
	out->housekeeping = l.held;
	if (l.held) {
		void *ctx[2] = { app, &a };
		out->swept = evidence_sweep_tmp(app->cfg->evidence_dir, TMP_MAX_AGE) +
		    evidence_sweep_stored(app->cfg->evidence_dir, TMP_MAX_AGE, evidence_referenced, ctx);
		out->released = run_due(app, &a, W_DUE_RELEASES, release_tx, "hold", deadline, &ok);
		out->deadlines = run_due(app, &a, W_DUE_REFUNDS, deadline_tx, "refund", deadline, &ok);
		housekeeping(app);
	} else {
		struct worker_seen seen;
		if (worker_last_run(app->db, &a, &seen) == RD_OK)
			snprintf(out->held_by, sizeof(out->held_by), "%s", seen.holder_node);
	}
	/* Claims on suppliers before webhooks, so what they settle goes out
	 * in this pass; each claim is leased on its own (claim_follow.c). They
	 * get half the pass at most: slow suppliers never starve the webhooks. */
	ok &= claims_follow_due(app, start + (deadline - start) / 2 + 1, &out->claims);
	if (out->claims.filed + out->claims.settled + out->claims.waiting > 0)
		log_info("worker: claims: %d filed, %d settled, %d waiting", out->claims.filed, out->claims.settled,
		    out->claims.waiting);
	ok &= webhook_send_due(app, deadline, &out->wh);
	if (l.held) {
		char summary[256];
		worker_summary(out, summary, sizeof(summary));
		if (lease_done(app->db, &l, (long long)time(NULL), summary) != RD_OK)
			ok = false;
	}
	arena_free(&a);
	return ok ? RD_OK : RD_ERR_DB;
}

/* --once and --max-seconds N (1..3600, default 50: a pass from a
 * once-a-minute cron ends before the next one starts). */
static bool
worker_args(int argc, char **argv, bool *once, int *max_seconds)
{
	*once = false;
	*max_seconds = 50;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0) {
			*once = true;
		} else if (strcmp(argv[i], "--max-seconds") == 0 && i + 1 < argc) {
			char *end;
			long n = strtol(argv[++i], &end, 10);
			if (*end != '\0' || n < 1 || n > 3600)
				return false;
			*max_seconds = (int)n;
		} else
			return false;
	}
	return true;
}

int
cmd_worker(struct app *app, int argc, char **argv)
{
	bool once;
	int max_seconds, rc = 0;

	if (!worker_args(argc, argv, &once, &max_seconds)) {
		fprintf(stderr, "usage: refund-desk worker [--once] [--max-seconds N]  (N: 1..3600, default 50)\n");
		return 2;
	}
	for (;;) {
		struct worker_report rep;
		char summary[256];
		enum rd_err e = worker_pass(app, max_seconds, &rep);
		worker_summary(&rep, summary, sizeof(summary));
		if (e != RD_OK)
			log_warn("worker: pass incomplete: %s (%s)", db_last_error(app->db), summary);
		if (once) {
			printf("worker: %s\n", summary);
			rc = e == RD_OK ? 0 : 1;
			break;
		}
		sleep(WORKER_PERIOD);
	}
	return rc;
}
