/* json_keys.h: duplicate member names in a JSON text. json-c keeps the last
 * of two equal keys, so {"state":"failed","state":"delivered"} would mean
 * whatever a reader's parser picks: the API refuses such bodies. */
#ifndef RD_JSON_KEYS_H
#define RD_JSON_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

/* True when some object of p[0..n) names one member twice, comparing names
 * after escapes are decoded ("a" equals "\u0061"). p must already have been
 * accepted by json-c's strict parser (the scan relies on it being valid).
 * Memory comes from a; false also when a runs out (the caller's own parse
 * of the same text bounds it). */
bool json_dup_keys(const char *p, size_t n, struct arena *a, bool *nomem);

#endif
