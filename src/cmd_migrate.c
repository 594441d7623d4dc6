/* cmd_migrate.c: applies sql/NNN_name.sql files in order, each once,
 * recording them in schema_migrations. Safe to run again at any time. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "config.h"
#include "db.h"
#include "http.h"

#define MIGRATIONS_MAX 256

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "001_init.sql" -> 1; -1 for names that are not migrations. */
static int
migration_version(const char *name)
{
	size_t n = strlen(name);
	if (n < 9 || strcmp(name + n - 4, ".sql") != 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (name[i] < '0' || name[i] > '9')
			return -1;
	if (name[3] != '_')
		return -1;
	return (name[0] - '0') * 100 + (name[1] - '0') * 10 + (name[2] - '0');
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc((size_t)n + 1)) != NULL) {
		*len = fread(p, 1, (size_t)n, f);
		p[*len] = '\0';
	}
	fclose(f);
	return p;
}

int
cmd_migrate(struct app *app)
{
	static const char bootstrap[] =
	    "CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, "
	    "name VARCHAR(128) NOT NULL, applied_at BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
	const char *dir = app->cfg->sql_dir;
	char *names[MIGRATIONS_MAX];
	size_t n = 0, applied = 0;
	char err[512];
	struct arena a;
	struct dbres res;
	int rc = 1;
	DIR *d;

	db_set_timeout(app->db, 3600);
	arena_init(&a, 0);
	if (db_exec_script(app->db, bootstrap, strlen(bootstrap), err, sizeof(err)) != RD_OK) {
		fprintf(stderr, "migrate: %s\n", err);
		return 1;
	}
	if ((d = opendir(dir)) == NULL) {
		perror(dir);
		return 1;
	}
	for (struct dirent *de; (de = readdir(d)) != NULL && n < MIGRATIONS_MAX;)
		if (migration_version(de->d_name) >= 0)
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	if (db_query(app->db, &a, Q_MIGRATIONS_APPLIED, NULL, 0, &res) != RD_OK) {
		fprintf(stderr, "migrate: %s\n", db_last_error(app->db));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int v = migration_version(names[i]);
		bool done = false;
		for (size_t k = 0; k < res.nrows; k++)
			done |= db_cell_int(&res, k, 0) == v;
		if (done)
			continue;
		char path[4096];
		size_t len = 0;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		char *sql = slurp(path, &len);
		if (sql == NULL) {
			perror(path);
			goto out;
		}
		/* DDL commits implicitly in MariaDB, so a migration is not atomic:
		 * each file is written to be re-run safely up to its failure point. */
		enum rd_err e = db_exec_script(app->db, sql, len, err, sizeof(err));
		free(sql);
		if (e != RD_OK) {
			fprintf(stderr, "migrate: %s: %s\n", names[i], err);
			goto out;
		}
		struct dbval p[] = { DB_INT(v), DB_STR(names[i]), DB_INT(time(NULL)) };
		if (db_exec(app->db, Q_MIGRATION_RECORD, p, 3, NULL, NULL) != RD_OK) {
			fprintf(stderr, "migrate: %s\n", db_last_error(app->db));
			goto out;
		}
		printf("applied %s\n", names[i]);
		applied++;
	}
	printf("migrations: %zu applied, %zu already present\n", applied, n - applied);
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	arena_free(&a);
	return rc;
}
