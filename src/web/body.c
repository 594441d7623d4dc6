/* body.c: the glue between the byte parsers and the request: reads the body
 * with its size checked against Content-Length and the configured limit. */
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include "web/body.h"
#include "base/config.h"
#include "base/log.h"
#include "web/multipart.h"
#include "web/urlencoded.h"

#define BODY_CHUNK 65536
#define TEXT_VALUE_MAX 8192

struct body_ctx {
	struct req *r;
	struct form_body *b;
	const char *file_field;
	size_t max_files;
	/* the multipart part being received */
	int in_file;             /* 1 storing, 2 skipping (over the count), 0 text */
	struct upload *up;
	char *text;
	size_t tlen;
	char name[MP_NAME_MAX + 1];
};

static enum rd_err
add_value(struct body_ctx *c, const char *name, size_t nlen, const char *value, size_t vlen)
{
	struct form_body *b = c->b;

	if (b->nvals == BODY_MAX_FIELDS)
		return RD_ERR_TOOBIG;
	if (memchr(name, '\0', nlen) != NULL)
		return RD_ERR_INPUT;             /* "reason%00x" must not pass as "reason" */
	struct form_value *v = &b->vals[b->nvals];
	v->name = arena_strndup(c->r->a, name, nlen);
	v->value = arena_strndup(c->r->a, value, vlen);
	v->len = vlen;
	if (v->name == NULL || v->value == NULL)
		return RD_ERR_NOMEM;
	b->nvals++;
	return RD_OK;
}

static enum rd_err
on_urlenc(void *ctx, const char *name, size_t nlen, const char *value, size_t vlen)
{
	return add_value(ctx, name, nlen, value, vlen);
}

static enum rd_err
on_begin(void *ctx, const struct mp_part *p)
{
	struct body_ctx *c = ctx;
	enum rd_err e;

	snprintf(c->name, sizeof(c->name), "%s", p->name);
	c->tlen = 0;
	c->in_file = 0;
	if (!p->has_filename)
		return RD_OK;
	if (c->file_field == NULL || strcmp(p->name, c->file_field) != 0)
		return RD_ERR_INPUT;           /* a file where none belongs */
	/* A browser sends an empty part for a file input left empty. */
	if (p->filename[0] == '\0') {
		c->in_file = 2;
		return RD_OK;
	}
	if (c->b->nfiles >= c->max_files || c->b->nfiles == BODY_MAX_FILES) {
		c->b->files_over++;
		c->in_file = 2;
		return RD_OK;
	}
	if ((c->up = arena_alloc(c->r->a, sizeof(*c->up))) == NULL)
		return RD_ERR_NOMEM;
	c->b->files[c->b->nfiles++] = c->up;
	if ((e = upload_open(c->up, c->r->a, c->r->app->cfg->evidence_dir, p->filename)) != RD_OK) {
		log_warn("evidence: cannot create a temp file: %s", rd_err_names[e]);
		return e;
	}
	c->in_file = 1;
	return RD_OK;
}

/* A file too large or of a type we do not take: remembered (the first
 * one, by name), dropped from the list, and the rest of the body read on,
 * so the form's other fields reach the gate and the page can show them
 * again. The arena's reset removes its temp file. */
static enum rd_err
refuse_file(struct body_ctx *c, enum rd_err why)
{
	struct form_body *b = c->b;

	if (b->file_refused == RD_OK) {
		b->file_refused = why;
		snprintf(b->refused_name, sizeof(b->refused_name), "%s", c->up->orig_name);
	}
	upload_discard(c->up, c->r->app->cfg->evidence_dir, false);
	b->nfiles--;                     /* the refused one is always the last */
	c->in_file = 2;
	return RD_OK;
}

