/* gate.h: the one validation gate. A route row (router.c) names its inputs:
 * a table of query fields, a table of body fields, the body field whose
 * file parts are evidence. Before the handler runs, gate_run() parses the
 * query and the body and checks every field with its table (form.h): a
 * field given twice is refused, in a query as in a form. The handler reads
 * r->q and r->f by the table's enum index and never sees raw input. */
#ifndef RD_GATE_H
#define RD_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "web/form.h"
#include "web/http.h"

struct route_inputs {
	const struct form_field *query;
	size_t nquery;
	const struct form_field *body;   /* an HTML form (urlencoded or multipart); NULL: none read */
	size_t nbody;
	const char *files;               /* the body field of evidence files; NULL: files refused */
	/* Runs before the body is read, so no stranger's upload reaches the
	 * disk; false: it answered. NULL: none. */
	bool (*admit)(struct req *r);
};

/* A table and its size, for a route row. */
#define GATE_TABLE(t) (t), (sizeof(t) / sizeof((t)[0]))

/* Fills r->q, r->f and r->body. False when admit answered (the handler
 * must not run). A body that cannot be read leaves r->body->err set and
 * every r->f value NULL: the handler answers it where it always did. */
bool gate_run(struct req *r, const struct route_inputs *in);

/* Checks vals against table[0..n) into out (a query or a parsed body). */
void gate_check(struct req *r, const struct form_field *table, size_t n,
    const struct form_value *vals, size_t nvals, struct req_fields *out);

/* Parses a query string into vals[0..*nvals) (at most GATE_QUERY_MAX
 * pairs of at most GATE_QUERY_VALUE_MAX bytes); false when it is
 * malformed or too big: then every field counts as absent. */
#define GATE_QUERY_MAX 32
#define GATE_QUERY_VALUE_MAX 1024
bool gate_query_parse(struct arena *a, const char *query, struct form_value *vals, size_t *nvals);

#endif
