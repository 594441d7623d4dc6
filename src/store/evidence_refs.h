/* evidence_refs.h: which uploaded files a committed evidence row names, so
 * the arena's reset (web/evidence.c) leaves those and removes the rest. */
#ifndef RD_EVIDENCE_REFS_H
#define RD_EVIDENCE_REFS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "store/db.h"
#include "web/evidence.h"

/* After the transaction meant to record files[0..n): recorded says it
 * committed their rows, and all are kept. Otherwise each is kept only when
 * some committed row names its content (a concurrent request with the same
 * file); a failed query keeps it too, for `worker`'s sweep to decide. */
void evidence_keep_recorded(struct db *db, struct arena *a, struct upload *const *files, size_t n,
    bool recorded);

#endif
