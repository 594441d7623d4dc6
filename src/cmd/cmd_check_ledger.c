/* cmd_check_ledger.c: `refund-desk check-ledger`: proves every escrow and
 * ledger invariant (ledger_check.c) over the whole database. Exit 0 clean,
 * 1 with each violation printed. */
#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "store/db.h"
#include "web/http.h"
#include "rules/ledger_check.h"

static int
run(struct db *db, struct arena *a, enum stmt_id id, struct dbres *res)
{
	if (db_query(db, a, id, NULL, 0, res) != RD_OK) {
		fprintf(stderr, "check-ledger: %s\n", db_last_error(db));
		return -1;
	}
	return 0;
}

struct tally {
	long violations, rows;
};

/* Counts a row and its violations, printing the first one's text. */
static void
tally(struct tally *t, const char *what, const char *id, int n, const char *msg)
{
	if (n > 0)
		printf("%s %s: %s%s\n", what, id, msg, n > 1 ? " (and more)" : "");
	t->violations += n;
	t->rows++;
}

static int
hold_row(const struct dbres *res, void *ctx)
{
	struct tally *t = ctx;
	char msg[512];
	struct hold_sums h = {
		db_cell(res, 0, 1), db_cell_int(res, 0, 2), db_cell_int(res, 0, 3),
		db_cell_int(res, 0, 4), db_cell_int(res, 0, 5), db_cell_int(res, 0, 6),
		db_cell_int(res, 0, 7), db_cell_int(res, 0, 8), db_cell_int(res, 0, 9),
		db_cell_int(res, 0, 10), db_cell_int(res, 0, 11), db_cell_int(res, 0, 12),
	};
	int n = check_hold(&h, msg, sizeof(msg));
	tally(t, "order", db_cell(res, 0, 0), n, msg);
	return 0;
}

static int
refund_row(const struct dbres *res, void *ctx)
{
	struct tally *t = ctx;
	char msg[512];
	struct refund_sums r = {
		db_cell(res, 0, 1), db_cell(res, 0, 4), db_cell(res, 0, 5), db_cell_int(res, 0, 2),
		db_cell_int(res, 0, 3), db_cell(res, 0, 6), db_cell_int(res, 0, 7),
		db_cell_int(res, 0, 8), db_cell_int(res, 0, 9), (int)db_cell_int(res, 0, 10),
		(int)db_cell_int(res, 0, 11), db_cell_int(res, 0, 12), db_cell_int(res, 0, 13),
		db_cell_int(res, 0, 14), (int)db_cell_int(res, 0, 15),
	};
	int n = check_refund(&r, msg, sizeof(msg));
	tally(t, "refund", db_cell(res, 0, 0), n, msg);
	return 0;
}

static int
claim_row(const struct dbres *res, void *ctx)
{
	struct tally *t = ctx;
	char msg[512];
	struct claim_sums c = {
		db_cell(res, 0, 1), db_cell_int(res, 0, 2), db_cell_int(res, 0, 3), db_cell_int(res, 0, 4),
		db_cell_int(res, 0, 5), db_cell_int(res, 0, 6), db_cell_int(res, 0, 7),
	};
	int n = check_claim(&c, msg, sizeof(msg));
	tally(t, "claim", db_cell(res, 0, 0), n, msg);
	return 0;
}

/* Streams a per-row check (db_query_each): a million holds cost no more
 * memory than ten. */
static int
stream(struct db *db, enum stmt_id id, db_row_fn fn, struct tally *t)
{
	if (db_query_each(db, id, NULL, 0, fn, t) != RD_OK) {
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
	struct tally holds = { 0, 0 }, refunds = { 0, 0 }, claims = { 0, 0 };
	long violations = 0;

	db_set_timeout(app->db, 3600);
	/* Only violations come back whole: a small arena is enough. */
	arena_init(&a, (size_t)64 << 20);
	if (run(app->db, &a, C_TXN_UNBALANCED, &res) < 0)
		return 2;
	for (size_t i = 0; i < res.nrows; i++, violations++)
		printf("T1 transaction %s sums to %s (or has no entries)\n", db_cell(&res, i, 1), db_cell(&res, i, 2));
	arena_reset(&a);
	if (run(app->db, &a, C_NEGATIVE_ACCOUNTS, &res) < 0)
		return 2;
	for (size_t i = 0; i < res.nrows; i++) {
		const char *acct = db_cell(&res, i, 0);
		if (strncmp(acct, "merchant:", 9) == 0 && db_cell_int(&res, i, 2) > 0)
			continue;                    /* a claw-back may leave a merchant owing */
		printf("A1 account %s is negative: %s\n", acct, db_cell(&res, i, 1));
		violations++;
	}
	arena_reset(&a);
	if (run(app->db, &a, C_OPEN_PER_ORDER, &res) < 0)
		return 2;
	for (size_t i = 0; i < res.nrows; i++, violations++)
		printf("O1 order id %s has %s open refunds\n", db_cell(&res, i, 0), db_cell(&res, i, 1));
	arena_reset(&a);
	if (run(app->db, &a, C_ORDER_NO_HOLD, &res) < 0)
		return 2;
	for (size_t i = 0; i < res.nrows; i++, violations++)
		printf("O2 order %s has no hold\n", db_cell(&res, i, 0));
	arena_free(&a);
	if (stream(app->db, C_HOLD_SUMS, hold_row, &holds) < 0 ||
	    stream(app->db, C_REFUND_SUMS, refund_row, &refunds) < 0 ||
	    stream(app->db, C_CLAIM_SUMS, claim_row, &claims) < 0)
		return 2;
	violations += holds.violations + refunds.violations + claims.violations;
	printf("check-ledger: %ld holds, %ld refunds, %ld violations\n", holds.rows, refunds.rows, violations);
	if (claims.rows > 0)
		printf("check-ledger: %ld claims on suppliers (claimed = recovered + written off)\n", claims.rows);
	return violations ? 1 : 0;
}
