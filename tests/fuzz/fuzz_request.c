/* fuzz_request.c: whole requests through the router, with no database
 * behind them (every query fails fast, as during an outage). The input is
 * split at NUL bytes into method, path, query, cookie, content type, a
 * header value (X-RD-Timestamp) and the body. Whatever comes in, the answer
 * must be a complete response below 500, or 503 for the missing database:
 * a 500 means request data reached a header or an unhandled path. When the
 * first byte is odd the body is sent to a storefront API route with a valid
 * signature, so the JSON field checks are reached. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "base/crypto.h"
#include "store/db.h"
#include "web/http.h"
#include "web/router.h"
#include "web/sign.h"

struct fake {
	const char *vars[16][2];
	size_t nvars;
	const char *body;
	size_t blen, off;
	char out[1 << 16];
	size_t olen;
};

static const char *
fake_param(void *io, const char *name)
{
	struct fake *f = io;
	for (size_t i = 0; i < f->nvars; i++)
		if (strcmp(f->vars[i][0], name) == 0)
			return f->vars[i][1];
	return NULL;
}

static long
fake_read(void *io, char *p, size_t n)
{
	struct fake *f = io;
	size_t k = f->blen - f->off < n ? f->blen - f->off : n;
	memcpy(p, f->body + f->off, k);
	f->off += k;
	return (long)k;
}

static int
fake_write(void *io, const char *p, size_t n)
{
	struct fake *f = io;
	size_t k = sizeof(f->out) - f->olen < n ? sizeof(f->out) - f->olen : n;
	memcpy(f->out + f->olen, p, k);
	f->olen += k;
	return 0;
}

static struct config cfg;
static struct app app;
static struct arena arena;

static void
setup(void)
{
	static char ev[] = "/nonexistent/rd-fuzz-evidence";
	crypto_init();
	cfg.db_socket = "/nonexistent/mysql.sock";
	cfg.db_host = "";
	cfg.db_user = "root";
	cfg.db_password = "";
	cfg.db_name = "none";
	cfg.storefront_secret = "fuzz-storefront-secret-0123456789abcdef";
	cfg.session_secret = "fuzz-session-secret-0123456789abcdef";
	cfg.staff_secret = "fuzz-session-secret-0123456789abcdef|staff";
	cfg.evidence_dir = ev;
	cfg.evidence_internal = "/_evidence/";
	cfg.public_url = "http://127.0.0.1";
	cfg.webhook_url = "";
	cfg.webhook_secret = "";
	cfg.link_max_age = 900;
	cfg.api_skew = 300;
	cfg.evidence_max_bytes = 5 << 20;
	cfg.evidence_max_files = 5;
	cfg.body_max_bytes = 1 << 20;
	cfg.session_ttl = 3600;
	cfg.lookup_failures_per_hour = 20;
	/* issue 9's limits, at their defaults */
	cfg.buyer_posts_per_refund = cfg.files_per_refund = 20;
	cfg.buyer_posts_per_minute = 60;
	cfg.buyer_posts_per_minute_ip = 600;
	cfg.login_failures_per_hour = 20;
	cfg.login_failures_per_account = cfg.lookup_failures_per_order = 5;
	cfg.password_slots = 2;
	cfg.request_memory = 64LL << 20;
	for (int c = 0; c < CAT__MAX; c++)
		policy_defaults((enum category)c, &cfg.categories[c]);
	app.cfg = &cfg;
	app.db = db_new(&cfg);
	arena_init(&arena, 0);
}

/* Next NUL-separated piece of the input, copied so it is NUL-terminated. */
static char *
piece(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *s = *p, *z = memchr(s, 0, (size_t)(end - s));
	size_t n = z ? (size_t)(z - s) : (size_t)(end - s);
	char *out = malloc(n + 1);
	memcpy(out, s, n);
	out[n] = '\0';
	*p = z ? z + 1 : end;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static const char *const api_paths[] = { "/api/v1/orders", "/api/v1/orders/A1/delivery",
		"/api/v1/orders/A1/usage", "/api/v1/refunds/R1/payout" };
	static struct fake f;
	char clen[24], ts[24], sig[65];

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	int api = data[0] & 1, which = (data[0] >> 1) & 3;
	const uint8_t *p = data + 1, *end = data + size;
	char *method = piece(&p, end), *path = piece(&p, end), *query = piece(&p, end);
	char *cookie = piece(&p, end), *ctype = piece(&p, end), *hval = piece(&p, end);

	memset(&f, 0, sizeof(f));
	f.body = (const char *)p;
	f.blen = (size_t)(end - p);
	snprintf(clen, sizeof(clen), "%zu", f.blen);
	if (api) {
		long long now = (long long)time(NULL);
		apisig_sign(cfg.storefront_secret, "POST", api_paths[which], now, f.body, f.blen, sig);
		snprintf(ts, sizeof(ts), "%lld", now);
	}
	const char *vars[][2] = {
		{ "REQUEST_METHOD", api ? "POST" : method },
		{ "DOCUMENT_URI", api ? api_paths[which] : path },
		{ "QUERY_STRING", query },
		{ "HTTP_COOKIE", cookie },
		{ "CONTENT_TYPE", api ? "application/json" : ctype },
		{ "CONTENT_LENGTH", clen },
		{ "REMOTE_ADDR", "127.0.0.1" },
		{ "HTTP_X_RD_TIMESTAMP", api ? ts : hval },
		{ "HTTP_X_RD_SIGNATURE", api ? sig : hval },
	};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		f.vars[i][0] = vars[i][0];
		f.vars[i][1] = vars[i][1];
	}
	f.nvars = sizeof(vars) / sizeof(vars[0]);
	struct http_io io = { fake_param, fake_read, fake_write, &f };
	router_dispatch(&app, &arena, &io);
	arena_reset(&arena);

	/* The response is complete and its status is not a server fault. */
	int status = 0;
	if (f.olen < 12 || sscanf(f.out, "Status: %d", &status) != 1 || memmem(f.out, f.olen, "\r\n\r\n", 4) == NULL)
		abort();
	if (status >= 500 && status != 503)
		abort();
	/* No request data may have made a header line of its own. */
	const char *hdr_end = memmem(f.out, f.olen, "\r\n\r\n", 4);
	if (memmem(f.out, (size_t)(hdr_end - f.out), "\nX-Injected", 11) != NULL)
		abort();
	free(method);
	free(path);
	free(query);
	free(cookie);
	free(ctype);
	free(hval);
	return 0;
}
