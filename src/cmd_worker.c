/* cmd_worker.c: `refund-desk worker [--once]`: the deadlines that act by
 * themselves, escrow auto-release, webhook delivery and the sweep of temp
 * files left by killed workers. Each item is its own transaction, so a
 * crash leaves every item either done or not started; running two workers
 * at once is safe (rows are locked and state-checked). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "commands.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "evidence.h"
#include "http.h"
#include "log.h"
#include "settle.h"
#include "sign.h"

#define WORKER_PERIOD 5            /* seconds between passes */
#define TMP_MAX_AGE 3600           /* a temp upload older than this is abandoned */

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
	if (strcmp(o.hold_state, "held") != 0 || o.release_at > it->now || o.open_refund[0] != '\0')
		return RD_OK;
	it->did = "released";
	return settle_release(db, it->a, &o, "hold_period_ended", it->now);
}

/* A waiting state whose deadline passed:
 *   merchant_review -> approved and paid (the merchant's silence is consent)
 *   cs_review       -> merchant_review (the merchant gets its say)
 *   need_info       -> closed (the buyer did not answer), hold unfrozen */
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
	switch (rf.state) {
	case RS_MERCHANT_REVIEW:
		if ((e = order_load(db, it->a, rf.order_no, true, &o)) != RD_OK)
			return e;
		if (rf.amount > order_refundable(&o)) {
			/* Another refund took the money first: nothing is left to pay. */
			it->did = "closed (nothing left to refund)";
			if ((e = refund_transition(db, &rf, RS_CLOSED, 0, it->now, "system",
			    "订单已无足够的可退金额，申请关闭")) != RD_OK)
				return e;
			return settle_unfreeze(db, rf.order_id);
		}
		it->did = "approved (merchant timeout)";
		return settle_refund(db, it->a, &o, &rf, false, "system", "商家超时未处理，视为同意退款", it->now);
	case RS_CS_REVIEW:
		it->did = "escalated to merchant";
		return refund_transition(db, &rf, RS_MERCHANT_REVIEW,
		    refund_deadline_for(RS_MERCHANT_REVIEW, it->now), it->now, "system", "客服超时，转商家复核");
	case RS_NEED_INFO:
		it->did = "closed (no answer)";
		if ((e = refund_transition(db, &rf, RS_CLOSED, 0, it->now, "system", "买家未在期限内补充材料，申请关闭")) != RD_OK)
			return e;
		return settle_unfreeze(db, rf.order_id);
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

	return db_query(app->db, a, Q_EVIDENCE_REFS, p, 1, &res) != RD_OK || db_cell_int(&res, 0, 0) != 0;
}

/* Returns how many items it acted on; *failed counts what it could not do
 * (the query, or an item's transaction), so `--once` can say so. */
static int
run_due(struct app *app, struct arena *a, enum stmt_id q, db_tx_fn fn, const char *what, int *failed)
{
	struct dbres res;
	long long now = (long long)time(NULL);
	struct dbval p[] = { DB_INT(now) };
	int n = 0;

	if (db_query(app->db, a, q, p, 1, &res) != RD_OK) {
		(*failed)++;
		return -1;
	}
	for (size_t i = 0; i < res.nrows; i++) {
		struct item it = { db_cell(&res, i, 0), a, now, NULL };
		enum rd_err e = db_tx(app->db, fn, &it);
		if (e != RD_OK) {
			log_warn("worker: %s %s failed: %s", what, it.key, rd_err_names[e]);
			(*failed)++;
		} else if (it.did != NULL) {
			log_info("worker: %s %s %s", what, it.key, it.did);
			n++;
		}
	}
	return n;
}

static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
	return size * n;
}

/* POSTs one event; true on a 2xx. */
static bool
deliver(CURL *curl, const struct config *cfg, const char *payload)
{
	char sig[65], ts[24], h1[64], h2[100];
	struct curl_slist *hdrs = NULL;
	const char *path = cfg->webhook_url;
	long code = 0;

	/* The signed path is the URL's path, as the receiver sees it. */
	const char *scheme = strstr(path, "://");
	if (scheme != NULL && (path = strchr(scheme + 3, '/')) == NULL)
		path = "/";
	long long now = (long long)time(NULL);
	apisig_sign(cfg->webhook_secret[0] ? cfg->webhook_secret : cfg->storefront_secret, "POST", path,
	    now, payload, strlen(payload), sig);
	snprintf(ts, sizeof(ts), "%lld", now);
	snprintf(h1, sizeof(h1), "X-RD-Timestamp: %s", ts);
	snprintf(h2, sizeof(h2), "X-RD-Signature: %s", sig);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, h1);
	hdrs = curl_slist_append(hdrs, h2);
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, cfg->webhook_url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	CURLcode rc = curl_easy_perform(curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(hdrs);
	return rc == CURLE_OK && code >= 200 && code < 300;
}

static int
run_webhooks(struct app *app, struct arena *a, CURL *curl)
{
	struct dbres res;
	long long now = (long long)time(NULL);
	struct dbval p[] = { DB_INT(now) };
	int n = 0;

	if (app->cfg->webhook_url[0] == '\0' || curl == NULL)
		return 0;
	if (db_query(app->db, a, W_DUE_WEBHOOKS, p, 1, &res) != RD_OK)
		return -1;
	for (size_t i = 0; i < res.nrows; i++) {
		long long id = db_cell_int(&res, i, 0), attempts = db_cell_int(&res, i, 3);
		if (deliver(curl, app->cfg, db_cell(&res, i, 2))) {
			struct dbval d[] = { DB_INT(time(NULL)), DB_INT(id) };
			db_exec(app->db, W_WEBHOOK_DONE, d, 2, NULL, NULL);
			n++;
		} else {
			/* Exponential backoff: 10 s, 20 s, ... capped at one hour. */
			long long wait = attempts >= 9 ? 3600 : 10LL << attempts;
			struct dbval d[] = { DB_INT(time(NULL) + (wait > 3600 ? 3600 : wait)), DB_INT(id) };
			db_exec(app->db, W_WEBHOOK_RETRY, d, 2, NULL, NULL);
		}
	}
	return n;
}

int
cmd_worker(struct app *app, int argc, char **argv)
{
	bool once = argc > 0 && strcmp(argv[0], "--once") == 0;
	int failed = 0;
	struct arena a;
	CURL *curl;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	curl = curl_easy_init();
	arena_init(&a, 0);
	for (;;) {
		void *ctx[2] = { app, &a };
		int swept = evidence_sweep_tmp(app->cfg->evidence_dir, TMP_MAX_AGE) +
		    evidence_sweep_stored(app->cfg->evidence_dir, TMP_MAX_AGE, evidence_referenced, ctx);
		int rel = run_due(app, &a, W_DUE_RELEASES, release_tx, "hold", &failed);
		int dl = run_due(app, &a, W_DUE_REFUNDS, deadline_tx, "refund", &failed);
		int wh = run_webhooks(app, &a, curl);
		if (wh < 0)
			failed++;
		arena_reset(&a);
		if (once) {
			printf("worker: %d holds released, %d deadlines acted on, %d webhooks delivered, "
			    "%d abandoned files swept\n", rel, dl, wh, swept);
			break;
		}
		failed = 0;
		sleep(WORKER_PERIOD);
	}
	arena_free(&a);
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	/* A cron pass that could not do its work must not look like one
	 * that had none (the database was down, a transaction failed). */
	if (failed > 0) {
		log_warn("worker --once: %d due items or queries failed", failed);
		return 1;
	}
	return 0;
}
