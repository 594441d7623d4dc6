/* db.c: one MariaDB connection per worker, statements prepared lazily from
 * the table in stmts.h and re-prepared after a reconnect. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "base/buf.h"
#include "base/config.h"
#include "store/db.h"
#include "base/log.h"
#include "store/sql_prefix.h"

#define DB_MAX_PARAMS 24
#define DB_MAX_COLS 48
#define DB_TX_TRIES 8
#define DB_BATCH_CACHE 48           /* batch shapes kept prepared per connection */

/* A write waiting for the next round trip (db_defer). Its values live in
 * db->pv (strings copied into db->sb, found by offset), one segment per row. */
struct pend {
	enum stmt_id id;
	unsigned flags;
	size_t np;                  /* values per row */
	size_t rows;
};
struct seg {
	size_t pend, p0;            /* row of pend[pend], values pv[p0 .. p0 + np) */
};
struct batch_stmt {
	char *key;
	MYSQL_STMT *st;
};

struct db {
	const struct config *cfg;
	MYSQL *my;
	MYSQL_STMT *stmt[STMT__MAX];
	MYSQL_STMT *sync_stmt[STMT__MAX];  /* the same, as SET STATEMENT wsrep_sync_wait=1 FOR ... */
	bool want_sync;              /* the statement being run is a sync-wait read */
	int node;                    /* index into cfg->db_nodes of the connection, -1 none */
	unsigned long long trips;
	unsigned long long retries, failovers;
	unsigned long long setup;    /* of trips: connects and prepares */
	unsigned int io_timeout;     /* seconds */
	bool in_tx;                  /* a transaction is open: never retry a statement alone */
	bool start_pending;          /* START TRANSACTION goes with the next round trip */
	bool tx_sent;                /* something of this transaction reached the server */
	bool gone;                   /* the last failure was a lost connection */
	bool quiet;                  /* preparing ahead: a failure is not worth a log line */
	char *prefixed[STMT__MAX];   /* statement texts with table_prefix applied, made once */
	struct pend *pend;
	size_t npend, cpend;
	struct seg *seg;
	size_t nseg, cseg;
	struct dbval *pv;
	size_t npv, cpv;
	char *sb;
	size_t nsb, csb;
	struct batch_stmt bs[DB_BATCH_CACHE];
	size_t bsnext;
	MYSQL_BIND *bind;            /* for batches: more values than DB_MAX_PARAMS */
	unsigned long *blens;
	my_bool *bnulls;
	size_t cbind;
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

const struct config *
db_config(const struct db *db)
{
	return db->cfg;
}

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
	for (size_t i = 0; i < DB_BATCH_CACHE; i++) {
		if (db->bs[i].st != NULL)
			mysql_stmt_close(db->bs[i].st);
		free(db->bs[i].key);
		db->bs[i].st = NULL;
		db->bs[i].key = NULL;
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
	for (int i = 0; i < STMT__MAX; i++)
		free(db->prefixed[i]);
	free(db->pend);
	free(db->seg);
	free(db->pv);
	free(db->sb);
	free(db->bind);
	free(db->blens);
	free(db->bnulls);
	free(db);
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
	for (size_t i = 0; db_init_commands[i] != NULL; i++)
		mysql_options(db->my, MYSQL_INIT_COMMAND, db_init_commands[i]);
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
	db->setup++;
	db->node = n;
	if (c->db_galera) {
		char state[32];
		db_node_state(db, state, sizeof(state));
		db->setup++;
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
		bool want_sync = db->want_sync;   /* connecting for a sync read: still the plain ones */
		db->quiet = true;
		db->want_sync = false;
		for (int i = 0; i < STMT__MAX && db->my != NULL; i++) {
			MYSQL_STMT *st;
			db_prepare(db, (enum stmt_id)i, &st);
		}
		db->quiet = false;
		db->want_sync = want_sync;
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
	case ER_SIGNAL_EXCEPTION:    /* 1644: a deferred write's row check (db_defer) */
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
		const char *text = db_sql(db, id);
		char *synced = NULL;
		if (text != NULL && db->want_sync) {
			static const char wait[] = "SET STATEMENT wsrep_sync_wait = 1 FOR ";
			size_t n = strlen(text);
			if ((synced = malloc(sizeof(wait) + n)) != NULL) {
				memcpy(synced, wait, sizeof(wait) - 1);
				memcpy(synced + sizeof(wait) - 1, text, n + 1);
			}
			text = synced;
		}
		if (text == NULL) {
			mysql_stmt_close(st);
			return RD_ERR_NOMEM;
		}
		int rc = mysql_stmt_prepare(st, text, strlen(text));
		free(synced);
		if (rc != 0) {
			unsigned int no = mysql_stmt_errno(st);
			char msg[200];
			snprintf(msg, sizeof(msg), "%s", mysql_stmt_error(st));
			mysql_stmt_close(st);
			return db_fail(db, no, msg, stmt_names[id]);
		}
		db->trips++;
		db->setup++;
		*slot = st;
	}
	*out = *slot;
	return RD_OK;
}

/* Binds params to st and executes it: one round trip. */
static enum rd_err
db_execute(struct db *db, MYSQL_STMT *st, const struct dbval *params, size_t np, const char *name)
{
	MYSQL_BIND sb[DB_MAX_PARAMS];
	unsigned long slens[DB_MAX_PARAMS];
	my_bool snulls[DB_MAX_PARAMS];
	MYSQL_BIND *b = sb;
	unsigned long *lens = slens;
	my_bool *nulls = snulls;

	if (mysql_stmt_param_count(st) != np) {
		snprintf(db->err, sizeof(db->err), "%s: %lu parameters, %zu given", name,
		    mysql_stmt_param_count(st), np);
		log_warn("db %s", db->err);
		return RD_ERR_INTERNAL;
	}
	if (np > DB_MAX_PARAMS) {
		if (np > db->cbind) {
			size_t cap = np * 2;
			MYSQL_BIND *nb = realloc(db->bind, cap * sizeof(*nb));
			if (nb != NULL)
				db->bind = nb;
			unsigned long *nl = realloc(db->blens, cap * sizeof(*nl));
			if (nl != NULL)
				db->blens = nl;
			my_bool *nn = realloc(db->bnulls, cap * sizeof(*nn));
			if (nn != NULL)
				db->bnulls = nn;
			if (nb == NULL || nl == NULL || nn == NULL)
				return RD_ERR_NOMEM;
			db->cbind = cap;
		}
		b = db->bind;
		lens = db->blens;
		nulls = db->bnulls;
	}
	memset(b, 0, np * sizeof(*b));
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
	if (db->in_tx)
		db->tx_sent = true;
	db->trips++;
	if ((np > 0 && mysql_stmt_bind_param(st, b) != 0) || mysql_stmt_execute(st) != 0) {
		unsigned int no = mysql_stmt_errno(st);
		char msg[200];
		snprintf(msg, sizeof(msg), "%s", mysql_stmt_error(st));
		return db_fail(db, no, msg, name);
	}
	return RD_OK;
}

static enum rd_err
db_run_once(struct db *db, enum stmt_id id, const struct dbval *params, size_t np, MYSQL_STMT **out)
{
	MYSQL_STMT *st = NULL;
	enum rd_err e;

	if ((e = db_prepare(db, id, &st)) != RD_OK)
		return e;
	if ((e = db_execute(db, st, params, np, stmt_names[id])) != RD_OK)
		return e;
	*out = st;
	return RD_OK;
}

/* A connection that died while idle (the server restarted) fails its next
 * statement with 2006 before anything reached the server: outside a
 * transaction, or as a transaction's first round trip, that statement is run
 * once more on a new connection. */
static bool
db_may_retry(const struct db *db, bool sent_before)
{
	return db->gone && (!db->in_tx || !sent_before);
}

/* Before the attempt-th run again: a random 1..(4 << attempt) ms, so two
 * retrying writers part. */
static void
db_backoff(int attempt)
{
	struct timespec ts = { 0, (long)(1 + arc4random_uniform(4u << attempt)) * 1000000L };
	nanosleep(&ts, NULL);
}

static enum rd_err
db_run(struct db *db, enum stmt_id id, const struct dbval *params, size_t np, MYSQL_STMT **out)
{
	bool sent = db->tx_sent;

	db->gone = false;
	enum rd_err e = db_run_once(db, id, params, np, out);
	if (e == RD_ERR_DB && db_may_retry(db, sent))
		e = db_run_once(db, id, params, np, out);
	/* A statement of its own (autocommit) refused by a deadlock or, on
	 * Galera, by certification (an upsert of a budget row written through
	 * another node at once) changed nothing: run it again, as db_tx does. */
	for (int attempt = 1; e == RD_ERR_RETRY && !db->in_tx && attempt < DB_TX_TRIES; attempt++) {
		db->retries++;
		log_warn("db statement retried (%d of %d): %s", attempt, DB_TX_TRIES - 1, db->err);
		db_backoff(attempt);
		e = db_run_once(db, id, params, np, out);
	}
	return e;
}

/* Reads the result set st just produced into arena cells, then any results
 * that follow it (a batch ends with a status). */
static enum rd_err
db_fetch(struct db *db, MYSQL_STMT *st, struct arena *a, const char *name, struct dbres *out)
{
	MYSQL_RES *meta;
	MYSQL_BIND b[DB_MAX_COLS];
	unsigned long lens[DB_MAX_COLS];
	my_bool nulls[DB_MAX_COLS];
	char *bufs[DB_MAX_COLS];
	enum rd_err e = RD_OK;

	memset(out, 0, sizeof(*out));
	if (mysql_stmt_store_result(st) != 0)
		return db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), name);
	if ((meta = mysql_stmt_result_metadata(st)) == NULL) {
		mysql_stmt_free_result(st);
		return RD_ERR_INTERNAL;
	}
	size_t ncols = mysql_num_fields(meta), nrows = (size_t)mysql_stmt_num_rows(st);
	MYSQL_FIELD *f = mysql_fetch_fields(meta);
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
			e = db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), name);
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
	if (db->my != NULL) {
		mysql_stmt_free_result(st);
		/* Already received with the rows: reading them is no round trip. */
		while (db->my != NULL && mysql_stmt_more_results(st)) {
			int rc = mysql_stmt_next_result(st);
			if (rc > 0 && e == RD_OK)
				e = db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), name);
			if (rc != 0)
				break;
			mysql_stmt_free_result(st);
		}
	}
	return e;
}

