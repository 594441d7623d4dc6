/* cmd_migrate.c: applies the migrations compiled into the binary (from
 * sql/NNN_name.sql, see migrations.h) in order, each once, recording them
 * in schema_migrations. Safe to run again at any time. table_prefix is
 * applied by db_exec_script. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/commands.h"
#include "base/config.h"
#include "store/db.h"
#include "web/http.h"
#include "store/migrations.h"

int
cmd_migrate(struct app *app)
{
	static const char bootstrap[] =
	    "CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, "
	    "name VARCHAR(128) NOT NULL, applied_at BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
	size_t n = 0, applied = 0;
	char err[512];
	struct arena a;
	struct dbres res;
	int rc = 1;

	db_set_timeout(app->db, 3600);
	arena_init(&a, 0);
	if (db_exec_script(app->db, bootstrap, strlen(bootstrap), err, sizeof(err)) != RD_OK) {
		fprintf(stderr, "migrate: %s\n", err);
		goto out;
	}
	if (db_query(app->db, &a, Q_MIGRATIONS_APPLIED, NULL, 0, &res) != RD_OK) {
		fprintf(stderr, "migrate: %s\n", db_last_error(app->db));
		goto out;
	}
	for (const struct migration *m = rd_migrations; m->name != NULL; m++, n++) {
		bool done = false;
		for (size_t k = 0; k < res.nrows; k++)
			done |= db_cell_int(&res, k, 0) == m->version;
		if (done)
			continue;
		/* DDL commits implicitly in MariaDB, so a migration is not atomic:
		 * each file is written to be re-run safely up to its failure point. */
		if (db_exec_script(app->db, m->sql, strlen(m->sql), err, sizeof(err)) != RD_OK) {
			fprintf(stderr, "migrate: %s: %s\n", m->name, err);
			goto out;
		}
		struct dbval p[] = { DB_INT(m->version), DB_STR(m->name), DB_INT(time(NULL)) };
		if (db_exec(app->db, Q_MIGRATION_RECORD, p, 3, NULL, NULL) != RD_OK) {
			fprintf(stderr, "migrate: %s\n", db_last_error(app->db));
			goto out;
		}
		printf("applied %s\n", m->name);
		applied++;
	}
	printf("migrations: %zu applied, %zu already present\n", applied, n - applied);
	rc = 0;
out:
	arena_free(&a);
	return rc;
}
