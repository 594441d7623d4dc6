/* body.h: reads a POST body (urlencoded or multipart) into form values, and
 * streams file parts of one named field into evidence uploads as they
 * arrive. The body is read in 64 KiB chunks; only text fields are kept. */
#ifndef RD_BODY_H
#define RD_BODY_H

#include <stddef.h>

#include "base/err.h"
#include "web/evidence.h"
#include "web/form.h"
#include "web/http.h"

#define BODY_MAX_FIELDS 32
#define BODY_MAX_FILES 20

struct form_body {
	struct form_value vals[BODY_MAX_FIELDS];
	size_t nvals;
	struct upload *files[BODY_MAX_FILES];
	size_t nfiles;
	size_t files_over;       /* file parts beyond the limit (not stored) */
	/* The first file refused for its size (RD_ERR_TOOBIG) or its type
	 * (RD_ERR_TYPE): the rest of the body is still read, so the form can be
	 * shown again with what was typed; err is set to the same. */
	enum rd_err file_refused;
	char refused_name[256];  /* its name as sent (display only) */
	enum rd_err err;         /* RD_ERR_TOOBIG, RD_ERR_TYPE, RD_ERR_INPUT, RD_ERR_NOSPACE, ... */
};

/* Parses the body. file_field names the part whose files are evidence (NULL:
 * files are refused); max_files past which files are counted, not stored.
 * Each file registers its discard with the request's arena: its reset
 * removes the temp files, and placed files no committed row keeps
 * (evidence_keep_recorded in store/evidence_refs.h), on every exit path. */
enum rd_err body_read(struct req *r, struct form_body *b, const char *file_field, size_t max_files);
/* Moves every uploaded file to its content-addressed name before the
 * transaction that records it. */
enum rd_err body_place(struct req *r, struct form_body *b);
/* The values are read through the route's table (web/gate.h), never by name. */

#endif