/* ---- batches: deferred writes sent with the next statement ----
 *
 * Inside a transaction a write nobody reads an answer from (an event, a
 * webhook, a ledger entry, a conditional UPDATE that must touch one row)
 * need not cost a round trip of its own: db_defer() keeps it, and the next
 * statement sent (or COMMIT) carries every kept write, and START
 * TRANSACTION, in one anonymous compound statement (BEGIN NOT ATOMIC ...
 * END), prepared once per shape and per connection. The statements are
 * the table's own, with '?' placeholders; nothing from the request is
 * ever part of the text. */

static bool
grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (q == NULL)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static void
pend_clear(struct db *db)
{
	db->npend = db->nseg = db->npv = db->nsb = 0;
}

/* Statements whose rows only add to a log (order within the statement is
 * kept): later rows join the first pending one as one multi-row INSERT. */
static bool
appendable(enum stmt_id id)
{
	return id == Q_EVENT_INSERT || id == Q_WEBHOOK_INSERT || id == Q_EVIDENCE_INSERT;
}

static enum rd_err
pend_add(struct db *db, enum stmt_id id, const struct dbval *params, size_t np, size_t rows,
    unsigned flags)
{
	size_t k = db->npend;

	if (appendable(id) && flags == 0)
		for (size_t i = 0; i < db->npend; i++)
			if (db->pend[i].id == id && db->pend[i].flags == 0 && db->pend[i].np == np) {
				k = i;
				break;
			}
	if (!grow((void **)&db->pend, &db->cpend, db->npend + 1, sizeof(*db->pend)) ||
	    !grow((void **)&db->seg, &db->cseg, db->nseg + rows, sizeof(*db->seg)) ||
	    !grow((void **)&db->pv, &db->cpv, db->npv + np * rows, sizeof(*db->pv)))
		return RD_ERR_NOMEM;
	for (size_t r = 0; r < rows; r++) {
		db->seg[db->nseg++] = (struct seg){ k, db->npv };
		for (size_t i = 0; i < np; i++) {
			struct dbval v = params[r * np + i];
			if (v.t == DBV_STR) {
				if (!grow((void **)&db->sb, &db->csb, db->nsb + v.n + 1, 1))
					return RD_ERR_NOMEM;
				if (v.n)
					memcpy(db->sb + db->nsb, v.s, v.n);
				db->sb[db->nsb + v.n] = '\0';
				v.i = (long long)db->nsb;   /* an offset: sb may move */
				v.s = NULL;
				db->nsb += v.n + 1;
			}
			db->pv[db->npv++] = v;
		}
	}
	if (k == db->npend)
		db->pend[db->npend++] = (struct pend){ id, flags, np, rows };
	else
		db->pend[k].rows += rows;
	return RD_OK;
}

