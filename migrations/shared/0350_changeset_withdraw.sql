-- 0350_changeset_withdraw: the author may take a changeset back before it is applied. Serves: 000
-- workspace_changesets (issue 16: "the author can submit, revise after review and withdraw").
--
-- Lifecycle (common/lifecycles/changeset.ts): pending_review --withdraw--> draft and
-- approved --withdraw--> draft. Only the database copy of the transition table changes: the 0050
-- trigger (enforce_transition) reads state_transitions, so the new moves are allowed on both sides
-- and everything else stays refused. Expand-only: no column or row of a changeset changes.
SELECT schema_insert_reference_rows($rows$
INSERT INTO state_transitions (machine, from_state, event, to_state) VALUES
    ('workspace_changeset', 'pending_review', 'withdraw', 'draft'),
    ('workspace_changeset', 'approved', 'withdraw', 'draft')
$rows$);

-- A changeset back in draft (revised after a rejection, or withdrawn) has no review any more: the
-- reviewer and the review time are cleared for every move to draft, not only from rejected. The rest
-- of the function is 0050's.
CREATE OR REPLACE FUNCTION workspace_changesets_lifecycle()
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
        IF NEW.status = 'draft' THEN
            NEW.reviewed_by := NULL;
            NEW.reviewed_at := NULL;
        END IF;
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;
