-- Find the queries that held locks during the incident.
/* A block comment
   spanning lines, with 'quotes' and "quotes" inside. */
SELECT pid,
       now() - query_start AS running_for,
       left(query, 80) AS query
FROM pg_stat_activity
WHERE state <> 'idle'
  AND wait_event_type = 'Lock'
  AND query NOT ILIKE '%pg_stat_activity%'
ORDER BY running_for DESC
LIMIT 20;

UPDATE accounts SET balance = balance - 10.50, note = 'it''s a
multi-line string'
WHERE id IN (SELECT account_id FROM ledger WHERE created_at > '2026-01-01 00:00:00+00');

INSERT INTO "Quoted Table" ("Column One", col2) VALUES (1, 'plain'), (2, NULL);

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_created ON orders (created_at DESC) WHERE deleted_at IS NULL;

WITH recent AS (
  SELECT customer_id, count(*) AS n FROM orders GROUP BY 1 HAVING count(*) > 5
)
SELECT c.name, r.n FROM customers c JOIN recent r USING (customer_id);
EXPLAIN (ANALYZE, BUFFERS) SELECT 1 / 0.5 * 3 % 2;
SET statement_timeout = '5s'; -- trailing comment