/* The statement's text with its VALUES tuple repeated for `rows` rows. */
static bool
put_rows(struct buf *b, const char *sql, size_t rows)
{
	const char *v = strstr(sql, "VALUES (");
	buf_puts(b, sql);
	if (rows > 1 && v == NULL)
		return false;
	for (size_t r = 1; r < rows; r++) {
		buf_puts(b, ",");
		buf_puts(b, v + 7);
	}
	return true;
}

enum tail { TAIL_NONE, TAIL_EXEC, TAIL_QUERY, TAIL_COMMIT };

/* Before each statement of a batch inside a transaction. On Galera a
 * transaction can end inside a compound statement without the compound
 * stopping: a START TRANSACTION whose sync wait was cut by a view change
 * (a node killed), or a brute-force abort. The statements after it then
 * ran as autocommit: an order committed without its hold, the rest of the
 * transaction refused (seen once in ~3 runs of the galera node-kill test).
 * The guard turns that into a deadlock error (1213): db_tx rolls back and
 * runs the whole transaction again. It costs no round trip. */
static const char in_tx_guard[] =
    "IF @@in_transaction = 0 THEN SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, "
    "MESSAGE_TEXT = 'refund-desk: the transaction ended inside the batch'; END IF;\n";

/* The prepared batch for the kept writes plus the tail statement. */
static enum rd_err
batch_prepare(struct db *db, enum tail tail, enum stmt_id id, MYSQL_STMT **out)
{
	char key[1024];
	size_t n = 0;
	enum rd_err e;

	n += (size_t)snprintf(key + n, sizeof(key) - n, "%c", db->start_pending ? 'S' : '-');
	for (size_t i = 0; i < db->npend && n < sizeof(key); i++)
		n += (size_t)snprintf(key + n, sizeof(key) - n, "%d.%zu.%u;", (int)db->pend[i].id,
		    db->pend[i].rows, db->pend[i].flags);
	if (n < sizeof(key))
		n += (size_t)snprintf(key + n, sizeof(key) - n, "%d:%d", (int)tail,
		    tail == TAIL_EXEC || tail == TAIL_QUERY ? (int)id : -1);
	if (n >= sizeof(key))
		return RD_ERR_INTERNAL;
	if ((e = db_ensure(db)) != RD_OK)
		return e;
	for (size_t i = 0; i < DB_BATCH_CACHE; i++)
		if (db->bs[i].key != NULL && strcmp(db->bs[i].key, key) == 0) {
			*out = db->bs[i].st;
			return RD_OK;
		}

	struct buf b;
	buf_init(&b);
	buf_puts(&b, "BEGIN NOT ATOMIC\n");
	if (db->start_pending)
		buf_puts(&b, db->cfg->db_galera ? "SET STATEMENT wsrep_sync_wait = 1 FOR START TRANSACTION;\n" :
		    "START TRANSACTION;\n");
	bool ok = true;
	for (size_t i = 0; i < db->npend; i++) {
		if (db->in_tx)
			buf_puts(&b, in_tx_guard);
		ok = ok && put_rows(&b, db_sql(db, db->pend[i].id), db->pend[i].rows);
		buf_puts(&b, ";\n");
		if (db->pend[i].flags & DB_ONE_ROW)
			buf_puts(&b, "IF ROW_COUNT() <> 1 THEN SIGNAL SQLSTATE '45000' "
			    "SET MESSAGE_TEXT = 'refund-desk: the row changed'; END IF;\n");
	}
	if (db->in_tx)
		buf_puts(&b, in_tx_guard);
	if (tail == TAIL_EXEC || tail == TAIL_QUERY) {
		buf_puts(&b, db_sql(db, id));
		buf_puts(&b, ";\n");
	}
	if (tail == TAIL_EXEC)
		buf_puts(&b, "SELECT ROW_COUNT(), LAST_INSERT_ID();\n");
	if (tail == TAIL_COMMIT)
		buf_puts(&b, "COMMIT;\n");
	buf_puts(&b, "END");
	if (!ok || b.failed) {
		buf_free(&b);
		return ok ? RD_ERR_NOMEM : RD_ERR_INTERNAL;
	}

	MYSQL_STMT *st = mysql_stmt_init(db->my);
	char *k = strdup(key);
	if (st == NULL || k == NULL) {
		if (st != NULL)
			mysql_stmt_close(st);
		free(k);
		buf_free(&b);
		return RD_ERR_NOMEM;
	}
	my_bool on = 1;
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	db->trips++;
	db->setup++;
	if (mysql_stmt_prepare(st, b.data, b.len) != 0) {
		unsigned int no = mysql_stmt_errno(st);
		char msg[200];
		snprintf(msg, sizeof(msg), "%s", mysql_stmt_error(st));
		mysql_stmt_close(st);
		free(k);
		buf_free(&b);
		return db_fail(db, no, msg, "batch");
	}
	buf_free(&b);
	struct batch_stmt *slot = &db->bs[db->bsnext];
	db->bsnext = (db->bsnext + 1) % DB_BATCH_CACHE;
	if (slot->st != NULL)
		mysql_stmt_close(slot->st);
	free(slot->key);
	slot->st = st;
	slot->key = k;
	*out = st;
	return RD_OK;
}

