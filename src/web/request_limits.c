/* request_limits.c: see request_limits.h. */
#include <string.h>

#include "base/config.h"
#include "store/db.h"
#include "web/html.h"
#include "web/request_limits.h"
#include "web/url.h"

static const char *const kind_names[RK__MAX] = { "lookup", "submit", "buyer_post" };

int
request_kind_of(const char *route)
{
	static const struct { const char *route; enum request_kind kind; } map[] = {
		{ "lookup-post", RK_LOOKUP }, { "new-post", RK_SUBMIT }, { "cancel", RK_BUYER_POST },
		{ "evidence-post", RK_BUYER_POST }, { "appeal", RK_BUYER_POST }, { "confirm", RK_BUYER_POST },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].route, route) == 0)
			return (int)map[i].kind;
	return -1;
}

bool
request_limits_apply(struct req *r)
{
	switch (r->app->cfg->request_limits) {
	case RL_ON:
		return true;
	case RL_OFF:
		return false;
	default:
		return !url_behind_nginx(r);
	}
}

bool
request_limits_admit(struct req *r, enum request_kind kind)
{
	const char *k = kind_names[kind];
	struct dbval count[] = { DB_STR(r->remote_addr), DB_STR(k), DB_INT(r->now - 3600) };
	struct dbres res;

	if (db_query(r->app->db, r->a, Q_REQUEST_COUNT, count, 3, &res) != RD_OK)
		return true;
	if (db_cell_int(&res, 0, 0) >= r->app->cfg->limit_per_hour[kind]) {
		resp_header(r, "Retry-After", "3600");
		html_error_page(r, 429, "请求过于频繁", "这个网络地址在一小时内的请求次数已达上限，请稍后再试。");
		return false;
	}
	db_exec(r->app->db, Q_REQUEST_PRUNE, count, 3, NULL, NULL);
	struct dbval log[] = { DB_STR(r->remote_addr), DB_STR(k), DB_INT(r->now) };
	db_exec(r->app->db, Q_REQUEST_LOG, log, 3, NULL, NULL);
	return true;
}
