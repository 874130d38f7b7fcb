/**
 * common/records/presentation.ts: how a column of a record is shown and edited, decided once for every
 * view from what the schema says of it (its type, the table's other columns, its constraints and its
 * lifecycle) plus a few names this module knows:
 *
 *   reference / references   a foreign key (or a known id array): shown as the referenced row's label
 *   lifecycle                a status with a lifecycle (common/lifecycles): shown as a choice; changed
 *                            only through the transitions allowed from the current state
 *   choice                   a fixed set of values (a CHECK ... IN): a select
 *   money                    an amount: with its currency (the row's `currency` column, or USD for the
 *                            costs the seeds keep in dollars)
 *   percent                  a rate kept as a fraction (0.125 → 12.5 %)
 *   datetime / date          local time with a relative hint / a calendar date
 *   boolean                  a toggle
 *   json                     formatted and collapsible
 *   code                     a code viewer (JavaScript/SuiteScript, TypeScript, XML, SQL, JSON,
 *                            Markdown, diffs), the language fixed or read from a path column
 *   long_text                multi-line
 *   text, number, uuid, array, vector   as themselves
 *
 * Pure; the core computes the facts (references, choices, lifecycle) from the local catalog and sends
 * the result with the table catalog, so every view renders a column the same way.
 */
import { fieldLabel } from './fields.ts';

export type FieldFormat =
  | 'reference'
  | 'references'
  | 'lifecycle'
  | 'choice'
  | 'money'
  | 'percent'
  | 'number'
  | 'datetime'
  | 'date'
  | 'boolean'
  | 'json'
  | 'code'
  | 'long_text'
  | 'text'
  | 'uuid'
  | 'array'
  | 'vector';

export type CodeLanguage =
  'javascript' | 'typescript' | 'xml' | 'sql' | 'json' | 'markdown' | 'diff' | 'text';

export interface FieldPresentation {
  readonly label: string;
  readonly format: FieldFormat;
  /** reference(s): the table the value names rows of. */
  readonly references?: string | undefined;
  /** choice / lifecycle: every allowed value. */
  readonly choices?: readonly string[] | undefined;
  /** lifecycle: the machine (common/lifecycles). */
  readonly lifecycle?: string | undefined;
  /** money: the currency, fixed or from a column of the same row. */
  readonly currency?: { readonly code: string } | { readonly column: string } | undefined;
  /** code: the language, fixed or from the extension of a path in a column of the same row. */
  readonly language?: CodeLanguage | { readonly pathColumn: string } | undefined;
}

/** What the catalog knows of a column beyond its name and type. */
export interface ColumnFacts {
  readonly references?: string | null;
  readonly choices?: readonly string[] | null;
  readonly lifecycle?: string | null;
}

/** Columns kept in US dollars (the cost tables of seeds 002 and 004 have no currency column). */
const USD =
  /(^|_)(usd|cost|costs|cost_amount|spend|budget|balance|price)(_|$)|^max_cost_per_day$|^quota_monthly_cost_limit$|^threshold$/;
/** Tables where `threshold` is an amount in dollars (elsewhere it is a score or a metric's value). */
const USD_THRESHOLD_TABLES = new Set(['budget_alerts']);
const AMOUNT =
  /(^|_)(amount|amount_due|amount_paid|total_amount|subtotal|tax_amount|discount_amount|gross_amount|fee_amount|net_amount|price_amount|revenue|expenses|net_profit|cash_flow)$/;
const RATE = /(^|_)rate$/;

/** Code columns: `table.column` → its language. */
const CODE: Readonly<Record<string, FieldPresentation['language']>> = {
  'workspace_files.content': { pathColumn: 'path' },
  'workspace_patches.new_content': { pathColumn: 'file_path' },
  'workspace_patches.unified_diff': 'diff',
  'workspace_artifacts.content': 'text',
  'system_prompt_templates.content': 'markdown',
  'ai_personalities.system_prompt': 'markdown',
  'netsuite_api_logs.request_body': 'json',
  'netsuite_api_logs.response_body': 'json',
};

/** Text columns that hold one line (a name, a path, a key), not prose. */
const ONE_LINE =
  /(^|_)(name|title|slug|email|url|uri|path|label|key|code|prefix|provider|type|kind|source|currency|unit|timezone|id|hash|sha256|token|status|stage|role|channel|model|action|cursor|industry|step|metric|field|address|fingerprint|sha)$/;

/** The language of a file path, by its extension (SuiteScript is JavaScript; SDF objects are XML). */
export function languageOfPath(path: string): CodeLanguage {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  switch (extension) {
    case 'js':
    case 'mjs':
    case 'cjs':
      return 'javascript';
    case 'ts':
      return 'typescript';
    case 'xml':
      return 'xml';
    case 'sql':
    case 'suiteql':
      return 'sql';
    case 'json':
      return 'json';
    case 'md':
      return 'markdown';
    default:
      return 'text';
  }
}

/** How column `name` (PostgreSQL type `type`) of `table`, whose columns are `siblings`, is presented. */
export function presentColumn(
  table: string,
  name: string,
  type: string,
  siblings: readonly string[],
  facts: ColumnFacts = {},
): FieldPresentation {
  const label = fieldLabel(name);
  const t = type.toLowerCase();
  if (facts.lifecycle && facts.choices)
    return { label, format: 'lifecycle', lifecycle: facts.lifecycle, choices: facts.choices };
  if (facts.references)
    return { label, format: t.endsWith('[]') ? 'references' : 'reference', references: facts.references };
  if (facts.choices) return { label, format: 'choice', choices: facts.choices };
  const code = CODE[`${table}.${name}`];
  if (code) return { label, format: 'code', language: code };
  if (t.endsWith('[]')) return { label, format: 'array' };
  if (t.startsWith('vector')) return { label, format: 'vector' };
  if (t === 'json' || t === 'jsonb') return { label, format: 'json' };
  if (t === 'boolean') return { label, format: 'boolean' };
  if (t === 'uuid') return { label, format: 'uuid' };
  if (t === 'date') return { label, format: 'date' };
  if (t.startsWith('timestamp')) return { label, format: 'datetime' };
  if (/^(numeric|decimal|real|double precision)/.test(t)) {
    if (AMOUNT.test(name) && siblings.includes('currency'))
      return { label, format: 'money', currency: { column: 'currency' } };
    if (USD.test(name) && (name !== 'threshold' || USD_THRESHOLD_TABLES.has(table)))
      return { label, format: 'money', currency: { code: 'USD' } };
    if (RATE.test(name)) return { label, format: 'percent' };
  }
  if (/^(smallint|integer|bigint|numeric|decimal|real|double precision)/.test(t))
    return { label, format: 'number' };
  if (t === 'text' && !ONE_LINE.test(name)) return { label, format: 'long_text' };
  return { label, format: 'text' };
}