/* One round trip: [START TRANSACTION;] the kept writes; the tail. */
static enum rd_err
batch_once(struct db *db, enum tail tail, enum stmt_id id, const struct dbval *params, size_t np,
    struct arena *a, struct dbres *res, unsigned long long *affected, unsigned long long *insert_id)
{
	MYSQL_STMT *st = NULL;
	struct dbval *all = NULL;
	size_t n = 0, cap = 0;
	enum rd_err e;

	if ((e = batch_prepare(db, tail, id, &st)) != RD_OK)
		return e;
	for (size_t i = 0; i < db->npend; i++)
		for (size_t s = 0; s < db->nseg; s++) {
			if (db->seg[s].pend != i)
				continue;
			if (!grow((void **)&all, &cap, n + db->pend[i].np, sizeof(*all))) {
				free(all);
				return RD_ERR_NOMEM;
			}
			for (size_t k = 0; k < db->pend[i].np; k++) {
				struct dbval v = db->pv[db->seg[s].p0 + k];
				if (v.t == DBV_STR)
					v.s = db->sb + v.i;
				all[n++] = v;
			}
		}
	if (np > 0) {
		if (!grow((void **)&all, &cap, n + np, sizeof(*all))) {
			free(all);
			return RD_ERR_NOMEM;
		}
		memcpy(all + n, params, np * sizeof(*params));
		n += np;
	}
	bool started = db->start_pending;
	e = db_execute(db, st, all, n, tail == TAIL_EXEC || tail == TAIL_QUERY ? stmt_names[id] : "batch");
	free(all);
	/* Sent: the transaction has begun, even if a later part failed (unless
	 * the connection, and the transaction with it, is gone). */
	if (started && !db->gone)
		db->start_pending = false;
	if (e != RD_OK)
		return e;
	if (tail == TAIL_QUERY)
		return db_fetch(db, st, a, stmt_names[id], res);
	if (tail == TAIL_EXEC) {
		/* The batch's last result: ROW_COUNT() and LAST_INSERT_ID() of the tail. */
		long long v[2] = { 0, 0 };
		MYSQL_BIND b[2];
		memset(b, 0, sizeof(b));
		b[0].buffer_type = b[1].buffer_type = MYSQL_TYPE_LONGLONG;
		b[0].buffer = &v[0];
		b[1].buffer = &v[1];
		if (mysql_stmt_bind_result(st, b) != 0 || mysql_stmt_store_result(st) != 0 ||
		    mysql_stmt_fetch(st) != 0)
			e = db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), stmt_names[id]);
		mysql_stmt_free_result(st);
		while (db->my != NULL && mysql_stmt_more_results(st) && mysql_stmt_next_result(st) == 0)
			mysql_stmt_free_result(st);
		if (affected != NULL)
			*affected = (unsigned long long)v[0];
		if (insert_id != NULL)
			*insert_id = (unsigned long long)v[1];
		return e;
	}
	while (db->my != NULL && mysql_stmt_more_results(st) && mysql_stmt_next_result(st) == 0)
		mysql_stmt_free_result(st);
	return RD_OK;
}

