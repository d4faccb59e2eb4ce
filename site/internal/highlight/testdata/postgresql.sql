-- PostgreSQL: what held the lock on ledger_entries during the incident.
SELECT l.pid, a.usename, a.query_start::timestamptz AT TIME ZONE 'UTC' AS since,
       a.wait_event_type || ':' || a.wait_event AS waiting_on
FROM pg_locks l
JOIN pg_stat_activity a USING (pid)
WHERE l.relation = 'ledger_entries'::regclass AND NOT l.granted;

SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE state = 'idle in transaction' AND xact_start < now() - interval '10 minutes';

SELECT payload->>'order_id' AS order_id, (payload #>> '{amount,value}')::numeric(12, 2)
FROM outbox WHERE payload @> '{"status": "pending"}'::jsonb AND id = ANY($1::bigint[]);

DO $body$
BEGIN
  RAISE NOTICE 'vacuuming %', 'ledger_entries';
  PERFORM pg_sleep(0.5);
END
$body$;

ALTER TABLE ledger_entries SET (autovacuum_vacuum_scale_factor = 0.02);
COPY audit_log (id, "user", note) FROM STDIN WITH (FORMAT csv, HEADER true);
/* a block comment
   over two lines */
VACUUM (VERBOSE, ANALYZE) ledger_entries;
