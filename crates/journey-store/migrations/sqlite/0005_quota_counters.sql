-- A quota keeps one row per key holding the times of its events, so that a claim is one
-- upsert whose condition reads the locked row itself: correct with several processes on one
-- database, and the same statement shape PostgreSQL needs under READ COMMITTED.
CREATE TABLE quota_counters (
    tenant TEXT NOT NULL,
    key TEXT NOT NULL,
    events TEXT NOT NULL,
    PRIMARY KEY (tenant, key)
);
INSERT INTO quota_counters (tenant, key, events)
    SELECT tenant, key, json_group_array(at ORDER BY at) FROM quota_events GROUP BY tenant, key;
DROP TABLE quota_events;