static enum rd_err
batch_run(struct db *db, enum tail tail, enum stmt_id id, const struct dbval *params, size_t np,
    struct arena *a, struct dbres *res, unsigned long long *affected, unsigned long long *insert_id)
{
	bool sent = db->tx_sent;

	db->gone = false;
	enum rd_err e = batch_once(db, tail, id, params, np, a, res, affected, insert_id);
	if (e == RD_ERR_DB && db_may_retry(db, sent))
		e = batch_once(db, tail, id, params, np, a, res, affected, insert_id);
	pend_clear(db);
	return e;
}

static bool
batch_waiting(const struct db *db)
{
	return db->in_tx && (db->start_pending || db->npend > 0);
}

enum rd_err
db_defer_rows(struct db *db, enum stmt_id id, const struct dbval *params, size_t np, size_t rows,
    unsigned flags)
{
	enum rd_err e;

	if (rows == 0)
		return RD_OK;
	if (rows > 1 && flags != 0)
		return RD_ERR_INTERNAL;
	if (!db->in_tx && rows == 1) {
		unsigned long long n = 0;
		if ((e = db_exec(db, id, params, np, &n, NULL)) != RD_OK)
			return e;
		return (flags & DB_ONE_ROW) && n != 1 ? RD_ERR_CONFLICT : RD_OK;
	}
	if ((e = pend_add(db, id, params, np, rows, flags)) != RD_OK) {
		pend_clear(db);
		return e;
	}
	return db->in_tx ? RD_OK : batch_run(db, TAIL_NONE, id, NULL, 0, NULL, NULL, NULL, NULL);
}

