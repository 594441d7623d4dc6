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

#define DB_MAX_PARAMS 24
#define DB_MAX_COLS 48
#define DB_TX_TRIES 8

struct db {
	const struct config *cfg;
	MYSQL *my;
	MYSQL_STMT *stmt[STMT__MAX];
	MYSQL_STMT *sync_stmt[STMT__MAX];  /* the same, as SET STATEMENT wsrep_sync_wait=1 FOR ... */
	bool want_sync;              /* the statement being run is a sync-wait read */
	int node;                    /* index into cfg->db_nodes of the connection, -1 none */
	unsigned long long trips;
	unsigned long long retries, failovers;
	unsigned int io_timeout;     /* seconds */
	bool in_tx;                  /* a transaction is open: never retry a statement alone */
	bool gone;                   /* the last failure was a lost connection */
	bool quiet;                  /* preparing ahead: a failure is not worth a log line */
	char err[256];
};

struct db *
db_new(const struct config *cfg)
{
	struct db *db = calloc(1, sizeof(*db));
	if (db != NULL) {
		db->cfg = cfg;
		db->io_timeout = 10;
		db->node = -1;
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
		if (db->sync_stmt[i] != NULL)
			mysql_stmt_close(db->sync_stmt[i]);
		db->stmt[i] = db->sync_stmt[i] = NULL;
	}
	db->node = -1;
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
	free(db);
}

bool
db_connected(struct db *db)
{
	return db->my != NULL;
}

static enum rd_err db_prepare(struct db *db, enum stmt_id id, MYSQL_STMT **out);

/* Connects to node n; on Galera a node that is not Synced (a joiner, a
 * donor, one cut off from the primary component) is closed again. */
static enum rd_err
db_connect_node(struct db *db, int n)
{
	const struct config *c = db->cfg;
	const struct db_node *d = &c->db_nodes[n];
	unsigned int connect_timeout = 2, io_timeout = db->io_timeout;

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
	mysql_options(db->my, MYSQL_INIT_COMMAND,
	    "SET SESSION tx_isolation = 'READ-COMMITTED', time_zone = '+00:00', "
	    "innodb_lock_wait_timeout = 5");
	if (mysql_real_connect(db->my, d->host[0] ? d->host : NULL, c->db_user,
	    c->db_password, c->db_name, d->port, d->socket[0] ? d->socket : NULL,
	    CLIENT_FOUND_ROWS) == NULL) {
		snprintf(db->err, sizeof(db->err), "connect %s: %s", db_node_name(db, n), mysql_error(db->my));
		log_warn("db %s", db->err);
		mysql_close(db->my);
		db->my = NULL;
		return RD_ERR_DB;
	}
	db->trips++;
	db->node = n;
	if (c->db_galera) {
		char state[32];
		db_node_state(db, state, sizeof(state));
		if (strcmp(state, "Synced") != 0) {
			snprintf(db->err, sizeof(db->err), "node %s is %s, not Synced", db_node_name(db, n), state);
			log_warn("db %s: trying the next", db->err);
			db_disconnect(db);
			return RD_ERR_DB;
		}
		/* Every statement is prepared now, outside any transaction. The
		 * one cross-node lost update seen in ~2 900 race rounds came in a
		 * worker's first second, while it prepared statements inside
		 * transactions that a conflicting write set from another node
		 * aborted (suspected: the abort got lost on the COM_STMT_PREPARE
		 * and the rest ran as autocommit). One that does not prepare yet
		 * (an older schema, during migrate) waits for its first use. */
		db->quiet = true;
		for (int i = 0; i < STMT__MAX && db->my != NULL; i++) {
			MYSQL_STMT *st;
			db_prepare(db, (enum stmt_id)i, &st);
		}
		db->quiet = false;
		if (db->my == NULL)
			return RD_ERR_DB;
	}
	return RD_OK;
}

void
db_drop(struct db *db)
{
	db_disconnect(db);
}

enum rd_err
db_ensure(struct db *db)
{
	enum rd_err e = RD_ERR_DB;

	if (db->my != NULL)
		return RD_OK;
	/* The preferred node first, then the next: a node that went away is
	 * left for the next one that answers and is Synced. */
	for (int n = 0; n < db->cfg->db_nnodes; n++) {
		if ((e = db_connect_node(db, n)) == RD_OK) {
			if (n > 0) {
				db->failovers++;
				log_warn("db connected to node %s, not the preferred one", db_node_name(db, n));
			}
			return RD_OK;
		}
		if (e == RD_ERR_NOMEM)
			return e;
	}
	return e;
}

const char *
db_node_name(const struct db *db, int n)
{
	static char name[160];
	if (n < 0)
		n = db->node;
	if (n < 0 || n >= db->cfg->db_nnodes)
		return "none";
	const struct db_node *d = &db->cfg->db_nodes[n];
	if (d->socket[0])
		snprintf(name, sizeof(name), "%s", d->socket);
	else
		snprintf(name, sizeof(name), "%s:%u", d->host, d->port ? d->port : 3306);
	return name;
}

