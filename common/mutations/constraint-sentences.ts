/**
 * common/mutations/constraint-sentences.ts: a refused write as a sentence a person can act on, naming
 * the field and the rule: "Priority must be between 1 and 5.", "Status must be one of Active or
 * Archived.", "Ends at must be after Starts at.", "Another workspace file already has this Workspace and
 * Path.", "Name is required.", "Assistant must name an existing assistant you can see.".
 *
 *   describeViolation(sqlstate, error, lookup) ─► the sentence, or null when nothing better than the
 *                                                 database's own message is known
 *
 * The rule comes from the constraint's definition (pg_get_constraintdef, read by the write catalog
 * from the database the write ran on), so the sentence always says what the database enforced. Forms
 * understood: `col IN (...)` / `col = ANY (ARRAY[...])`, ranges (`>=`, `<=`, `>`, `<`, BETWEEN, both
 * bounds), two columns compared, `<>` between two columns, blank text (`btrim(x) <> ''`), `IS NOT NULL`;
 * anything else names the fields and the rule's name. Never quotes key values (a unique or foreign-key
 * violation's DETAIL may show another tenant's row).
 */
import { choiceLabel, fieldLabel, joinWords, tableNoun } from '../records/fields.ts';

export interface ConstraintInfo {
  readonly name: string;
  /** The table as the app names it (locally `<t>_state` is reported as `<t>`). */
  readonly table: string;
  readonly kind: 'check' | 'unique' | 'primary_key' | 'foreign_key';
  readonly columns: readonly string[];
  readonly definition: string;
  /** The referenced table of a foreign key, and its columns (parallel to `columns`). */
  readonly references: string | null;
  readonly referencedColumns?: readonly string[];
}

/** Finds a constraint by the table a database error names (if any) and the constraint's name. */
export type ConstraintLookup = (table: string | null, name: string) => ConstraintInfo | undefined;

interface ErrorFields {
  readonly message?: unknown;
  readonly constraint?: unknown;
  readonly table?: unknown;
  readonly column?: unknown;
}

const COMPARISON: Readonly<Record<string, string>> = {
  '>': 'greater than',
  '>=': 'at least',
  '<': 'less than',
  '<=': 'at most',
};

const ORDER: Readonly<Record<string, string>> = {
  '>': 'after',
  '>=': 'the same as or after',
  '<': 'before',
  '<=': 'the same as or before',
};

/** The column a definition compares: `(col)::text`, `col`, `"col"` → col. */
const COLUMN = String.raw`\(*"?([a-z_][a-z0-9_]*)"?\)*(?:::[a-z ]+(?:\[\])?)?`;
const NUMBER = String.raw`\(*'?(-?\d+(?:\.\d+)?)'?\)*(?:::[a-z ]+)?`;

/** The values a CHECK allows its column, for `col IN (...)` / `col = ANY (ARRAY[...])`; else null. */
export function checkChoices(definition: string): string[] | null {
  const list =
    /= ANY \(\(?ARRAY\[(.*?)\]\)?(?:::[a-z ]+\[\])?\)/i.exec(definition) ?? /IN \((.*?)\)/i.exec(definition);
  if (!list?.[1]) return null;
  const values = [...list[1].matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] ?? '').replace(/''/g, "'"));
  return values.length > 0 ? values : null;
}

/** Rules across several columns whose definition reads badly as a comparison. */
const RULE_SENTENCES: Readonly<Record<string, string>> = {
  approvals_rejected_has_reason: 'A rejection needs a reason.',
  workspace_changesets_rejected_has_reason: 'A rejection needs a reason.',
  approvals_decision_has_decider: 'A decision needs the user who decided.',
  tenants_is_active_matches_status: 'Active must match the status: only an active tenant is active.',
  tenants_parent_matches_type: 'A subsidiary needs a parent tenant, and only a subsidiary has one.',
  tenants_not_own_parent: 'A tenant cannot be its own parent.',
  valid_delegation: 'Nobody can delegate to themselves: the delegate must be another user.',
};