enum rd_err
db_defer(struct db *db, enum stmt_id id, const struct dbval *params, size_t np, unsigned flags)
{
	return db_defer_rows(db, id, params, np, 1, flags);
}

enum rd_err
db_exec(struct db *db, enum stmt_id id, const struct dbval *params, size_t np,
    unsigned long long *affected, unsigned long long *insert_id)
{
	MYSQL_STMT *st = NULL;
	enum rd_err e;

	if (batch_waiting(db))
		return batch_run(db, TAIL_EXEC, id, params, np, NULL, NULL, affected, insert_id);
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
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	if (batch_waiting(db))
		return batch_run(db, TAIL_QUERY, id, params, np, a, out, NULL, NULL);
	if ((e = db_run(db, id, params, np, &st)) != RD_OK)
		return e;
	return db_fetch(db, st, a, stmt_names[id], out);
}

enum rd_err
db_query_each(struct db *db, enum stmt_id id, const struct dbval *params, size_t np,
    db_row_fn fn, void *ctx)
{
	MYSQL_STMT *st = NULL;
	MYSQL_RES *meta;
	MYSQL_BIND b[DB_MAX_COLS];
	unsigned long lens[DB_MAX_COLS];
	my_bool nulls[DB_MAX_COLS], trunc[DB_MAX_COLS];
	struct dbcell cells[DB_MAX_COLS];
	char bufs[DB_MAX_COLS][256];
	char *big[DB_MAX_COLS];
	size_t bigcap[DB_MAX_COLS];
	enum rd_err e;

	if (batch_waiting(db))
		return RD_ERR_INTERNAL;          /* a stream needs the connection to itself */
	if ((e = db_run(db, id, params, np, &st)) != RD_OK)
		return e;
	if ((meta = mysql_stmt_result_metadata(st)) == NULL) {
		mysql_stmt_free_result(st);
		return RD_ERR_INTERNAL;
	}
	size_t ncols = mysql_num_fields(meta);
	mysql_free_result(meta);
	if (ncols > DB_MAX_COLS) {
		mysql_stmt_free_result(st);
		return RD_ERR_INTERNAL;
	}
	memset(b, 0, sizeof(b));
	memset(big, 0, sizeof(big));
	memset(bigcap, 0, sizeof(bigcap));
	for (size_t i = 0; i < ncols; i++) {
		b[i].buffer_type = MYSQL_TYPE_STRING;
		b[i].buffer = bufs[i];
		b[i].buffer_length = sizeof(bufs[i]);
		b[i].length = &lens[i];
		b[i].is_null = &nulls[i];
		b[i].error = &trunc[i];
	}
	struct dbres row = { 1, ncols, cells };
	e = RD_OK;
	if (mysql_stmt_bind_result(st, b) != 0)
		e = RD_ERR_INTERNAL;
	/* No mysql_stmt_store_result(): rows come off the socket one at a
	 * time, so memory stays the same whatever the table's size. */
	while (e == RD_OK) {
		int rc = mysql_stmt_fetch(st);
		if (rc == MYSQL_NO_DATA)
			break;
		if (rc == 1) {
			e = db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), stmt_names[id]);
			break;
		}
		for (size_t i = 0; i < ncols && e == RD_OK; i++) {
			cells[i].null = nulls[i];
			cells[i].n = nulls[i] ? 0 : lens[i];
			if (nulls[i]) {
				bufs[i][0] = '\0';
				cells[i].s = bufs[i];
				continue;
			}
			if (lens[i] < sizeof(bufs[i])) {
				bufs[i][lens[i]] = '\0';
				cells[i].s = bufs[i];
				continue;
			}
			/* Longer than the buffer: fetch this cell whole. */
			if (bigcap[i] <= lens[i]) {
				char *nb = realloc(big[i], lens[i] + 1);
				if (nb == NULL) {
					e = RD_ERR_NOMEM;
					break;
				}
				big[i] = nb;
				bigcap[i] = lens[i] + 1;
			}
			MYSQL_BIND one;
			memset(&one, 0, sizeof(one));
			one.buffer_type = MYSQL_TYPE_STRING;
			one.buffer = big[i];
			one.buffer_length = bigcap[i];
			if (mysql_stmt_fetch_column(st, &one, (unsigned int)i, 0) != 0) {
				e = RD_ERR_INTERNAL;
				break;
			}
			big[i][lens[i]] = '\0';
			cells[i].s = big[i];
		}
		if (e == RD_OK && fn(&row, ctx) != 0)
			e = RD_ERR_INTERNAL;
	}
	for (size_t i = 0; i < ncols; i++)
		free(big[i]);
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

