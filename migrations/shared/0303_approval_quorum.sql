-- 0303_approval_quorum: quorum, expiry policy and escalation of approvals, and the delegation rules in
-- the database. Serves: 004 approvals / approval_delegations, and issue 15 (beyond the seeds). Expand
-- only: two new tables, checks and triggers; no column of an existing table changes.
--
-- approval_policies (one row per tenant, optional; no row = the defaults below)
--   quorum_min_risk_level  approvals at or above this risk level need `quorum_required` distinct
--                          approvers; NULL: one approver always suffices
--   quorum_required        K, 1..10
--   on_expiry              what the server's expiry job does with a pending approval past expires_at:
--                          'expire' (default) or 'escalate' (then 'expire' once the chain is used up)
--   escalation_chain       the steps, in order: tenant_admins, tenant_approvers, holding_admins,
--                          holding_approvers (at most 4, no repeats); escalation n uses step n
--   escalation_window_minutes  the new expiry after an escalation (5 minutes .. 30 days)
--   A table, not keys in tenants.settings or columns of tenant_configs: typed and checked, synced
--   with its own rule (read: approvals:read, write: admin:tenant), and expand-only on clients, where
--   adding columns to an overlaid table would need its view rebuilt (docs/local-schema.md).
--
-- approval_decisions (one row per decision; written only by the named operation approval.decide)
--   decided_by     the user who decided; on_behalf_of / delegation_id: the approver and the delegation
--                  a delegate decided under (both or neither)
--   approval_decisions_rules (BEFORE INSERT): the approval is visible (else 42501, as row-level
--   security refuses a write outside the session's tenants); the decision's tenant is the approval's; nobody decides
--   a request they made, not even for someone else, and nobody decides for its requester; a direct
--   decision needs the decider in approver_ids; a decision under delegation needs an active delegation
--   from one of approver_ids (by id) to the decider, so authority held only by delegation is never
--   passed on; one decision per authority (the approver decided for, or the decider): 23505.
--   UNIQUE (approval_id, decided_by): one decision per person. Decisions are never updated or deleted.
--
-- approval_delegations: the window is at most 90 days (2160 hours: independent of the time zone);
-- approval_delegations_no_self (0012's CHECK valid_delegation already refuses delegator = delegate).
--
-- The approval lifecycle is unchanged: the expiry job's first escalation is pending -> escalated; a
-- later step of the chain keeps the status (escalation_count, approver_ids and expires_at change).
--
-- Numbered after every client migration; reaches approval_delegations through the schema hooks (0061)
-- and creates foreign keys through 0301's hook, as migrations/README.md says.

CREATE TABLE approval_policies (
    id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id                  uuid NOT NULL,
    quorum_min_risk_level      integer CHECK (quorum_min_risk_level BETWEEN 0 AND 5),
    quorum_required            integer NOT NULL DEFAULT 1 CHECK (quorum_required BETWEEN 1 AND 10),
    on_expiry                  text NOT NULL DEFAULT 'expire' CHECK (on_expiry IN ('expire', 'escalate')),
    escalation_chain           text[] NOT NULL DEFAULT '{tenant_admins,holding_approvers}'
                               CHECK (escalation_chain <@ ARRAY['tenant_admins', 'tenant_approvers',
                                                                'holding_admins', 'holding_approvers']
                                      AND cardinality(escalation_chain) <= 4
                                      AND array_position(escalation_chain, NULL) IS NULL),
    escalation_window_minutes  integer NOT NULL DEFAULT 1440 CHECK (escalation_window_minutes BETWEEN 5 AND 43200),
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT approval_policies_one_per_tenant UNIQUE (tenant_id)
);
COMMENT ON TABLE approval_policies IS
    'Per-tenant approval policy: quorum, what expiry does, the escalation chain (0303; docs/security.md).';

CREATE TABLE approval_decisions (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL,
    approval_id    uuid NOT NULL,
    decided_by     uuid NOT NULL,
    on_behalf_of   uuid,
    delegation_id  uuid,
    decision       text NOT NULL CHECK (decision IN ('approve', 'reject')),
    reason         text,
    decided_at     timestamptz NOT NULL DEFAULT now(),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT approval_decisions_one_per_person UNIQUE (approval_id, decided_by),
    CONSTRAINT approval_decisions_delegation_pair CHECK ((on_behalf_of IS NULL) = (delegation_id IS NULL)),
    CONSTRAINT approval_decisions_reject_has_reason
        CHECK (decision <> 'reject' OR coalesce(btrim(reason), '') <> '')
);
CREATE INDEX idx_approval_decisions_tenant ON approval_decisions (tenant_id, approval_id);
COMMENT ON TABLE approval_decisions IS
    'One row per approver decision (quorum); written only by approval.decide (0303; docs/security.md).';

SELECT schema_add_foreign_key('approval_policies', 'approval_policies_tenant_id_fkey', 'tenant_id', 'tenants', 'id');
SELECT schema_add_foreign_key('approval_decisions', 'approval_decisions_tenant_id_fkey', 'tenant_id', 'tenants', 'id');
SELECT schema_add_foreign_key('approval_decisions', 'approval_decisions_approval_id_fkey', 'approval_id', 'approvals', 'id');
SELECT schema_add_foreign_key('approval_decisions', 'approval_decisions_decided_by_fkey', 'decided_by', 'users', 'id');
SELECT schema_add_foreign_key('approval_decisions', 'approval_decisions_on_behalf_of_fkey', 'on_behalf_of', 'users', 'id');
SELECT schema_add_foreign_key('approval_decisions', 'approval_decisions_delegation_id_fkey', 'delegation_id',
                              'approval_delegations', 'id');

CREATE FUNCTION approval_decisions_rules()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    a record;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'approval decision %: decisions are final', OLD.id USING ERRCODE = 'OP003';
    END IF;
    SELECT tenant_id, requested_by, coalesce(approver_ids, '{}') AS approvers INTO a
      FROM approvals WHERE id = NEW.approval_id;
    IF NOT FOUND THEN
        -- Not there, or not visible to this session (row-level security): refused like any write
        -- outside the session's tenants.
        RAISE EXCEPTION 'approval decision %: approval % is not visible', NEW.id, NEW.approval_id
            USING ERRCODE = '42501';
    END IF;
    IF a.tenant_id IS DISTINCT FROM NEW.tenant_id THEN
        RAISE EXCEPTION 'approval decision %: approval % is not in tenant %', NEW.id, NEW.approval_id, NEW.tenant_id
            USING ERRCODE = 'OP003';
    END IF;
    IF NEW.decided_by = a.requested_by OR NEW.on_behalf_of = a.requested_by THEN
        RAISE EXCEPTION 'approval decision %: nobody decides their own request (approval %)', NEW.id, NEW.approval_id
            USING ERRCODE = 'OP003';
    END IF;
    IF NEW.on_behalf_of IS NULL AND NOT NEW.decided_by = ANY (a.approvers) THEN
        RAISE EXCEPTION 'approval decision %: % is not an approver of approval %', NEW.id, NEW.decided_by, NEW.approval_id
            USING ERRCODE = 'OP003';
    END IF;
    IF NEW.on_behalf_of IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM approval_delegations d
            WHERE d.id = NEW.delegation_id AND d.delegator_id = NEW.on_behalf_of AND d.delegate_id = NEW.decided_by
              AND d.tenant_id = NEW.tenant_id AND d.is_active IS TRUE
              AND NEW.on_behalf_of = ANY (a.approvers)) THEN
        RAISE EXCEPTION 'approval decision %: delegation % is not an active delegation from an approver of approval % to %',
                        NEW.id, NEW.delegation_id, NEW.approval_id, NEW.decided_by
            USING ERRCODE = 'OP003', HINT = 'authority held only by delegation cannot be delegated again';
    END IF;
    IF EXISTS (SELECT 1 FROM approval_decisions x
                WHERE x.approval_id = NEW.approval_id AND x.id <> NEW.id
                  AND coalesce(x.on_behalf_of, x.decided_by) = coalesce(NEW.on_behalf_of, NEW.decided_by)) THEN
        RAISE EXCEPTION 'approval decision %: approval % already has a decision for %', NEW.id, NEW.approval_id,
                        coalesce(NEW.on_behalf_of, NEW.decided_by)
            USING ERRCODE = '23505', CONSTRAINT = 'approval_decisions_one_per_authority';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER approval_decisions_rules
    BEFORE INSERT OR UPDATE OR DELETE ON approval_decisions
    FOR EACH ROW EXECUTE FUNCTION approval_decisions_rules();

SELECT schema_add_check('approval_delegations', 'approval_delegations_window',
                        'ends_at <= starts_at + interval ''2160 hours''');
