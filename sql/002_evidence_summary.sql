-- 002: the refund row carries a summary of its evidence ([[seq, size, mime,
-- name], ...] as JSON), written in the same transaction as the evidence rows,
-- so the status page reads refund, timeline and evidence in one indexed
-- join without a temporary table. The evidence table stays the record.
ALTER TABLE refunds ADD COLUMN IF NOT EXISTS evidence_summary TEXT NOT NULL DEFAULT '';
UPDATE refunds r SET evidence_summary = COALESCE((
  SELECT JSON_ARRAYAGG(JSON_ARRAY(v.seq, v.size, v.mime, v.orig_name) ORDER BY v.seq)
  FROM evidence v WHERE v.refund_id = r.id), '')
WHERE evidence_summary = '';
