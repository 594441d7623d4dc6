/* claim_follow.c: files and follows claims at desk suppliers (claim_follow.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "base/buf.h"
#include "base/config.h"
#include "base/crypto.h"
#include "base/log.h"
#include "rules/claim_rules.h"
#include "store/claim_follow.h"
#include "store/db.h"
#include "store/supplier_claim.h"
#include "web/http.h"
#include "web/sign.h"

/* A claim's lease: its one call to the supplier (the timeout) and the
 * transaction that records the answer, with room to spare. A worker killed
 * holding it delays that claim by this long, no more. */
#define LEASE_SLACK 5
#define EVIDENCE_MAX_BYTES (6LL << 20)

/* What the supplier said (rules/claim_rules.h). */
struct answer {
	enum claim_answer kind;
	char refund_id[65];
	enum refund_state state;
	long long refund_amount;
	bool unreachable;         /* no HTTP answer at all (refused, timed out) */
	char error[200];
};

/* One pass: its end, and the suppliers that did not answer in it (their
 * other claims wait for the next pass instead of each costing a timeout). */
struct pass {
	long long deadline;
	bool dead[SUPPLIERS_MAX];
};

static size_t
collect(char *p, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	if (b->len + size * n > (1u << 20))
		return 0;                 /* an answer this large is not a refund */
	buf_append(b, p, size * n);
	return size * n;
}

/* One signed call to the supplier's desk as its API client. path is the
 * route below the supplier's mount, as the signature covers it. */
static void
call(const struct supplier *sup, long timeout, const char *method, const char *path, const char *ctype,
    const struct buf *body, struct answer *ans)
{
	char sig[65], h[4][200];
	struct curl_slist *hdrs = NULL;
	struct buf out;
	long code = 0;
	long long now = (long long)time(NULL);
	const char *data = body != NULL ? body->data : "";
	size_t blen = body != NULL ? body->len : 0;

	memset(ans, 0, sizeof(*ans));
	ans->kind = CANS_NO_ANSWER;
	CURL *c = curl_easy_init();
	if (c == NULL) {
		snprintf(ans->error, sizeof(ans->error), "curl: out of memory");
		return;
	}
	buf_init(&out);
	apisig_sign(sup->secret, method, path, now, data, blen, sig);
	snprintf(h[0], sizeof(h[0]), "X-RD-Timestamp: %lld", now);
	snprintf(h[1], sizeof(h[1]), "X-RD-Signature: %s", sig);
	snprintf(h[2], sizeof(h[2]), "X-RD-Client: %s", sup->client);
	snprintf(h[3], sizeof(h[3]), "Content-Type: %s", ctype != NULL ? ctype : "application/json");
	for (int i = 0; i < (ctype != NULL ? 4 : 3); i++)
		hdrs = curl_slist_append(hdrs, h[i]);
	char *url = malloc(strlen(sup->url) + strlen(path) + 1);
	if (url == NULL) {
		snprintf(ans->error, sizeof(ans->error), "out of memory");
		goto out;
	}
	sprintf(url, "%s%s", sup->url, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)blen);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
	}
	/* A dead or slow supplier costs this claim its timeout, never the pass. */
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 5 ? timeout : 5L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
	CURLcode rc = curl_easy_perform(c);
	free(url);
	if (rc != CURLE_OK) {
		ans->unreachable = true;
		snprintf(ans->error, sizeof(ans->error), "supplier unreachable: %s", curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	json_object *root = json_tokener_parse(buf_cstr(&out)), *rf, *v, *err;
	json_object *st;
	/* A refund: an id we can put in a path, and a state of CONTRACT.md §5. */
	if (code >= 200 && code < 300 && root != NULL && json_object_object_get_ex(root, "refund", &rf) &&
	    json_object_object_get_ex(rf, "id", &v) && json_object_is_type(v, json_type_string) &&
	    ident_valid(json_object_get_string(v), 64) && json_object_object_get_ex(rf, "state", &st) &&
	    json_object_is_type(st, json_type_string) &&
	    ENUM_LOOKUP(refund_state_names, json_object_get_string(st)) >= 0) {
		snprintf(ans->refund_id, sizeof(ans->refund_id), "%s", json_object_get_string(v));
		ans->state = (enum refund_state)ENUM_LOOKUP(refund_state_names, json_object_get_string(st));
		if (json_object_object_get_ex(rf, "refund_amount", &v) && json_object_is_type(v, json_type_int))
			ans->refund_amount = json_object_get_int64(v);
		ans->kind = CANS_REFUND;
		if (ans->refund_amount < 0) {       /* no refund takes money: not an answer to trust */
			ans->kind = CANS_NO_ANSWER;
			snprintf(ans->error, sizeof(ans->error), "supplier answered a negative refund_amount");
		}
	} else {
		const char *what = "no refund in the answer";
		if (root != NULL && json_object_object_get_ex(root, "error", &err) &&
		    json_object_object_get_ex(err, "code", &v) && json_object_is_type(v, json_type_string))
			what = json_object_get_string(v);
		snprintf(ans->error, sizeof(ans->error), "supplier answered %ld: %.150s", code, what);
		/* 422: the supplier's policy will not take this claim (not allowed,
		 * evidence refused). Anything else may pass: ask again. */
		if (code == 422)
			ans->kind = CANS_REFUSED;
	}
	json_object_put(root);
out:
	curl_slist_free_all(hdrs);
	buf_free(&out);
	curl_easy_cleanup(c);
}

/* Appends one evidence file as a part; false when it cannot be read (the
 * claim then goes without it: the supplier's policy decides). */
static bool
add_file(struct buf *b, const char *boundary, const char *dir, const char *sha, const char *mime, int n)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%.2s/%s", dir, sha, sha);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	/* Our own names, never the buyer's: nothing of the upload's name
	 * reaches a header at the supplier. */
	const char *ext = strcmp(mime, "image/png") == 0 ? "png" : strcmp(mime, "image/jpeg") == 0 ? "jpg" :
	    strcmp(mime, "image/webp") == 0 ? "webp" : "pdf";
	buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"evidence-%d.%s\"\r\n"
	    "Content-Type: %s\r\n\r\n", boundary, n, ext, mime);
	char chunk[65536];
	size_t got;
	long long total = 0;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0 && (total += (long long)got) <= EVIDENCE_MAX_BYTES)
		buf_append(b, chunk, got);
	fclose(f);
	buf_puts(b, "\r\n");
	return total <= EVIDENCE_MAX_BYTES;
}

