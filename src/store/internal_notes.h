/* internal_notes.h: the staff's internal notes on a refund (内部备注,
 * sql/046). Stored apart from the timeline so that nothing the buyer, the
 * API or a webhook reads can carry them: only staff pages call these. */
#ifndef RD_INTERNAL_NOTES_H
#define RD_INTERNAL_NOTES_H

#include "base/arena.h"
#include "store/db.h"

#define INTERNAL_NOTES_MAX 50          /* the newest shown (Q_INTERNAL_NOTES's LIMIT) */

struct internal_note {
	long long at;
	const char *actor, *actor_name, *action, *note;
};

struct internal_notes {
	struct internal_note rows[INTERNAL_NOTES_MAX];
	size_t n;                      /* newest first */
};

/* Deferred, inside the decision's transaction. */
enum rd_err internal_note_add(struct db *db, long long refund_id, long long at, const char *actor,
    const char *actor_name, const char *action, const char *note);
enum rd_err internal_notes_load(struct db *db, struct arena *a, long long refund_id, struct internal_notes *out);

#endif
