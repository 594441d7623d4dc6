/* stmts.h: every SQL statement refund-desk runs, in one table. Each is
 * prepared once per connection; '?' placeholders are the only way request
 * data reaches the database. X(name, sql) */
#ifndef RD_STMTS_H
#define RD_STMTS_H

/* Hold states and ledger kinds are spelled from their enums' names
 * (rules/domain.h), so the SQL cannot drift from them. */
#include "rules/domain.h"
#include "store/stmts_claims.h"

#define REFUND_COLS \
	"r.id, r.public_id, r.state, r.type, r.destination, r.reason, r.requested, r.fee, " \
	"r.refund_amount, r.deadline, r.created_at, r.updated_at, r.appealed, r.reviewer, " \
	"r.risk_flags, r.wrong_account, o.id, o.order_no, o.buyer_id, o.title, o.amount, " \
	"o.pay_channel, o.merchant_id, o.category, r.payout_failed"

#define REFUND_NCOLS 25

/* Lists a page or an API answer shows are capped in SQL (issue 9): the
 * last TIMELINE_CAP events of a refund, the last REFUNDS_CAP refunds of an
 * order, with the totals beside them. The offsets are CAP - 1. */
#define TIMELINE_CAP 200
#define EVENTS_FROM "e.id >= COALESCE((SELECT x.id FROM refund_events x WHERE x.refund_id = r.id " \
	"ORDER BY x.id DESC LIMIT 1 OFFSET 199), 0)"
#define EVENTS_TOTAL "(SELECT COUNT(*) FROM refund_events c WHERE c.refund_id = r.id)"
/* The order's buyer's session generation, read with a page's own row so the
 * buyer's cookie is checked without a round trip of its own (session_gen.h). */
#define BUYER_GEN "COALESCE((SELECT g.gen FROM buyer_sessions g WHERE g.buyer_id = o.buyer_id), 0)"
/* The refunds matching WHERE, counted up to a limit: the limit when its
 * row exists (an index dive to the row at offset limit - 1, parameters
 * WHERE's, offset, limit), else COUNT(*) over fewer rows than the limit
 * (WHERE's again). LEAST(COUNT(*), limit) counted all of them: 11.7 ms of
 * MariaDB for an address with 80 000 in the hour, against 0.1 ms. */
#define COUNT_UPTO(where) "IF((SELECT 1 FROM refunds WHERE " where " LIMIT ?, 1) IS NOT NULL, ?, " \
	"(SELECT COUNT(*) FROM refunds WHERE " where "))"
/* The risk facts (policy.h struct risk_facts), four columns, of a
 * submission (Q_ORDER_SUBMIT_GET) and of the form page (Q_ORDER_FORM_GET,
 * i10-buyer). Parameters per count: its limit, WHERE's, offset, limit,
 * WHERE's again (COUNT_UPTO); then the address for the blacklist. */
#define BLACKLIST_COL "(SELECT COUNT(*) FROM blacklist WHERE (kind = 'buyer' AND value = o.buyer_id) " \
	"  OR (kind = 'ip' AND value = ?)) "
#define RISK_COLS \
	"IF(? > 0, " COUNT_UPTO("buyer_id = o.buyer_id AND created_at >= ?") ", 0), " \
	"IF(? > 0, " COUNT_UPTO("buyer_id = o.buyer_id AND created_at >= ?") ", 0), " \
	"IF(? > 0, " COUNT_UPTO("client_ip = ? AND created_at >= ?") ", 0), " \
	BLACKLIST_COL
/* The same columns with every count's limit off (risk.max_* 0): no count
 * at all. MariaDB optimizes (and, for the address's counts, which do not
 * depend on the order, runs) a subquery even where IF skips it: 15-20 us
 * each, and 8 of them were a sixth of MariaDB's work per submission. The
 * parameter: the address for the blacklist. */
#define RISK_COLS_OFF "0, 0, 0, " BLACKLIST_COL
/* A submission's read of the order: the order, the request open on it, the
 * request this form (idem) already made, the risk facts (risk: RISK_COLS or
 * RISK_COLS_OFF); lock: "" or " FOR UPDATE". */
#define SUBMIT_READ(risk, lock) "SELECT " ORDER_COLS ", " \
	"(SELECT public_id FROM refunds WHERE open_order_id = o.id), " \
	"(SELECT public_id FROM refunds WHERE buyer_id = o.buyer_id AND idem = ?), " \
	risk "FROM orders o JOIN holds h ON h.order_id = o.id WHERE o.order_no = ?" lock
/* A budget's spend (budget.c): a window starts at its first spend; a stale
 * one restarts. MariaDB assigns left to right, so `used` still sees the old
 * window. LAST_INSERT_ID(expr) carries the new count to the caller. */
#define BUDGET_UPSERT "INSERT INTO budgets (k, window_start, used) VALUES (?, ?, 1) " \
	"ON DUPLICATE KEY UPDATE used = LAST_INSERT_ID(IF(window_start <= ?, 1, used + 1)), " \
	"window_start = IF(window_start <= ?, ?, window_start)"
