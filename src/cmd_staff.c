/* cmd_staff.c: `refund-desk staff add --role ROLE --login NAME [--merchant ID]`
 * with the password on standard input (one line). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "db.h"
#include "domain.h"
#include "http.h"
#include "sign.h"
#include "staff.h"

int
cmd_staff(struct app *app, int argc, char **argv)
{
	const char *role = NULL, *login = NULL, *merchant = "";
	char pw[258], hash[128];

	if (argc < 1 || strcmp(argv[0], "add") != 0) {
		fprintf(stderr, "usage: refund-desk staff add --role cs|merchant|arbiter|admin --login NAME [--merchant ID]\n");
		return 2;
	}
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--role") == 0)
			role = argv[i + 1];
		else if (strcmp(argv[i], "--login") == 0)
			login = argv[i + 1];
		else if (strcmp(argv[i], "--merchant") == 0)
			merchant = argv[i + 1];
	}
	int r = role ? ENUM_LOOKUP(staff_role_names, role) : -1;
	if (r < 0 || login == NULL || !ident_valid(login, 64) || (merchant[0] && !ident_valid(merchant, 64)) ||
	    (r == ROLE_MERCHANT) != (merchant[0] != '\0')) {
		fprintf(stderr, "staff add: --role cs|merchant|arbiter|admin and --login NAME are required; "
		    "--merchant ID goes with role merchant only\n");
		return 2;
	}
	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "staff add: give the password on standard input\n");
		return 2;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	if (strlen(pw) < 8) {
		fprintf(stderr, "staff add: the password must have at least 8 characters\n");
		return 2;
	}
	if (staff_hash_password(pw, hash) != RD_OK)
		return 1;
	struct dbval p[] = { DB_STR(login), DB_STR(role), DB_STR(merchant), DB_STR(hash), DB_INT(time(NULL)) };
	enum rd_err e = db_exec(app->db, Q_STAFF_INSERT, p, 5, NULL, NULL);
	if (e == RD_ERR_CONFLICT) {
		fprintf(stderr, "staff add: login %s exists already\n", login);
		return 1;
	}
	if (e != RD_OK) {
		fprintf(stderr, "staff add: %s\n", db_last_error(app->db));
		return 1;
	}
	printf("staff %s added as %s\n", login, role);
	return 0;
}
