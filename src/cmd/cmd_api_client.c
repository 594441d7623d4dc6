/* cmd_api_client.c: `refund-desk api-client add --buyer ID` (prints
 * "CLIENT_ID SECRET": API access as that buyer, CONTRACT.md §7),
 * `api-client list` and `api-client revoke CLIENT_ID`. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/commands.h"
#include "store/api_clients.h"
#include "web/http.h"

static int
print_client(const struct dbres *row, void *ctx)
{
	(void)ctx;
	long long revoked = db_cell_int(row, 0, 3);
	printf("%s buyer=%s created_at=%s %s\n", db_cell(row, 0, 0), db_cell(row, 0, 1), db_cell(row, 0, 2),
	    revoked ? "revoked" : "live");
	return 0;
}

static int
usage(void)
{
	fprintf(stderr, "usage: refund-desk api-client add --buyer ID\n"
	    "       refund-desk api-client list\n"
	    "       refund-desk api-client revoke CLIENT_ID\n");
	return 2;
}

int
cmd_api_client(struct app *app, int argc, char **argv)
{
	long long now = (long long)time(NULL);
	enum rd_err e;

	if (argc == 3 && strcmp(argv[0], "add") == 0 && strcmp(argv[1], "--buyer") == 0) {
		char id[API_CLIENT_ID_LEN + 1], secret[65];
		if (!ident_valid(argv[2], BUYER_ID_MAX)) {
			fprintf(stderr, "api-client add: --buyer must be 1 to %d of [A-Za-z0-9_-]\n", BUYER_ID_MAX);
			return 2;
		}
		if ((e = api_client_add(app->db, argv[2], now, id)) != RD_OK) {
			fprintf(stderr, "api-client add: %s\n", db_last_error(app->db));
			return 1;
		}
		api_client_secret(app->cfg, id, secret);
		printf("%s %s\n", id, secret);
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], "list") == 0) {
		if (db_query_each(app->db, Q_API_CLIENT_LIST, NULL, 0, print_client, NULL) != RD_OK) {
			fprintf(stderr, "api-client list: %s\n", db_last_error(app->db));
			return 1;
		}
		return 0;
	}
	if (argc == 2 && strcmp(argv[0], "revoke") == 0) {
		e = api_client_revoke(app->db, argv[1], now);
		if (e == RD_ERR_NOTFOUND) {
			fprintf(stderr, "api-client revoke: no live client %s\n", argv[1]);
			return 1;
		}
		if (e != RD_OK) {
			fprintf(stderr, "api-client revoke: %s\n", db_last_error(app->db));
			return 1;
		}
		printf("api-client %s revoked\n", argv[1]);
		return 0;
	}
	return usage();
}
