/* db.c: one MariaDB connection per worker, statements prepared lazily from
 * the table in stmts.h and re-prepared after a reconnect. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "sql_prefix.h"

#define DB_MAX_PARAMS 24
#define DB_MAX_COLS 48
#define DB_TX_TRIES 8

struct db {
	const struct config *cfg;
	MYSQL *my;
	MYSQL_STMT *stmt[STMT__MAX];
	unsigned long long trips;
	unsigned int io_timeout;     /* seconds */
	bool in_tx;                  /* a transaction is open: never retry a statement alone */
	bool gone;                   /* the last failure was a lost connection */
	char *prefixed[STMT__MAX];   /* statement texts with table_prefix applied, made once */
	char err[256];
};

/* Run on every new connection. The isolation level by the SQL-standard
 * statement: MySQL 8.0 removed the tx_isolation variable. */
const char *const db_init_commands[] = {
	"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
	"SET time_zone = '+00:00', innodb_lock_wait_timeout = 5",
	NULL,
};

/* The text to prepare for id: as written, or with table_prefix applied. */
static const char *
db_sql(struct db *db, enum stmt_id id)
{
	const char *prefix = db->cfg->table_prefix;

	if (prefix == NULL || prefix[0] == '\0')
		return stmt_sql[id];
	if (db->prefixed[id] == NULL)
		db->prefixed[id] = sql_prefix_tables(stmt_sql[id], strlen(stmt_sql[id]), prefix, NULL);
	return db->prefixed[id];
}

struct db *
db_new(const struct config *cfg)
{
	struct db *db = calloc(1, sizeof(*db));
	if (db != NULL) {
		db->cfg = cfg;
		db->io_timeout = 10;
	}
	return db;
}

void
db_set_timeout(struct db *db, unsigned int secs)
{
	db->io_timeout = secs;
}

static void
db_disconnect(struct db *db)
{
	for (int i = 0; i < STMT__MAX; i++) {
		if (db->stmt[i] != NULL)
			mysql_stmt_close(db->stmt[i]);
		db->stmt[i] = NULL;
	}
	if (db->my != NULL)
		mysql_close(db->my);
	db->my = NULL;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	db_disconnect(db);
	for (int i = 0; i < STMT__MAX; i++)
		free(db->prefixed[i]);
	free(db);
}

bool
db_connected(struct db *db)
{
	return db->my != NULL;
}

