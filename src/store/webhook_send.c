/* webhook_send.c: claims due webhook events and sends them with curl multi,
 * WEBHOOK_PARALLEL at once (see webhook_send.h for the guarantees). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "web/http.h"
#include "base/log.h"
#include "web/sign.h"
#include "store/webhook_send.h"

#define CLAIM_BATCH 32            /* events claimed per round trip */
#define CLAIM_SLACK 60            /* a claim outlives the pass by this much */
#define JOBS (WEBHOOK_PARALLEL + CLAIM_BATCH)
#define MARK_BATCH 32             /* outcomes written per transaction... */
#define MARK_WAIT_MS 20           /* ...or after this long, whichever first */
#define MARKS (MARK_BATCH + JOBS)

struct job {
	bool used, running;
	bool capped;                  /* its timeout was cut to the pass's deadline */
	long long id, attempts;
	char token[33];               /* the claim it was sent under */
	char *payload;
	CURL *easy;
	struct curl_slist *hdrs;
};

/* How a claimed event ended, waiting to be written. */
struct mark {
	enum stmt_id how;             /* W_WEBHOOK_DONE, _RETRY or _UNCLAIM */
	long long id, at;             /* at: delivered_at, or next_at for a retry */
	char token[33];
};

struct sender {
	struct app *app;
	struct mark marks[MARKS];
	int nmarks;
	long long first_mark_ms;
	CURLM *multi;
	struct job jobs[JOBS];
	int waiting, running;
	long long deadline, claim_until;
	struct webhook_report *rep;
	bool db_ok;
};

long long
webhook_backoff(long long attempts)
{
	return attempts >= 9 ? 3600 : 10LL << attempts;
}

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p, (void)ctx;
	return size * n;
}

/* The one place a webhook is signed: the scheme may change here alone.
 * Signed with the webhook's own secret (never the API secret) over the
 * receiver's path and query, as it sees them (webhook_sign). */
static struct curl_slist *
signed_headers(const struct config *cfg, const char *payload)
{
	char sig[65], h1[64], h2[100];
	struct curl_slist *hdrs = NULL;

	long long now = (long long)time(NULL);
	webhook_sign(cfg->webhook_secret, cfg->webhook_url, now, payload, strlen(payload), sig);
	snprintf(h1, sizeof(h1), "X-RD-Timestamp: %lld", now);
	snprintf(h2, sizeof(h2), "X-RD-Signature: %s", sig);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, h1);
	return curl_slist_append(hdrs, h2);
}

static void
job_clear(struct job *j)
{
	curl_slist_free_all(j->hdrs);
	free(j->payload);
	j->hdrs = NULL;
	j->payload = NULL;
	j->used = j->running = j->capped = false;
}

static enum rd_err
marks_tx(struct db *db, void *ctx)
{
	struct sender *s = ctx;
	enum rd_err e;

	for (int i = 0; i < s->nmarks; i++) {
		struct mark *m = &s->marks[i];
		struct dbval p[3] = { DB_INT(m->at), DB_INT(m->id), DB_STR(m->token) };
		bool with_time = m->how != W_WEBHOOK_UNCLAIM;
		if ((e = db_exec(db, m->how, with_time ? p : p + 1, with_time ? 3 : 2, NULL, NULL)) != RD_OK)
			return e;
	}
	return RD_OK;
}

/* Writes the outcomes gathered so far in one transaction: one commit (one
 * log flush) for many events instead of one each. */
static void
marks_flush(struct sender *s)
{
	if (s->nmarks == 0)
		return;
	if (db_tx(s->app->db, marks_tx, s) != RD_OK) {
		/* The claims expire by themselves; those events go out again then. */
		log_warn("worker: recording %d webhook outcomes: %s", s->nmarks, db_last_error(s->app->db));
		s->db_ok = false;
	}
	s->nmarks = 0;
}