#define REFUNDS_CAP 20
#define REFUNDS_CAP_OFFSET "19"

#define ORDER_COLS \
	"o.id, o.order_no, o.buyer_id, o.merchant_id, o.category, o.title, o.amount, " \
	"o.currency, o.pay_channel, o.paid_at, o.delivery, o.delivery_kind, o.delivered_at, " \
	"o.key_revealed_at, o.redeemed, o.topup, o.activated_at, o.confirmed_at, " \
	"h.state, h.amount, h.released, h.refunded, h.fees, h.release_at"

/* The staff queue: a deferred join. The inner SELECT finds the page's ids
 * and counts every match from the covering index k_queue (sql/046) alone;
 * only the page's rows are then read whole, with their orders. Its indexes
 * are forced: the plan must not depend on how few rows a table holds today
 * (tests/integration/test_indexes.py). */
#define QUEUE_COLS "r.public_id, r.state, r.type, r.refund_amount, r.deadline, r.risk_flags, " \
	"o.order_no, o.title, o.merchant_id, t.total, r.buyer_id, r.created_at"
/* The tab's states (DESK_QUEUE_SLOTS slots, unused ones ''), then the
 * filters, each off when its value is '' or 0: type; risk; overdue (and
 * now); a search term matched against the order number (one read of
 * uk_order_no), the buyer and the request's id. All are conditions on
 * the rows the index gives, so the LIMIT applies to what they leave. */
#define QUEUE_WHERE "r.state IN (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) AND (? = '' OR r.type = ?) " \
	"AND (? = 0 OR r.risk_flags <> 0) AND (? = 0 OR (r.deadline > 0 AND r.deadline <= ?)) " \
	"AND (? = '' OR r.order_id = (SELECT x.id FROM orders x WHERE x.order_no = ?) " \
	"OR r.buyer_id = ? OR r.public_id = ?)"
#define QUEUE_BY_DEADLINE " ORDER BY r.deadline = 0, r.deadline, r.id"
#define QUEUE_BY_NEWEST " ORDER BY r.id DESC"
#define QUEUE_PAGE(from_where, order) "SELECT STRAIGHT_JOIN " QUEUE_COLS " FROM (SELECT r.id, COUNT(*) OVER () total " \
	from_where order " LIMIT ? OFFSET ?) t JOIN refunds r FORCE INDEX (PRIMARY) ON r.id = t.id " \
	"JOIN orders o FORCE INDEX (PRIMARY) ON o.id = r.order_id" order
/* Everyone but merchants: the open requests through k_queue, so the cost
 * follows what waits, not the history; a merchant filter ('' none) on top. */
#define QUEUE_ALL "FROM refunds r FORCE INDEX (k_queue) WHERE " QUEUE_WHERE \
	" AND (? = '' OR r.order_id IN (SELECT y.id FROM orders y WHERE y.merchant_id = ?))"
/* A merchant's: through its own orders (k_merchant), so it costs what the
 * merchant has, not what everyone has waiting. */
#define QUEUE_MERCHANT "FROM orders o FORCE INDEX (k_merchant) STRAIGHT_JOIN refunds r FORCE INDEX (k_order) " \
	"ON r.order_id = o.id WHERE o.merchant_id = ? AND " QUEUE_WHERE


/* The dashboard (i10-dash): the requests filed in [from, to) through
 * k_dash (sql/051), one statement, one round trip, three kinds of rows
 * (the first column): 'd' per Beijing day and state: count, instant ones,
 * fees charged; 'm' the one or two middle values of the seconds from
 * filing to the first decision (approved or rejected) of the requests
 * not decided instantly, with their count; 'r' the ten merchants with the
 * most such requests, with their requests and orders in the range.
 * Instant: approved in the submission's own second (an event of the
 * request's own created_at). Indexes are forced as the queue's are. */
#define DASH_DECIDED "(SELECT MIN(e.at) FROM refund_events e FORCE INDEX (k_refund_state) " \
	"WHERE e.refund_id = r.id AND e.state IN ('approved', 'rejected'))"
#define DASH_INSTANT "EXISTS (SELECT 1 FROM refund_events e FORCE INDEX (k_refund_state) " \
	"WHERE e.refund_id = r.id AND e.state = 'approved' AND e.at = r.created_at)"
