/* evidence_refs.c: the one query that decides whether a placed upload stays. */
#include "store/evidence_refs.h"

void
evidence_keep_recorded(struct db *db, struct arena *a, struct upload *const *files, size_t n,
    bool recorded)
{
	for (size_t i = 0; i < n; i++) {
		struct upload *u = files[i];
		if (recorded || !u->placed_new) {
			u->kept = true;
			continue;
		}
		struct dbval p[] = { DB_STR(u->sha256) };
		struct dbres res;
		u->kept = db_query(db, a, Q_EVIDENCE_REFS, p, 1, &res) != RD_OK || db_cell_int(&res, 0, 0) != 0;
	}
}