/* Notes how a claimed event ended and frees its slot. */
static void
job_settle(struct sender *s, struct job *j, enum stmt_id how)
{
	if (s->nmarks == MARKS)
		marks_flush(s);
	struct mark *m = &s->marks[s->nmarks++];
	if (s->nmarks == 1)
		s->first_mark_ms = now_ms();
	m->how = how;
	m->id = j->id;
	m->at = how == W_WEBHOOK_RETRY ? time(NULL) + webhook_backoff(j->attempts) : time(NULL);
	memcpy(m->token, j->token, sizeof(m->token));
	job_clear(j);
}

/* Claims up to CLAIM_BATCH - waiting events into free slots; false when
 * nothing was due. */
static bool
claim(struct sender *s)
{
	struct arena a;
	struct dbres res;
	char token[33];
	long long now = (long long)time(NULL);
	int want = CLAIM_BATCH - s->waiting;
	unsigned long long n = 0;
	enum rd_err e;

	random_token(token, 32);
	struct dbval p[] = { DB_INT(now), DB_INT(now), DB_INT(want), DB_STR(token), DB_INT(s->claim_until),
		DB_INT(now), DB_INT(now) };
	/* Two runs claiming the same rows (on Galera: on two nodes) may
	 * deadlock; the loser just claims again. */
	for (int tries = 0; (e = db_exec(s->app->db, W_WEBHOOK_CLAIM, p, 7, &n, NULL)) == RD_ERR_RETRY &&
	    tries < 4; tries++)
		;
	if (e != RD_OK) {
		log_warn("worker: claiming webhooks: %s", db_last_error(s->app->db));
		s->db_ok = false;
		return false;
	}
	if (n == 0)
		return false;
	arena_init(&a, 0);
	struct dbval q[] = { DB_STR(token) };
	if (db_query(s->app->db, &a, W_WEBHOOK_CLAIMED, q, 1, &res) != RD_OK) {
		log_warn("worker: reading claimed webhooks: %s", db_last_error(s->app->db));
		s->db_ok = false;
		arena_free(&a);
		return false;
	}
	for (size_t i = 0, k = 0; i < res.nrows && k < JOBS; k++) {
		struct job *j = &s->jobs[k];
		if (j->used)
			continue;
		j->used = true;
		j->id = db_cell_int(&res, i, 0);
		j->payload = strdup(db_cell(&res, i, 1));
		j->attempts = db_cell_int(&res, i, 2);
		memcpy(j->token, token, sizeof(token));
		s->waiting++;
		i++;
	}
	arena_free(&a);
	return true;
}

