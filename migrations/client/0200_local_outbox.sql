-- 0200_local_outbox: the local write path's state: where server state, local state and pending writes
-- live in a client's PGlite, and the functions that keep them consistent. Local only (never central).
-- Serves no seed: this is Outpost's own client machinery (docs/local-schema.md is the design).
--
-- * Schemas. For every table a client may write (common/sync/rules.ts, `write`), migration 0202 moves
--   the shared table into `local` and creates:
--     synced.<t>   server state: the sync applier (pglite-sync, electric.syncing = true) is its only writer
--     local.<t>_state  what the app sees: server state with this client's pending writes applied (the
--                  original table, with its indexes, CHECKs and lifecycle triggers; no foreign keys)
--     public.<t>   a view over local.<t>_state under the original name; INSTEAD OF triggers turn the
--                  app's INSERT/UPDATE/DELETE into a write of local.<t>_state plus an outbox entry
--   Tables nobody writes from a client stay plain tables in `public`, written only by the applier.
-- * outbox.mutations: the ordered, durable upload queue (one row per write, or per named mutation),
--   in the wire format of common/mutations/protocol.ts ({id, table, op, key, values} / {id, name, ...}).
-- * outbox.effects: what each pending mutation did to local rows (text form, in order). local.<t>_state is
--   always server state + the fold of the effects of its key; outbox.<t>__rederive recomputes it.
-- * outbox.rejections: mutations the server refused, for the UI (code and message from the server).
--
-- Invariants (tested in core/outbox/*.pglite.test.ts):
--   - A write through a view, its local row change, its effect and its mutation commit together.
--   - An effect exists only while its mutation is pending, uploading, or acknowledged but not yet seen
--     back through sync; a mutation without effects that is acknowledged is deleted (it is done).
--   - Writes to synced.<t> and to the applier's public tables come only from the applier; writes to
--     local.<t>_state only from this machinery (a direct write raises 42501).

CREATE SCHEMA synced;
COMMENT ON SCHEMA synced IS 'Server state of the writable tables; written only by the sync applier (pglite-sync).';
CREATE SCHEMA local;
COMMENT ON SCHEMA local IS 'What the app sees of the writable tables (<t>_state): server state with pending local writes applied.';
CREATE SCHEMA outbox;
COMMENT ON SCHEMA outbox IS 'The local write path: upload queue, effects of pending writes, rejections, machinery.';

CREATE TABLE outbox.write_rules (
    table_name   text PRIMARY KEY,
    operations   text[] NOT NULL,
    -- Columns a plain write may set (the rule's list, or every column the table sends for `all`).
    columns      text[] NOT NULL,
    primary_key  text[] NOT NULL
);
COMMENT ON TABLE outbox.write_rules IS
    'The write part of common/sync/rules.ts for every table with a local overlay (resolved column lists).';

CREATE TABLE outbox.mutations (
    seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    -- A plain table write ...
    table_name       text,
    op               text CHECK (op IN ('insert', 'update', 'delete')),
    -- ... or a named mutation (common/mutations).
    name             text,
    -- Wire form: key = primary key values, changes = the `values` of the envelope.
    key              jsonb,
    changes          jsonb,
    -- Groups the writes of one local transaction.
    local_txid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'uploading', 'acknowledged')),
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    -- Set on acknowledgement: the 32-bit xid of the server transaction (shape messages carry it in
    -- `txids`), and optionally an LSN at or after that transaction's commit.
    server_txid      bigint CHECK (server_txid BETWEEN 0 AND 4294967295),
    server_lsn       pg_lsn,
    created_at       timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    CHECK ((table_name IS NOT NULL AND op IS NOT NULL AND key IS NOT NULL AND name IS NULL)
        OR (name IS NOT NULL AND table_name IS NULL AND op IS NULL)),
    CHECK ((status = 'acknowledged') = (acknowledged_at IS NOT NULL))
);
COMMENT ON TABLE outbox.mutations IS
    'The upload queue, in order (seq): every local write or named mutation until the server has it and sync shows it.';

CREATE TABLE outbox.effects (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mutation_id  uuid NOT NULL REFERENCES outbox.mutations (id) ON DELETE CASCADE,
    table_name   text NOT NULL,
    -- Text form ({column: text}) of the primary key, and of the row's values: every non-generated
    -- column for an insert, the changed ones for an update, nothing for a delete.
    key          jsonb NOT NULL,
    op           text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    row_values   jsonb NOT NULL
);
CREATE INDEX effects_table_key ON outbox.effects (table_name, key);
CREATE INDEX effects_mutation ON outbox.effects (mutation_id);
COMMENT ON TABLE outbox.effects IS
    'What pending mutations did to local rows, in order; local.<t> = synced.<t> + the fold of these.';

CREATE TABLE outbox.rejections (
    mutation_id   uuid PRIMARY KEY,
    seq           bigint NOT NULL,
    table_name    text,
    op            text,
    name          text,
    key           jsonb,
    changes       jsonb,
    code          text NOT NULL,
    message       text NOT NULL,
    details       jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL,
    rejected_at   timestamptz NOT NULL DEFAULT now(),
    dismissed_at  timestamptz
);
COMMENT ON TABLE outbox.rejections IS
    'Mutations the server refused and that were rolled back locally, with the server''s code and message.';

-- True inside the sync applier's transactions (pglite-sync runs SET LOCAL electric.syncing = true).
CREATE FUNCTION outbox.applier_active()
RETURNS boolean
LANGUAGE sql
STABLE
AS $$ SELECT coalesce(current_setting('electric.syncing', true), '') IN ('true', 'on') $$;

-- True while the machinery itself writes local.<t>_state (propagation of server state, re-derivation).
CREATE FUNCTION outbox.machinery_active()
RETURNS boolean
LANGUAGE sql
STABLE
AS $$ SELECT coalesce(current_setting('outpost.machinery', true), '') = 'on' $$;

-- The named mutation the current transaction runs (outbox.begin_named), or NULL.
CREATE FUNCTION outbox.named_mutation()
RETURNS uuid
LANGUAGE sql
STABLE
AS $$ SELECT nullif(current_setting('outpost.named_mutation', true), '')::uuid $$;

-- Statement trigger on server-state tables: only the applier writes them.
CREATE FUNCTION outbox.refuse_unless_applier()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT outbox.applier_active() THEN
        RAISE EXCEPTION '%.% holds server state and is written only by the sync applier', TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = '42501',
                  HINT = 'write through the view of the same name in public (it records an outbox entry)';
    END IF;
    RETURN NULL;
END;
$$;

-- Statement trigger on local.<t>_state: only the view's INSTEAD OF triggers and the machinery write it.
CREATE FUNCTION outbox.refuse_direct_local_write()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF pg_trigger_depth() < 2 AND NOT outbox.machinery_active() THEN
        RAISE EXCEPTION 'local.% is maintained by the outbox; write public.% instead', TG_TABLE_NAME,
            regexp_replace(TG_TABLE_NAME, '_state$', '')
            USING ERRCODE = '42501';
    END IF;
    RETURN NULL;
END;
$$;

-- Whether xid `seen` is `target` or later, modulo 2^32 (PostgreSQL's TransactionIdFollowsOrEquals on
-- the 32-bit xids the server reports and shape messages carry).
CREATE FUNCTION outbox.xid_reached(seen bigint, target bigint)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
AS $$ SELECT ((seen - target) % 4294967296 + 4294967296) % 4294967296 < 2147483648 $$;

-- BEFORE UPDATE on synced.<t>: `_synced_txid` keeps the highest txid (modulo 2^32) that wrote the row,
-- so a concurrent transaction with an older xid that commits after ours does not hide that the row
-- already contains our write.
CREATE FUNCTION outbox.keep_highest_txid()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW._synced_txid IS NULL OR NOT outbox.xid_reached(NEW._synced_txid, OLD._synced_txid) THEN
        NEW._synced_txid := OLD._synced_txid;
    END IF;
    RETURN NEW;
END;
$$;

-- Records one local row change: the effect, and (outside a named mutation) its own mutation.
CREATE FUNCTION outbox.record_effect(p_table text, p_op text, p_key jsonb, p_row jsonb,
                                     p_wire_key jsonb, p_wire_values jsonb)
RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
    mid uuid := outbox.named_mutation();
BEGIN
    IF mid IS NULL THEN
        INSERT INTO outbox.mutations (table_name, op, key, changes)
        VALUES (p_table, p_op, p_wire_key, p_wire_values)
        RETURNING id INTO mid;
    END IF;
    INSERT INTO outbox.effects (mutation_id, table_name, key, op, row_values)
    VALUES (mid, p_table, p_key, p_op, p_row);
    PERFORM pg_notify('outpost_outbox', mid::text);
    RETURN mid;
END;
$$;

-- Starts a named mutation in the current transaction: its outbox entry, and every write through a
-- view until outbox.end_named() (or the end of the transaction) is recorded as its effect.
CREATE FUNCTION outbox.begin_named(p_id uuid, p_name text, p_key jsonb, p_values jsonb)
RETURNS uuid
LANGUAGE plpgsql
AS $$
BEGIN
    IF outbox.named_mutation() IS NOT NULL THEN
        RAISE EXCEPTION 'named mutation % is already running in this transaction', outbox.named_mutation()
            USING ERRCODE = '55000';
    END IF;
    INSERT INTO outbox.mutations (id, name, key, changes)
    VALUES (coalesce(p_id, gen_random_uuid()), p_name, p_key, p_values)
    RETURNING id INTO p_id;
    PERFORM set_config('outpost.named_mutation', p_id::text, true);
    PERFORM pg_notify('outpost_outbox', p_id::text);
    RETURN p_id;
END;
$$;

CREATE FUNCTION outbox.end_named()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM set_config('outpost.named_mutation', '', true);
END;
$$;

-- Recomputes local.<t>_state for one key from synced.<t> and the remaining effects (per-table functions
-- are generated by outbox.install_overlay).
CREATE FUNCTION outbox.rederive(p_table text, p_key jsonb)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('SELECT outbox.%I($1)', p_table || '__rederive') USING p_key;
END;
$$;

-- Deletes acknowledged mutations that have no effects left (their writes are visible as server state).
CREATE FUNCTION outbox.forget_finished(p_ids uuid[])
RETURNS integer
LANGUAGE sql
AS $$
    WITH gone AS (
        DELETE FROM outbox.mutations m
         WHERE m.id = ANY (p_ids) AND m.status = 'acknowledged'
           AND NOT EXISTS (SELECT 1 FROM outbox.effects e WHERE e.mutation_id = m.id)
        RETURNING 1)
    SELECT count(*)::integer FROM gone
$$;

-- Called by the per-table propagation triggers when the applier wrote key `p_key` of `p_table`:
-- drops the effects of acknowledged mutations that the server row now contains. `p_seen_txid` is
-- the row's _synced_txid (NULL for a row the server deleted: then every acknowledged effect of the
-- key is settled). The caller re-derives the key.
CREATE FUNCTION outbox.settle_key(p_table text, p_key jsonb, p_deleted boolean, p_seen_txid bigint)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    settled uuid[];
BEGIN
    WITH gone AS (
        DELETE FROM outbox.effects e
         USING outbox.mutations m
         WHERE e.table_name = p_table AND e.key = p_key AND m.id = e.mutation_id
           AND m.status = 'acknowledged'
           AND (p_deleted
                OR (p_seen_txid IS NOT NULL AND outbox.xid_reached(p_seen_txid, m.server_txid)))
        RETURNING e.mutation_id)
    SELECT array_agg(DISTINCT mutation_id) INTO settled FROM gone;
    IF settled IS NOT NULL THEN
        PERFORM outbox.forget_finished(settled);
    END IF;
END;
$$;

-- Removes every effect of mutation `p_id` and re-derives the keys it touched; returns how many keys.
CREATE FUNCTION outbox.drop_effects(p_id uuid)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    k record;
    n integer := 0;
BEGIN
    FOR k IN
        WITH gone AS (DELETE FROM outbox.effects WHERE mutation_id = p_id RETURNING table_name, key)
        SELECT DISTINCT table_name, key FROM gone
    LOOP
        PERFORM outbox.rederive(k.table_name, k.key);
        n := n + 1;
    END LOOP;
    RETURN n;
END;
$$;

-- Whether the server state of every key mutation `p_id` touched already contains it: each synced row
-- carries the mutation's txid or a later one, and each deleted row is gone.
CREATE FUNCTION outbox.server_state_contains(p_id uuid)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    txid bigint;
    e record;
    present boolean;
    seen bigint;
BEGIN
    SELECT server_txid INTO txid FROM outbox.mutations WHERE id = p_id;
    IF txid IS NULL THEN
        RETURN false;
    END IF;
    FOR e IN SELECT DISTINCT ON (table_name, key) table_name, key, op
               FROM outbox.effects WHERE mutation_id = p_id ORDER BY table_name, key, seq DESC LOOP
        EXECUTE format('SELECT present, txid FROM outbox.%I($1)', e.table_name || '__synced_state')
            INTO present, seen USING e.key;
        IF e.op = 'delete' THEN
            IF present THEN
                RETURN false;
            END IF;
        ELSIF NOT present OR seen IS NULL OR NOT outbox.xid_reached(seen, txid) THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END;
$$;

-- The server applied mutation `p_id` in transaction `p_txid` (and, if known, committed at or before
-- `p_lsn`). Its effects stay until sync shows the server row; if sync already has (the shape can be
-- faster than the HTTP response), or `p_echo_expected` is false (the row is not in any shape of this
-- client), they are settled now. Idempotent.
CREATE FUNCTION outbox.acknowledge(p_id uuid, p_txid bigint, p_lsn pg_lsn DEFAULT NULL,
                                   p_echo_expected boolean DEFAULT true)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE outbox.mutations
       SET status = 'acknowledged', server_txid = p_txid, server_lsn = p_lsn,
           acknowledged_at = coalesce(acknowledged_at, now()), last_error = NULL
     WHERE id = p_id;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF NOT p_echo_expected OR (p_txid IS NULL AND p_lsn IS NULL) OR outbox.server_state_contains(p_id) THEN
        PERFORM outbox.drop_effects(p_id);
    END IF;
    PERFORM outbox.forget_finished(ARRAY[p_id]);
    RETURN true;
END;
$$;

-- Settles every acknowledged mutation whose server_lsn is at or before `p_lsn` (the position up to
-- which every shape of this client is applied). Returns how many were settled.
CREATE FUNCTION outbox.settle_through(p_lsn pg_lsn)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    m record;
    n integer := 0;
BEGIN
    FOR m IN SELECT id FROM outbox.mutations
              WHERE status = 'acknowledged' AND server_lsn IS NOT NULL AND server_lsn <= p_lsn ORDER BY seq LOOP
        PERFORM outbox.drop_effects(m.id);
        PERFORM outbox.forget_finished(ARRAY[m.id]);
        n := n + 1;
    END LOOP;
    RETURN n;
END;
$$;

-- The server refused mutation `p_id`: undo it locally (its effects go, the keys it touched are
-- re-derived from server state and the remaining pending writes) and keep it for the UI.
CREATE FUNCTION outbox.reject(p_id uuid, p_code text, p_message text, p_details jsonb DEFAULT '{}')
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    m outbox.mutations%ROWTYPE;
BEGIN
    SELECT * INTO m FROM outbox.mutations WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO outbox.rejections (mutation_id, seq, table_name, op, name, key, changes, code, message, details,
                                   created_at)
    VALUES (m.id, m.seq, m.table_name, m.op, m.name, m.key, m.changes, p_code, p_message,
            coalesce(p_details, '{}'), m.created_at)
    ON CONFLICT (mutation_id) DO NOTHING;
    PERFORM outbox.drop_effects(p_id);
    DELETE FROM outbox.mutations WHERE id = p_id;
    PERFORM pg_notify('outpost_rejections', p_id::text);
    RETURN true;
END;
$$;
