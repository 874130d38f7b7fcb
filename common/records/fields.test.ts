import { describe, expect, it } from 'vitest';
import { choiceLabel, fieldLabel, joinWords, tableNoun, tableTitle } from './fields.ts';

describe('field words', () => {
  it('labels columns as fields, references as what they reference', () => {
    expect(fieldLabel('risk_level')).toBe('Risk level');
    expect(fieldLabel('assistant_id')).toBe('Assistant');
    expect(fieldLabel('approver_ids')).toBe('Approvers');
    expect(fieldLabel('tenant_id')).toBe('Tenant');
    expect(fieldLabel('created_at')).toBe('Created');
    expect(fieldLabel('is_active')).toBe('Active');
    expect(fieldLabel('is_archived')).toBe('Archived');
    expect(fieldLabel('ai_api_key_encrypted')).toBe('AI API key encrypted');
    expect(fieldLabel('cost_usd')).toBe('Cost USD');
    expect(fieldLabel('id')).toBe('ID');
    expect(fieldLabel('netsuite_file_id')).toBe('Netsuite file');
  });

  it('labels choices and names tables', () => {
    expect(choiceLabel('pending_review')).toBe('Pending review');
    expect(choiceLabel('PENDING')).toBe('Pending');
    expect(choiceLabel('sdf_validate')).toBe('SDF validate');
    expect(tableNoun('work_items')).toBe('work item');
    expect(tableNoun('policies')).toBe('policy');
    expect(tableNoun('crm_webhooks')).toBe('CRM webhook');
    expect(tableNoun('rag_test_sets')).toBe('RAG test set');
    expect(tableNoun('knowledge_chunks')).toBe('knowledge chunk');
    expect(tableNoun('client_kpis')).toBe('client KPI');
    expect(tableNoun('approval_delegations')).toBe('approval delegation');
    expect(tableNoun('statuses')).toBe('status');
    expect(tableTitle('workspace_changesets')).toBe('Workspace changesets');
    expect(joinWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(joinWords(['a', 'b'], 'or')).toBe('a or b');
  });
});
