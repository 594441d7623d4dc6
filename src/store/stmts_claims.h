/* stmts_claims.h: the statements of claims up the chain (i15-chain), part
 * of stmts.h's one table (STMTS ends with STMTS_CLAIMS). */
#ifndef RD_STMTS_CLAIMS_H
#define RD_STMTS_CLAIMS_H

#define CLAIM_COLS "c.id, c.public_id, c.order_id, c.refund_id, c.supplier, c.merchant_id, c.amount, " \
	"c.recovered, c.written_off, c.state, c.supplier_refund_id, c.expires_at, c.attempts, o.order_no, " \
	"u.upstream_order_no, r.public_id, r.type, r.reason, c.created_at"
#define CLAIM_FROM " FROM supplier_claims c JOIN orders o ON o.id = c.order_id " \
	"JOIN order_upstreams u ON u.order_id = c.order_id JOIN refunds r ON r.id = c.refund_id "

/* i15-console: the desk's request page reads the order's upstream and its
 * (latest) claim in the same round trip as the risk facts (Q_REFUND_RISK):
 * these columns after its four, NULL when the order has none. */
#define DESK_UPSTREAM_COLS ", u.supplier, u.upstream_order_no, u.cost, c.public_id, c.state, c.amount, " \
	"c.recovered, c.written_off, c.supplier_refund_id, c.created_at, c.updated_at "
#define DESK_UPSTREAM_JOIN " LEFT JOIN order_upstreams u ON u.order_id = r.order_id " \
	"LEFT JOIN supplier_claims c ON c.id = (SELECT MAX(y.id) FROM supplier_claims y WHERE y.order_id = r.order_id) "
#define STMTS_CLAIMS(X) \
	X(Q_UPSTREAM_INSERT, "INSERT INTO order_upstreams (order_id, supplier, upstream_order_no, cost) " \
	    "VALUES (?,?,?,?)") \
	/* The order's upstream, and whether it was claimed already (once per order). */ \
	X(Q_UPSTREAM_GET, "SELECT u.supplier, u.upstream_order_no, u.cost, " \
	    "(SELECT COUNT(*) FROM supplier_claims c WHERE c.order_id = u.order_id) " \
	    "FROM order_upstreams u WHERE u.order_id = ?") \
	X(Q_CLAIM_INSERT, "INSERT INTO supplier_claims (public_id, order_id, refund_id, supplier, merchant_id, " \
	    "amount, state, created_at, updated_at, expires_at, next_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)") \
	X(Q_CLAIM_OF_ORDER, "SELECT c.public_id, c.state, c.amount, c.supplier_refund_id, c.recovered, " \
	    "c.written_off, c.supplier FROM supplier_claims c WHERE c.order_id = ? ORDER BY c.id DESC LIMIT 1") \
	X(Q_CLAIM_LOCK, "SELECT " CLAIM_COLS CLAIM_FROM "WHERE c.public_id = ? FOR UPDATE") \
	X(Q_CLAIM_LOCK_OF_ORDER, "SELECT " CLAIM_COLS CLAIM_FROM "WHERE o.order_no = ? " \
	    "ORDER BY c.id DESC LIMIT 1 FOR UPDATE") \
	X(Q_CLAIM_UPDATE, "UPDATE supplier_claims SET state = ?, supplier_refund_id = ?, recovered = ?, " \
	    "written_off = ?, next_at = ?, attempts = ?, last_error = ?, updated_at = ?, lease_until = 0, " \
	    "lease_token = '' WHERE id = ?") \
	X(Q_CLAIM_EVIDENCE, "SELECT sha256, mime, orig_name FROM evidence WHERE refund_id = ? ORDER BY seq") \
	/* The worker leases due claims (open ones whose next look is due and \
	 * whose lease ran out) under a token of its own, then reads them back: \
	 * two overlapping passes never talk to a supplier about one claim. */ \
	X(W_CLAIMS_LEASE, "UPDATE supplier_claims SET lease_until = ?, lease_token = ? " \
	    "WHERE state IN (" SQL_NAME(CLAIM_NAME_PENDING) ", " SQL_NAME(CLAIM_NAME_FILED) ") " \
	    "AND next_at <= ? AND lease_until < ? ORDER BY next_at LIMIT 1") \
	/* i15-console: the claims page, newest first, a state's ('' any) and a \
	 * supplier's ('' any); LIMIT ? OFFSET ?: the primary key read backwards, \
	 * or k_state_id / k_supplier (sql/061) when filtered. No count here (a \
	 * count of every match reads them all): the page counts from the \
	 * figures below. */ \
	X(Q_DESK_CLAIMS, "SELECT c.public_id, c.state, c.supplier, c.amount, c.recovered, c.written_off, " \
	    "c.supplier_refund_id, c.created_at, c.updated_at, r.public_id, o.order_no, u.upstream_order_no " \
	    "FROM supplier_claims c JOIN refunds r ON r.id = c.refund_id " \
	    "JOIN orders o ON o.id = c.order_id LEFT JOIN order_upstreams u ON u.order_id = c.order_id " \
	    "WHERE (? = '' OR c.state = ?) AND (? = '' OR c.supplier = ?) ORDER BY c.id DESC LIMIT ? OFFSET ?") \
	/* Per supplier and state: claims, what they ask, claims with money \
	 * back and how much, claims with a loss and how much; from k_supplier \
	 * alone, in its order (no temporary table, no sort). */ \
	X(Q_DESK_CLAIM_SUPPLIERS, "SELECT supplier, state, COUNT(*), SUM(amount), SUM(recovered > 0), SUM(recovered), " \
	    "SUM(written_off > 0), SUM(written_off) FROM supplier_claims FORCE INDEX (k_supplier) " \
	    "GROUP BY supplier, state ORDER BY supplier, state LIMIT 1000") \
	X(W_CLAIMS_LEASED, "SELECT public_id FROM supplier_claims WHERE lease_token = ? ORDER BY next_at") \
	/* Per claim, its ledger: what the receivable was booked at, what came \
	 * back and what was written off, beside the claim's own columns. */ \
	X(C_CLAIM_SUMS, "SELECT c.public_id, c.state, c.amount, c.recovered, c.written_off, " \
	    "COALESCE(SUM(IF(t.kind = " SQL_NAME(TXN_NAME_CLAIM) ", e.amount, 0)), 0), " \
	    "COALESCE(SUM(IF(t.kind = " SQL_NAME(TXN_NAME_CLAIM_RECOVERED) ", -e.amount, 0)), 0), " \
	    "COALESCE(SUM(IF(t.kind = " SQL_NAME(TXN_NAME_CLAIM_WRITE_OFF) ", -e.amount, 0)), 0) " \
	    "FROM supplier_claims c LEFT JOIN ledger_entries e ON e.account = CONCAT('claim:', c.public_id) " \
	    "LEFT JOIN ledger_txns t ON t.id = e.txn_id GROUP BY c.id ORDER BY c.id")

#endif
