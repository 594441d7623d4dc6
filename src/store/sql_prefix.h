/* sql_prefix.h: table_prefix for hosts that give one database to many
 * applications. Statement texts stay as written (stmts.h, the sql/ files); each
 * is rewritten once, before it is prepared or run, so that every whole-word
 * table name of our one list gets the prefix. Pure: no I/O. */
#ifndef RD_SQL_PREFIX_H
#define RD_SQL_PREFIX_H

#include <stdbool.h>
#include <stddef.h>

/* Every table refund-desk creates, NULL-terminated. A migration that
 * creates a table adds its name here (tests/unit/test_sql_prefix.c checks
 * every CREATE TABLE in sql/ against this list). */
extern const char *const sql_tables[];

/* A prefix is 0..32 of [A-Za-z0-9_], so it never needs quoting. */
bool sql_prefix_valid(const char *prefix);

/* Returns a malloc'd, NUL-terminated copy of sql[0..len) in which every
 * identifier that is a table of sql_tables gets prefix in front: bare words
 * not preceded by '.' (a qualified column), and `backticked` names. String
 * literals ('...', "...") and comments (-- , #, / * * /) are copied as they
 * are. *outlen (may be NULL) gets the length. NULL when out of memory. */
char *sql_prefix_tables(const char *sql, size_t len, const char *prefix, size_t *outlen);

#endif
