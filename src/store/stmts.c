/* stmts.c: the SQL text and names behind enum stmt_id. */
#include "store/stmts.h"

const char *const stmt_sql[STMT__MAX] = {
#define STMT_SQL(name, sql) sql,
	STMTS(STMT_SQL)
#undef STMT_SQL
};

const char *const stmt_names[STMT__MAX] = {
#define STMT_NAME(name, sql) #name,
	STMTS(STMT_NAME)
#undef STMT_NAME
};
