/* test_domain.c: the fixed sets' name tables (rules/domain.c) round-trip
 * (every slot named, unique, found again by enum_lookup), and the schema's
 * comments that list the stored spellings of hold states and ledger kinds
 * (sql/, as compiled into the binary) say exactly what the enums say. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rules/domain.h"
#include "rules/ledger_plan.h"
#include "store/migrations.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct table {
	const char *what;
	const char *const *names;
	size_t n;
	int empty_first;        /* slot 0 is "" by design (KIND_NONE, TOPUP_UNKNOWN) */
};

#define TABLE(t, e) { #t, (t), NELEM(t), (e) }

static void
test_names_round_trip(void **state)
{
	(void)state;
	const struct table tables[] = {
		TABLE(refund_type_names, 0), TABLE(category_names, 0), TABLE(delivery_state_names, 0),
		TABLE(delivery_kind_names, 1), TABLE(topup_state_names, 1), TABLE(pay_channel_names, 0),
		TABLE(destination_names, 0), TABLE(refund_state_names, 0), TABLE(hold_state_names, 0),
		TABLE(txn_kind_names, 0),
	};

	for (size_t t = 0; t < NELEM(tables); t++) {
		const struct table *tb = &tables[t];
		for (size_t i = 0; i < tb->n; i++) {
			const char *s = tb->names[i];
			if (s == NULL || (s[0] == '\0' && !(i == 0 && tb->empty_first)))
				fail_msg("%s[%zu] has no name", tb->what, i);
			if (enum_lookup(tb->names, tb->n, s) != (int)i)
				fail_msg("%s[%zu] \"%s\" is not found back at %zu (a duplicate?)", tb->what, i, s, i);
		}
		assert_int_equal(enum_lookup(tb->names, tb->n, "no_such_name"), -1);
	}
	/* The stored spellings are part of the data: pinned here. */
	assert_string_equal(hold_state_names[HOLD_HELD], "held");
	assert_string_equal(hold_state_names[HOLD_FROZEN], "frozen");
	assert_string_equal(hold_state_names[HOLD_RELEASED], "released");
	assert_string_equal(hold_state_names[HOLD_REFUNDED], "refunded");
	assert_string_equal(txn_kind_names[TXN_HOLD], "hold");
	assert_string_equal(txn_kind_names[TXN_RELEASE], "release");
	assert_string_equal(txn_kind_names[TXN_REFUND], "refund");
	assert_string_equal(txn_kind_names[TXN_CLAWBACK], "clawback");
	assert_string_equal(txn_kind_names[TXN_PAYOUT], "payout");
	assert_string_equal(txn_kind_names[TXN_PAYOUT_BALANCE], "payout_balance");
	assert_true(hold_state_open(HOLD_HELD) && hold_state_open(HOLD_FROZEN));
	assert_false(hold_state_open(HOLD_RELEASED) || hold_state_open(HOLD_REFUNDED));
}

/*
 * The comment after a column's definition in the migration that creates
 * its table: "  kind  VARCHAR(16) NOT NULL,  -- a, b, c" gives "a, b, c".
 * Copied into out; false when the table, column or comment is missing.
 */
static bool
column_comment(const char *table, const char *column, char *out, size_t cap)
{
	char create[96], col[64];

	snprintf(create, sizeof(create), "CREATE TABLE %s (", table);
	snprintf(col, sizeof(col), "\n  %s ", column);
	for (const struct migration *m = rd_migrations; m->name != NULL; m++) {
		const char *t = strstr(m->sql, create), *end, *c, *dash, *eol;
		if (t == NULL)
			continue;
		end = strstr(t, ") ENGINE");
		c = strstr(t, col);
		if (end == NULL || c == NULL || c > end)
			return false;
		eol = strchr(c + 1, '\n');
		dash = strstr(c, "-- ");
		if (eol == NULL || dash == NULL || dash > eol || (size_t)(eol - dash - 3) >= cap)
			return false;
		memcpy(out, dash + 3, (size_t)(eol - dash - 3));
		out[eol - dash - 3] = '\0';
		return true;
	}
	return false;
}

/* The comment's ", "-separated list equals the names table, as a set:
 * each word one of the names, each name listed exactly once. */
static void
expect_list(const char *where, const char *list, const char *const *names, size_t n)
{
	char buf[256];
	int times[32] = { 0 };

	assert_true(n <= NELEM(times));
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save = NULL, *w = strtok_r(buf, ", ", &save); w != NULL; w = strtok_r(NULL, ", ", &save)) {
		int k = enum_lookup(names, n, w);
		if (k < 0)
			fail_msg("%s lists \"%s\", which the enum does not have", where, w);
		times[k]++;
	}
	for (size_t i = 0; i < n; i++)
		if (times[i] != 1)
			fail_msg("%s lists \"%s\" %d times, not once", where, names[i], times[i]);
}

static void
test_schema_comments_match_enums(void **state)
{
	char c[256];

	(void)state;
	assert_true(column_comment("holds", "state", c, sizeof(c)));
	expect_list("holds.state", c, hold_state_names, HOLD__MAX);
	assert_true(column_comment("ledger_txns", "kind", c, sizeof(c)));
	expect_list("ledger_txns.kind", c, txn_kind_names, TXN__MAX);
}

/* hold_resolutions.kind is the kind of the movement that resolved the
 * hold: exactly the kinds whose plan is PLAN_HOLD_RESOLVE. */
static void
test_resolution_kinds_match_plans(void **state)
{
	const struct plan_order o = { .id = 1, .merchant_id = "m", .state = HOLD_HELD, .amount = 100 };
	const struct plan_refund rf = { .id = 2, .order_id = 1, .buyer_id = "b", .amount = 100 };
	const char *kinds[2];
	struct ledger_plan p;
	char c[256];

	(void)state;
	assert_int_equal(ledger_plan_release(&p, &o), RD_OK);
	assert_int_equal(p.hold, PLAN_HOLD_RESOLVE);
	kinds[0] = txn_kind_names[p.kind];
	assert_int_equal(ledger_plan_refund(&p, &o, &rf), RD_OK);
	assert_int_equal(p.hold, PLAN_HOLD_RESOLVE);
	kinds[1] = txn_kind_names[p.kind];
	assert_true(column_comment("hold_resolutions", "kind", c, sizeof(c)));
	expect_list("hold_resolutions.kind", c, kinds, NELEM(kinds));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_schema_comments_match_enums),
		cmocka_unit_test(test_resolution_kinds_match_plans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