enum rd_err
db_ensure(struct db *db)
{
	const struct config *c = db->cfg;
	unsigned int connect_timeout = 2, io_timeout = db->io_timeout;

	if (db->my != NULL)
		return RD_OK;
	if ((db->my = mysql_init(NULL)) == NULL)
		return RD_ERR_NOMEM;
	mysql_options(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
	mysql_options(db->my, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
	mysql_options(db->my, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
	mysql_options(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* READ COMMITTED: fewer gap locks on the unique-key inserts we rely on;
	 * every read that decides a write takes its row lock explicitly. A lock
	 * wait gives up after 5 s (1205: the transaction is retried) well inside
	 * the 10 s read timeout. */
	for (size_t i = 0; db_init_commands[i] != NULL; i++)
		mysql_options(db->my, MYSQL_INIT_COMMAND, db_init_commands[i]);
	if (mysql_real_connect(db->my, c->db_host[0] ? c->db_host : NULL, c->db_user,
	    c->db_password, c->db_name, c->db_port, c->db_socket[0] ? c->db_socket : NULL,
	    CLIENT_FOUND_ROWS) == NULL) {
		snprintf(db->err, sizeof(db->err), "connect: %s", mysql_error(db->my));
		log_warn("db %s", db->err);
		mysql_close(db->my);
		db->my = NULL;
		return RD_ERR_DB;
	}
	db->trips++;
	return RD_OK;
}

/* Maps a server error to ours; drops the connection when it is gone. */
static enum rd_err
db_fail(struct db *db, unsigned int no, const char *msg, const char *what)
{
	snprintf(db->err, sizeof(db->err), "%s: %u %s", what, no, msg);
	switch (no) {
	case ER_DUP_ENTRY:
		return RD_ERR_CONFLICT;
	case ER_LOCK_DEADLOCK:       /* 1213 */
	case ER_CHECKREAD:           /* 1020: record changed since last read */
	case ER_LOCK_WAIT_TIMEOUT:   /* 1205 */
		return RD_ERR_RETRY;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case CR_COMMANDS_OUT_OF_SYNC:
		log_warn("db connection lost: %s", db->err);
		db_disconnect(db);
		db->gone = true;
		return RD_ERR_DB;
	default:
		log_warn("db %s", db->err);
		return RD_ERR_DB;
	}
}

static enum rd_err
db_prepare(struct db *db, enum stmt_id id, MYSQL_STMT **out)
{
	enum rd_err e;

	if ((e = db_ensure(db)) != RD_OK)
		return e;
	if (db->stmt[id] == NULL) {
		MYSQL_STMT *st = mysql_stmt_init(db->my);
		if (st == NULL)
			return RD_ERR_NOMEM;
		my_bool on = 1;
		mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
		const char *sql = db_sql(db, id);
		if (sql == NULL) {
			mysql_stmt_close(st);
			return RD_ERR_NOMEM;
		}
		if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
			unsigned int no = mysql_stmt_errno(st);
			char msg[200];
			snprintf(msg, sizeof(msg), "%s", mysql_stmt_error(st));
			mysql_stmt_close(st);
			return db_fail(db, no, msg, stmt_names[id]);
		}
		db->trips++;
		db->stmt[id] = st;
	}
	*out = db->stmt[id];
	return RD_OK;
}

static enum rd_err db_run_once(struct db *db, enum stmt_id id, const struct dbval *params, size_t np,
    MYSQL_STMT **out);

/* A connection that died while idle (the server restarted) fails its next
 * statement with 2006 before anything reached the server: outside a
 * transaction that statement is run once more on a new connection. */
static enum rd_err
db_run(struct db *db, enum stmt_id id, const struct dbval *params, size_t np, MYSQL_STMT **out)
{
	db->gone = false;
	enum rd_err e = db_run_once(db, id, params, np, out);
	if (e == RD_ERR_DB && db->gone && !db->in_tx)
		e = db_run_once(db, id, params, np, out);
	return e;
}

static enum rd_err
db_run_once(struct db *db, enum stmt_id id, const struct dbval *params, size_t np, MYSQL_STMT **out)
{
	MYSQL_BIND b[DB_MAX_PARAMS];
	unsigned long lens[DB_MAX_PARAMS];
	my_bool nulls[DB_MAX_PARAMS];
	MYSQL_STMT *st = NULL;
	enum rd_err e;

	if (np > DB_MAX_PARAMS)
		return RD_ERR_INTERNAL;
	if ((e = db_prepare(db, id, &st)) != RD_OK)
		return e;
	if (mysql_stmt_param_count(st) != np) {
		snprintf(db->err, sizeof(db->err), "%s: %lu parameters, %zu given", stmt_names[id],
		    mysql_stmt_param_count(st), np);
		log_warn("db %s", db->err);
		return RD_ERR_INTERNAL;
	}
	memset(b, 0, sizeof(b));
	for (size_t i = 0; i < np; i++) {
		nulls[i] = params[i].t == DBV_NULL;
		b[i].is_null = &nulls[i];
		if (params[i].t == DBV_INT) {
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&params[i].i;
		} else {
			lens[i] = (unsigned long)params[i].n;
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)(params[i].s ? params[i].s : "");
			b[i].buffer_length = lens[i];
			b[i].length = &lens[i];
		}
	}
	if ((np > 0 && mysql_stmt_bind_param(st, b) != 0) || mysql_stmt_execute(st) != 0) {
		unsigned int no = mysql_stmt_errno(st);
		char msg[200];
		snprintf(msg, sizeof(msg), "%s", mysql_stmt_error(st));
		db->trips++;
		return db_fail(db, no, msg, stmt_names[id]);
	}
	db->trips++;
	*out = st;
	return RD_OK;
}

enum rd_err
db_exec(struct db *db, enum stmt_id id, const struct dbval *params, size_t np,
    unsigned long long *affected, unsigned long long *insert_id)
{
	MYSQL_STMT *st = NULL;
	enum rd_err e;

	if ((e = db_run(db, id, params, np, &st)) != RD_OK)
		return e;
	if (affected != NULL)
		*affected = mysql_stmt_affected_rows(st);
	if (insert_id != NULL)
		*insert_id = mysql_stmt_insert_id(st);
	return RD_OK;
}

enum rd_err
db_query(struct db *db, struct arena *a, enum stmt_id id, const struct dbval *params,
    size_t np, struct dbres *out)
{
	MYSQL_STMT *st = NULL;
	MYSQL_RES *meta;
	MYSQL_BIND b[DB_MAX_COLS];
	unsigned long lens[DB_MAX_COLS];
	my_bool nulls[DB_MAX_COLS];
	char *bufs[DB_MAX_COLS];
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_run(db, id, params, np, &st)) != RD_OK)
		return e;
	if (mysql_stmt_store_result(st) != 0)
		return db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), stmt_names[id]);
	if ((meta = mysql_stmt_result_metadata(st)) == NULL) {
		mysql_stmt_free_result(st);
		return RD_ERR_INTERNAL;
	}
	size_t ncols = mysql_num_fields(meta), nrows = (size_t)mysql_stmt_num_rows(st);
	MYSQL_FIELD *f = mysql_fetch_fields(meta);
	e = RD_OK;
	if (ncols > DB_MAX_COLS) {
		e = RD_ERR_INTERNAL;
		goto done;
	}
	memset(b, 0, sizeof(b));
	for (size_t i = 0; i < ncols; i++) {
		size_t cap = f[i].max_length + 1;
		if ((bufs[i] = arena_alloc(a, cap)) == NULL) {
			e = RD_ERR_NOMEM;
			goto done;
		}
		b[i].buffer_type = MYSQL_TYPE_STRING;
		b[i].buffer = bufs[i];
		b[i].buffer_length = cap;
		b[i].length = &lens[i];
		b[i].is_null = &nulls[i];
	}
	out->ncols = ncols;
	out->cells = nrows ? arena_alloc(a, nrows * ncols * sizeof(struct dbcell)) : NULL;
	if (nrows && out->cells == NULL) {
		e = RD_ERR_NOMEM;
		goto done;
	}
	if (ncols > 0 && mysql_stmt_bind_result(st, b) != 0) {
		e = RD_ERR_INTERNAL;
		goto done;
	}
	for (size_t r = 0; r < nrows; r++) {
		int rc = mysql_stmt_fetch(st);
		if (rc == MYSQL_NO_DATA)
			break;
		if (rc == 1) {
			e = db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), stmt_names[id]);
			goto done;
		}
		for (size_t i = 0; i < ncols; i++) {
			struct dbcell *c = &out->cells[r * ncols + i];
			c->null = nulls[i];
			c->n = nulls[i] ? 0 : lens[i];
			c->s = arena_strndup(a, nulls[i] ? "" : bufs[i], c->n);
			if (c->s == NULL) {
				e = RD_ERR_NOMEM;
				goto done;
			}
		}
		out->nrows++;
	}