/* POST /api/v1/refunds at the supplier: the claim as its buyer's refund
 * request, multipart when there is evidence to forward. */
static void
file_claim(struct app *app, struct arena *a, const struct supplier *sup, const struct claim *c, long timeout,
    struct answer *ans)
{
	const struct config *cfg = app->cfg;
	json_object *j = json_object_new_object();
	struct dbres ev = { 0 };
	struct dbval p[] = { DB_INT(c->refund_id) };

	json_object_object_add(j, "order_no", json_object_new_string(c->upstream_order_no));
	json_object_object_add(j, "type", json_object_new_string(refund_type_names[c->type]));
	json_object_object_add(j, "reason", json_object_new_string(c->reason));
	json_object_object_add(j, "destination", json_object_new_string("balance"));
	json_object_object_add(j, "idem", json_object_new_string(c->public_id));
	const char *js = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	struct buf body;
	buf_init(&body);
	if (db_query(app->db, a, Q_CLAIM_EVIDENCE, p, 1, &ev) != RD_OK)
		ev.nrows = 0;
	if (ev.nrows == 0) {
		buf_puts(&body, js);
		call(sup, timeout, "POST", "/api/v1/refunds", "application/json", &body, ans);
	} else {
		char boundary[33], ctype[80];
		random_token(boundary, 32);
		snprintf(ctype, sizeof(ctype), "multipart/form-data; boundary=%s", boundary);
		buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"json\"\r\n"
		    "Content-Type: application/json\r\n\r\n%s\r\n", boundary, js);
		for (size_t i = 0; i < ev.nrows && i < 5; i++)
			if (!add_file(&body, boundary, cfg->evidence_dir, db_cell(&ev, i, 0), db_cell(&ev, i, 1), (int)i + 1))
				log_warn("claim %s: evidence %s not forwarded", c->public_id, db_cell(&ev, i, 0));
		buf_printf(&body, "--%s--\r\n", boundary);
		call(sup, timeout, "POST", "/api/v1/refunds", ctype, &body, ans);
	}
	buf_free(&body);
	json_object_put(j);
}

struct step {
	struct arena *a;
	const char *public_id;
	const struct claims_config *cc;
	const struct answer *ans;
	long long now;
	struct claim c;
	const char *did;
};

static enum rd_err
read_tx(struct db *db, void *ctx)
{
	struct step *s = ctx;
	return claim_lock(db, s->a, s->public_id, &s->c);
}

/* Writes what the supplier said (or that the claim ran out of time). */
static enum rd_err
apply_tx(struct db *db, void *ctx)
{
	struct step *s = ctx;
	const struct answer *ans = s->ans;
	enum rd_err e;

	s->did = NULL;
	if ((e = claim_lock(db, s->a, s->public_id, &s->c)) != RD_OK)
		return e;
	/* Decided on the row as it is now: the storefront or another pass
	 * may have settled it meanwhile. */
	enum claim_step next = claim_next(s->c.state, ans->kind, ans->state, s->now >= s->c.expires_at);
	if (ans->kind == CANS_REFUND && (s->c.supplier_refund_id = arena_strdup(s->a, ans->refund_id)) == NULL)
		return RD_ERR_NOMEM;
	switch (next) {
	case CSTEP_NOTHING:
		return RD_OK;
	case CSTEP_RECOVERED:
		s->did = "recovered";
		return claim_settle(db, s->a, &s->c, CLAIM_RECOVERED, ans->refund_amount, s->now);
	case CSTEP_REJECTED:
		s->did = "rejected by the supplier";
		return claim_settle(db, s->a, &s->c, CLAIM_REJECTED, 0, s->now);
	case CSTEP_WRITE_OFF:
		s->did = "written off (expired)";
		return claim_settle(db, s->a, &s->c, CLAIM_WRITTEN_OFF, 0, s->now);
	case CSTEP_FILED:
		s->did = s->c.state == CLAIM_PENDING ? "filed" : NULL;
		return claim_mark_filed(db, &s->c, s->c.supplier_refund_id, s->now,
		    s->now + claim_poll_after(s->cc->poll_secs, s->now - s->c.created_at));
	case CSTEP_LATER:
	default:
		/* A storefront's claim: only its expiry is the worker's. */
		if (ans->kind == CANS_NONE)
			return claim_later(db, &s->c, s->now, s->c.expires_at, "");
		return claim_later(db, &s->c, s->now, s->now + s->cc->retry_secs, ans->error);
	}
}

