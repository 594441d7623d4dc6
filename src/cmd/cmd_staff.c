/* cmd_staff.c: `refund-desk staff add --role ROLE --login NAME [--merchant ID]`
 * and `refund-desk staff passwd --login NAME` (a new password, which also
 * ends every session of the account), with the password on standard input
 * (one line; over-long input is refused, never cut). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/commands.h"
#include "store/db.h"
#include "rules/domain.h"
#include "web/http.h"
#include "web/sign.h"
#include "store/staff.h"

/* One line from stdin into pw (cap = STAFF_PASSWORD_MAX + 3: the longest
 * allowed, a newline, a NUL, and one byte to notice more). */
static bool
read_password(const char *what, char *pw, size_t cap)
{
	size_t n;

	if (fgets(pw, (int)cap, stdin) == NULL) {
		fprintf(stderr, "%s: give the password on standard input\n", what);
		return false;
	}
	n = strlen(pw);
	bool whole = n > 0 && pw[n - 1] == '\n';
	if (whole)
		pw[--n] = '\0';
	if (n > 0 && pw[n - 1] == '\r')
		pw[--n] = '\0';
	/* No newline and not at the end of input: the line was longer than the buffer. */
	if (!whole && fgetc(stdin) != EOF)
		n = STAFF_PASSWORD_MAX + 1;
	const char *problem = staff_password_problem(pw, n);
	if (problem != NULL) {
		fprintf(stderr, "%s: %s\n", what, problem);
		return false;
	}
	return true;
}

static int
set_password(struct app *app, const char *login, char *pw, size_t cap)
{
	char hash[128];
	unsigned long long n = 0;

	if (!read_password("staff passwd", pw, cap))
		return 2;
	if (staff_hash_password(pw, hash) != RD_OK)
		return 1;
	struct dbval p[] = { DB_STR(hash), DB_STR(login) };
	if (db_exec(app->db, Q_STAFF_SET_PASSWORD, p, 2, &n, NULL) != RD_OK) {
		fprintf(stderr, "staff passwd: %s\n", db_last_error(app->db));
		return 1;
	}
	if (n != 1) {
		fprintf(stderr, "staff passwd: no staff member %s\n", login);
		return 1;
	}
	printf("staff %s: password changed, every session ended\n", login);
	return 0;
}

int
cmd_staff(struct app *app, int argc, char **argv)
{
	const char *role = NULL, *login = NULL, *merchant = "";
	char pw[STAFF_PASSWORD_MAX + 3], hash[128];

	if (argc < 1 || (strcmp(argv[0], "add") != 0 && strcmp(argv[0], "passwd") != 0)) {
		fprintf(stderr, "usage: refund-desk staff add --role cs|merchant|arbiter|admin --login NAME "
		    "[--merchant ID]\n"
		    "       refund-desk staff passwd --login NAME\n");
		return 2;
	}
	bool passwd = strcmp(argv[0], "passwd") == 0;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--role") == 0)
			role = argv[i + 1];
		else if (strcmp(argv[i], "--login") == 0)
			login = argv[i + 1];
		else if (strcmp(argv[i], "--merchant") == 0)
			merchant = argv[i + 1];
	}
	int r = role ? ENUM_LOOKUP(staff_role_names, role) : -1;
	if (passwd && (login == NULL || !ident_valid(login, 64))) {
		fprintf(stderr, "staff passwd: --login NAME is required\n");
		return 2;
	}
	if (passwd)
		return set_password(app, login, pw, sizeof(pw));
	if (r < 0 || login == NULL || !ident_valid(login, 64) || (merchant[0] && !ident_valid(merchant, 64)) ||
	    (r == ROLE_MERCHANT) != (merchant[0] != '\0')) {
		fprintf(stderr, "staff add: --role cs|merchant|arbiter|admin and --login NAME are required; "
		    "--merchant ID goes with role merchant only\n");
		return 2;
	}
	if (!read_password("staff add", pw, sizeof(pw)))
		return 2;
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