done:
	mysql_free_result(meta);
	if (db->my != NULL)
		mysql_stmt_free_result(st);
	return e;
}

const char *
db_cell(const struct dbres *r, size_t row, size_t col)
{
	if (row >= r->nrows || col >= r->ncols)
		return "";
	return r->cells[row * r->ncols + col].s;
}

long long
db_cell_int(const struct dbres *r, size_t row, size_t col)
{
	return strtoll(db_cell(r, row, col), NULL, 10);
}

static enum rd_err
db_simple(struct db *db, const char *sql)
{
	enum rd_err e;

	db->gone = false;
	if ((e = db_ensure(db)) != RD_OK)
		return e;
	db->trips++;
	if (mysql_real_query(db->my, sql, strlen(sql)) != 0)
		return db_fail(db, mysql_errno(db->my), mysql_error(db->my), sql);
	return RD_OK;
}

enum rd_err
db_tx(struct db *db, db_tx_fn fn, void *ctx)
{
	enum rd_err e = RD_ERR_RETRY;

	for (int attempt = 0; attempt < DB_TX_TRIES && e == RD_ERR_RETRY; attempt++) {
		if (attempt > 0) {
			/* Back off a random 1..(4 << attempt) ms so two retrying writers part. */
			struct timespec ts = { 0, (long)(1 + arc4random_uniform(4u << attempt)) * 1000000L };
			nanosleep(&ts, NULL);
		}
		/* START TRANSACTION itself may meet a connection that died idle. */
		if ((e = db_simple(db, "START TRANSACTION")) != RD_OK &&
		    (!db->gone || (e = db_simple(db, "START TRANSACTION")) != RD_OK))
			continue;
		db->in_tx = true;
		e = fn(db, ctx);
		if (e == RD_OK)
			e = db_simple(db, "COMMIT");
		db->in_tx = false;
		if (e != RD_OK && db->my != NULL) {
			db->trips++;
			mysql_rollback(db->my);
		}
	}
	return e;
}

enum rd_err
db_exec_script(struct db *db, const char *sql, size_t len, char *errbuf, size_t errcap)
{
	enum rd_err e;

	if ((e = db_ensure(db)) != RD_OK) {
		snprintf(errbuf, errcap, "%s", db->err);
		return e;
	}
	char *mine = NULL;
	if (db->cfg->table_prefix != NULL && db->cfg->table_prefix[0] != '\0') {
		if ((mine = sql_prefix_tables(sql, len, db->cfg->table_prefix, &len)) == NULL)
			return RD_ERR_NOMEM;
		sql = mine;
	}
	mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	int rc = mysql_real_query(db->my, sql, (unsigned long)len);
	free(mine);
	while (rc == 0) {
		MYSQL_RES *res = mysql_store_result(db->my);
		if (res != NULL)
			mysql_free_result(res);
		rc = mysql_next_result(db->my);
		if (rc == -1) {
			rc = 0;
			break;
		}
	}
	mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	if (rc != 0) {
		snprintf(errbuf, errcap, "%u %s", mysql_errno(db->my), mysql_error(db->my));
		return RD_ERR_DB;
	}
	return RD_OK;
}

unsigned long long
db_round_trips(const struct db *db)
{
	return db->trips;
}

const char *
db_last_error(const struct db *db)
{
	return db->err;
}
