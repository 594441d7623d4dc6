-- 061: the desk's claims page (issue 15). Its list filters by state and by
-- supplier, newest first, with a count of every match; its per-supplier
-- figures sum each supplier's claims. k_supplier covers the sums (read from
-- the index alone, in supplier order: no temporary table) and, with id as
-- InnoDB's hidden last column, a supplier's claims of one state in id
-- order; k_state_id a state's claims in id order (k_due's next_at is the
-- worker's order, not the page's).
ALTER TABLE supplier_claims
  ADD INDEX IF NOT EXISTS k_supplier (supplier, state, amount, recovered, written_off),
  ADD INDEX IF NOT EXISTS k_state_id (state, id);