/* COMMIT, carrying the writes still kept; nothing at all when the
 * transaction never reached the server. */
static enum rd_err
db_commit(struct db *db)
{
	if (db->npend > 0)
		return batch_run(db, TAIL_COMMIT, STMT__MAX, NULL, 0, NULL, NULL, NULL, NULL);
	if (!db->tx_sent)
		return RD_OK;
	return db_simple(db, "COMMIT");
}

enum rd_err
db_tx(struct db *db, db_tx_fn fn, void *ctx)
{
	enum rd_err e = RD_ERR_RETRY;
	bool failed_over = false;

	for (int attempt = 0; attempt < DB_TX_TRIES && e == RD_ERR_RETRY; attempt++) {
		if (attempt > 0)
			db_backoff(attempt);
		/* START TRANSACTION travels with the first statement (or COMMIT).
		 * On Galera it first waits for this node to apply what the cluster
		 * committed (statements inside a transaction never wait): a
		 * decision starts from the newest rows, e.g. an order registered
		 * through another node a moment ago. A connection that died idle
		 * is found by that first round trip, which then runs again. */
		pend_clear(db);
		db->in_tx = true;
		db->start_pending = true;
		db->tx_sent = false;
		bool at_commit = false;
		e = fn(db, ctx);
		if (e == RD_OK) {
			at_commit = true;
			e = db_commit(db);
		}
		db->in_tx = false;
		db->start_pending = false;
		pend_clear(db);
		if (e != RD_OK && db->my != NULL && db->tx_sent) {
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
	return db ? db->trips : 0;
}

unsigned long long
db_setup_trips(const struct db *db)
{
	return db ? db->setup : 0;
}

const char *
db_last_error(const struct db *db)
{
	return db->err;
}
