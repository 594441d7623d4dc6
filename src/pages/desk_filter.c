/* desk_filter.c: the queue's checked query as a store filter. */
#include <stdlib.h>
#include <string.h>

#include "pages/desk_filter.h"
#include "pages/fields.h"

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

void
desk_filter_of(struct req *r, const struct staff *st, long long limit, struct desk_filter *f,
    struct desk_view_query *vq)
{
	const char *const *v = r->q.v;

	memset(f, 0, sizeof(*f));
	vq->tab = v[DF_TAB] ? (enum desk_tab)ENUM_LOOKUP(desk_tab_names, v[DF_TAB]) : DESK_TAB_MINE;
	vq->state = v[DF_STATE] ? ENUM_LOOKUP(refund_state_names, v[DF_STATE]) : -1;
	/* At most six digits (the field's limit): no overflow below. */
	vq->page = v[DF_PAGE] ? atoll(v[DF_PAGE]) : 1;
	if (vq->page < 1)
		vq->page = 1;
	desk_queue_states(st->role, vq->tab, vq->state, f->states);
	f->type = or_empty(v[DF_TYPE]);
	f->merchant = st->role == ROLE_MERCHANT ? "" : or_empty(v[DF_MERCHANT]);
	f->search = or_empty(v[DF_SEARCH]);
	f->risk = v[DF_RISK] != NULL;
	f->overdue = v[DF_OVERDUE] != NULL;
	f->newest = v[DF_SORT] != NULL && strcmp(v[DF_SORT], "newest") == 0;
	f->now = r->now;
	f->limit = limit;
	f->offset = (vq->page - 1) * limit;
}