/* Starts a claimed event; a transfer never runs past the pass's deadline. */
static void
start(struct sender *s, struct job *j)
{
	const struct config *cfg = s->app->cfg;
	long long left = s->deadline * 1000 - now_ms();
	long long limit = cfg->webhook_timeout * 1000;

	s->waiting--;
	if (j->payload == NULL || left < 1000) {
		s->rep->deferred++;
		job_settle(s, j, W_WEBHOOK_UNCLAIM);
		return;
	}
	j->capped = left < limit;
	if (j->capped)
		limit = left;
	j->hdrs = signed_headers(cfg, j->payload);
	curl_easy_reset(j->easy);
	curl_easy_setopt(j->easy, CURLOPT_URL, cfg->webhook_url);
	curl_easy_setopt(j->easy, CURLOPT_HTTPHEADER, j->hdrs);
	curl_easy_setopt(j->easy, CURLOPT_POSTFIELDS, j->payload);
	curl_easy_setopt(j->easy, CURLOPT_TIMEOUT_MS, (long)limit);
	curl_easy_setopt(j->easy, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(j->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(j->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(j->easy, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j);
	if (curl_multi_add_handle(s->multi, j->easy) != CURLM_OK) {
		s->rep->deferred++;
		job_settle(s, j, W_WEBHOOK_UNCLAIM);
		return;
	}
	j->running = true;
	s->running++;
}

static void
finish(struct sender *s, struct job *j, CURLcode rc)
{
	long code = 0;

	curl_multi_remove_handle(s->multi, j->easy);
	s->running--;
	if (rc == CURLE_OK)
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK && code >= 200 && code < 300) {
		s->rep->delivered++;
		job_settle(s, j, W_WEBHOOK_DONE);
	} else if (rc == CURLE_OPERATION_TIMEDOUT && j->capped) {
		/* Our deadline, not the receiver's fault: no attempt counted. */
		s->rep->deferred++;
		job_settle(s, j, W_WEBHOOK_UNCLAIM);
	} else {
		log_warn("worker: webhook %lld not delivered: %s", j->id,
		    rc != CURLE_OK ? curl_easy_strerror(rc) : code ? "receiver answered non-2xx" : "no answer");
		s->rep->failed++;
		job_settle(s, j, W_WEBHOOK_RETRY);
	}
}

static void
run(struct sender *s)
{
	bool drained = false;

	while (s->db_ok) {
		bool late = now_ms() >= s->deadline * 1000;
		/* Outcomes are written in batches; a stream's next event becomes
		 * claimable once its predecessor's delivery is written. */
		if (s->nmarks > 0 && (s->nmarks >= MARK_BATCH || now_ms() - s->first_mark_ms >= MARK_WAIT_MS ||
		    (s->running == 0 && s->waiting == 0))) {
			marks_flush(s);
			drained = false;
			continue;
		}
		if (!late && !drained && s->waiting < WEBHOOK_PARALLEL)
			drained = !claim(s);
		for (int k = 0; k < JOBS && s->running < WEBHOOK_PARALLEL; k++)
			if (s->jobs[k].used && !s->jobs[k].running)
				start(s, &s->jobs[k]);
		if (s->running == 0 && s->waiting == 0 && s->nmarks == 0 && (drained || late))
			break;
		int still;
		curl_multi_perform(s->multi, &still);
		CURLMsg *m;
		int q;
		while ((m = curl_multi_info_read(s->multi, &q)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			struct job *j;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			finish(s, j, m->data.result);
		}
		if (s->running > 0)
			curl_multi_poll(s->multi, NULL, 0, s->nmarks > 0 ? MARK_WAIT_MS : 100, NULL);
	}
	/* Left over after a database failure: give the claims back. */
	for (int k = 0; k < JOBS; k++) {
		struct job *j = &s->jobs[k];
		if (!j->used)
			continue;
		if (j->running) {
			curl_multi_remove_handle(s->multi, j->easy);
			s->running--;
		} else
			s->waiting--;
		s->rep->deferred++;
		job_settle(s, j, W_WEBHOOK_UNCLAIM);
	}
	bool ok = s->db_ok;
	s->db_ok = true;
	marks_flush(s);
	s->db_ok &= ok;
}

bool
webhook_send_due(struct app *app, long long deadline, struct webhook_report *out)
{
	struct sender *s;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (app->cfg->webhook_url[0] == '\0')
		return true;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return false;
	s->app = app;
	s->rep = out;
	s->deadline = deadline;
	s->claim_until = deadline + app->cfg->webhook_timeout + CLAIM_SLACK;
	s->db_ok = true;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	s->multi = curl_multi_init();
	for (int k = 0; k < JOBS && s->multi != NULL; k++)
		if ((s->jobs[k].easy = curl_easy_init()) == NULL)
			s->db_ok = false;
	if (s->multi != NULL) {
		curl_multi_setopt(s->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)WEBHOOK_PARALLEL);
		run(s);
	}
	ok = s->db_ok && s->multi != NULL;
	for (int k = 0; k < JOBS; k++)
		if (s->jobs[k].easy != NULL)
			curl_easy_cleanup(s->jobs[k].easy);
	if (s->multi != NULL)
		curl_multi_cleanup(s->multi);
	curl_global_cleanup();
	free(s);
	return ok;
}
