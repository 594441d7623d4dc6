/* api_clients.h: API clients (CONTRACT.md §7): a client id that lets a
 * reseller's desk act as one buyer through the signed API. The secret is
 * derived, never stored: hex HMAC-SHA256(session_secret, "api-client:" ID),
 * so the desk can verify a signature and a database copy reveals no key.
 * (Rotating session_secret therefore changes every client's secret.) */
#ifndef RD_API_CLIENTS_H
#define RD_API_CLIENTS_H

#include "base/config.h"
#include "store/db.h"
#include "web/sign.h"

#define API_CLIENT_ID_LEN 24             /* "rdc_" + 20 random characters */

/* The client's secret into out[65]. Pure. */
void api_client_secret(const struct config *cfg, const char *client_id, char out[65]);

/* A new client for buyer: its id into id[API_CLIENT_ID_LEN + 1]. */
enum rd_err api_client_add(struct db *db, const char *buyer, long long now, char id[API_CLIENT_ID_LEN + 1]);
/* The buyer a live (not revoked) client acts as, into buyer[BUYER_ID_MAX + 1];
 * RD_ERR_NOTFOUND for an unknown or revoked id. */
enum rd_err api_client_buyer(struct db *db, struct arena *a, const char *client_id,
    char buyer[BUYER_ID_MAX + 1]);
/* RD_ERR_NOTFOUND when no live client has that id. */
enum rd_err api_client_revoke(struct db *db, const char *client_id, long long now);

#endif