static enum rd_err
on_data(void *ctx, const char *p, size_t n)
{
	struct body_ctx *c = ctx;

	if (c->in_file == 1) {
		enum rd_err e = upload_write(c->up, p, n, c->r->app->cfg->evidence_max_bytes);
		return e == RD_ERR_TOOBIG ? refuse_file(c, e) : e;
	}
	if (c->in_file == 2)
		return RD_OK;
	if (c->tlen + n > TEXT_VALUE_MAX)
		return RD_ERR_TOOBIG;
	memcpy(c->text + c->tlen, p, n);
	c->tlen += n;
	return RD_OK;
}

static enum rd_err
on_end(void *ctx)
{
	struct body_ctx *c = ctx;

	if (c->in_file == 1) {
		c->in_file = 0;
		enum rd_err e = upload_close(c->up, c->r->app->magic);
		if (e == RD_ERR_TYPE) {
			refuse_file(c, e);
			c->in_file = 0;
			return RD_OK;
		}
		return e;
	}
	if (c->in_file == 2) {
		c->in_file = 0;
		return RD_OK;
	}
	return add_value(c, c->name, strlen(c->name), c->text, c->tlen);
}

static bool
is_type(const char *ct, const char *type)
{
	size_t n = strlen(type);
	return strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

enum rd_err
body_read(struct req *r, struct form_body *b, const char *file_field, size_t max_files)
{
	struct body_ctx c = { .r = r, .b = b, .file_field = file_field, .max_files = max_files };
	struct urlenc_parser *up = NULL;
	struct mp_parser *mp = NULL;
	struct urlenc_limits ul = { BODY_MAX_FIELDS, TEXT_VALUE_MAX };
	struct mp_limits ml = { BODY_MAX_FIELDS + BODY_MAX_FILES, 8 };
	struct mp_callbacks cb = { on_begin, on_data, on_end };
	enum rd_err e = RD_OK;
	long long left = r->content_length;
	char *chunk;

	memset(b, 0, sizeof(*b));
	if (left < 0)
		return b->err = RD_ERR_INPUT;
	if (left > r->app->cfg->body_max_bytes)
		return b->err = RD_ERR_TOOBIG;
	if ((chunk = arena_alloc(r->a, BODY_CHUNK)) == NULL ||
	    (c.text = arena_alloc(r->a, TEXT_VALUE_MAX)) == NULL)
		return b->err = RD_ERR_NOMEM;
	if (is_type(r->content_type, "application/x-www-form-urlencoded")) {
		if ((up = arena_alloc(r->a, sizeof(*up))) == NULL)
			return b->err = RD_ERR_NOMEM;
		urlenc_init(up, &ul, on_urlenc, &c);
	} else if (is_type(r->content_type, "multipart/form-data")) {
		if ((mp = arena_alloc(r->a, sizeof(*mp))) == NULL)
			return b->err = RD_ERR_NOMEM;
		if (mp_init(mp, r->content_type, &ml, &cb, &c) != RD_OK)
			return b->err = RD_ERR_INPUT;
	} else {
		return b->err = RD_ERR_TYPE;
	}
	while (left > 0 && e == RD_OK) {
		long got = req_read(r, chunk, left < BODY_CHUNK ? (size_t)left : BODY_CHUNK);
		if (got <= 0) {
			e = RD_ERR_INPUT;        /* shorter than Content-Length */
			break;
		}
		left -= got;
		e = up ? urlenc_feed(up, chunk, (size_t)got) : mp_feed(mp, chunk, (size_t)got);
	}
	if (e == RD_OK)
		e = up ? urlenc_finish(up) : mp_finish(mp);
	if (e == RD_OK)
		e = b->file_refused;     /* the fields are all read: the gate checks them */
	if (e != RD_OK)
		b->err = e;
	return e;
}

enum rd_err
body_place(struct req *r, struct form_body *b)
{
	for (size_t i = 0; i < b->nfiles; i++) {
		enum rd_err e = upload_place(b->files[i], r->app->cfg->evidence_dir);
		if (e != RD_OK)
			return e;          /* the arena's reset removes what was placed */
	}
	return RD_OK;
}
