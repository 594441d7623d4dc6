/* test_schema_names.c: the schema's comments that list the stored spellings
 * of hold states, ledger kinds and the activity log's roles and actions
 * (sql/, as compiled into the binary) say
 * exactly what the enums of rules/domain.h say. (The name tables themselves
 * round-trip in test_policy.c, test_tables_complete and test_wire_names.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rules/domain.h"
#include "rules/desk.h"
#include "rules/ledger_plan.h"
#include "store/staff.h"
#include "store/migrations.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The comment after a column's definition in the migration that creates
 * its table: "  kind  VARCHAR(16) NOT NULL,  -- a, b, c" gives "a, b, c".
 * Copied into out; false when the table, column or comment is missing.
 */
static bool
column_comment(const char *table, const char *column, char *out, size_t cap)
{
	char create[96], create_new[96], col[64];

	snprintf(create, sizeof(create), "CREATE TABLE %s (", table);
	snprintf(create_new, sizeof(create_new), "CREATE TABLE IF NOT EXISTS %s (", table);
	snprintf(col, sizeof(col), "\n  %s ", column);
	for (const struct migration *m = rd_migrations; m->name != NULL; m++) {
		const char *t = strstr(m->sql, create), *end, *c, *dash, *eol;
		if (t == NULL)
			t = strstr(m->sql, create_new);
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
	/* i10-desk: the activity log's roles and actions (sql/050). */
	assert_true(column_comment("staff_activity", "role", c, sizeof(c)));
	expect_list("staff_activity.role", c, staff_role_names, ROLE__MAX);
	assert_true(column_comment("staff_activity", "action", c, sizeof(c)));
	expect_list("staff_activity.action", c, desk_action_names, DA__MAX);
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
		cmocka_unit_test(test_schema_comments_match_enums),
		cmocka_unit_test(test_resolution_kinds_match_plans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