void
db_node_state(struct db *db, char *out, size_t cap)
{
	snprintf(out, cap, "%s", db->my == NULL ? "down" : "unknown");
	if (db->my == NULL)
		return;
	db->trips++;
	if (mysql_real_query(db->my, "SHOW STATUS LIKE 'wsrep_local_state_comment'", 45) != 0)
		return;
	MYSQL_RES *res = mysql_store_result(db->my);
	MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
	if (row != NULL && row[1] != NULL)
		snprintf(out, cap, "%s", row[1]);
	else
		snprintf(out, cap, "%s", "not galera");
	if (res != NULL)
		mysql_free_result(res);
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
	case ER_UNKNOWN_COM_ERROR:   /* 1047: a Galera node not ready (left the primary component) */
		log_warn("db connection lost: %s", db->err);
		db_disconnect(db);
		db->gone = true;
		return RD_ERR_DB;
	default:
		if (!db->quiet)
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
	MYSQL_STMT **slot = db->want_sync ? &db->sync_stmt[id] : &db->stmt[id];
	if (*slot == NULL) {
		MYSQL_STMT *st = mysql_stmt_init(db->my);
		if (st == NULL)
			return RD_ERR_NOMEM;
		my_bool on = 1;
		mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
		char sql[8192];
		int len = snprintf(sql, sizeof(sql), "%s%s",
		    db->want_sync ? "SET STATEMENT wsrep_sync_wait = 1 FOR " : "", stmt_sql[id]);
		if (len < 0 || (size_t)len >= sizeof(sql)) {
			mysql_stmt_close(st);
			return RD_ERR_INTERNAL;
		}
		if (mysql_stmt_prepare(st, sql, (unsigned long)len) != 0) {
			unsigned int no = mysql_stmt_errno(st);
			char msg[200];
			snprintf(msg, sizeof(msg), "%s", mysql_stmt_error(st));
			mysql_stmt_close(st);
			return db_fail(db, no, msg, stmt_names[id]);
		}
		db->trips++;
		*slot = st;
	}
	*out = *slot;
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

enum rd_err
db_query_sync(struct db *db, struct arena *a, enum stmt_id id, const struct dbval *params,
    size_t np, struct dbres *out)
{
	/* Inside a transaction Galera skips the wait (db_tx waited at its
	 * start); off Galera there is nothing to wait for. */
	if (!db->cfg->db_galera || db->in_tx)
		return db_query(db, a, id, params, np, out);
	db->want_sync = true;
	enum rd_err e = db_query(db, a, id, params, np, out);
	db->want_sync = false;
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
	bool failed_over = false;

	for (int attempt = 0; attempt < DB_TX_TRIES && e == RD_ERR_RETRY; attempt++) {
		if (attempt > 0) {
			/* Back off a random 1..(4 << attempt) ms so two retrying writers part. */
			struct timespec ts = { 0, (long)(1 + arc4random_uniform(4u << attempt)) * 1000000L };
			nanosleep(&ts, NULL);
		}
		/* START TRANSACTION itself may meet a connection that died idle.
		 * On Galera it first waits for this node to apply what the cluster
		 * committed (statements inside a transaction never wait): a
		 * decision starts from the newest rows, e.g. an order registered
		 * through another node a moment ago. */
		const char *start = db->cfg->db_galera ?
		    "SET STATEMENT wsrep_sync_wait = 1 FOR START TRANSACTION" : "START TRANSACTION";
		if ((e = db_simple(db, start)) != RD_OK &&
		    (!db->gone || (e = db_simple(db, start)) != RD_OK))
			continue;
		db->in_tx = true;
		bool at_commit = false;
		e = fn(db, ctx);
		if (e == RD_OK) {
			at_commit = true;
			e = db_simple(db, "COMMIT");
		}
		db->in_tx = false;
		if (e != RD_OK && db->my != NULL) {
			db->trips++;
			mysql_rollback(db->my);
		}
		if (e == RD_ERR_RETRY) {
			/* Deadlock, 1020, lock wait, or on Galera a write set that
			 * lost certification to another node's: all of it again. */
			db->retries++;
			log_warn("db transaction retried (%d of %d): %s", attempt + 1, DB_TX_TRIES - 1, db->err);
		} else if (e == RD_ERR_DB && db->gone && !at_commit && !failed_over) {
			/* The node went away before COMMIT was sent: nothing was
			 * written, so the whole transaction runs once more on the next
			 * node. A loss during COMMIT leaves the outcome unknown: the
			 * caller answers 503 and the client's retry finds the result. */
			failed_over = true;
			log_warn("db transaction lost its node before commit: once more on the next");
			e = RD_ERR_RETRY;
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
	mysql_set_server_option(db->my, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	int rc = mysql_real_query(db->my, sql, (unsigned long)len);
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
db_tx_retries(const struct db *db)
{
	return db->retries;
}

unsigned long long
db_failovers(const struct db *db)
{
	return db->failovers;
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
