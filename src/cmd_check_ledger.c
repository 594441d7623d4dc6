/* cmd_check_ledger.c: `refund-desk check-ledger`: proves every escrow and
 * ledger invariant (ledger_check.c) over the whole database. Exit 0 clean,
 * 1 with each violation printed. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "db.h"
#include "http.h"
#include "ledger_check.h"

static int
run(struct db *db, struct arena *a, enum stmt_id id, struct dbres *res)
{
	if (db_query(db, a, id, NULL, 0, res) != RD_OK) {
		fprintf(stderr, "check-ledger: %s\n", db_last_error(db));
		return -1;
	}
	return 0;
}

int
cmd_check_ledger(struct app *app)
{
	struct arena a;
	struct dbres res;
	char msg[512];
	long violations = 0, holds = 0, refunds = 0;

	db_set_timeout(app->db, 3600);
	arena_init(&a, (size_t)1 << 30);
	if (run(app->db, &a, C_TXN_UNBALANCED, &res) < 0)
		return 2;
	for (size_t i = 0; i < res.nrows; i++, violations++)
		printf("T1 transaction %s sums to %s (or has no entries)\n", db_cell(&res, i, 1), db_cell(&res, i, 2));
	if (run(app->db, &a, C_NEGATIVE_ACCOUNTS, &res) < 0)
		return 2;
	for (size_t i = 0; i < res.nrows; i++) {
		const char *acct = db_cell(&res, i, 0);
		if (strncmp(acct, "merchant:", 9) == 0 && db_cell_int(&res, i, 2) > 0)
			continue;                    /* a claw-back may leave a merchant owing */
		printf("A1 account %s is negative: %s\n", acct, db_cell(&res, i, 1));
		violations++;
	}
	if (run(app->db, &a, C_OPEN_PER_ORDER, &res) < 0)
		return 2;
	for (size_t i = 0; i < res.nrows; i++, violations++)
		printf("O1 order id %s has %s open refunds\n", db_cell(&res, i, 0), db_cell(&res, i, 1));
	if (run(app->db, &a, C_HOLD_SUMS, &res) < 0)
		return 2;
	for (size_t i = 0; i < res.nrows; i++, holds++) {
		struct hold_sums h = {
			db_cell(&res, i, 1), db_cell_int(&res, i, 2), db_cell_int(&res, i, 3),
			db_cell_int(&res, i, 4), db_cell_int(&res, i, 5), db_cell_int(&res, i, 6),
			db_cell_int(&res, i, 7), db_cell_int(&res, i, 8), db_cell_int(&res, i, 9),
			db_cell_int(&res, i, 10), db_cell_int(&res, i, 11), db_cell_int(&res, i, 12),
		};
		int n = check_hold(&h, msg, sizeof(msg));
		if (n > 0)
			printf("order %s: %s%s\n", db_cell(&res, i, 0), msg, n > 1 ? " (and more)" : "");
		violations += n;
	}
	if (run(app->db, &a, C_REFUND_SUMS, &res) < 0)
		return 2;
	for (size_t i = 0; i < res.nrows; i++, refunds++) {
		struct refund_sums r = {
			db_cell(&res, i, 1), db_cell(&res, i, 4), db_cell(&res, i, 5), db_cell_int(&res, i, 2),
			db_cell_int(&res, i, 3), db_cell(&res, i, 6), db_cell_int(&res, i, 7),
			db_cell_int(&res, i, 8), db_cell_int(&res, i, 9), (int)db_cell_int(&res, i, 10),
		};
		int n = check_refund(&r, msg, sizeof(msg));
		if (n > 0)
			printf("refund %s: %s%s\n", db_cell(&res, i, 0), msg, n > 1 ? " (and more)" : "");
		violations += n;
	}
	arena_free(&a);
	printf("check-ledger: %ld holds, %ld refunds, %ld violations\n", holds, refunds, violations);
	return violations ? 1 : 0;
}
