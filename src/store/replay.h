/* replay.h: what makes a captured storefront request worthless: the path it
 * was sent to is the path that was signed (no "//", dot segments or escapes
 * that nginx would fold into a different signed string), and each accepted
 * signature is stored until it can no longer pass the skew check. */
#ifndef RD_REPLAY_H
#define RD_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"

/* The path part (before '?') of a raw request URI is already normal: no
 * empty segment ("//"), no "." or ".." segment, no '%' escape, no '\'. An
 * empty URI (a server that passes none) is accepted. Pure. */
bool uri_path_normal(const char *raw_uri);

/* "PATH" or "PATH?QUERY" into out (cap bytes); false when it does not fit. */
bool signed_target(const char *path, const char *query, char *out, size_t cap);

/* Records an accepted signature; RD_ERR_CONFLICT when it was seen before. */
enum rd_err replay_record(struct db *db, const char *sig, long long ts);
/* Drops signatures whose timestamp is older than `before`. */
enum rd_err replay_purge(struct db *db, long long before);

#endif
