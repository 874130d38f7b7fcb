-- 0103_mutations: the idempotency ledger of the write API (POST /v1/mutations). Central only.
--
-- Every mutation the API applies is recorded here, in the same transaction as its writes: the
-- client-generated mutation id, a hash of the request, the 32-bit xid of the transaction and the
-- result the client got. Re-sending an applied id returns that result without writing again
-- (sync-server/mutations/idempotency.ts). The key is (tenant, user, mutation id), and row-level
-- security shows a session only its own user's rows in its own tenant: an id re-sent by another
-- user or tenant is simply a new mutation for them, and nothing about the first one is visible.
--
-- In its own schema, `outpost_writes`: public stays identical to the local schema, the table is not
-- published (clients never sync it), and outpost_app may only read and append (no UPDATE or DELETE:
-- a recorded result never changes). Old rows may be pruned by the owner; a client re-sending a
-- mutation older than the retention would apply it again, so keep rows longer than any outbox waits.

CREATE SCHEMA outpost_writes;
REVOKE ALL ON SCHEMA outpost_writes FROM PUBLIC;
GRANT USAGE ON SCHEMA outpost_writes TO outpost_app;
COMMENT ON SCHEMA outpost_writes IS
    'Central-only bookkeeping of the write API (docs/security.md, "Write API"); outpost_app may read and append its own rows.';

CREATE TABLE outpost_writes.applied_mutations (
    tenant_id     uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    mutation_id   uuid NOT NULL,
    request_hash  text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
    txid          bigint NOT NULL CHECK (txid BETWEEN 0 AND 4294967295),
    result        jsonb NOT NULL,
    applied_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, mutation_id)
);
CREATE INDEX applied_mutations_applied_at ON outpost_writes.applied_mutations (applied_at);
COMMENT ON TABLE outpost_writes.applied_mutations IS
    'Write API idempotency ledger: one row per applied mutation id of a user (request hash, txid, result).';

ALTER TABLE outpost_writes.applied_mutations ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY own_mutations_select ON outpost_writes.applied_mutations FOR SELECT TO PUBLIC
    USING (tenant_id = public.app_current_tenant_id() AND user_id = public.app_current_user_id());
CREATE POLICY own_mutations_insert ON outpost_writes.applied_mutations FOR INSERT TO PUBLIC
    WITH CHECK (tenant_id = public.app_current_tenant_id() AND user_id = public.app_current_user_id());

REVOKE ALL ON outpost_writes.applied_mutations FROM PUBLIC;
GRANT SELECT, INSERT ON outpost_writes.applied_mutations TO outpost_app;