#define DASH_RANGE "FROM refunds r FORCE INDEX (k_dash) WHERE r.created_at >= ? AND r.created_at < ?"
#define DASH_QUERY "(SELECT 'd' k, FLOOR((r.created_at + 28800) / 86400) a, r.state b, COUNT(*) c, " \
	"SUM(" DASH_INSTANT ") n, SUM(IF(r.state IN ('approved', 'refunding', 'refunded'), r.fee, 0)) s, 0 o " \
	DASH_RANGE " GROUP BY a, b) UNION ALL " \
	"(SELECT 'm', y.rn, '', y.n, y.d, 0, 0 FROM (SELECT x.d, ROW_NUMBER() OVER (ORDER BY x.d) rn, " \
	"COUNT(*) OVER () n FROM (SELECT " DASH_DECIDED " - r.created_at d " DASH_RANGE ") x " \
	"WHERE x.d > 0) y WHERE y.rn IN (FLOOR((y.n + 1) / 2), FLOOR(y.n / 2) + 1)) UNION ALL " \
	"(SELECT 'r', o.merchant_id, '', COUNT(*), COUNT(*) - SUM(" DASH_INSTANT "), 0, " \
	"(SELECT COUNT(*) FROM orders z FORCE INDEX (k_merchant_created) WHERE z.merchant_id = o.merchant_id " \
	"AND z.created_at >= ? AND z.created_at < ?) " \
	"FROM refunds r FORCE INDEX (k_dash) JOIN orders o FORCE INDEX (PRIMARY) ON o.id = r.order_id " \
	"WHERE r.created_at >= ? AND r.created_at < ? GROUP BY o.merchant_id ORDER BY 5 DESC, 2 LIMIT 10)"

