/* session_gen.c: generation-keyed session cookies (see session_gen.h). */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "store/db.h"
#include "store/session_gen.h"

const char *
session_gen_secret(struct arena *a, const char *secret, long long gen)
{
	return gen == 0 ? secret : arena_printf(a, "%s|gen%lld", secret, gen);
}

enum rd_err
session_committed(struct req *r, const char *sid, bool *yes)
{
	struct dbval p[] = { DB_STR(sid) };
	struct dbres res;
	enum rd_err e;

	*yes = false;
	if ((e = db_query_sync(r->app->db, r->a, Q_SESSION_EXISTS, p, 1, &res)) != RD_OK)
		return e;
	*yes = res.nrows == 1;
	return RD_OK;
}

enum rd_err
buyer_gen(struct req *r, const char *buyer, long long *gen)
{
	struct dbval p[] = { DB_STR(buyer) };
	struct dbres res;
	enum rd_err e;

	*gen = 0;
	if (buyer[0] == '_')
		return RD_OK;
	if ((e = db_query(r->app->db, r->a, Q_BUYER_GEN, p, 1, &res)) != RD_OK)
		return e;
	if (res.nrows == 1)
		*gen = db_cell_int(&res, 0, 0);
	return RD_OK;
}

enum rd_err
buyer_cookie_encode(struct req *r, const struct session *s, char *out, size_t cap)
{
	long long gen;
	enum rd_err e;

	if ((e = buyer_gen(r, s->buyer, &gen)) != RD_OK)
		return e;
	const char *key = session_gen_secret(r->a, r->app->cfg->session_secret, gen);
	return key ? session_encode(key, s, out, cap) : RD_ERR_NOMEM;
}

static void
cookie_check(struct req *r, const char *value, long long gen)
{
	const char *key = session_gen_secret(r->a, r->app->cfg->session_secret, gen);
	if (key != NULL && session_decode(key, value, (time_t)r->now, &r->sess) == RD_OK)
		r->has_session = true;
}

/* Decodes the buyer cookie value into r->sess (sets r->has_session) when it
 * is signed for the buyer's current generation; sets r->session_unknown when
 * the generation could not be read (the database is away). */
static void
buyer_cookie_read(struct req *r, const char *value)
{
	char buyer[BUYER_ID_MAX + 1];
	long long gen;

	if (!session_peek_buyer(value, buyer))
		return;
	if (buyer_gen(r, buyer, &gen) != RD_OK) {
		r->session_unknown = true;
		return;
	}
	cookie_check(r, value, gen);
}

bool
session_resolve(struct req *r)
{
	const char *value = r->session_cookie;

	if (value != NULL) {
		r->session_cookie = NULL;
		buyer_cookie_read(r, value);
	}
	return r->has_session;
}

void
session_resolve_gen(struct req *r, const char *buyer, long long gen)
{
	char peeked[BUYER_ID_MAX + 1];
	const char *value = r->session_cookie;

	if (value == NULL || !session_peek_buyer(value, peeked) || strcmp(peeked, buyer) != 0)
		return;
	r->session_cookie = NULL;
	cookie_check(r, value, gen);
}

enum rd_err
buyer_sessions_end(struct req *r, const char *buyer)
{
	struct dbval p[] = { DB_STR(buyer) };
	return db_exec(r->app->db, Q_BUYER_GEN_BUMP, p, 1, NULL, NULL);
}
