/* desk_filter.h: the queue's query (tab, filters, sort, page; checked by
 * the gate against pages/fields.c's desk_query) as the filter the store
 * reads with. Shared by GET /desk and its CSV export, so both select the
 * same rows. */
#ifndef RD_DESK_FILTER_H
#define RD_DESK_FILTER_H

#include "store/desk_reads.h"
#include "web/http.h"

struct desk_view_query {
	enum desk_tab tab;
	int state;                     /* enum refund_state, -1: any */
	long long page;                /* 1-based */
};

/* Fills f for staff member st from r->q, a window of limit rows at the
 * query's page. A bad value counts as absent (r->q.err keeps its message
 * for the page); a merchant's merchant filter is ignored (its own orders
 * only, in SQL). */
void desk_filter_of(struct req *r, const struct staff *st, long long limit, struct desk_filter *f,
    struct desk_view_query *vq);

#endif