/** The sentence for a CHECK constraint. */
export function describeCheck(info: Pick<ConstraintInfo, 'definition' | 'columns' | 'name'>): string {
  const known = RULE_SENTENCES[info.name];
  if (known) return known;
  const def = info.definition.replace(/^CHECK\s*/i, '').replace(/\s+NOT VALID$/i, '');
  const field = (c: string) => fieldLabel(c);
  const allowed = checkChoices(def);
  const only = info.columns.length === 1 ? info.columns[0] : undefined;
  if (allowed && only)
    return `${field(only)} must be ${allowed.length === 1 ? '' : 'one of '}${joinWords(allowed.map(choiceLabel), 'or')}.`;
  if (only) {
    const low = new RegExp(`${COLUMN} (>=|>) ${NUMBER}`).exec(def);
    const high = new RegExp(`${COLUMN} (<=|<) ${NUMBER}`).exec(def);
    const between = new RegExp(`${COLUMN} BETWEEN ${NUMBER} AND ${NUMBER}`, 'i').exec(def);
    if (between) return `${field(only)} must be between ${between[2]} and ${between[3]}.`;
    if (low?.[3] && high?.[3] && low[2] === '>=' && high[2] === '<=')
      return `${field(only)} must be between ${low[3]} and ${high[3]}.`;
    if (low?.[2] && low[3] && high?.[2] && high[3])
      return `${field(only)} must be ${COMPARISON[low[2]]} ${low[3]} and ${COMPARISON[high[2]]} ${high[3]}.`;
    const bound = low ?? high;
    if (bound?.[2] && bound[3]) return `${field(only)} must be ${COMPARISON[bound[2]]} ${bound[3]}.`;
    if (/btrim\(/.test(def) && /<> ''/.test(def)) return `${field(only)} must not be blank.`;
  }
  if (info.columns.length === 2) {
    const compared = new RegExp(`${COLUMN} (>=|>|<=|<|<>) ${COLUMN}`).exec(def);
    if (compared?.[1] && compared[2] && compared[3]) {
      const [, a, op, b] = compared;
      if (op === '<>') return `${field(a)} and ${field(b)} must be different.`;
      return `${field(a)} must be ${ORDER[op]} ${field(b)}.`;
    }
  }
  const fields = info.columns.length > 0 ? joinWords(info.columns.map(field)) : 'This row';
  return `${fields} ${info.columns.length > 1 ? 'break' : 'breaks'} the rule “${choiceLabel(info.name)}”.`;
}

const localName = (table: unknown) => (typeof table === 'string' ? table.replace(/_state$/, '') : null);

/**
 * The sentence for a refused write (SQLSTATE `state`) with what the catalog knows of its constraint;
 * null when the error is not a constraint or rule violation this module understands.
 */
export function describeViolation(
  state: string,
  error: ErrorFields,
  lookup?: ConstraintLookup,
): string | null {
  const table = localName(error.table);
  const name = typeof error.constraint === 'string' ? error.constraint : null;
  const info = name && lookup ? lookup(table, name) : undefined;
  switch (state) {
    case '23502': {
      const column = typeof error.column === 'string' ? error.column : null;
      return column ? `${fieldLabel(column)} is required.` : null;
    }
    case '23514':
      return info ? describeCheck(info) : null;
    case '23505': {
      if (!info) return null;
      const columns = info.columns.filter((c) => c !== 'tenant_id');
      const fields = joinWords(columns.map(fieldLabel));
      return info.kind === 'primary_key'
        ? `This ${tableNoun(info.table)} already exists (the same ${fields}).`
        : `Another ${tableNoun(info.table)} already has this ${fields}.`;
    }
    case '23503': {
      if (!info) return null;
      const column = info.columns.find((c) => c !== 'tenant_id') ?? info.columns[0] ?? '';
      return `${fieldLabel(column)} must name an existing ${tableNoun(info.references ?? 'row')} you can see.`;
    }
    case 'OP001': {
      const message = typeof error.message === 'string' ? error.message : '';
      const moved = /invalid (\w+) transition: (\S+) -> (\S+)/.exec(message);
      if (!moved?.[1] || !moved[2] || !moved[3]) return null;
      return `A ${moved[1].replace(/_/g, ' ')} that is ${choiceLabel(moved[2]).toLowerCase()} cannot move to ${choiceLabel(moved[3]).toLowerCase()}.`;
    }
    default:
      return null;
  }
}
