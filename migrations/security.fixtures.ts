/**
 * Fixture rows for the tenant-isolation tests (security.pg.test.ts): one row (or a few) in every
 * tenant table for each test tenant, plus global rows in the tables whose tenant_id is nullable.
 * Inserted as the superuser, which bypasses row-level security.
 *
 * Ids are deterministic: `{tenant code}-0000-4000-8000-{object number}`, so a test can name any
 * fixture row of any tenant without reading it back.
 */

export interface TestTenant {
  readonly key: 'A' | 'B' | 'H' | 'S1' | 'S2';
  /** 8 hex digits: the first group of every id this tenant's fixtures use. */
  readonly code: string;
  readonly type: 'standalone' | 'holding' | 'subsidiary';
  readonly parent?: TestTenant['key'];
}

export const TEST_TENANTS: readonly TestTenant[] = [
  { key: 'A', code: '0000000a', type: 'standalone' },
  { key: 'B', code: '0000000b', type: 'standalone' },
  { key: 'H', code: '000000d0', type: 'holding' },
  { key: 'S1', code: '000000e1', type: 'subsidiary', parent: 'H' },
  { key: 'S2', code: '000000e2', type: 'subsidiary', parent: 'H' },
];

/** Id number `n` of a tenant's fixtures; n = 0 is the tenant itself. */
export function fixtureId(code: string, n: number): string {
  return `${code}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function tenantId(key: TestTenant['key']): string {
  const tenant = TEST_TENANTS.find((t) => t.key === key);
  if (!tenant) throw new Error(`unknown test tenant ${key}`);
  return fixtureId(tenant.code, 0);
}

/** A permission, plan and system-role row that 0060_reference_data.sql inserts. */
const PERMISSION = '7e5c0000-0000-4000-8000-000000000001';
const PRO_PLAN = '7e5c0002-0000-4000-8000-000000000002';

export function tenantsSql(): string {
  const rows = TEST_TENANTS.map((t) => {
    const parent = t.parent ? `'${tenantId(t.parent)}'` : 'NULL';
    return `('${tenantId(t.key)}', 'Tenant ${t.key}', 'security-${t.key.toLowerCase()}', '${t.type}', ${parent})`;
  });
  return `INSERT INTO tenants (id, name, slug, tenant_type, parent_tenant_id) VALUES\n  ${rows.join(',\n  ')};`;
}

/** Global rows (tenant_id NULL) beyond those 0060 inserts. */
export function globalRowsSql(): string {
  return `
INSERT INTO policies (tenant_id, name, statements) VALUES (NULL, 'security-test built-in', '[]');
INSERT INTO system_prompt_templates (tenant_id, name, content) VALUES (NULL, 'security-test base', 'You are helpful.');
`;
}

/** Rows in every tenant table for one tenant. */
export function tenantRowsSql(tenant: TestTenant): string {
  const t = tenantId(tenant.key);
  const id = (n: number): string => `'${fixtureId(tenant.code, n)}'`;
  const k = tenant.key.toLowerCase();
  const dedupe = (source: string, type: string, sourceId: string): string =>
    `'${t}:${source}:${type}:${sourceId}', '${source}', '${sourceId}'`;
  const user1 = id(1);
  const user2 = id(2);
  return `
INSERT INTO tenant_configs (tenant_id, posting_mode) VALUES ('${t}', 'detail');
INSERT INTO users (id, tenant_id, email, role) VALUES
  (${user1}, '${t}', 'admin@${k}.test', 'admin'),
  (${user2}, '${t}', 'viewer@${k}.test', 'viewer');
INSERT INTO roles (id, tenant_id, name) VALUES (${id(3)}, '${t}', 'custom ${k}');
INSERT INTO role_permissions (role_id, permission_id, tenant_id) VALUES (${id(3)}, '${PERMISSION}', '${t}');
INSERT INTO user_roles (tenant_id, user_id, role_id, role_scope_id) VALUES ('${t}', ${user1}, ${id(3)}, '${t}');
INSERT INTO policies (tenant_id, name) VALUES ('${t}', 'policy ${k}');
INSERT INTO accounts (tenant_id, user_id, type, provider, provider_account_id)
  VALUES ('${t}', ${user1}, 'oauth', 'github', 'gh-${k}');
INSERT INTO auth_sessions (session_token, tenant_id, user_id, expires)
  VALUES ('session-${k}', '${t}', ${user1}, '2030-01-01 00:00:00+00');
INSERT INTO active_sessions (tenant_id, user_id, token) VALUES ('${t}', ${user1}, 'active-${k}');
INSERT INTO trusted_devices (tenant_id, user_id, device_fingerprint) VALUES ('${t}', ${user1}, 'device-${k}');
INSERT INTO sso_configurations (tenant_id, provider, protocol) VALUES ('${t}', 'okta', 'oidc');
INSERT INTO api_keys (tenant_id, name, key_hash, prefix, created_by)
  VALUES ('${t}', 'key ${k}', 'hash-${k}', 'op_${k}', ${user1});
INSERT INTO security_events (tenant_id, event_type, severity) VALUES ('${t}', 'login_failed', 'low');
INSERT INTO data_requests (tenant_id, user_id, request_type) VALUES ('${t}', ${user2}, 'export');
INSERT INTO audit_logs (tenant_id, actor_type, actor_id, action, entity_type, entity_id)
  VALUES ('${t}', 'user', ${user1}, 'fixture.created', 'tenant', '${t}');
INSERT INTO tenant_profiles (id, tenant_id, industry) VALUES (${id(4)}, '${t}', 'retail');
INSERT INTO policy_profiles (id, tenant_id) VALUES (${id(5)}, '${t}');
INSERT INTO system_prompt_templates (tenant_id, tenant_profile_id, policy_profile_id, content)
  VALUES ('${t}', ${id(4)}, ${id(5)}, 'Prompt for ${k}');
INSERT INTO onboarding_checklist_items (tenant_id, step) VALUES ('${t}', 'connection');

INSERT INTO connections (id, tenant_id, provider, encrypted_credentials, created_by)
  VALUES (${id(6)}, '${t}', 'netsuite', 'secret-${k}', ${user1});
INSERT INTO cursor_states (tenant_id, connection_id, object_type) VALUES ('${t}', ${id(6)}, 'customer');
INSERT INTO crm_field_mappings (tenant_id, connection_id, source_field, target_field)
  VALUES ('${t}', ${id(6)}, 'Email', 'email');
INSERT INTO crm_sync_logs (tenant_id, connection_id, direction, entity, status)
  VALUES ('${t}', ${id(6)}, 'inbound', 'contact', 'ok');
INSERT INTO crm_webhooks (tenant_id, connection_id, event_type, url)
  VALUES ('${t}', ${id(6)}, 'contact.created', 'https://example.test/${k}');
INSERT INTO mcp_connectors (tenant_id, name, server_url) VALUES ('${t}', 'mcp ${k}', 'https://mcp.example.test/${k}');

INSERT INTO jobs (id, tenant_id, job_type, connection_id) VALUES (${id(7)}, '${t}', 'sync', ${id(6)});
INSERT INTO schedules (tenant_id, connection_id, job_type, cron_expression)
  VALUES ('${t}', ${id(6)}, 'sync', '0 * * * *');
INSERT INTO evidence_packs (tenant_id, job_id, file_name) VALUES ('${t}', ${id(7)}, 'evidence-${k}.csv');
INSERT INTO workflows (id, tenant_id, name) VALUES (${id(8)}, '${t}', 'workflow ${k}');
INSERT INTO workflow_steps (tenant_id, workflow_id, position, name, executor)
  VALUES ('${t}', ${id(8)}, 1, 'step', 'api_call');
INSERT INTO workflow_runs (tenant_id, workflow_id) VALUES ('${t}', ${id(8)});

INSERT INTO orders (tenant_id, dedupe_key, source, source_id) VALUES ('${t}', ${dedupe('shopify', 'order', `o-${k}`)});
INSERT INTO payments (tenant_id, dedupe_key, source, source_id)
  VALUES ('${t}', ${dedupe('stripe', 'payment', `p-${k}`)});
INSERT INTO refunds (tenant_id, dedupe_key, source, source_id)
  VALUES ('${t}', ${dedupe('stripe', 'refund', `r-${k}`)});
INSERT INTO payouts (id, tenant_id, dedupe_key, source, source_id)
  VALUES (${id(9)}, '${t}', ${dedupe('stripe', 'payout', `po-${k}`)});
INSERT INTO payout_lines (tenant_id, dedupe_key, source, source_id, payout_id)
  VALUES ('${t}', ${dedupe('stripe', 'payout_line', `pl-${k}`)}, ${id(9)});
INSERT INTO disputes (tenant_id, dedupe_key, source, source_id)
  VALUES ('${t}', ${dedupe('stripe', 'dispute', `d-${k}`)});
INSERT INTO netsuite_postings (tenant_id, dedupe_key, source, source_id)
  VALUES ('${t}', ${dedupe('netsuite', 'journal', `j-${k}`)});

INSERT INTO netsuite_metadata (tenant_id, version) VALUES ('${t}', 1);
INSERT INTO script_sync_states (tenant_id) VALUES ('${t}');
INSERT INTO netsuite_api_logs (tenant_id, connection_id, method, url)
  VALUES ('${t}', ${id(6)}, 'GET', 'https://netsuite.example.test/${k}');

INSERT INTO workspaces (id, tenant_id, name, created_by) VALUES (${id(10)}, '${t}', 'workspace ${k}', ${user1});
INSERT INTO workspace_files (id, tenant_id, workspace_id, path, content)
  VALUES (${id(11)}, '${t}', ${id(10)}, 'src/${k}.js', 'export {};');
INSERT INTO workspace_changesets (id, tenant_id, workspace_id, title, proposed_by)
  VALUES (${id(12)}, '${t}', ${id(10)}, 'changeset ${k}', ${user1});
INSERT INTO workspace_patches (id, tenant_id, changeset_id, file_id, file_path)
  VALUES (${id(40)}, '${t}', ${id(12)}, ${id(11)}, 'src/${k}.js');
INSERT INTO workspace_patch_bases (tenant_id, changeset_id, patch_id, base_sha256)
  VALUES ('${t}', ${id(12)}, ${id(40)}, repeat('0', 64));
INSERT INTO workspace_changeset_comments (tenant_id, changeset_id, patch_id, file_path, line, body, author_id)
  VALUES ('${t}', ${id(12)}, ${id(40)}, 'src/${k}.js', 1, 'comment ${k}', ${user1});
INSERT INTO workspace_hunk_decisions (tenant_id, changeset_id, patch_id, hunk_id, decided_by, decision)
  VALUES ('${t}', ${id(12)}, ${id(40)}, 'h0000000000000000', ${user2}, 'accept');
INSERT INTO workspace_patch_conflicts (tenant_id, changeset_id, patch_id, attempt_id, file_path, base_sha256,
                                       current_sha256, merged_content)
  VALUES ('${t}', ${id(12)}, ${id(40)}, ${id(41)}, 'src/${k}.js', repeat('0', 64), repeat('1', 64), 'export {};');
INSERT INTO workspace_runs (id, tenant_id, workspace_id, changeset_id, run_type)
  VALUES (${id(13)}, '${t}', ${id(10)}, ${id(12)}, 'jest_test');
INSERT INTO workspace_artifacts (tenant_id, run_id, artifact_type, content) VALUES ('${t}', ${id(13)}, 'stdout', 'ok');

INSERT INTO ai_personalities (id, tenant_id, name, system_prompt) VALUES (${id(14)}, '${t}', 'persona ${k}', 'Be brief.');
INSERT INTO assistants (id, tenant_id, name, slug, type, created_by)
  VALUES (${id(15)}, '${t}', 'assistant ${k}', 'assistant-${k}', 'custom', ${user1});
INSERT INTO work_items (id, tenant_id, assistant_id, title, created_by)
  VALUES (${id(16)}, '${t}', ${id(15)}, 'work ${k}', ${user1});
INSERT INTO approvals (id, tenant_id, work_item_id, title, risk_level, requested_by, approver_ids, expires_at)
  VALUES (${id(17)}, '${t}', ${id(16)}, 'approval ${k}', 2, ${user1}, ARRAY[${user2}]::uuid[], '2030-01-01 00:00:00+00');
INSERT INTO approval_delegations (tenant_id, delegator_id, delegate_id, starts_at, ends_at)
  VALUES ('${t}', ${user1}, ${user2}, '2026-01-01 00:00:00+00', '2026-03-01 00:00:00+00');
INSERT INTO approval_decisions (tenant_id, approval_id, decided_by, decision)
  VALUES ('${t}', ${id(17)}, ${user2}, 'approve');
INSERT INTO approval_policies (tenant_id, quorum_min_risk_level, quorum_required) VALUES ('${t}', 3, 2);
INSERT INTO communication_policies (tenant_id, name) VALUES ('${t}', 'comms ${k}');

INSERT INTO widgets (id, tenant_id, name, ai_personality_id) VALUES (${id(18)}, '${t}', 'widget ${k}', ${id(14)});
INSERT INTO meetings (id, tenant_id, room_name) VALUES (${id(19)}, '${t}', 'room-${k}');
INSERT INTO end_users (id, tenant_id, external_id) VALUES (${id(20)}, '${t}', 'visitor-${k}');
INSERT INTO chat_sessions (id, tenant_id, user_id, widget_id, meeting_id, end_user_id)
  VALUES (${id(21)}, '${t}', ${user1}, ${id(18)}, ${id(19)}, ${id(20)});
INSERT INTO chat_messages (id, tenant_id, session_id, role, content)
  VALUES (${id(22)}, '${t}', ${id(21)}, 'user', 'hello from ${k}');
INSERT INTO chat_files (tenant_id, user_id, session_id, file_name, file_path)
  VALUES ('${t}', ${user1}, ${id(21)}, '${k}.pdf', 'files/${k}.pdf');
INSERT INTO conversation_memory (tenant_id, session_id) VALUES ('${t}', ${id(21)});
INSERT INTO conversation_logs (tenant_id, assistant_id, channel, messages)
  VALUES ('${t}', ${id(15)}, 'internal', '[]');

INSERT INTO knowledge_documents (id, tenant_id, user_id, title) VALUES (${id(23)}, '${t}', ${user1}, 'doc ${k}');
INSERT INTO knowledge_chunks (tenant_id, document_id, content) VALUES ('${t}', ${id(23)}, 'chunk of ${k}');
INSERT INTO knowledge_gaps (tenant_id, cluster_id) VALUES ('${t}', 1);
INSERT INTO reranking_events (tenant_id, query, document_count) VALUES ('${t}', 'query ${k}', 3);

INSERT INTO survey_responses (tenant_id, session_id, end_user_id, rating, survey_type)
  VALUES ('${t}', ${id(21)}, ${id(20)}, 5, 'csat');
INSERT INTO unresolved_problems (id, tenant_id, description) VALUES (${id(24)}, '${t}', 'problem ${k}');
INSERT INTO unresolved_problem_users (problem_id, end_user_id, tenant_id, session_id)
  VALUES (${id(24)}, ${id(20)}, '${t}', ${id(21)});
INSERT INTO escalations (tenant_id, session_id, end_user_id, reason, assigned_to)
  VALUES ('${t}', ${id(21)}, ${id(20)}, 'needs a human', ${user1});

INSERT INTO rag_test_sets (tenant_id, name) VALUES ('${t}', 'set ${k}');
INSERT INTO rag_evaluation_runs (id, tenant_id, name) VALUES (${id(25)}, '${t}', 'run ${k}');
INSERT INTO rag_evaluations (tenant_id, run_id, query) VALUES ('${t}', ${id(25)}, 'q ${k}');
INSERT INTO rag_quality_thresholds (tenant_id, metric, threshold, action) VALUES ('${t}', 'faithfulness', 0.8, 'alert');
INSERT INTO crag_evaluations (id, tenant_id, query) VALUES (${id(26)}, '${t}', 'q ${k}');
INSERT INTO query_refinements (tenant_id, evaluation_id, original_query, refined_query)
  VALUES ('${t}', ${id(26)}, 'q', 'q refined');
INSERT INTO reasoning_steps (tenant_id, evaluation_id, step_number) VALUES ('${t}', ${id(26)}, 1);
INSERT INTO crag_responses (tenant_id, evaluation_id, response) VALUES ('${t}', ${id(26)}, 'answer ${k}');
INSERT INTO crag_metrics (tenant_id, period) VALUES ('${t}', '2026-11');

INSERT INTO qa_reviews (tenant_id, message_id, review_type, reviewer) VALUES ('${t}', ${id(22)}, 'manual', ${user1});
INSERT INTO qa_metrics (tenant_id, period) VALUES ('${t}', '2026-11');
INSERT INTO hallucination_flags (tenant_id, assistant_id, message_id, detection_method)
  VALUES ('${t}', ${id(15)}, ${id(22)}, 'pattern');

INSERT INTO cost_transactions (tenant_id, assistant_id, work_item_id, session_id, provider, model, cost_amount)
  VALUES ('${t}', ${id(15)}, ${id(16)}, ${id(21)}, 'openai', 'gpt-5.2', 0.01);
INSERT INTO cost_summaries (tenant_id, period_start, period_end)
  VALUES ('${t}', '2026-11-01 00:00:00+00', '2026-12-01 00:00:00+00');
INSERT INTO budget_alerts (tenant_id, threshold, period, severity) VALUES ('${t}', 100, 'month', 'warning');
INSERT INTO provider_credit_pools (tenant_id, provider, monthly_budget, current_balance)
  VALUES ('${t}', 'openai', 100, 100);
INSERT INTO subscriptions (id, tenant_id, plan_id) VALUES (${id(27)}, '${t}', '${PRO_PLAN}');
INSERT INTO invoices (tenant_id, subscription_id, invoice_number) VALUES ('${t}', ${id(27)}, 'INV-${k}');

INSERT INTO client_kpis (id, tenant_id, client_id, client_name) VALUES (${id(28)}, '${t}', 'client-${k}', 'Client ${k}');
INSERT INTO financials (tenant_id, client_kpi_id, record_date, revenue, expenses, net_profit, cash_flow)
  VALUES ('${t}', ${id(28)}, '2026-11-01', 10, 5, 5, 5);
INSERT INTO lead_events (tenant_id, client_kpi_id, event_date, lead_id, stage, status)
  VALUES ('${t}', ${id(28)}, '2026-11-01 00:00:00+00', 'lead-${k}', 'new', 'open');
INSERT INTO custom_metrics (tenant_id, client_kpi_id, metric_name, metric_value, record_date)
  VALUES ('${t}', ${id(28)}, 'nps', 42, '2026-11-01 00:00:00+00');
INSERT INTO alerts (tenant_id, client_kpi_id, name, metric_name, created_by)
  VALUES ('${t}', ${id(28)}, 'alert ${k}', 'nps', ${user1});
INSERT INTO dashboards (tenant_id, name, created_by) VALUES ('${t}', 'dashboard ${k}', ${user1});
`;
}

/** Every fixture, in insertion order. */
export function allFixturesSql(): string {
  return [tenantsSql(), globalRowsSql(), ...TEST_TENANTS.map(tenantRowsSql)].join('\n');
}
