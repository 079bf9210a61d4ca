-- Delivery: each message's state (queued, sending, sent, failed, dropped), its attempts, when
-- it is next due (queued) or its lease runs out (sending), and its last error; the brand and
-- language it goes out in and its HTML body (emails).
ALTER TABLE outbox ADD COLUMN brand TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN locale TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN html TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dropped'));
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
UPDATE outbox SET
    state = CASE
        WHEN delivered_at IS NOT NULL THEN 'sent'
        WHEN dropped_at IS NOT NULL THEN 'dropped'
        ELSE 'queued'
    END,
    next_attempt_at = created_at;
DROP INDEX outbox_undelivered;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
