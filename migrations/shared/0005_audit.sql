-- 0005_audit: the merged, append-only, month-partitioned audit log and its integrity checkpoints.
-- Serves: audit_logs (002 auditLogs, 003 future audit_logs, 004 audit_logs), 000 audit_events (view),
--         004 audit_log_integrity, 004's example partition audit_logs_2025_02.
--
-- * One table, PARTITION BY RANGE (created_at), monthly partitions named audit_logs_YYYY_MM (UTC months)
--   plus audit_logs_default. ensure_audit_partitions(n) creates the current month .. n months ahead
--   (idempotent); run it from a scheduler so rows never land in the DEFAULT partition (a month cannot be
--   split off while the DEFAULT partition holds rows of that month: the call then raises).
-- * The key is (id, created_at) because a partitioned table's key must contain the partition column.
--   id is bigserial as in 000/004 (identity columns are not allowed on partitioned tables in PG15).
--   Audit rows are written centrally; clients only receive them, so a shared sequence is safe.
-- * integrity_hash / previous_hash are filled by the hash-chain trigger of a later migration (not here);
--   004 declares integrity_hash NOT NULL: that migration should SET NOT NULL once its trigger fills it.
-- * Append-only is enforced later (trigger / grants); the tenant FK is NO ACTION so audit rows are never
--   removed by a cascade.
-- Column names follow 004 (the partitioned design); 000 reads the same rows through the audit_events view.

CREATE TABLE audit_logs (
    id              bigserial,
    created_at      timestamptz NOT NULL DEFAULT now(),        -- 004/000 `timestamp`
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    actor_type      text NOT NULL
                    CHECK (actor_type IN ('user', 'service_account', 'assistant', 'system')),  -- 000 + 004
    actor_id        uuid,                                       -- 002 userId
    category        varchar(100),                               -- 000
    action          text NOT NULL,
    entity_type     text NOT NULL,                              -- 000 resource_type, 002 resource
    entity_id       text,                                       -- 004 uuid, 000 resource_id varchar(255)
    before_state    jsonb,                                      -- 004
    after_state     jsonb,                                      -- 004
    changes         jsonb,                                      -- 002
    metadata        jsonb,                                      -- 004; 000 payload
    status          varchar(50) CHECK (status IN ('success', 'error', 'denied')),  -- 000, 002
    correlation_id  varchar(255),                               -- 000
    ip_address      text,                                       -- 002
    integrity_hash  text,                                       -- 004 (hash chain, filled by trigger later)
    previous_hash   text,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX idx_audit_logs_tenant_timestamp ON audit_logs (tenant_id, created_at DESC);
CREATE INDEX idx_audit_logs_actor ON audit_logs (actor_type, actor_id);
CREATE INDEX idx_audit_logs_correlation ON audit_logs (correlation_id);
CREATE INDEX idx_audit_logs_entity ON audit_logs (entity_type, entity_id);

CREATE TABLE audit_logs_default PARTITION OF audit_logs DEFAULT;

-- 004's example partition, kept so the name the seed uses resolves (a historical, normally empty month).
CREATE TABLE IF NOT EXISTS audit_logs_2025_02 PARTITION OF audit_logs
    FOR VALUES FROM ('2025-02-01 00:00:00+00') TO ('2025-03-01 00:00:00+00');

-- Called for every partition ensure_audit_partitions creates. A no-op here; later migrations replace
-- it to protect (0051) and, centrally, secure (0101) each new partition.
CREATE FUNCTION prepare_audit_partition(partition regclass)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    NULL;
END;
$$;

CREATE FUNCTION ensure_audit_partitions(months_ahead integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    first_month  date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    month_start  date;
    part_name    text;
    created      integer := 0;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 THEN
        RAISE EXCEPTION 'ensure_audit_partitions: months_ahead must be >= 0, got %', months_ahead;
    END IF;
    FOR i IN 0..months_ahead LOOP
        month_start := (first_month + make_interval(months => i))::date;
        part_name := 'audit_logs_' || to_char(month_start, 'YYYY_MM');
        CONTINUE WHEN to_regclass(quote_ident(part_name)) IS NOT NULL;
        BEGIN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_logs FOR VALUES FROM (%L) TO (%L)',
                           part_name,
                           to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00',
                           to_char((month_start + interval '1 month')::date, 'YYYY-MM-DD') || ' 00:00:00+00');
            PERFORM prepare_audit_partition(quote_ident(part_name)::regclass);
            created := created + 1;
        EXCEPTION WHEN duplicate_table THEN
            NULL;  -- created concurrently by another session
        END;
    END LOOP;
    RETURN created;
END;
$$;

COMMENT ON FUNCTION ensure_audit_partitions(integer) IS
    'Creates monthly audit_logs partitions (UTC) from the current month to months_ahead months ahead; returns how many it created.';

SELECT ensure_audit_partitions(3);

-- 000 audit_events: the same rows under 000's column names.
CREATE VIEW audit_events AS
    SELECT id, tenant_id, created_at AS "timestamp", actor_id, actor_type, category, action,
           entity_type AS resource_type, entity_id AS resource_id, correlation_id,
           metadata AS payload, status
    FROM audit_logs;

-- 004 hash-chain checkpoints, one row per partition. Global (no tenant_id): partitions span tenants.
-- The serial key is the seed's.
CREATE TABLE audit_log_integrity (
    id                    serial PRIMARY KEY,
    partition_name        text NOT NULL UNIQUE,
    last_sequence_number  bigint NOT NULL,
    cumulative_hash       text NOT NULL,
    verified_at           timestamptz NOT NULL DEFAULT now()
);
