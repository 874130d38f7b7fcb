/**
 * common/records/fields.ts: the words a person reads for the schema's names: a column as a field label
 * ("risk_level" → "Risk level", "assistant_id" → "Assistant", "approver_ids" → "Approvers"), a fixed
 * choice ("in_progress" → "In progress"), a table as a noun ("work_items" → "work item").
 *
 * Pure and total: any identifier gets a readable label; a few words keep their usual capitals (ID, URL,
 * API, AI, SSO, MFA, KPI, USD, MCP, CRM, RAG, QA). Overrides name the cases the rule reads badly.
 */
const ACRONYMS: Readonly<Record<string, string>> = {
  id: 'ID',
  ids: 'IDs',
  url: 'URL',
  uri: 'URI',
  api: 'API',
  ai: 'AI',
  sso: 'SSO',
  mfa: 'MFA',
  kpi: 'KPI',
  kpis: 'KPIs',
  usd: 'USD',
  mcp: 'MCP',
  crm: 'CRM',
  rag: 'RAG',
  qa: 'QA',
  ip: 'IP',
  oauth: 'OAuth',
  json: 'JSON',
  sdf: 'SDF',
  crag: 'CRAG',
};

/** Columns whose derived label reads badly. */
const FIELD_OVERRIDES: Readonly<Record<string, string>> = {
  tenant_id: 'Tenant',
  created_at: 'Created',
  updated_at: 'Updated',
  created_by: 'Created by',
  metadata_json: 'Metadata',
  is_active: 'Active',
  is_archived: 'Archived',
  is_default: 'Default',
  is_byok: 'Own API key',
  approver_ids: 'Approvers',
  approved_by: 'Decided by',
  approved_at: 'Decided',
  requested_by: 'Requested by',
  proposed_by: 'Proposed by',
  reviewed_by: 'Reviewed by',
  assigned_to: 'Assigned to',
  assigned_by: 'Assigned by',
  actor_id: 'Actor',
  entity_id: 'Entity',
  user_id: 'User',
  parent_tenant_id: 'Parent tenant',
};

function words(name: string): string[] {
  return name.split(/[_\s]+/).filter(Boolean);
}

function sentenceCase(parts: readonly string[]): string {
  return parts.map((w, i) => ACRONYMS[w] ?? (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
}

/** A column as the label of its field. */
export function fieldLabel(column: string): string {
  const override = FIELD_OVERRIDES[column];
  if (override) return override;
  let parts = words(column);
  // A reference reads as the thing it references: assistant_id → Assistant, approver_ids → Approvers.
  if (parts.length > 1 && parts[parts.length - 1] === 'id') parts = parts.slice(0, -1);
  else if (parts.length > 1 && parts[parts.length - 1] === 'ids') {
    parts = parts.slice(0, -1);
    const last = parts[parts.length - 1] ?? '';
    parts = [...parts.slice(0, -1), `${last}s`];
  }
  if (parts[0] === 'is' && parts.length > 1) parts = parts.slice(1);
  return sentenceCase(parts);
}

/** A fixed choice (a state, a kind) as a person reads it: "pending_review" → "Pending review". */
export function choiceLabel(value: string): string {
  const parts = words(value.toLowerCase());
  return parts.length === 0 ? value : sentenceCase(parts);
}

/** The singular noun of a table, in lower case: "work_items" → "work item", "policies" → "policy". */
export function tableNoun(table: string): string {
  const parts = words(table);
  const last = parts[parts.length - 1] ?? table;
  let singular = last;
  if (last.endsWith('ies')) singular = `${last.slice(0, -3)}y`;
  else if (/(ss|us)$/.test(last)) singular = last;
  else if (/(sses|uses|xes|ches|shes)$/.test(last)) singular = last.slice(0, -2);
  else if (last.endsWith('s')) singular = last.slice(0, -1);
  return [...parts.slice(0, -1), singular].map((w) => ACRONYMS[w] ?? w).join(' ');
}

/** A table as the title of its list: "work_items" → "Work items". */
export function tableTitle(table: string): string {
  return sentenceCase(words(table));
}

/** `a`, `a and b`, `a, b and c`. */
export function joinWords(items: readonly string[], last = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1] ?? ''}`;
}
