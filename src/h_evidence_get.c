/* h_evidence_get.c: GET /refund/ID/evidence/N: the buyer's own evidence,
 * served by nginx from its internal location (X-Accel-Redirect) with the
 * type we sniffed at upload, never the one the uploader declared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "evidence.h"
#include "handlers.h"

static const char *
extension(const char *mime)
{
	static const char *const ext[EV__MAX] = { "bin", "png", "jpg", "webp", "pdf" };
	for (int i = 1; i < EV__MAX; i++)
		if (strcmp(mime, evidence_mime[i]) == 0)
			return ext[i];
	return ext[0];
}

static bool
buyer_may(struct req *r, const char *buyer, const char *order_no, const char *merchant, const void *ctx)
{
	return session_allows(&r->sess, buyer, order_no);
}

void
h_evidence_get(struct req *r)
{
	if (require_session(r))
		evidence_serve(r, buyer_may, NULL);
}

void
evidence_serve(struct req *r, evidence_allowed_fn allowed, const void *ctx)
{
	const struct config *cfg = r->app->cfg;
	struct dbres res;
	enum rd_err e;
	char *end, path[200], disp[80];

	long long seq = strtoll(r->params[1], &end, 10);
	if (*end != '\0' || seq < 1 || seq > 1000) {
		not_found_page(r);
		return;
	}
	struct dbval p[] = { DB_STR(r->params[0]), DB_INT(seq) };
	if ((e = db_query(r->app->db, r->a, Q_EVIDENCE_GET, p, 2, &res)) != RD_OK) {
		fail_page(r, e);
		return;
	}
	if (res.nrows == 0 || !allowed(r, db_cell(&res, 0, 2), db_cell(&res, 0, 3), db_cell(&res, 0, 4), ctx)) {
		not_found_page(r);
		return;
	}
	const char *sha = db_cell(&res, 0, 0), *mime = db_cell(&res, 0, 1);
	/* The stored hash is 64 hex digits we computed; check anyway before it
	 * becomes part of a path. */
	if (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64) {
		fail_page(r, RD_ERR_INTERNAL);
		return;
	}
	snprintf(path, sizeof(path), "%s%.2s/%s", cfg->evidence_internal, sha, sha);
	/* A PDF is a document with its own active content: downloaded, never
	 * opened in the desk's origin. Images are shown inline. */
	snprintf(disp, sizeof(disp), "%s; filename=\"evidence-%lld.%s\"",
	    strcmp(mime, "application/pdf") == 0 ? "attachment" : "inline", seq, extension(mime));
	resp_header(r, "Content-Type", mime);
	resp_header(r, "Content-Disposition", disp);
	resp_header(r, "Cache-Control", "private, no-store");
	resp_header(r, "X-Accel-Redirect", path);
}