/* One leased claim, start to end. False when the database failed. */
static bool
work(struct app *app, struct arena *a, const char *public_id, struct pass *ps, struct claims_report *rep)
{
	const struct claims_config *cc = &app->cfg->claims;
	struct step s = { .a = a, .public_id = public_id, .cc = cc };
	struct answer ans;

	if (db_tx(app->db, read_tx, &s) != RD_OK)
		return false;
	if (claim_state_final(s.c.state))
		return true;
	const struct supplier *sup = supplier_find(cc, s.c.supplier);
	memset(&ans, 0, sizeof(ans));
	ans.kind = CANS_NONE;
	long long left = ps->deadline - (long long)time(NULL);
	long timeout = left < cc->timeout_secs ? (long)(left > 1 ? left : 1) : cc->timeout_secs;
	if (sup != NULL && sup->kind == SUPPLIER_DESK && ps->dead[sup - cc->suppliers]) {
		ans.kind = CANS_NO_ANSWER;
		snprintf(ans.error, sizeof(ans.error), "supplier did not answer earlier in this pass");
	} else if (sup != NULL && sup->kind == SUPPLIER_DESK) {
		if (s.c.state == CLAIM_PENDING)
			file_claim(app, a, sup, &s.c, timeout, &ans);
		else
			call(sup, timeout, "GET", arena_printf(a, "/api/v1/refunds/%s", s.c.supplier_refund_id),
			    NULL, NULL, &ans);
		ps->dead[sup - cc->suppliers] = ans.unreachable;
	} else if (sup == NULL) {
		ans.kind = CANS_NO_ANSWER;
		snprintf(ans.error, sizeof(ans.error), "no supplier %s in the config", s.c.supplier);
	}
	s.ans = &ans;
	s.now = (long long)time(NULL);
	bool was_pending = s.c.state == CLAIM_PENDING;
	if (db_tx(app->db, apply_tx, &s) != RD_OK) {
		log_warn("worker: claim %s: %s", public_id, db_last_error(app->db));
		return false;
	}
	if (s.did != NULL)
		log_info("worker: claim %s %s", public_id, s.did);
	else if (ans.kind == CANS_NO_ANSWER)
		log_warn("worker: claim %s: %s", public_id, s.ans->error);
	if (claim_state_final(s.c.state))
		rep->settled++;
	else
		rep->waiting++;
	if (was_pending && s.c.state != CLAIM_PENDING)
		rep->filed++;
	return true;
}

bool
claims_follow_due(struct app *app, long long deadline, struct claims_report *out)
{
	struct arena a;
	char token[33];
	bool ok = true;

	struct pass ps = { .deadline = deadline };
	/* Due as of the pass's start: a claim put off during this pass (its
	 * supplier did not answer; claims.retry_seconds may be shorter than the
	 * pass) waits for the next one instead of being tried twice. */
	long long started = (long long)time(NULL);

	memset(out, 0, sizeof(*out));
	arena_init(&a, 0);
	while ((long long)time(NULL) < deadline) {
		struct dbres res;
		unsigned long long n = 0;
		long long now = (long long)time(NULL);
		random_token(token, 32);
		struct dbval p[] = { DB_INT(now + app->cfg->claims.timeout_secs + LEASE_SLACK), DB_STR(token),
			DB_INT(started), DB_INT(now) };
		enum rd_err e = db_exec(app->db, W_CLAIMS_LEASE, p, 4, &n, NULL);
		if (e == RD_ERR_RETRY)
			continue;              /* another pass took the same row first */
		if (e != RD_OK) {
			ok = false;
			break;
		}
		if (n == 0)
			break;
		struct dbval q[] = { DB_STR(token) };
		if (db_query(app->db, &a, W_CLAIMS_LEASED, q, 1, &res) != RD_OK) {
			ok = false;
			break;
		}
		for (size_t i = 0; i < res.nrows; i++)
			ok &= work(app, &a, db_cell(&res, i, 0), &ps, out);
		arena_reset(&a);
		if (!ok)
			break;
	}
	arena_free(&a);
	return ok;
}
