-- 021: indexes that let check-ledger read a large ledger in index order
-- (issue 12). Entries by transaction and by account carry the account and
-- the amount, so summing them reads the index alone; transactions by order
-- carry their kind. They replace the narrower indexes they start with
-- (fk_entry_txn keeps an index that starts with txn_id).
ALTER TABLE ledger_entries ADD INDEX IF NOT EXISTS k_txn_sum (txn_id, account, amount),
  ADD INDEX IF NOT EXISTS k_account_sum (account, amount);
ALTER TABLE ledger_entries DROP INDEX IF EXISTS k_txn, DROP INDEX IF EXISTS k_account;
ALTER TABLE ledger_txns ADD INDEX IF NOT EXISTS k_order_kind (order_id, kind);
ALTER TABLE ledger_txns DROP INDEX IF EXISTS k_order;
-- A merchant's staff queue starts from its own orders.
ALTER TABLE orders ADD INDEX IF NOT EXISTS k_merchant (merchant_id);
