/* test_sql_prefix.c: the table_prefix rewriter on a table of inputs, and
 * the promise behind it: every table the migrations create is in
 * sql_tables, so no statement or migration can miss the prefix. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/migrations.h"
#include "store/sql_prefix.h"
#include "store/stmts.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct { const char *in, *out; } cases[] = {
	{ "SELECT id FROM orders WHERE order_no = ?", "SELECT id FROM rd_orders WHERE order_no = ?" },
	/* a qualified column named like a table, and a table qualifier */
	{ "SELECT o.orders, orders.id FROM orders o", "SELECT o.orders, rd_orders.id FROM rd_orders o" },
	/* words that only contain a table name */
	{ "SELECT ordersx, xorders, orders_1, refunded FROM holds",
	  "SELECT ordersx, xorders, orders_1, refunded FROM rd_holds" },
	/* strings and comments are left alone */
	{ "SELECT 'orders', \"refunds\", 'it''s orders', 'a\\'orders' FROM staff -- orders\n",
	  "SELECT 'orders', \"refunds\", 'it''s orders', 'a\\'orders' FROM rd_staff -- orders\n" },
	{ "/* orders */ INSERT INTO evidence # staff\nVALUES (1)",
	    "/* orders */ INSERT INTO rd_evidence # staff\nVALUES (1)" },
	/* backticked names */
	{ "SELECT * FROM `orders` JOIN `other`", "SELECT * FROM `rd_orders` JOIN `other`" },
	/* DDL: the table, its foreign-key target, not the key or column names */
	{ "CREATE TABLE holds (order_id INT, KEY k_orders (order_id), "
	  "CONSTRAINT fk FOREIGN KEY (order_id) REFERENCES orders (id));",
	  "CREATE TABLE rd_holds (order_id INT, KEY k_orders (order_id), "
	  "CONSTRAINT fk FOREIGN KEY (order_id) REFERENCES rd_orders (id));" },
	/* an unterminated string or comment copies the rest as it is */
	{ "SELECT 'orders FROM orders", "SELECT 'orders FROM orders" },
	{ "SELECT 1 /* orders", "SELECT 1 /* orders" },
	{ "", "" },
	/* a space after the dot still qualifies */
	{ "SELECT o. orders FROM refunds r", "SELECT o. orders FROM rd_refunds r" },
	{ "ALTER TABLE refunds ADD COLUMN x INT;UPDATE refunds r SET x = 1",
	  "ALTER TABLE rd_refunds ADD COLUMN x INT;UPDATE rd_refunds r SET x = 1" },
};

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(cases); i++) {
		size_t n = 0;
		char *out = sql_prefix_tables(cases[i].in, strlen(cases[i].in), "rd_", &n);
		assert_non_null(out);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("case %zu:\n in  %s\n got %s\n want %s", i, cases[i].in, out, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
		free(out);
	}
}

static void
test_empty_prefix_is_identity(void **state)
{
	(void)state;
	for (int i = 0; i < STMT__MAX; i++) {
		char *out = sql_prefix_tables(stmt_sql[i], strlen(stmt_sql[i]), "", NULL);
		assert_string_equal(out, stmt_sql[i]);
		free(out);
	}
}

static void
test_prefix_valid(void **state)
{
	(void)state;
	assert_true(sql_prefix_valid(""));
	assert_true(sql_prefix_valid("rd_"));
	assert_true(sql_prefix_valid("Shop2_rd_"));
	assert_true(sql_prefix_valid("abcdefghijklmnopqrstuvwxyz012345"));
	assert_false(sql_prefix_valid("abcdefghijklmnopqrstuvwxyz0123456"));
	assert_false(sql_prefix_valid("rd-"));
	assert_false(sql_prefix_valid("rd`"));
	assert_false(sql_prefix_valid("rd "));
	assert_false(sql_prefix_valid("rd.x"));
}

static bool
listed(const char *name, size_t n)
{
	for (size_t i = 0; sql_tables[i] != NULL; i++)
		if (strlen(sql_tables[i]) == n && memcmp(sql_tables[i], name, n) == 0)
			return true;
	return false;
}

/* Every "CREATE TABLE [IF NOT EXISTS] name" of every migration names a
 * listed table; and the list has nothing the migrations never create. */
static void
test_every_created_table_is_listed(void **state)
{
	size_t created = 0, ntables = 0;
	bool seen[64] = { false };

	(void)state;
	while (sql_tables[ntables] != NULL)
		ntables++;
	assert_true(ntables < NELEM(seen));
	for (const struct migration *m = rd_migrations; m->name != NULL; m++) {
		for (const char *p = m->sql; (p = strstr(p, "CREATE TABLE ")) != NULL;) {
			p += strlen("CREATE TABLE ");
			if (strncmp(p, "IF NOT EXISTS ", 14) == 0)
				p += 14;
			p += *p == '`';
			size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
			if (!listed(p, n))
				fail_msg("%s creates table %.*s, which is not in sql_tables (src/store/sql_prefix.c)",
				    m->name, (int)n, p);
			for (size_t i = 0; i < ntables; i++)
				if (strlen(sql_tables[i]) == n && memcmp(sql_tables[i], p, n) == 0)
					seen[i] = true;
			created++;
		}
	}
	assert_true(created >= 14);
	for (size_t i = 0; i < ntables; i++)
		if (!seen[i] && strcmp(sql_tables[i], "schema_migrations") != 0)
			fail_msg("sql_tables lists %s, which no migration creates", sql_tables[i]);
}

/* The migrations come out of the binary in version order, from sql/. */
static void
test_migrations_embedded(void **state)
{
	int last = 0;
	size_t n = 0;

	(void)state;
	for (const struct migration *m = rd_migrations; m->name != NULL; m++, n++) {
		assert_true(m->version > last);
		last = m->version;
		assert_int_equal(atoi(m->name), m->version);
		assert_true(strlen(m->sql) > 0);
	}
	assert_true(n >= 3);
	assert_non_null(strstr(rd_migrations[0].sql, "CREATE TABLE orders ("));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_empty_prefix_is_identity),
		cmocka_unit_test(test_prefix_valid),
		cmocka_unit_test(test_every_created_table_is_listed),
		cmocka_unit_test(test_migrations_embedded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
