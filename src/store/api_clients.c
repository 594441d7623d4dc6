/* api_clients.c: the api_clients table and the clients' derived secrets. */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "store/api_clients.h"

void
api_client_secret(const struct config *cfg, const char *client_id, char out[65])
{
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "api-client:%s", client_id);

	hmac_sha256_hex(cfg->session_secret, strlen(cfg->session_secret), msg, (size_t)n, out);
}

enum rd_err
api_client_add(struct db *db, const char *buyer, long long now, char id[API_CLIENT_ID_LEN + 1])
{
	memcpy(id, "rdc_", 4);
	random_token(id + 4, API_CLIENT_ID_LEN - 4);
	struct dbval p[] = { DB_STR(id), DB_STR(buyer), DB_INT(now) };
	return db_exec(db, Q_API_CLIENT_INSERT, p, 3, NULL, NULL);
}

enum rd_err
api_client_buyer(struct db *db, struct arena *a, const char *client_id, char buyer[BUYER_ID_MAX + 1])
{
	struct dbval p[] = { DB_STR(client_id) };
	struct dbres res;
	enum rd_err e;

	if ((e = db_query_sync(db, a, Q_API_CLIENT_BUYER, p, 1, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_ERR_NOTFOUND;
	snprintf(buyer, BUYER_ID_MAX + 1, "%s", db_cell(&res, 0, 0));
	return RD_OK;
}

enum rd_err
api_client_revoke(struct db *db, const char *client_id, long long now)
{
	struct dbval p[] = { DB_INT(now), DB_STR(client_id) };
	unsigned long long n = 0;
	enum rd_err e = db_exec(db, Q_API_CLIENT_REVOKE, p, 2, &n, NULL);

	return e != RD_OK ? e : n == 1 ? RD_OK : RD_ERR_NOTFOUND;
}
