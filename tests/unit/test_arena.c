/* test_arena.c: arena cleanups (nginx's pool cleanups) run at reset and at
 * free, newest first, each exactly once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/arena.h"

/* Records the order cleanups ran in. */
struct trace {
	char order[16];
	size_t n;
};

struct mark {
	struct trace *t;
	char name;
};

static void
record(void *arg)
{
	struct mark *m = arg;
	if (m->t->n < sizeof(m->t->order) - 1)
		m->t->order[m->t->n++] = m->name;
}

static void
test_reset_runs_newest_first_once(void **state)
{
	struct arena a;
	struct trace t = { { 0 }, 0 };
	struct mark m[3] = { { &t, 'a' }, { &t, 'b' }, { &t, 'c' } };

	(void)state;
	arena_init(&a, 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(arena_cleanup(&a, record, &m[i]), 0);
	assert_int_equal(t.n, 0);                /* nothing runs before the reset */
	arena_reset(&a);
	assert_string_equal(t.order, "cba");
	arena_reset(&a);                         /* a second reset runs none again */
	arena_free(&a);
	assert_string_equal(t.order, "cba");
}

/* A cleanup registered after a reset belongs to the next request only. */
static void
test_next_request_and_free(void **state)
{
	struct arena a;
	struct trace t = { { 0 }, 0 };
	struct mark first = { &t, '1' }, second = { &t, '2' };

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(arena_cleanup(&a, record, &first), 0);
	/* Enough memory to chain a second block: the records survive it. */
	for (int i = 0; i < 8; i++)
		assert_non_null(arena_alloc(&a, 10000));
	arena_reset(&a);
	assert_int_equal(arena_cleanup(&a, record, &second), 0);
	arena_free(&a);
	assert_string_equal(t.order, "12");
}

/* An arena at its limit cannot hold the record: the caller is told. */
static void
test_full_arena_refuses(void **state)
{
	struct arena a;
	struct trace t = { { 0 }, 0 };
	struct mark m = { &t, 'x' };

	(void)state;
	arena_init(&a, 16);
	assert_non_null(arena_alloc(&a, 16));
	assert_int_equal(arena_cleanup(&a, record, &m), -1);
	arena_free(&a);
	assert_int_equal(t.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_runs_newest_first_once),
		cmocka_unit_test(test_next_request_and_free),
		cmocka_unit_test(test_full_arena_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
