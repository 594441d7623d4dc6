/* db.h: the MariaDB connection of one worker. Every statement is prepared
 * from the table in stmts.h (no SQL is ever built from request data); values
 * go in through struct dbval and come back as strings in the request arena. */
#ifndef RD_DB_H
#define RD_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/stmts.h"

struct config;
struct db;

enum dbval_type { DBV_NULL, DBV_INT, DBV_STR };
struct dbval {
	enum dbval_type t;
	long long i;
	const char *s;
	size_t n;
};
#define DB_INT(x) ((struct dbval){ DBV_INT, (long long)(x), NULL, 0 })
#define DB_STR(x) ((struct dbval){ DBV_STR, 0, (x), strlen(x) })
#define DB_STRN(x, len) ((struct dbval){ DBV_STR, 0, (x), (len) })
#define DB_NULLV ((struct dbval){ DBV_NULL, 0, NULL, 0 })

struct dbcell {
	const char *s;     /* NUL-terminated; "" for NULL */
	size_t n;
	bool null;
};
struct dbres {
	size_t nrows, ncols;
	struct dbcell *cells;   /* nrows * ncols, row-major */
};

/* The statements every new connection runs first (NULL-terminated). */
extern const char *const db_init_commands[];

struct db *db_new(const struct config *cfg);
/* The config the connection was made with (i15-chain: claims read it inside a transaction). */
const struct config *db_config(const struct db *db);
/* Read/write timeout for the next connection: 10 s for requests; commands
 * that scan the whole database (check-ledger, migrate) want more. */
void db_set_timeout(struct db *db, unsigned int secs);
void db_free(struct db *db);
/* Connects if not connected (or after the server went away). RD_ERR_DB when
 * the server does not answer within the connect timeout. */
enum rd_err db_ensure(struct db *db);
/* Closes the connection: the next statement connects again, preferred node first. */
void db_drop(struct db *db);
/* Runs a statement that returns no rows. affected and insert_id may be NULL.
 * RD_ERR_CONFLICT on a duplicate key, RD_ERR_RETRY on deadlock/1020/lock
 * wait timeout, RD_ERR_DB on anything else (the connection is dropped when
 * the server went away). */
enum rd_err db_exec(struct db *db, enum stmt_id id, const struct dbval *params, size_t np,
    unsigned long long *affected, unsigned long long *insert_id);
/* A write whose answer nobody reads: inside a transaction it is kept and
 * sent with the next statement (or COMMIT) in one round trip; outside one
 * it runs at once. With DB_ONE_ROW it must touch (match) exactly one row,
 * else the transaction fails with RD_ERR_CONFLICT. Its errors (a duplicate
 * key: RD_ERR_CONFLICT; a deadlock: RD_ERR_RETRY) come back from that later
 * call, so after a deferred write treat any error as the transaction's.
 * Values are copied: they may live on the caller's stack. */
#define DB_ONE_ROW 1u
enum rd_err db_defer(struct db *db, enum stmt_id id, const struct dbval *params, size_t np,
    unsigned flags);
/* The same for `rows` rows of an INSERT ... VALUES (...) at once: params
 * holds np values per row, row after row (one multi-row INSERT). Events,
 * webhooks and evidence rows kept in one transaction join into one INSERT
 * each, in the order they were kept. */
enum rd_err db_defer_rows(struct db *db, enum stmt_id id, const struct dbval *params, size_t np,
    size_t rows, unsigned flags);
/* Runs a query; every cell comes back as a string copied into arena a. */
enum rd_err db_query(struct db *db, struct arena *a, enum stmt_id id, const struct dbval *params,
    size_t np, struct dbres *out);

/* db_query for a read that must see every write the cluster committed
 * before it (another node's too): on Galera (database.galera) it waits
 * for this node to apply them (wsrep_sync_wait); otherwise it is db_query. */
enum rd_err db_query_sync(struct db *db, struct arena *a, enum stmt_id id, const struct dbval *params,
    size_t np, struct dbres *out);

/* Runs a query and hands its rows to fn one at a time, as they come off
 * the connection (unbuffered): memory stays flat however many rows there
 * are. The row's cells live until fn returns; fn returns non-zero to stop
 * (RD_ERR_INTERNAL). Outside a transaction with kept writes only. */
typedef int (*db_row_fn)(const struct dbres *row, void *ctx);
enum rd_err db_query_each(struct db *db, enum stmt_id id, const struct dbval *params, size_t np,
    db_row_fn fn, void *ctx);

const char *db_cell(const struct dbres *r, size_t row, size_t col);
long long db_cell_int(const struct dbres *r, size_t row, size_t col);

/* Runs fn inside one transaction (START TRANSACTION travels with its first
 * statement, COMMIT with its last deferred writes); on RD_ERR_RETRY
 * (deadlock, 1020, lock wait, a Galera certification failure) rolls back
 * and runs the whole of fn again (up to 8 times, with a random backoff of
 * 1..4<<n ms), logged and counted (db_tx_retries). A node lost before
 * COMMIT: once more on the next node. Any other error rolls back and is
 * returned. On Galera the transaction starts after this node applied the
 * cluster's earlier commits. fn must be safe to run again: it may only
 * change state through the database, and must write the rows it decides
 * from (model.c bumps them). */
typedef enum rd_err (*db_tx_fn)(struct db *db, void *ctx);
enum rd_err db_tx(struct db *db, db_tx_fn fn, void *ctx);

/* Plain text statements for migrations only: sql from files we ship. */
enum rd_err db_exec_script(struct db *db, const char *sql, size_t len, char *errbuf, size_t errcap);
/* The node of the connection (socket or host:port; n < 0: the current
 * one, "none" when not connected) and its wsrep_local_state_comment
 * ("Synced", "Donor/Desynced", ...; "not galera" on a plain server). */
const char *db_node_name(const struct db *db, int n);
void db_node_state(struct db *db, char *out, size_t cap);
/* Transactions run again (deadlock, certification failure) and connections
 * made to a node other than the preferred one, since start, for /metrics. */
unsigned long long db_tx_retries(const struct db *db);
unsigned long long db_failovers(const struct db *db);
/* Counts round trips since start, for /metrics and benchmarks; of them,
 * db_setup_trips() are connects and statement preparations (once per
 * connection and statement), the rest the work of requests. */
unsigned long long db_round_trips(const struct db *db);
unsigned long long db_setup_trips(const struct db *db);
const char *db_last_error(const struct db *db);

#endif
