/* api_multipart.c: a signed multipart API body (CONTRACT.md §7: a `json`
 * part and `evidence` file parts). The body streams through the form reader
 * (web/body.c: evidence to temp files, typed by content as a buyer's) and
 * its SHA-256 is taken on the way, so the signature covers every byte
 * without a 25 MiB body ever held in memory. */
#include <string.h>

#include "api/api.h"
#include "base/config.h"
#include "base/crypto.h"
#include "web/body.h"
#include "web/sign.h"

/* The request's io with a hash of every body byte read through it. */
struct hashing_io {
	struct http_io io;
	const struct http_io *inner;
	struct sha256_ctx sha;
	long long read;
};

static const char *
hashing_param(void *io, const char *name)
{
	struct hashing_io *h = io;
	return h->inner->param(h->inner->io, name);
}

static long
hashing_read(void *io, char *p, size_t n)
{
	struct hashing_io *h = io;
	long got = h->inner->read(h->inner->io, p, n);

	if (got > 0) {
		sha256_update(&h->sha, p, (size_t)got);
		h->read += got;
	}
	return got;
}

static int
hashing_write(void *io, const char *p, size_t n)
{
	struct hashing_io *h = io;
	return h->inner->write(h->inner->io, p, n);
}

/* The rest of a body the reader stopped in (a file too large, of a type we
 * do not take): hashed too, so a signed request hears why, not "401". */
static void
drain(struct req *r, struct hashing_io *h)
{
	char chunk[16384];

	while (h->read < r->content_length) {
		long left = (long)(r->content_length - h->read);
		if (hashing_read(h, chunk, left < (long)sizeof(chunk) ? (size_t)left : sizeof(chunk)) <= 0)
			return;
	}
}

static bool
body_failed(struct req *r, enum rd_err e)
{
	switch (e) {
	case RD_OK:
		return false;
	case RD_ERR_TOOBIG:
		api_error(r, 413, "too_large", "an evidence file or the body is over its limit");
		break;
	case RD_ERR_TYPE:
		api_error(r, 415, "evidence_type", "evidence must be PNG, JPEG, WebP or PDF (by content)");
		break;
	case RD_ERR_INPUT:
		api_error(r, 400, "bad_body", "the multipart body is malformed or has a file part other than evidence");
		break;
	default:
		api_fail(r, e);
		break;
	}
	return true;
}

bool
api_begin_multipart(struct req *r, const char *file_field, const char **buyer, json_object **root,
    struct form_body **form)
{
	const struct config *cfg = r->app->cfg;
	const char *secret;
	char csecret[65], bh[65];
	struct form_body *b;

	*root = NULL;
	*form = NULL;
	if (!api_signer(r, true, csecret, &secret, buyer))
		return false;
	/* Only a client files with evidence: a storefront's upload is refused unread. */
	if (*buyer == NULL) {
		api_error(r, 403, "client_only", "this call acts as a buyer: sign it as an API client (X-RD-Client)");
		return false;
	}
	/* A stale or malformed signature is refused before a byte reaches the disk. */
	if (!apisig_headers_fresh(req_param(r, "HTTP_X_RD_TIMESTAMP"), req_param(r, "HTTP_X_RD_SIGNATURE"),
	    (time_t)r->now, cfg->api_skew)) {
		api_error(r, 401, "bad_signature", "missing, stale or invalid X-RD-Signature");
		return false;
	}
	if (r->content_length > cfg->body_max_bytes) {
		api_error(r, 413, "too_large", "body over %lld bytes", (long long)cfg->body_max_bytes);
		return false;
	}
	if ((b = arena_alloc(r->a, sizeof(*b))) == NULL) {
		api_fail(r, RD_ERR_NOMEM);
		return false;
	}
	struct hashing_io h = { { hashing_param, hashing_read, hashing_write, NULL }, r->io, { { 0 } }, 0 };
	h.io.io = &h;
	sha256_begin(&h.sha);
	r->io = &h.io;
	enum rd_err e = body_read(r, b, file_field, (size_t)cfg->evidence_max_files);
	if (e != RD_OK)
		drain(r, &h);
	r->io = h.inner;
	sha256_end_hex(&h.sha, bh);
	/* The signature first: an unsigned body learns nothing of its content's faults. */
	if (!api_verify(r, secret, NULL, 0, bh) || body_failed(r, e))
		return false;
	if (b->files_over > 0) {
		api_error(r, 422, "too_many_files", "at most %d evidence files", cfg->evidence_max_files);
		return false;
	}
	const struct form_value *json = NULL;
	for (size_t i = 0; i < b->nvals; i++) {
		if (strcmp(b->vals[i].name, "json") != 0 || json != NULL) {
			api_error(r, 400, "bad_body", "the text parts must be exactly one named json");
			return false;
		}
		json = &b->vals[i];
	}
	if (json == NULL) {
		api_error(r, 400, "bad_body", "the text parts must be exactly one named json");
		return false;
	}
	if (!api_parse_json(r, json->value, json->len, root))
		return false;
	*form = b;
	return true;
}
