-- 0300_lifecycles: every status column with a fixed set of states is a lifecycle, enforced by the
-- database. Serves: the status columns of 000-004 (common/lifecycles/README.md lists the machines).
--
-- common/lifecycles/registry.ts binds each lifecycle (a complete transition table in
-- common/lifecycles/<machine>.ts) to its table and column; 0050 made approvals and workspace
-- changesets lifecycles with their own triggers, which stay as they are. This migration does the same
-- for the other 27 columns:
--   1. the state set of each column as a CHECK (<table>_status_check): new for the columns that were
--      free text, widened where the lifecycle has more states (jobs: cancelled; knowledge_documents:
--      failed, as 001's PENDING -> PROCESSING -> READY / FAILED; subscriptions: Stripe's incomplete,
--      incomplete_expired, unpaid and paused). Added NOT VALID (0061): central rows written before
--      there was a state set are not re-checked, rows written from now on are.
--   2. the allowed (machine, from, event, to) triples in state_transitions, the database copy of the
--      TS tables (migrations/lifecycles.testkit.ts proves they are equal, on PGlite and PostgreSQL).
--   3. enforce_lifecycle(machine, column), one generic BEFORE UPDATE trigger function: reads the old
--      and new state through to_jsonb and refuses a transition the machine does not allow with
--      SQLSTATE OP001 (enforce_transition of 0050; message `invalid <machine> transition: a -> b`,
--      the allowed next states in the HINT).
--   4. the trigger <table>_lifecycle on each table: BEFORE UPDATE OF <column>, only when the value
--      changes.
--
-- Rules of enforce_lifecycle:
--   * Inserts are not policed (as in 0050): a row may be created in any state of its set (the seed,
--     a connector's first import, a provider object that starts mid-way).
--   * A value outside the machine's states is left to the column's CHECK, which refuses it with
--     23514 naming the constraint: it is not a state, so it is not a transition either.
--   * NULL (the provider-mirrored columns orders/payments/refunds/payouts/disputes, cursor_states
--     and hallucination_flags are nullable): NULL means "no state reported yet". NULL -> any state is
--     allowed (the first report); a state -> NULL is refused with OP001 (a known state is never
--     forgotten).
--   * No change is always fine (the trigger's WHEN skips it).
-- 0050's work_items_timestamps still stamps started_at / completed_at; its comment "statuses may move
-- freely otherwise" no longer holds: work_items_lifecycle polices them now.
--
-- Every relation is reached through the schema hooks (0061; on clients 0204), so on a client the
-- CHECKs and triggers land on local.<t>_state for writable tables (skipping the sync machinery's own
-- writes) and disabled on the applier-only tables, and the reference rows are written in the
-- applier's mode. That is why this file is numbered after every client migration (README,
-- "Numbering").

-- 1. State sets.
SELECT schema_add_check('data_requests', 'data_requests_status_check',
    $$status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')$$);
SELECT schema_add_check('cursor_states', 'cursor_states_status_check',
    $$status IN ('idle', 'syncing', 'error')$$);
SELECT schema_drop_check('jobs', 'jobs_status_check');
SELECT schema_add_check('jobs', 'jobs_status_check',
    $$status IN ('pending', 'running', 'completed', 'failed', 'cancelled')$$);
SELECT schema_add_check('orders', 'orders_status_check',
    $$status IN ('pending', 'authorized', 'partially_paid', 'paid', 'partially_fulfilled',
                  'fulfilled', 'partially_refunded', 'refunded', 'voided', 'uncollectible',
                  'cancelled')$$);
SELECT schema_add_check('payments', 'payments_status_check',
    $$status IN ('pending', 'authorized', 'succeeded', 'failed', 'voided')$$);
SELECT schema_add_check('refunds', 'refunds_status_check',
    $$status IN ('pending', 'requires_action', 'succeeded', 'failed', 'canceled')$$);
SELECT schema_add_check('payouts', 'payouts_status_check',
    $$status IN ('pending', 'in_transit', 'paid', 'failed', 'canceled')$$);
SELECT schema_add_check('disputes', 'disputes_status_check',
    $$status IN ('warning_needs_response', 'warning_under_review', 'warning_closed',
                  'needs_response', 'under_review', 'won', 'lost', 'prevented')$$);
SELECT schema_add_check('script_sync_states', 'script_sync_states_status_check',
    $$status IN ('idle', 'syncing', 'error')$$);
SELECT schema_drop_check('knowledge_documents', 'knowledge_documents_status_check');
SELECT schema_add_check('knowledge_documents', 'knowledge_documents_status_check',
    $$status IN ('pending', 'processing', 'ready', 'failed')$$);
SELECT schema_add_check('knowledge_gaps', 'knowledge_gaps_status_check',
    $$status IN ('open', 'addressed', 'dismissed')$$);
SELECT schema_add_check('unresolved_problems', 'unresolved_problems_status_check',
    $$status IN ('open', 'investigating', 'resolved')$$);
SELECT schema_add_check('escalations', 'escalations_status_check',
    $$status IN ('pending', 'assigned', 'resolved', 'closed')$$);
SELECT schema_add_check('rag_evaluation_runs', 'rag_evaluation_runs_status_check',
    $$status IN ('pending', 'running', 'completed', 'failed', 'cancelled')$$);
SELECT schema_drop_check('subscriptions', 'subscriptions_status_check');
SELECT schema_add_check('subscriptions', 'subscriptions_status_check',
    $$status IN ('incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'unpaid',
                  'paused', 'canceled', 'expired')$$);

-- 2. Transitions.
SELECT schema_insert_reference_rows($rows$
INSERT INTO state_transitions (machine, from_state, event, to_state) VALUES
    ('tenant',                    'active',                 'suspend',                 'suspended'),
    ('tenant',                    'active',                 'archive',                 'archived'),
    ('tenant',                    'suspended',              'reactivate',              'active'),
    ('tenant',                    'suspended',              'archive',                 'archived'),
    ('tenant',                    'archived',               'restore',                 'suspended'),
    ('data_request',              'pending',                'start',                   'processing'),
    ('data_request',              'pending',                'cancel',                  'cancelled'),
    ('data_request',              'processing',             'complete',                'completed'),
    ('data_request',              'processing',             'fail',                    'failed'),
    ('data_request',              'failed',                 'retry',                   'pending'),
    ('data_request',              'failed',                 'cancel',                  'cancelled'),
    ('onboarding_checklist_item', 'pending',                'start',                   'in_progress'),
    ('onboarding_checklist_item', 'pending',                'complete',                'completed'),
    ('onboarding_checklist_item', 'pending',                'skip',                    'skipped'),
    ('onboarding_checklist_item', 'in_progress',            'complete',                'completed'),
    ('onboarding_checklist_item', 'in_progress',            'skip',                    'skipped'),
    ('onboarding_checklist_item', 'completed',              'reopen',                  'in_progress'),
    ('onboarding_checklist_item', 'skipped',                'reopen',                  'in_progress'),
    ('connection',                'pending',                'authorize',               'active'),
    ('connection',                'pending',                'fail',                    'error'),
    ('connection',                'pending',                'disable',                 'disabled'),
    ('connection',                'pending',                'revoke',                  'revoked'),
    ('connection',                'active',                 'fail',                    'error'),
    ('connection',                'active',                 'disable',                 'disabled'),
    ('connection',                'active',                 'revoke',                  'revoked'),
    ('connection',                'error',                  'recover',                 'active'),
    ('connection',                'error',                  'disable',                 'disabled'),
    ('connection',                'error',                  'revoke',                  'revoked'),
    ('connection',                'error',                  'reconnect',               'pending'),
    ('connection',                'disabled',               'enable',                  'active'),
    ('connection',                'disabled',               'revoke',                  'revoked'),
    ('connection',                'revoked',                'reconnect',               'pending'),
    ('cursor_state',              'idle',                   'start',                   'syncing'),
    ('cursor_state',              'syncing',                'finish',                  'idle'),
    ('cursor_state',              'syncing',                'fail',                    'error'),
    ('cursor_state',              'error',                  'retry',                   'syncing'),
    ('cursor_state',              'error',                  'reset',                   'idle'),
    ('mcp_connector',             'active',                 'fail',                    'error'),
    ('mcp_connector',             'active',                 'deactivate',              'inactive'),
    ('mcp_connector',             'error',                  'recover',                 'active'),
    ('mcp_connector',             'error',                  'deactivate',              'inactive'),
    ('mcp_connector',             'inactive',               'activate',                'active'),
    ('job',                       'pending',                'start',                   'running'),
    ('job',                       'pending',                'cancel',                  'cancelled'),
    ('job',                       'running',                'complete',                'completed'),
    ('job',                       'running',                'fail',                    'failed'),
    ('job',                       'running',                'requeue',                 'pending'),
    ('job',                       'running',                'cancel',                  'cancelled'),
    ('job',                       'failed',                 'retry',                   'pending'),
    ('workflow',                  'active',                 'archive',                 'archived'),
    ('workflow',                  'archived',               'restore',                 'active'),
    ('workflow_run',              'queued',                 'start',                   'running'),
    ('workflow_run',              'queued',                 'cancel',                  'cancelled'),
    ('workflow_run',              'running',                'succeed',                 'succeeded'),
    ('workflow_run',              'running',                'fail',                    'failed'),
    ('workflow_run',              'running',                'requeue',                 'queued'),
    ('workflow_run',              'running',                'cancel',                  'cancelled'),
    ('workflow_run',              'failed',                 'retry',                   'queued'),
    ('order',                     'pending',                'authorize',               'authorized'),
    ('order',                     'pending',                'pay_partially',           'partially_paid'),
    ('order',                     'pending',                'pay',                     'paid'),
    ('order',                     'pending',                'fulfill_partially',       'partially_fulfilled'),
    ('order',                     'pending',                'fulfill',                 'fulfilled'),
    ('order',                     'pending',                'refund_partially',        'partially_refunded'),
    ('order',                     'pending',                'refund',                  'refunded'),
    ('order',                     'pending',                'void',                    'voided'),
    ('order',                     'pending',                'mark_uncollectible',      'uncollectible'),
    ('order',                     'pending',                'cancel',                  'cancelled'),
    ('order',                     'authorized',             'pay_partially',           'partially_paid'),
    ('order',                     'authorized',             'pay',                     'paid'),
    ('order',                     'authorized',             'fulfill_partially',       'partially_fulfilled'),
    ('order',                     'authorized',             'fulfill',                 'fulfilled'),
    ('order',                     'authorized',             'refund_partially',        'partially_refunded'),
    ('order',                     'authorized',             'refund',                  'refunded'),
    ('order',                     'authorized',             'void',                    'voided'),
    ('order',                     'authorized',             'cancel',                  'cancelled'),
    ('order',                     'partially_paid',         'pay',                     'paid'),
    ('order',                     'partially_paid',         'fulfill_partially',       'partially_fulfilled'),
    ('order',                     'partially_paid',         'fulfill',                 'fulfilled'),
    ('order',                     'partially_paid',         'refund_partially',        'partially_refunded'),
    ('order',                     'partially_paid',         'refund',                  'refunded'),
    ('order',                     'partially_paid',         'cancel',                  'cancelled'),
    ('order',                     'paid',                   'fulfill_partially',       'partially_fulfilled'),
    ('order',                     'paid',                   'fulfill',                 'fulfilled'),
    ('order',                     'paid',                   'refund_partially',        'partially_refunded'),
    ('order',                     'paid',                   'refund',                  'refunded'),
    ('order',                     'paid',                   'cancel',                  'cancelled'),
    ('order',                     'partially_fulfilled',    'pay',                     'paid'),
    ('order',                     'partially_fulfilled',    'fulfill',                 'fulfilled'),
    ('order',                     'partially_fulfilled',    'refund_partially',        'partially_refunded'),
    ('order',                     'partially_fulfilled',    'refund',                  'refunded'),
    ('order',                     'partially_fulfilled',    'cancel',                  'cancelled'),
    ('order',                     'fulfilled',              'pay',                     'paid'),
    ('order',                     'fulfilled',              'fulfill_partially',       'partially_fulfilled'),
    ('order',                     'fulfilled',              'refund_partially',        'partially_refunded'),
    ('order',                     'fulfilled',              'refund',                  'refunded'),
    ('order',                     'fulfilled',              'cancel',                  'cancelled'),
    ('order',                     'partially_refunded',     'refund',                  'refunded'),
    ('order',                     'partially_refunded',     'cancel',                  'cancelled'),
    ('order',                     'refunded',               'cancel',                  'cancelled'),
    ('order',                     'voided',                 'cancel',                  'cancelled'),
    ('order',                     'uncollectible',          'pay',                     'paid'),
    ('order',                     'uncollectible',          'fulfill_partially',       'partially_fulfilled'),
    ('order',                     'uncollectible',          'fulfill',                 'fulfilled'),
    ('order',                     'uncollectible',          'refund_partially',        'partially_refunded'),
    ('order',                     'uncollectible',          'refund',                  'refunded'),
    ('order',                     'uncollectible',          'void',                    'voided'),
    ('order',                     'uncollectible',          'cancel',                  'cancelled'),
    ('payment',                   'pending',                'authorize',               'authorized'),
    ('payment',                   'pending',                'succeed',                 'succeeded'),
    ('payment',                   'pending',                'fail',                    'failed'),
    ('payment',                   'pending',                'void',                    'voided'),
    ('payment',                   'authorized',             'succeed',                 'succeeded'),
    ('payment',                   'authorized',             'void',                    'voided'),
    ('refund',                    'pending',                'require_action',          'requires_action'),
    ('refund',                    'pending',                'succeed',                 'succeeded'),
    ('refund',                    'pending',                'fail',                    'failed'),
    ('refund',                    'pending',                'cancel',                  'canceled'),
    ('refund',                    'requires_action',        'process',                 'pending'),
    ('refund',                    'requires_action',        'succeed',                 'succeeded'),
    ('refund',                    'requires_action',        'fail',                    'failed'),
    ('refund',                    'requires_action',        'cancel',                  'canceled'),
    ('refund',                    'succeeded',              'fail',                    'failed'),
    ('payout',                    'pending',                'send',                    'in_transit'),
    ('payout',                    'pending',                'pay',                     'paid'),
    ('payout',                    'pending',                'fail',                    'failed'),
    ('payout',                    'pending',                'cancel',                  'canceled'),
    ('payout',                    'in_transit',             'pay',                     'paid'),
    ('payout',                    'in_transit',             'fail',                    'failed'),
    ('payout',                    'paid',                   'fail',                    'failed'),
    ('dispute',                   'warning_needs_response', 'submit_inquiry_evidence', 'warning_under_review'),
    ('dispute',                   'warning_needs_response', 'close_inquiry',           'warning_closed'),
    ('dispute',                   'warning_needs_response', 'escalate',                'needs_response'),
    ('dispute',                   'warning_needs_response', 'submit_evidence',         'under_review'),
    ('dispute',                   'warning_needs_response', 'win',                     'won'),
    ('dispute',                   'warning_needs_response', 'lose',                    'lost'),
    ('dispute',                   'warning_needs_response', 'prevent',                 'prevented'),
    ('dispute',                   'warning_under_review',   'close_inquiry',           'warning_closed'),
    ('dispute',                   'warning_under_review',   'escalate',                'needs_response'),
    ('dispute',                   'warning_under_review',   'submit_evidence',         'under_review'),
    ('dispute',                   'warning_under_review',   'win',                     'won'),
    ('dispute',                   'warning_under_review',   'lose',                    'lost'),
    ('dispute',                   'warning_under_review',   'prevent',                 'prevented'),
    ('dispute',                   'needs_response',         'submit_evidence',         'under_review'),
    ('dispute',                   'needs_response',         'win',                     'won'),
    ('dispute',                   'needs_response',         'lose',                    'lost'),
    ('dispute',                   'under_review',           'win',                     'won'),
    ('dispute',                   'under_review',           'lose',                    'lost'),
    ('script_sync_state',         'idle',                   'start',                   'syncing'),
    ('script_sync_state',         'syncing',                'finish',                  'idle'),
    ('script_sync_state',         'syncing',                'fail',                    'error'),
    ('script_sync_state',         'error',                  'retry',                   'syncing'),
    ('script_sync_state',         'error',                  'reset',                   'idle'),
    ('workspace_run',             'queued',                 'start',                   'running'),
    ('workspace_run',             'queued',                 'crash',                   'error'),
    ('workspace_run',             'queued',                 'cancel',                  'cancelled'),
    ('workspace_run',             'running',                'pass',                    'passed'),
    ('workspace_run',             'running',                'fail',                    'failed'),
    ('workspace_run',             'running',                'crash',                   'error'),
    ('workspace_run',             'running',                'cancel',                  'cancelled'),
    ('assistant',                 'inactive',               'activate',                'active'),
    ('assistant',                 'inactive',               'suspend',                 'suspended'),
    ('assistant',                 'active',                 'deactivate',              'inactive'),
    ('assistant',                 'active',                 'suspend',                 'suspended'),
    ('assistant',                 'active',                 'fail',                    'error'),
    ('assistant',                 'error',                  'deactivate',              'inactive'),
    ('assistant',                 'error',                  'suspend',                 'suspended'),
    ('assistant',                 'error',                  'recover',                 'active'),
    ('assistant',                 'suspended',              'deactivate',              'inactive'),
    ('assistant',                 'suspended',              'reinstate',               'active'),
    ('work_item',                 'backlog',                'start',                   'in_progress'),
    ('work_item',                 'backlog',                'cancel',                  'cancelled'),
    ('work_item',                 'in_progress',            'request_approval',        'awaiting_approval'),
    ('work_item',                 'in_progress',            'complete',                'completed'),
    ('work_item',                 'in_progress',            'fail',                    'failed'),
    ('work_item',                 'in_progress',            'requeue',                 'backlog'),
    ('work_item',                 'in_progress',            'cancel',                  'cancelled'),
    ('work_item',                 'awaiting_approval',      'approve',                 'in_progress'),
    ('work_item',                 'awaiting_approval',      'cancel',                  'cancelled'),
    ('work_item',                 'failed',                 'retry',                   'backlog'),
    ('work_item',                 'failed',                 'cancel',                  'cancelled'),
    ('knowledge_document',        'pending',                'process',                 'processing'),
    ('knowledge_document',        'processing',             'finish',                  'ready'),
    ('knowledge_document',        'processing',             'fail',                    'failed'),
    ('knowledge_document',        'processing',             'requeue',                 'pending'),
    ('knowledge_document',        'ready',                  'reprocess',               'pending'),
    ('knowledge_document',        'failed',                 'reprocess',               'pending'),
    ('knowledge_gap',             'open',                   'address',                 'addressed'),
    ('knowledge_gap',             'open',                   'dismiss',                 'dismissed'),
    ('knowledge_gap',             'addressed',              'reopen',                  'open'),
    ('knowledge_gap',             'dismissed',              'reopen',                  'open'),
    ('unresolved_problem',        'open',                   'investigate',             'investigating'),
    ('unresolved_problem',        'open',                   'resolve',                 'resolved'),
    ('unresolved_problem',        'investigating',          'resolve',                 'resolved'),
    ('unresolved_problem',        'resolved',               'reopen',                  'open'),
    ('escalation',                'pending',                'assign',                  'assigned'),
    ('escalation',                'pending',                'close',                   'closed'),
    ('escalation',                'assigned',               'unassign',                'pending'),
    ('escalation',                'assigned',               'resolve',                 'resolved'),
    ('escalation',                'assigned',               'close',                   'closed'),
    ('escalation',                'resolved',               'reopen',                  'assigned'),
    ('escalation',                'closed',                 'reopen',                  'pending'),
    ('rag_evaluation_run',        'pending',                'start',                   'running'),
    ('rag_evaluation_run',        'pending',                'cancel',                  'cancelled'),
    ('rag_evaluation_run',        'running',                'complete',                'completed'),
    ('rag_evaluation_run',        'running',                'fail',                    'failed'),
    ('rag_evaluation_run',        'running',                'cancel',                  'cancelled'),
    ('hallucination_flag',        'pending',                'review',                  'reviewed'),
    ('hallucination_flag',        'pending',                'confirm',                 'confirmed'),
    ('hallucination_flag',        'pending',                'dismiss',                 'false_positive'),
    ('hallucination_flag',        'reviewed',               'confirm',                 'confirmed'),
    ('hallucination_flag',        'reviewed',               'dismiss',                 'false_positive'),
    ('subscription',              'incomplete',             'activate',                'active'),
    ('subscription',              'incomplete',             'expire_incomplete',       'incomplete_expired'),
    ('subscription',              'incomplete',             'start_trial',             'trialing'),
    ('subscription',              'incomplete',             'fall_past_due',           'past_due'),
    ('subscription',              'incomplete',             'mark_unpaid',             'unpaid'),
    ('subscription',              'incomplete',             'pause',                   'paused'),
    ('subscription',              'incomplete',             'cancel',                  'canceled'),
    ('subscription',              'incomplete',             'expire',                  'expired'),
    ('subscription',              'trialing',               'activate',                'active'),
    ('subscription',              'trialing',               'fall_past_due',           'past_due'),
    ('subscription',              'trialing',               'mark_unpaid',             'unpaid'),
    ('subscription',              'trialing',               'pause',                   'paused'),
    ('subscription',              'trialing',               'cancel',                  'canceled'),
    ('subscription',              'trialing',               'expire',                  'expired'),
    ('subscription',              'active',                 'start_trial',             'trialing'),
    ('subscription',              'active',                 'fall_past_due',           'past_due'),
    ('subscription',              'active',                 'mark_unpaid',             'unpaid'),
    ('subscription',              'active',                 'pause',                   'paused'),
    ('subscription',              'active',                 'cancel',                  'canceled'),
    ('subscription',              'active',                 'expire',                  'expired'),
    ('subscription',              'past_due',               'activate',                'active'),
    ('subscription',              'past_due',               'start_trial',             'trialing'),
    ('subscription',              'past_due',               'mark_unpaid',             'unpaid'),
    ('subscription',              'past_due',               'pause',                   'paused'),
    ('subscription',              'past_due',               'cancel',                  'canceled'),
    ('subscription',              'past_due',               'expire',                  'expired'),
    ('subscription',              'unpaid',                 'activate',                'active'),
    ('subscription',              'unpaid',                 'start_trial',             'trialing'),
    ('subscription',              'unpaid',                 'fall_past_due',           'past_due'),
    ('subscription',              'unpaid',                 'pause',                   'paused'),
    ('subscription',              'unpaid',                 'cancel',                  'canceled'),
    ('subscription',              'unpaid',                 'expire',                  'expired'),
    ('subscription',              'paused',                 'activate',                'active'),
    ('subscription',              'paused',                 'start_trial',             'trialing'),
    ('subscription',              'paused',                 'fall_past_due',           'past_due'),
    ('subscription',              'paused',                 'mark_unpaid',             'unpaid'),
    ('subscription',              'paused',                 'cancel',                  'canceled'),
    ('subscription',              'paused',                 'expire',                  'expired'),
    ('invoice',                   'draft',                  'finalize',                'open'),
    ('invoice',                   'draft',                  'pay',                     'paid'),
    ('invoice',                   'draft',                  'void',                    'void'),
    ('invoice',                   'draft',                  'mark_uncollectible',      'uncollectible'),
    ('invoice',                   'open',                   'pay',                     'paid'),
    ('invoice',                   'open',                   'void',                    'void'),
    ('invoice',                   'open',                   'mark_uncollectible',      'uncollectible'),
    ('invoice',                   'uncollectible',          'pay',                     'paid'),
    ('invoice',                   'uncollectible',          'void',                    'void'),
    ('alert',                     'active',                 'trigger',                 'triggered'),
    ('alert',                     'active',                 'mute',                    'muted'),
    ('alert',                     'triggered',              'resolve',                 'resolved'),
    ('alert',                     'triggered',              'mute',                    'muted'),
    ('alert',                     'resolved',               'trigger',                 'triggered'),
    ('alert',                     'resolved',               'mute',                    'muted'),
    ('alert',                     'muted',                  'unmute',                  'active');
$rows$);

-- 3. The generic lifecycle trigger. TG_ARGV: the machine and the status column.
CREATE FUNCTION enforce_lifecycle()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_machine text := TG_ARGV[0];
    v_column  text := TG_ARGV[1];
    v_old     jsonb := to_jsonb(OLD);
    v_from    text := v_old ->> v_column;
    v_to      text := to_jsonb(NEW) ->> v_column;
    v_entity  text := coalesce(v_old ->> 'id', '');
BEGIN
    IF v_to IS NULL THEN
        IF v_from IS NOT NULL THEN
            RAISE EXCEPTION 'invalid % transition: % -> NULL (%)', v_machine, v_from, v_entity
                USING ERRCODE = 'OP001',
                      DETAIL = format('machine=%s entity=%s from=%s to=NULL', v_machine, v_entity, v_from),
                      HINT = 'a known state is never cleared';
        END IF;
        RETURN NEW;
    END IF;
    IF v_from IS NULL                                     -- a first state
       OR EXISTS (SELECT 1 FROM state_transitions t           -- an allowed move (the usual case)
                   WHERE t.machine = v_machine AND t.from_state = v_from AND t.to_state = v_to)
       OR NOT EXISTS (SELECT 1 FROM state_transitions t       -- not a state: the CHECK refuses it
                       WHERE t.machine = v_machine AND (t.from_state = v_to OR t.to_state = v_to)) THEN
        RETURN NEW;
    END IF;
    PERFORM enforce_transition(v_machine, v_entity, v_from, v_to);
    RETURN NEW;
END;
$$;

-- 4. One trigger per table: BEFORE UPDATE OF status, when the value changes.
DO $$
DECLARE
    b record;
BEGIN
    FOR b IN SELECT * FROM (VALUES
                ('tenants',                    'tenant'),
                ('data_requests',              'data_request'),
                ('onboarding_checklist_items', 'onboarding_checklist_item'),
                ('connections',                'connection'),
                ('cursor_states',              'cursor_state'),
                ('mcp_connectors',             'mcp_connector'),
                ('jobs',                       'job'),
                ('workflows',                  'workflow'),
                ('workflow_runs',              'workflow_run'),
                ('orders',                     'order'),
                ('payments',                   'payment'),
                ('refunds',                    'refund'),
                ('payouts',                    'payout'),
                ('disputes',                   'dispute'),
                ('script_sync_states',         'script_sync_state'),
                ('workspace_runs',             'workspace_run'),
                ('assistants',                 'assistant'),
                ('work_items',                 'work_item'),
                ('knowledge_documents',        'knowledge_document'),
                ('knowledge_gaps',             'knowledge_gap'),
                ('unresolved_problems',        'unresolved_problem'),
                ('escalations',                'escalation'),
                ('rag_evaluation_runs',        'rag_evaluation_run'),
                ('hallucination_flags',        'hallucination_flag'),
                ('subscriptions',              'subscription'),
                ('invoices',                   'invoice'),
                ('alerts',                     'alert')
            ) v(tbl, machine) LOOP
        PERFORM schema_add_row_trigger(b.tbl, b.tbl || '_lifecycle', 'BEFORE UPDATE OF status',
                                       format('enforce_lifecycle(%L, %L)', b.machine, 'status'),
                                       'OLD.status IS DISTINCT FROM NEW.status');
    END LOOP;
END;
$$;
