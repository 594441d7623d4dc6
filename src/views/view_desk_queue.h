/* view_desk_queue.h: GET /desk: a page of the queue with its tabs, filters,
 * counts and pages, and for admins the security panel. */
#ifndef RD_VIEW_DESK_QUEUE_H
#define RD_VIEW_DESK_QUEUE_H

#include <stdbool.h>

#include "pages/desk_filter.h"
#include "store/desk_reads.h"
#include "store/staff.h"
#include "web/http.h"

struct view_desk_queue {
	const struct staff *st;
	const struct desk_queue *q;    /* this page's rows */
	const struct desk_view_query *vq;
	/* The query's checked values and messages (r->q: desk_query's order),
	 * so the form shows what was asked and says what was refused. */
	const char *const *qv, *const *qerr;
	long long now;
	/* Open requests per tab, unfiltered (have_counts false: unread). */
	long long tab_count[DESK_TAB__MAX];
	bool have_counts;
	/* Admins only: accounts locked by failed logins (n 0 when none or unread). */
	const struct login_lock *locks;
	size_t nlocks;
};

void view_desk_queue(struct req *r, const struct view_desk_queue *v);
/* The desk's lists share these, in the page's language: "第 2 / 5 页";
 * "共 N 条 · 第 2 / 5 页" (unit_claims: "共 N 笔 · …"); a table's header
 * cells from n msgids (N_()). */
void view_desk_page_of(struct req *r, long long page, long long pages);
void view_desk_count(struct req *r, long long total, bool unit_claims, long long page, long long pages);
void view_desk_heads(struct req *r, const char *const *msgids, size_t n);

#endif
