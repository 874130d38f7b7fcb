-- 0051_audit_chain: the audit log is append-only and hash-chained per tenant.
--
-- Chain: every audit row gets chain_seq (1, 2, 3, ... per tenant), previous_hash (the integrity_hash
-- of the tenant's previous row; 64 zeros for the first) and
--     integrity_hash = sha256(previous_hash || audit_log_canonical(row))  (hex)
-- where the canonical form is a jsonb text of the row's content with created_at in UTC, so it does
-- not depend on the session's TimeZone or on column order. The BEFORE INSERT trigger computes all
-- three (client-supplied values are overwritten) while holding the tenant's audit_chain_heads row
-- lock, so concurrent writers of one tenant are chained in commit order and never fork the chain.
--
-- verify_audit_chain(tenant) walks the tenant's chain and returns the first broken row: an edited
-- row (hash mismatch), a removed or reordered row (previous_hash / sequence gap), or rows missing
-- at the end (head ahead of the last row). record_audit_checkpoints() stores a cumulative hash per
-- partition in audit_log_integrity (004).
--
-- Append-only, for every role: UPDATE and DELETE raise OP002 (row triggers, cloned to every
-- partition), TRUNCATE raises OP002 (statement triggers, added to each partition as it is created).

ALTER TABLE audit_logs ADD COLUMN chain_seq bigint;

CREATE TABLE audit_chain_heads (
    tenant_id   uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    last_seq    bigint NOT NULL DEFAULT 0,
    last_hash   text NOT NULL DEFAULT repeat('0', 64),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE audit_chain_heads IS 'Per-tenant head of the audit hash chain (last sequence number and hash).';

CREATE FUNCTION audit_log_canonical(r audit_logs)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT jsonb_build_object(
        'id', r.id,
        'chain_seq', r.chain_seq,
        'created_at', to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'tenant_id', r.tenant_id,
        'actor_type', r.actor_type,
        'actor_id', r.actor_id,
        'category', r.category,
        'action', r.action,
        'entity_type', r.entity_type,
        'entity_id', r.entity_id,
        'before_state', r.before_state,
        'after_state', r.after_state,
        'changes', r.changes,
        'metadata', r.metadata,
        'status', r.status,
        'correlation_id', r.correlation_id,
        'ip_address', r.ip_address
    )::text
$$;

CREATE FUNCTION audit_log_hash(previous_hash text, r audit_logs)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT encode(sha256(convert_to(previous_hash || audit_log_canonical(r), 'UTF8')), 'hex')
$$;

CREATE FUNCTION audit_logs_chain()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    head audit_chain_heads%ROWTYPE;
BEGIN
    INSERT INTO audit_chain_heads (tenant_id) VALUES (NEW.tenant_id) ON CONFLICT (tenant_id) DO NOTHING;
    SELECT * INTO head FROM audit_chain_heads WHERE tenant_id = NEW.tenant_id FOR UPDATE;
    NEW.chain_seq := head.last_seq + 1;
    NEW.previous_hash := head.last_hash;
    NEW.integrity_hash := audit_log_hash(head.last_hash, NEW);
    UPDATE audit_chain_heads
       SET last_seq = NEW.chain_seq, last_hash = NEW.integrity_hash, updated_at = now()
     WHERE tenant_id = NEW.tenant_id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_logs_chain
    BEFORE INSERT ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION audit_logs_chain();

CREATE FUNCTION audit_logs_append_only()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'OP002', HINT = 'record a new audit event instead';
END;
$$;

CREATE TRIGGER audit_logs_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();

-- TRUNCATE triggers are per table (not cloned to partitions): put one on the parent and on every
-- partition, now and (through prepare_audit_partition) whenever ensure_audit_partitions creates one.
CREATE FUNCTION protect_audit_partition(partition regclass)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = partition AND tgname = 'audit_logs_no_truncate') THEN
        EXECUTE format('CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON %s
                        FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only()', partition);
    END IF;
END;
$$;

SELECT protect_audit_partition('audit_logs'::regclass);
SELECT protect_audit_partition(inhrelid::regclass) FROM pg_inherits WHERE inhparent = 'audit_logs'::regclass;

-- Every partition ensure_audit_partitions (0005) creates from now on gets the TRUNCATE guard too.
CREATE OR REPLACE FUNCTION prepare_audit_partition(partition regclass)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM protect_audit_partition(partition);
END;
$$;

ALTER TABLE audit_logs ALTER COLUMN chain_seq SET NOT NULL;
ALTER TABLE audit_logs ALTER COLUMN previous_hash SET NOT NULL;
ALTER TABLE audit_logs ALTER COLUMN integrity_hash SET NOT NULL;
CREATE INDEX audit_logs_tenant_chain_seq ON audit_logs (tenant_id, chain_seq, created_at);

-- Walks one tenant's chain in sequence order; returns one row: ok, how many rows were checked, and
-- for the first broken row its id, created_at, chain_seq and what is wrong.
CREATE FUNCTION verify_audit_chain(p_tenant_id uuid)
RETURNS TABLE (ok boolean, checked bigint, broken_id bigint, broken_created_at timestamptz,
               broken_seq bigint, reason text)
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    r            audit_logs%ROWTYPE;
    expected_prev text := repeat('0', 64);
    expected_seq  bigint := 1;
    n            bigint := 0;
    head_seq     bigint;
BEGIN
    FOR r IN SELECT * FROM audit_logs WHERE tenant_id = p_tenant_id ORDER BY chain_seq LOOP
        n := n + 1;
        IF r.chain_seq <> expected_seq THEN
            RETURN QUERY SELECT false, n, r.id, r.created_at, r.chain_seq,
                format('sequence gap: expected %s, found %s (rows removed)', expected_seq, r.chain_seq);
            RETURN;
        END IF;
        IF r.previous_hash <> expected_prev THEN
            RETURN QUERY SELECT false, n, r.id, r.created_at, r.chain_seq,
                'previous_hash does not match the previous row (rows removed or reordered)'::text;
            RETURN;
        END IF;
        IF r.integrity_hash <> audit_log_hash(r.previous_hash, r) THEN
            RETURN QUERY SELECT false, n, r.id, r.created_at, r.chain_seq,
                'integrity_hash does not match the row content (row altered)'::text;
            RETURN;
        END IF;
        expected_prev := r.integrity_hash;
        expected_seq := expected_seq + 1;
    END LOOP;
    SELECT h.last_seq INTO head_seq FROM audit_chain_heads h WHERE h.tenant_id = p_tenant_id;
    IF coalesce(head_seq, 0) <> n THEN
        RETURN QUERY SELECT false, n, NULL::bigint, NULL::timestamptz, n + 1,
            format('chain head is at %s but only %s rows exist (rows removed at the end)', coalesce(head_seq, 0), n);
        RETURN;
    END IF;
    RETURN QUERY SELECT true, n, NULL::bigint, NULL::timestamptz, NULL::bigint, NULL::text;
END;
$$;

-- Stores, per partition, the last id and a cumulative hash over its rows' integrity hashes (in id
-- order): a later recomputation that differs shows the partition was tampered with.
CREATE FUNCTION record_audit_checkpoints()
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    part     regclass;
    last_id  bigint;
    cum      text;
    n        integer := 0;
BEGIN
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'audit_logs'::regclass
                 ORDER BY inhrelid::regclass::text LOOP
        EXECUTE format('SELECT max(id), encode(sha256(convert_to(coalesce(string_agg(integrity_hash, '''' ORDER BY id), ''''), ''UTF8'')), ''hex'') FROM %s', part)
            INTO last_id, cum;
        CONTINUE WHEN last_id IS NULL;
        INSERT INTO audit_log_integrity (partition_name, last_sequence_number, cumulative_hash, verified_at)
        VALUES (part::text, last_id, cum, now())
        ON CONFLICT (partition_name) DO UPDATE
            SET last_sequence_number = EXCLUDED.last_sequence_number,
                cumulative_hash = EXCLUDED.cumulative_hash,
                verified_at = EXCLUDED.verified_at;
        n := n + 1;
    END LOOP;
    RETURN n;
END;
$$;
