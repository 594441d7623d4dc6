/* internal_notes.c: rows of refund_internal_notes (sql/046). */
#include <string.h>

#include "store/internal_notes.h"

enum rd_err
internal_note_add(struct db *db, long long refund_id, long long at, const char *actor,
    const char *actor_name, const char *action, const char *note)
{
	struct dbval p[] = { DB_INT(refund_id), DB_INT(at), DB_STR(actor), DB_STR(actor_name ? actor_name : ""),
		DB_STR(action), DB_STR(note) };
	return db_defer(db, Q_INTERNAL_NOTE_INSERT, p, 6, 0);
}

enum rd_err
internal_notes_load(struct db *db, struct arena *a, long long refund_id, struct internal_notes *out)
{
	struct dbres res;
	struct dbval p[] = { DB_INT(refund_id) };
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_query(db, a, Q_INTERNAL_NOTES, p, 1, &res)) != RD_OK)
		return e;
	for (size_t i = 0; i < res.nrows && out->n < INTERNAL_NOTES_MAX; i++) {
		struct internal_note *n = &out->rows[out->n++];
		n->at = db_cell_int(&res, i, 0);
		n->actor = db_cell(&res, i, 1);
		n->actor_name = db_cell(&res, i, 2);
		n->action = db_cell(&res, i, 3);
		n->note = db_cell(&res, i, 4);
	}
	return RD_OK;
}
