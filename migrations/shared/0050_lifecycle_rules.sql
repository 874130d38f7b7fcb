-- 0050_lifecycle_rules: business rules that live in the database, so local PGlite and central
-- Postgres refuse the same things with the same errors.
--
-- * state_transitions holds the allowed (machine, from, event, to) triples. It is the database copy
--   of the transition tables in common/lifecycles/*.ts; common/lifecycles/lifecycles.pglite.test.ts
--   proves they are equal.
-- * Custom SQLSTATEs (mapped to stable error codes in common/errors.ts):
--     OP001 invalid_transition   a status change the lifecycle does not allow, or a change to a final decision
--     OP003 validation           a row that breaks a business rule (message names the rule)
-- * These triggers are strict. The local database's sync applier, which writes server state as it
--   is, gets its relaxation from a client-only migration, never from a setting a central session
--   could set.

-- workspace_changesets: 000 lists draft/pending_review/approved/applied; Outpost's review flow adds
-- `rejected` (see migrations/README.md).
ALTER TABLE workspace_changesets DROP CONSTRAINT workspace_changesets_status_check;
ALTER TABLE workspace_changesets ADD CONSTRAINT workspace_changesets_status_check
    CHECK (status IN ('draft', 'pending_review', 'approved', 'rejected', 'applied'));
ALTER TABLE workspace_changesets ADD COLUMN rejected_reason text;
-- The triggers below police transitions (UPDATE); these CHECKs make a row inserted directly in a
-- final state hold the same facts.
ALTER TABLE workspace_changesets ADD CONSTRAINT workspace_changesets_rejected_has_reason
    CHECK (status <> 'rejected' OR coalesce(btrim(rejected_reason), '') <> '');
ALTER TABLE approvals ADD CONSTRAINT approvals_decision_has_decider
    CHECK (status NOT IN ('approved', 'rejected') OR approved_by IS NOT NULL);
ALTER TABLE approvals ADD CONSTRAINT approvals_rejected_has_reason
    CHECK (status <> 'rejected' OR coalesce(btrim(rejected_reason), '') <> '');

CREATE TABLE state_transitions (
    machine     text NOT NULL,
    from_state  text NOT NULL,
    event       text NOT NULL,
    to_state    text NOT NULL,
    PRIMARY KEY (machine, from_state, event),
    UNIQUE (machine, from_state, to_state)
);
COMMENT ON TABLE state_transitions IS
    'Allowed lifecycle transitions (global reference data); mirrors common/lifecycles/*.ts.';

INSERT INTO state_transitions (machine, from_state, event, to_state) VALUES
    ('workspace_changeset', 'draft',          'submit',   'pending_review'),
    ('workspace_changeset', 'pending_review', 'approve',  'approved'),
    ('workspace_changeset', 'pending_review', 'reject',   'rejected'),
    ('workspace_changeset', 'approved',       'apply',    'applied'),
    ('workspace_changeset', 'rejected',       'revise',   'draft'),
    ('approval',            'pending',        'approve',  'approved'),
    ('approval',            'pending',        'reject',   'rejected'),
    ('approval',            'pending',        'escalate', 'escalated'),
    ('approval',            'pending',        'expire',   'expired'),
    ('approval',            'escalated',      'approve',  'approved'),
    ('approval',            'escalated',      'reject',   'rejected'),
    ('approval',            'escalated',      'expire',   'expired');

-- Raises OP001 unless from -> to is an allowed transition of the machine (no change is always fine).
CREATE FUNCTION enforce_transition(p_machine text, p_entity_id text, p_from text, p_to text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    allowed text;
BEGIN
    IF p_from IS NOT DISTINCT FROM p_to THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM state_transitions t
                   WHERE t.machine = p_machine AND t.from_state = p_from AND t.to_state = p_to) THEN
        SELECT string_agg(t.to_state, ', ' ORDER BY t.to_state) INTO allowed
          FROM state_transitions t WHERE t.machine = p_machine AND t.from_state = p_from;
        RAISE EXCEPTION 'invalid % transition: % -> % (%)', p_machine, p_from, p_to, p_entity_id
            USING ERRCODE = 'OP001',
                  DETAIL = format('machine=%s entity=%s from=%s to=%s', p_machine, p_entity_id, p_from, p_to),
                  HINT = CASE WHEN allowed IS NULL THEN format('%s is a final state', p_from)
                              ELSE format('from %s the allowed next states are: %s', p_from, allowed) END;
    END IF;
END;
$$;

-- Changesets: transitions, and the review/apply timestamps.
CREATE FUNCTION workspace_changesets_lifecycle()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM enforce_transition('workspace_changeset', OLD.id::text, OLD.status, NEW.status);
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NEW.status IN ('approved', 'rejected') THEN
            NEW.reviewed_at := coalesce(NEW.reviewed_at, now());
        END IF;
        IF NEW.status = 'rejected' AND coalesce(btrim(NEW.rejected_reason), '') = '' THEN
            RAISE EXCEPTION 'rejecting changeset % needs a rejected_reason', NEW.id
                USING ERRCODE = 'OP003', HINT = 'say what must change before the changeset can be resubmitted';
        END IF;
        IF NEW.status = 'applied' THEN
            NEW.applied_at := coalesce(NEW.applied_at, now());
        END IF;
        IF OLD.status = 'rejected' AND NEW.status = 'draft' THEN
            NEW.reviewed_by := NULL;
            NEW.reviewed_at := NULL;
        END IF;
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER workspace_changesets_lifecycle
    BEFORE UPDATE ON workspace_changesets
    FOR EACH ROW EXECUTE FUNCTION workspace_changesets_lifecycle();

-- Approvals: transitions; decisions are final; who decided and when is recorded.
-- approved_by / approved_at record the decider and the decision time for approved AND rejected
-- (004 has no separate rejected_by column).
CREATE FUNCTION approvals_lifecycle()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF OLD.status IN ('approved', 'rejected', 'expired') AND (
           NEW.status IS DISTINCT FROM OLD.status
        OR NEW.approved_by IS DISTINCT FROM OLD.approved_by
        OR NEW.approved_at IS DISTINCT FROM OLD.approved_at
        OR NEW.rejected_reason IS DISTINCT FROM OLD.rejected_reason) THEN
        RAISE EXCEPTION 'approval % is already decided (%); decisions are final', OLD.id, OLD.status
            USING ERRCODE = 'OP001', HINT = 'create a new approval request instead';
    END IF;
    PERFORM enforce_transition('approval', OLD.id::text, OLD.status, NEW.status);
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        CASE NEW.status
            WHEN 'approved', 'rejected' THEN
                IF NEW.approved_by IS NULL THEN
                    RAISE EXCEPTION 'deciding approval % needs approved_by (the deciding user)', NEW.id
                        USING ERRCODE = 'OP003';
                END IF;
                IF NEW.status = 'rejected' AND coalesce(btrim(NEW.rejected_reason), '') = '' THEN
                    RAISE EXCEPTION 'rejecting approval % needs a rejected_reason', NEW.id USING ERRCODE = 'OP003';
                END IF;
                NEW.approved_at := coalesce(NEW.approved_at, now());
            WHEN 'escalated' THEN
                NEW.escalation_count := coalesce(OLD.escalation_count, 0) + 1;
            WHEN 'expired' THEN
                IF NEW.expires_at > now() THEN
                    RAISE EXCEPTION 'approval % cannot expire before its expires_at (%)', NEW.id, NEW.expires_at
                        USING ERRCODE = 'OP003';
                END IF;
            ELSE
                NULL;
        END CASE;
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER approvals_lifecycle
    BEFORE UPDATE ON approvals
    FOR EACH ROW EXECUTE FUNCTION approvals_lifecycle();

-- Delegations: both users belong to the delegation's tenant (the CHECKs of 0012 already refuse
-- self-delegation and empty periods).
CREATE FUNCTION approval_delegations_rules()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users u WHERE u.id = NEW.delegator_id AND u.tenant_id = NEW.tenant_id)
       OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = NEW.delegate_id AND u.tenant_id = NEW.tenant_id) THEN
        RAISE EXCEPTION 'delegation %: delegator and delegate must both belong to tenant %', NEW.id, NEW.tenant_id
            USING ERRCODE = 'OP003';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER approval_delegations_rules
    BEFORE INSERT OR UPDATE OF tenant_id, delegator_id, delegate_id ON approval_delegations
    FOR EACH ROW EXECUTE FUNCTION approval_delegations_rules();

-- Work items (004 statuses): started_at is set when work starts, completed_at when it reaches an
-- end state (completed, failed or cancelled). Statuses may move freely otherwise (a failed item
-- can be retried).
CREATE FUNCTION work_items_timestamps()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.status = 'in_progress' AND NEW.started_at IS NULL THEN
        NEW.started_at := now();
    END IF;
    IF NEW.status IN ('completed', 'failed', 'cancelled') THEN
        IF NEW.completed_at IS NULL THEN
            NEW.completed_at := now();
        END IF;
    ELSIF TG_OP = 'UPDATE' AND OLD.status IN ('completed', 'failed', 'cancelled') THEN
        NEW.completed_at := NULL;  -- reopened
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER work_items_timestamps
    BEFORE INSERT OR UPDATE ON work_items
    FOR EACH ROW EXECUTE FUNCTION work_items_timestamps();
