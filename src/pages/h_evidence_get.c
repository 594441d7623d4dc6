/* h_evidence_get.c: GET /refund/ID/evidence/N: the buyer's own evidence,
 * with the type we sniffed at upload, never the one the uploader declared.
 * evidence_delivery says who sends the bytes: nginx (X-Accel-Redirect to its
 * internal location), Apache mod_xsendfile (X-Sendfile), or the app itself
 * (stream); auto means X-Accel-Redirect behind nginx, else stream. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "store/db.h"
#include "web/evidence.h"
#include "pages/handlers.h"
#include "base/log.h"
#include "web/url.h"

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
	(void)merchant, (void)ctx;           /* a buyer sees by session only */
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
	char *end, path[600], disp[80];

	long long seq = strtoll(r->params[1], &end, 10);
	if (*end != '\0' || seq < 1 || seq > 1000) {
		not_found_page(r);
		return;
	}
	struct dbval p[] = { DB_STR(r->params[0]), DB_INT(seq) };
	if ((e = db_query_sync(r->app->db, r->a, Q_EVIDENCE_GET, p, 2, &res)) != RD_OK) {
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
	/* A PDF is a document with its own active content: downloaded, never
	 * opened in the desk's origin. Images are shown inline. */
	snprintf(disp, sizeof(disp), "%s; filename=\"evidence-%lld.%s\"",
	    strcmp(mime, "application/pdf") == 0 ? "attachment" : "inline", seq, extension(mime));
	enum evidence_delivery how = cfg->evidence_delivery;
	if (how == ED_AUTO)
		how = url_behind_nginx(r) ? ED_XACCEL : ED_STREAM;
	if (how == ED_STREAM) {
		/* Opened before any header is set: a missing file is a plain 500. */
		snprintf(path, sizeof(path), "%s/%.2s/%s", cfg->evidence_dir, sha, sha);
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			log_warn("evidence: %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			fail_page(r, RD_ERR_IO);
			return;
		}
		resp_file(r, fd, (long long)st.st_size);
	}
	resp_header(r, "Content-Type", mime);
	resp_header(r, "Content-Disposition", disp);
	resp_header(r, "Cache-Control", "private, no-store");
	if (how == ED_XACCEL) {
		snprintf(path, sizeof(path), "%s%.2s/%s", cfg->evidence_internal, sha, sha);
		resp_header(r, "X-Accel-Redirect", path);
	} else if (how == ED_XSENDFILE) {
		/* mod_xsendfile wants the file's own path (XSendFilePath must allow it). */
		snprintf(path, sizeof(path), "%s/%.2s/%s", cfg->evidence_dir, sha, sha);
		resp_header(r, "X-Sendfile", path);
	}
}
