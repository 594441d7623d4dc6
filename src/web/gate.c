/* gate.c: parses a route's query and body and checks them with its field
 * tables before the handler runs (see gate.h). */
#include <string.h>

#include "base/config.h"
#include "web/body.h"
#include "web/gate.h"
#include "web/urlencoded.h"

struct query_ctx {
	struct arena *a;
	struct form_value *vals;
	size_t n;
};

static enum rd_err
query_add(void *ctx, const char *name, size_t nlen, const char *value, size_t vlen)
{
	struct query_ctx *q = ctx;

	if (q->n == GATE_QUERY_MAX)
		return RD_ERR_TOOBIG;
	if (memchr(name, '\0', nlen) != NULL)
		return RD_ERR_INPUT;             /* "order%00x" must not pass as "order" */
	struct form_value *v = &q->vals[q->n];
	v->name = arena_strndup(q->a, name, nlen);
	v->value = arena_strndup(q->a, value, vlen);
	v->len = vlen;
	if (v->name == NULL || v->value == NULL)
		return RD_ERR_NOMEM;
	q->n++;
	return RD_OK;
}

bool
gate_query_parse(struct arena *a, const char *query, struct form_value *vals, size_t *nvals)
{
	struct query_ctx q = { a, vals, 0 };
	struct urlenc_limits lim = { GATE_QUERY_MAX, GATE_QUERY_VALUE_MAX };

	*nvals = 0;
	if (query == NULL || urlenc_parse(query, strlen(query), &lim, query_add, &q) != RD_OK)
		return false;
	*nvals = q.n;
	return true;
}

void
gate_check(struct req *r, const struct form_field *table, size_t n,
    const struct form_value *vals, size_t nvals, struct req_fields *out)
{
	char *msgbuf = arena_alloc(r->a, 2048);

	memset(out, 0, sizeof(*out));
	if (n > REQ_FIELDS_MAX)
		n = REQ_FIELDS_MAX;              /* a unit test keeps every table within it */
	out->bad = form_validate(table, n, vals, nvals, out->err, msgbuf, msgbuf ? 2048 : 0);
	for (size_t i = 0; i < n; i++) {
		const struct form_value *v = form_get(vals, nvals, table[i].name);
		if (v == NULL || strlen(v->value) != v->len)
			continue;                    /* absent, or a NUL no C string can carry */
		out->kept[i] = v->value;
		if (out->err[i] == NULL)
			out->v[i] = v->value;
	}
}

bool
gate_run(struct req *r, const struct route_inputs *in)
{
	memset(&r->q, 0, sizeof(r->q));
	memset(&r->f, 0, sizeof(r->f));
	r->form = NULL;
	if (in == NULL)
		return true;
	if (in->query != NULL) {
		struct form_value vals[GATE_QUERY_MAX];
		size_t n;
		gate_query_parse(r->a, r->query, vals, &n);
		gate_check(r, in->query, in->nquery, vals, n, &r->q);
	}
	if (in->body == NULL)
		return true;
	if (in->admit != NULL && !in->admit(r))
		return false;
	if ((r->form = arena_alloc(r->a, sizeof(*r->form))) == NULL) {
		static struct form_body nomem = { .err = RD_ERR_NOMEM };
		r->form = &nomem;
		return true;
	}
	/* A refused file still lets the fields through: the form comes back
	 * with them and a message naming the file (body.h: file_refused). */
	if (body_read(r, r->form, in->files, (size_t)r->app->cfg->evidence_max_files) == RD_OK ||
	    r->form->file_refused != RD_OK)
		gate_check(r, in->body, in->nbody, r->form->vals, r->form->nvals, &r->f);
	return true;
}