#define STMTS(X) \
	X(Q_ORDER_INSERT, "INSERT INTO orders (order_no, buyer_id, merchant_id, category, title, amount, " \
	    "currency, pay_channel, paid_at, contact, lookup_code, body_hash, created_at) " \
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)") \
	X(Q_ORDER_HASH, "SELECT id, body_hash FROM orders WHERE order_no = ?") \
	X(Q_ORDER_GET, "SELECT " ORDER_COLS ", " \
	    "(SELECT public_id FROM refunds WHERE open_order_id = o.id), " BUYER_GEN " " \
	    "FROM orders o JOIN holds h ON h.order_id = o.id WHERE o.order_no = ?") \
	X(Q_ORDER_LOCK, "SELECT " ORDER_COLS ", " \
	    "(SELECT public_id FROM refunds WHERE open_order_id = o.id) " \
	    "FROM orders o JOIN holds h ON h.order_id = o.id WHERE o.order_no = ? FOR UPDATE") \
	/* A decision writes the rows it decides from (sql/030): the order, and \
	 * for a refund its order too, since refund actions move the hold. */ \
	X(Q_ORDER_BUMP, "UPDATE orders SET version = version + 1 WHERE order_no = ?") \
	X(Q_REFUND_BUMP, "UPDATE refunds r JOIN orders o ON o.id = r.order_id " \
	    "SET r.version = r.version + 1, o.version = o.version + 1 WHERE r.public_id = ?") \
	/* The submission's one read before its transaction: the order, the \
	 * request this form (idem) already made, and the order's buyer's risk \
	 * facts, each count only when its limit is on (IF does not evaluate \
	 * the other branch) and only up to its limit (COUNT_UPTO: the policy \
	 * compares with the limit and nothing else), since one address may \
	 * carry a whole proxy's traffic: no derived, temporary table. */ \
	X(Q_ORDER_SUBMIT_GET, SUBMIT_READ(RISK_COLS, "")) \
	/* Q_ORDER_SUBMIT_GET under the order's lock, the first statement of \
	 * the submission's transaction: its one read of the order (issue 12). \
	 * The subqueries are plain reads (no lock on refunds or blacklist). */ \
	X(Q_ORDER_SUBMIT_LOCK, SUBMIT_READ(RISK_COLS, " FOR UPDATE")) \
	X(Q_ORDER_SUBMIT_LOCK_NORISK, SUBMIT_READ(RISK_COLS_OFF, " FOR UPDATE")) \
	/* i10-buyer: the form page's one read: the order as Q_ORDER_GET and \
	 * the risk facts as Q_ORDER_SUBMIT_GET, so the form can say before \
	 * submitting which choice goes to a person. */ \
	X(Q_ORDER_FORM_GET, "SELECT " ORDER_COLS ", " \
	    "(SELECT public_id FROM refunds WHERE open_order_id = o.id), " BUYER_GEN ", " \
	    RISK_COLS \
	    "FROM orders o JOIN holds h ON h.order_id = o.id WHERE o.order_no = ?") \
	/* The submission's lock: the order as Q_ORDER_LOCK, and the request \
	 * this form already made (a double click that waited for the lock). */ \
	X(Q_ORDER_LOCK_IDEM, "SELECT " ORDER_COLS ", " \
	    "(SELECT public_id FROM refunds WHERE open_order_id = o.id), " \
	    "(SELECT public_id FROM refunds WHERE buyer_id = o.buyer_id AND idem = ?) " \
	    "FROM orders o JOIN holds h ON h.order_id = o.id WHERE o.order_no = ? FOR UPDATE") \
	X(Q_ORDER_LOOKUP, "SELECT buyer_id, contact, lookup_code FROM orders WHERE order_no = ?") \
	X(Q_ORDER_DELIVERY, "UPDATE orders SET delivery = ?, delivery_kind = ?, delivered_at = ? WHERE id = ?") \
	X(Q_ORDER_USAGE, "UPDATE orders SET key_revealed_at = ?, redeemed = ?, topup = ?, activated_at = ? " \
	    "WHERE id = ?") \
	X(Q_ORDER_CONFIRM, "UPDATE orders SET confirmed_at = ? WHERE id = ? AND confirmed_at = 0") \
	X(Q_HOLD_INSERT, "INSERT INTO holds (order_id, state, amount, release_at) " \
	    "VALUES (?, " SQL_NAME(HOLD_NAME_HELD) ", ?, ?)") \
	X(Q_HOLD_SET_STATE, "UPDATE holds SET state = ? WHERE order_id = ? AND state = ?") \
	X(Q_HOLD_RESOLVE, "UPDATE holds SET state = ?, released = released + ?, refunded = refunded + ?, " \
	    "fees = fees + ?, resolved_at = ? WHERE order_id = ? " \
	    "AND state IN (" SQL_NAME(HOLD_NAME_HELD) ", " SQL_NAME(HOLD_NAME_FROZEN) ")") \
	X(Q_HOLD_ADD_REFUND, "UPDATE holds SET refunded = refunded + ?, released = released - ? " \
	    "WHERE order_id = ? AND state = " SQL_NAME(HOLD_NAME_RELEASED)) \
	/* The two below follow Q_TXN_INSERT at once (ledger.c post()). */ \
	X(Q_RESOLUTION_INSERT, "INSERT INTO hold_resolutions (order_id, txn_id, kind) " \
	    "VALUES (?, LAST_INSERT_ID(), ?)") \
	X(Q_TXN_INSERT, "INSERT INTO ledger_txns (order_id, refund_id, kind, uniq_key, created_at) " \
	    "VALUES (?,?,?,?,?)") \
	X(Q_ENTRY_INSERT, "INSERT INTO ledger_entries (txn_id, account, amount) VALUES (LAST_INSERT_ID(), ?, ?)") \
	X(Q_API_SIG_INSERT, "INSERT INTO api_signatures (sig, ts) VALUES (?,?)") \
	X(W_API_SIG_PURGE, "DELETE FROM api_signatures WHERE ts < ?") \
	/* store/api_clients.c (i15-client) */ \
	X(Q_API_CLIENT_INSERT, "INSERT INTO api_clients (client_id, buyer_id, created_at) VALUES (?,?,?)") \
	X(Q_API_CLIENT_BUYER, "SELECT buyer_id FROM api_clients WHERE client_id = ? AND revoked_at = 0") \
	X(Q_API_CLIENT_REVOKE, "UPDATE api_clients SET revoked_at = ? WHERE client_id = ? AND revoked_at = 0") \
	X(Q_API_CLIENT_LIST, "SELECT client_id, buyer_id, created_at, revoked_at FROM api_clients ORDER BY id") \
	/* budget.c (BUDGET_UPSERT above) */ \
	X(Q_BUDGET_TAKE, BUDGET_UPSERT) \
	/* A buyer's POST: the address's unit, then (within its limit) the \
	 * session's, committed together, and the generation of the buyer the \
	 * cookie names: one round trip and one commit (budget_take_post). */ \
	X(Q_BUDGET_TAKE_POST, "BEGIN NOT ATOMIC " \
	    "DECLARE ip_used, sid_used BIGINT DEFAULT 0; " \
	    "DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END; " \
	    "START TRANSACTION; " BUDGET_UPSERT "; " \
	    "SET ip_used = IF(ROW_COUNT() = 1, 1, LAST_INSERT_ID()); " \
	    "IF ip_used <= ? AND ? <> '' THEN " BUDGET_UPSERT "; " \
	    "SET sid_used = IF(ROW_COUNT() = 1, 1, LAST_INSERT_ID()); END IF; " \
	    "COMMIT; " \
	    "SELECT ip_used, sid_used, COALESCE((SELECT gen FROM buyer_sessions WHERE buyer_id = ?), 0); " \
	    "END") \
	X(Q_BUDGET_GIVE_BACK, "UPDATE budgets SET used = used - 1 WHERE k = ? AND used > 0 AND window_start > ?") \
	X(Q_BUDGET_USED, "SELECT used, window_start FROM budgets WHERE k = ? AND window_start > ?") \
	X(W_BUDGET_PURGE, "DELETE FROM budgets WHERE window_start < ?") \
	X(Q_BUYER_GEN, "SELECT gen FROM buyer_sessions WHERE buyer_id = ?") \
	X(Q_BUYER_GEN_BUMP, "INSERT INTO buyer_sessions (buyer_id, gen) VALUES (?, 1) " \
	    "ON DUPLICATE KEY UPDATE gen = gen + 1") \
	X(Q_STAFF_GEN_BUMP, "UPDATE staff SET session_gen = session_gen + 1 WHERE id = ?") \
	X(Q_STAFF_SET_PASSWORD, "UPDATE staff SET pwhash = ?, session_gen = session_gen + 1 WHERE login = ?") \
	X(Q_STAFF_GEN_BUMP_ALL, "UPDATE staff SET session_gen = session_gen + 1") \
	X(Q_REFUND_COUNT_POST, "UPDATE refunds SET buyer_posts = buyer_posts + 1 WHERE id = ? AND buyer_posts < ?") \
	X(Q_REFUND_MARK_ANOMALY, "UPDATE refunds SET anomalies = anomalies | ? WHERE public_id = ?") \
	/* What keeps a deadline from deciding a request by itself (anomaly.c). */ \
	X(Q_REFUND_ANOMALY, "SELECT r.risk_flags, r.anomalies, r.buyer_posts, " \
	    "(SELECT COUNT(*) FROM refund_events c WHERE c.refund_id = r.id) FROM refunds r WHERE r.id = ?") \
	X(Q_LINK_USE, "INSERT INTO used_links (sig, used_at) VALUES (?,?)") \
	X(Q_SESSION_INSERT, "INSERT INTO sessions (sid, buyer_id, scope, via, created_at, expires_at) " \
	    "VALUES (?,?,?,?,?,?)") \
	X(Q_SESSION_EXISTS, "SELECT 1 FROM sessions WHERE sid = ?") \
	X(Q_LOOKUP_FAIL_INSERT, "INSERT INTO lookup_failures (client_ip, at) VALUES (?,?)") \
	X(Q_REQUEST_COUNT, "SELECT COUNT(*) FROM request_log WHERE client_ip = ? AND kind = ? AND at >= ?") \
	X(Q_REQUEST_LOG, "INSERT INTO request_log (client_ip, kind, at) VALUES (?,?,?)") \
	X(Q_REQUEST_PRUNE, "DELETE FROM request_log WHERE client_ip = ? AND kind = ? AND at < ?") \
	X(Q_LOOKUP_FAIL_COUNT, "SELECT COUNT(*) FROM lookup_failures WHERE client_ip = ? AND at >= ?") \
	X(Q_REFUND_INSERT, "INSERT INTO refunds (public_id, order_id, buyer_id, type, state, destination, " \
	    "reason, wrong_account, requested, fee, refund_amount, reviewer, risk_flags, deadline, " \
	    "client_ip, idem, open_order_id, created_at, updated_at, evidence_summary) " \
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)") \
	/* One round trip, one indexed join, no temporary table: the refund with \
	 * one row per event; its evidence comes as the summary column. Rows \
	 * come in index order; model.c sorts. The timeline is capped here, in \
	 * SQL (the last TIMELINE_CAP events; the last column counts them all), \
	 * so no number of rows can exhaust a request's memory. */ \
	X(Q_REFUND_PAGE, "SELECT " REFUND_COLS ", e.id, e.at, e.state, e.actor, e.note, r.evidence_summary, " \
	    EVENTS_TOTAL ", " BUYER_GEN ", e.actor_name FROM refunds r JOIN orders o ON o.id = r.order_id " \
	    "LEFT JOIN refund_events e ON e.refund_id = r.id AND " EVENTS_FROM " WHERE r.public_id = ?") \
	/* The last REFUNDS_CAP refunds of the order, each with its capped timeline. */ \
	X(Q_REFUNDS_OF_ORDER, "SELECT " REFUND_COLS ", e.id, e.at, e.state, e.actor, e.note, '', " \
	    EVENTS_TOTAL ", " BUYER_GEN ", e.actor_name FROM orders o JOIN refunds r ON r.order_id = o.id " \
	    "AND r.id >= COALESCE((SELECT y.id " \
	    "FROM refunds y WHERE y.order_id = o.id ORDER BY y.id DESC LIMIT 1 OFFSET " REFUNDS_CAP_OFFSET "), 0) " \
	    "LEFT JOIN refund_events e ON e.refund_id = r.id AND " EVENTS_FROM " WHERE o.order_no = ?") \
	X(Q_REFUND_LOCK, "SELECT " REFUND_COLS " FROM refunds r JOIN orders o ON o.id = r.order_id " \
	    "WHERE r.public_id = ? FOR UPDATE") \
	X(Q_REFUND_SET_STATE, "UPDATE refunds SET state = ?, open_order_id = ?, deadline = ?, updated_at = ? " \
	    "WHERE id = ? AND state = ?") \
	X(Q_REFUND_APPEAL, "UPDATE refunds SET appealed = 1 WHERE id = ? AND appealed = 0") \
	X(Q_EVENT_INSERT, "INSERT INTO refund_events (refund_id, at, state, actor, note, actor_name) VALUES (?,?,?,?,?,?)") \
	X(Q_EVIDENCE_INSERT, "INSERT INTO evidence (refund_id, seq, sha256, mime, size, orig_name, created_at) " \
	    "VALUES (?,?,?,?,?,?,?)") \
	X(Q_REFUND_PAYOUT_FAILED, "UPDATE refunds SET payout_failed = 1 WHERE id = ?") \
	X(Q_TXN_KIND, "SELECT kind FROM ledger_txns WHERE uniq_key = ?") \
	X(Q_EVIDENCE_SUMMARY, "UPDATE refunds SET evidence_summary = COALESCE((SELECT " \
	    "JSON_ARRAYAGG(JSON_ARRAY(v.seq, v.size, v.mime, v.orig_name) ORDER BY v.seq) " \
	    "FROM evidence v WHERE v.refund_id = ?), '') WHERE id = ?") \
	X(Q_EVIDENCE_NEXT_SEQ, "SELECT COALESCE(MAX(seq), 0) FROM evidence WHERE refund_id = ?") \
	X(Q_EVIDENCE_GET, "SELECT v.sha256, v.mime, o.buyer_id, o.order_no, o.merchant_id FROM evidence v " \
	    "JOIN refunds r ON r.id = v.refund_id JOIN orders o ON o.id = r.order_id " \
	    "WHERE r.public_id = ? AND v.seq = ?") \
	X(Q_EVIDENCE_REFS, "SELECT COUNT(*) FROM evidence WHERE sha256 = ?") \
	X(Q_WEBHOOK_INSERT, "INSERT INTO webhook_events (event_id, type, payload, created_at, next_at) " \
	    "VALUES (?,?,?,?,?)") \
	X(Q_MIGRATIONS_APPLIED, "SELECT version FROM schema_migrations ORDER BY version") \
	X(Q_MIGRATION_RECORD, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?,?,?)") \
	X(Q_PING, "SELECT 1") \
	X(Q_STAFF_INSERT, "INSERT INTO staff (login, role, merchant_id, pwhash, created_at) VALUES (?,?,?,?,?)") \
	X(Q_STAFF_BY_LOGIN, "SELECT id, login, role, merchant_id, pwhash, session_gen FROM staff WHERE login = ?") \
	/* The role's own states are in the WHERE (desk_queue_states), so the \
	 * LIMIT applies to what this role sees: 205 requests in cs_review \
	 * cannot hide a merchant's merchant_review ones. Sorted by time left \
	 * or newest first; the page is LIMIT ? OFFSET ?. */ \
	X(Q_DESK_QUEUE, QUEUE_PAGE(QUEUE_ALL, QUEUE_BY_DEADLINE)) \
	X(Q_DESK_QUEUE_NEWEST, QUEUE_PAGE(QUEUE_ALL, QUEUE_BY_NEWEST)) \
	X(Q_DESK_QUEUE_MERCHANT, QUEUE_PAGE(QUEUE_MERCHANT, QUEUE_BY_DEADLINE)) \
	X(Q_DESK_QUEUE_MERCHANT_NEWEST, QUEUE_PAGE(QUEUE_MERCHANT, QUEUE_BY_NEWEST)) \
	/* A merchant sees the buyer's history at its own shop only. */ \
	X(Q_BUYER_HISTORY, "SELECT r.public_id, r.state, r.type, r.refund_amount, r.created_at, COUNT(*) OVER (), " \
	    "o.order_no " \
	    "FROM refunds r JOIN orders o ON o.id = r.order_id " \
	    "WHERE r.buyer_id = ? AND (? = '' OR o.merchant_id = ?) ORDER BY r.id DESC LIMIT 20") \
	X(Q_DASHBOARD, DASH_QUERY) \
	/* i10-desk: a request's risk facts as the submission counted them \
	 * (Q_ORDER_SUBMIT_GET's windows, ending when it was filed; k_buyer_time, \
	 * k_ip_time), for the numbers behind its flags. */ \
	X(Q_REFUND_RISK, "SELECT " \
	    "(SELECT COUNT(*) FROM refunds x WHERE x.buyer_id = r.buyer_id " \
	    "  AND x.created_at BETWEEN r.created_at - 86400 AND r.created_at AND x.id < r.id), " \
	    "(SELECT COUNT(*) FROM refunds x WHERE x.buyer_id = r.buyer_id " \
	    "  AND x.created_at BETWEEN r.created_at - 7776000 AND r.created_at AND x.id < r.id), " \
	    "IF(r.client_ip = '', 0, (SELECT COUNT(*) FROM refunds x WHERE x.client_ip = r.client_ip " \
	    "  AND x.created_at BETWEEN r.created_at - 3600 AND r.created_at AND x.id < r.id)), " \
	    "(SELECT COUNT(*) FROM blacklist WHERE (kind = 'buyer' AND value = r.buyer_id) " \
	    "  OR (kind = 'ip' AND value = r.client_ip AND r.client_ip <> '')) " \
	    DESK_UPSTREAM_COLS "FROM refunds r" DESK_UPSTREAM_JOIN "WHERE r.id = ?") \
	/* i10-desk: the staff activity log (sql/050); its page newest first, \
	 * one account's rows through k_login. */ \
	X(Q_STAFF_ACTIVITY_INSERT, "INSERT INTO staff_activity (staff_id, login, role, action, refund_id, " \
	    "from_state, to_state, amount, client_ip, at) VALUES (?,?,?,?,?,?,?,?,?,?)") \
	X(Q_STAFF_ACTIVITY, "SELECT s.login, s.role, s.action, r.public_id, o.order_no, s.from_state, s.to_state, " \
	    "s.amount, s.client_ip, s.at, COUNT(*) OVER () FROM staff_activity s " \
	    "JOIN refunds r ON r.id = s.refund_id JOIN orders o ON o.id = r.order_id " \
	    "WHERE (? = '' OR s.login = ?) ORDER BY s.id DESC LIMIT ? OFFSET ?") \
	X(Q_STAFF_LOGINS, "SELECT login FROM staff ORDER BY login LIMIT 500") \
	X(Q_LOGIN_LOCKS, "SELECT SUBSTRING(k, 7), used, window_start FROM budgets WHERE k LIKE 'login:%' " \
	    "AND used > ? AND window_start > ? ORDER BY window_start DESC LIMIT 20") \
	X(Q_REFUND_SET_AMOUNT, "UPDATE refunds SET refund_amount = ?, fee = ? WHERE id = ?") \
	/* i10-money: staff-only notes (sql/046), read by staff pages only. */ \
	X(Q_INTERNAL_NOTE_INSERT, "INSERT INTO refund_internal_notes (refund_id, at, actor, actor_name, action, note) " \
	    "VALUES (?,?,?,?,?,?)") \
	X(Q_INTERNAL_NOTES, "SELECT at, actor, actor_name, action, note FROM refund_internal_notes " \
	    "WHERE refund_id = ? ORDER BY id DESC LIMIT 50") \
	X(W_DUE_RELEASES, "SELECT o.order_no FROM holds h JOIN orders o ON o.id = h.order_id " \
	    "WHERE h.state = " SQL_NAME(HOLD_NAME_HELD) " AND h.release_at <= ? ORDER BY h.release_at LIMIT 200") \
	X(W_DUE_REFUNDS, "SELECT public_id FROM refunds WHERE state IN ('cs_review', 'merchant_review', 'need_info', 'awaiting_upstream') " \
	    "AND deadline > 0 AND deadline <= ? ORDER BY deadline LIMIT 200") \
	/* Claims up to N heads of streams (no earlier event of the same order is \
	 * undelivered) that are due and unclaimed: the derived table walks the \
	 * pending rows in id order and stops at N; the outer conditions are checked \
	 * again on the locked row, so two runs never both claim one event. */ \
	X(W_WEBHOOK_CLAIM, "UPDATE webhook_events t JOIN (SELECT w.id FROM webhook_events w " \
	    "WHERE w.delivered_at = 0 AND w.next_at <= ? AND w.claim_until < ? AND NOT EXISTS (SELECT 1 " \
	    "FROM webhook_events e WHERE e.stream = w.stream AND e.delivered_at = 0 AND e.id < w.id) " \
	    "ORDER BY w.id LIMIT ?) x ON x.id = t.id SET t.claim_token = ?, t.claim_until = ? " \
	    "WHERE t.delivered_at = 0 AND t.next_at <= ? AND t.claim_until < ?") \
	X(W_WEBHOOK_CLAIMED, "SELECT id, payload, attempts FROM webhook_events " \
	    "WHERE claim_token = ? AND delivered_at = 0 ORDER BY id") \
	X(W_WEBHOOK_DONE, "UPDATE webhook_events SET delivered_at = ?, attempts = attempts + 1, " \
	    "claim_token = '', claim_until = 0 WHERE id = ? AND claim_token = ?") \
	X(W_WEBHOOK_RETRY, "UPDATE webhook_events SET attempts = attempts + 1, next_at = ?, " \
	    "claim_token = '', claim_until = 0 WHERE id = ? AND claim_token = ?") \
	X(W_WEBHOOK_UNCLAIM, "UPDATE webhook_events SET claim_token = '', claim_until = 0 " \
	    "WHERE id = ? AND claim_token = ?") \
	X(W_LEASE_TAKE, "UPDATE worker_lease SET holder = ?, holder_node = ?, lease_until = ? " \
	    "WHERE name = 'worker' AND (lease_until < ? OR holder = ?)") \
	X(W_LEASE_DONE, "UPDATE worker_lease SET holder = '', lease_until = 0, last_run_at = ?, " \
	    "last_run_node = ?, last_summary = ? WHERE name = 'worker' AND holder = ?") \
	X(W_LEASE_GET, "SELECT holder_node, lease_until, last_run_at, last_run_node FROM worker_lease " \
	    "WHERE name = 'worker'") \
	/* check-ledger: each reads in index order (sql/021_scale_indexes.sql) \
	 * and groups as it goes, with no temporary table of the whole ledger; \
	 * C_HOLD_SUMS and C_REFUND_SUMS are streamed (db_query_each). */ \
	X(C_TXN_UNBALANCED, "SELECT t.id, t.uniq_key, COALESCE(SUM(e.amount), 0) FROM ledger_txns t " \
	    "LEFT JOIN ledger_entries e ON e.txn_id = t.id GROUP BY t.id " \
	    "HAVING COALESCE(SUM(e.amount), 0) <> 0 OR COUNT(e.id) = 0") \
	/* Per order, its transactions and their entries summed, next to the hold. */ \
	X(C_HOLD_SUMS, "SELECT o.order_no, h.state, h.amount, h.released, h.refunded, h.fees, " \
	    "COALESCE(SUM(IF(t.kind = " SQL_NAME(TXN_NAME_HOLD) " AND e.account LIKE 'escrow:%', e.amount, 0)), 0), " \
	    "COALESCE(SUM(IF(e.account LIKE 'merchant:%', e.amount, 0)), 0), " \
	    "COALESCE(SUM(IF(t.kind IN (" SQL_NAME(TXN_NAME_REFUND) ", " SQL_NAME(TXN_NAME_CLAWBACK) ") " \
	    "AND (e.account LIKE 'buyer:%' " \
	    "  OR e.account LIKE 'payout:%'), e.amount, 0)), 0), " \
	    "COALESCE(SUM(IF(e.account = 'platform:fees', e.amount, 0)), 0), " \
	    "COALESCE(SUM(IF(e.account LIKE 'escrow:%', e.amount, 0)), 0), " \
	    "COUNT(DISTINCT IF(t.kind IN (" SQL_NAME(TXN_NAME_RELEASE) ", " SQL_NAME(TXN_NAME_REFUND) "), " \
	    "  t.id, NULL)), " \
	    "(SELECT COUNT(*) FROM hold_resolutions x WHERE x.order_id = o.id) " \
	    "FROM orders o JOIN holds h ON h.order_id = o.id LEFT JOIN ledger_txns t ON t.order_id = o.id " \
	    "LEFT JOIN ledger_entries e ON e.txn_id = t.id GROUP BY o.id ORDER BY o.id") \
	/* The refund's own transaction found once by its key; its entries by \
	 * (txn_id, account), never all of an account's entries. */ \
	X(C_REFUND_SUMS, "SELECT r.public_id, r.state, r.refund_amount, r.fee, r.destination, o.pay_channel, " \
	    "COALESCE(t.kind, ''), " \
	    "COALESCE((SELECT SUM(e.amount) FROM ledger_entries e WHERE e.txn_id = t.id " \
	    "  AND (e.account LIKE 'buyer:%' OR e.account LIKE 'payout:%')), 0), " \
	    "COALESCE((SELECT SUM(e.amount) FROM ledger_entries e WHERE e.txn_id = t.id " \
	    "  AND e.account = 'platform:fees'), 0), " \
	    "(SELECT COUNT(*) FROM ledger_txns p WHERE p.uniq_key = CONCAT('payout:', r.id)), " \
	    "(r.open_order_id IS NOT NULL) " \
	    "FROM refunds r JOIN orders o ON o.id = r.order_id " \
	    "LEFT JOIN ledger_txns t ON t.uniq_key = CONCAT('refund:', r.id) ORDER BY r.id") \
	/* Negative accounts first (few), then each one's claw-backs. */ \
	X(C_NEGATIVE_ACCOUNTS, "SELECT x.account, x.s, " \
	    "(SELECT COUNT(*) FROM ledger_entries c JOIN ledger_txns t ON t.id = c.txn_id " \
	    "  WHERE t.kind = " SQL_NAME(TXN_NAME_CLAWBACK) " AND c.account = x.account) " \
	    "FROM (SELECT e.account, SUM(e.amount) s FROM ledger_entries e WHERE e.account NOT LIKE 'external:%' " \
	    "  GROUP BY e.account HAVING SUM(e.amount) < 0) x") \
	X(C_OPEN_PER_ORDER, "SELECT order_id, COUNT(*) FROM refunds WHERE state NOT IN " \
	    "('refunded', 'rejected', 'cancelled', 'closed') GROUP BY order_id HAVING COUNT(*) > 1") \
	/* An order is registered with its hold in one transaction. */ \
	X(C_ORDER_NO_HOLD, "SELECT o.order_no FROM orders o LEFT JOIN holds h ON h.order_id = o.id " \
	    "WHERE h.order_id IS NULL LIMIT 1000") \
	STMTS_CLAIMS(X)

enum stmt_id {
#define STMT_ENUM(name, sql) name,
	STMTS(STMT_ENUM)
#undef STMT_ENUM
	STMT__MAX
};

extern const char *const stmt_sql[STMT__MAX];
extern const char *const stmt_names[STMT__MAX];

#endif
