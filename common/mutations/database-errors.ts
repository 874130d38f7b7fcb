/**
 * common/mutations/database-errors.ts: turns the errors PostgreSQL (and PGlite, which raises the same
 * SQLSTATEs) reports for a write into Outpost's stable error codes.
 *
 *   OP001 (lifecycle trigger)                          invalid_transition
 *   OP002 (audit log is append-only)                   forbidden
 *   OP003 (business-rule trigger), 23502 not null,
 *   23514 check, 23503 foreign key, class 22 (bad
 *   value for the type: syntax, range, length, NUL),
 *   54000 (value too large for an index)               validation
 *   23505 unique, 23P01 exclusion                      conflict
 *   42501 (row-level security WITH CHECK, privilege)   forbidden
 *   55P03 lock timeout, 40001 / 40P01                  conflict (retryable)
 *
 * Anything else is not an expected outcome of a request and is returned as null (the caller treats it
 * as a bug). Messages never include the error's DETAIL: for a unique or foreign-key violation it
 * quotes key values, which may belong to another tenant's row.
 */
import { OutpostError, type ErrorCode } from '../errors.ts';
import { choiceLabel, joinWords } from '../records/fields.ts';
import { describeViolation, type ConstraintLookup } from './constraint-sentences.ts';

interface DatabaseErrorLike {
  code?: unknown;
  message?: unknown;
  hint?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
}

/** What a lifecycle trigger's HINT says may follow (0050's enforce_transition), as a sentence. */
function nextStates(hint: unknown): string {
  if (typeof hint !== 'string') return '';
  const allowed = /^from (\S+) the allowed next states are: (.+)$/.exec(hint);
  if (allowed?.[1] && allowed[2])
    return ` From ${choiceLabel(allowed[1]).toLowerCase()} it can move to ${joinWords(
      allowed[2].split(', ').map((s) => choiceLabel(s).toLowerCase()),
      'or',
    )}.`;
  const final = /^(\S+) is a final state$/.exec(hint);
  return final?.[1] ? ` ${choiceLabel(final[1])} is final.` : '';
}

/** SQLSTATEs after which retrying the whole transaction may succeed. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);

export function sqlStateOf(error: unknown): string | null {
  const code = (error as DatabaseErrorLike | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

function codeFor(state: string): ErrorCode | null {
  switch (state) {
    case 'OP001':
      return 'invalid_transition';
    case 'OP002':
    case '42501':
      return 'forbidden';
    case 'OP003':
    case '23502':
    case '23514':
    case '23503':
    case '54000':
      return 'validation';
    case '23505':
    case '23P01':
    case '55P03':
    case '40001':
    case '40P01':
      return 'conflict';
    default:
      return state.startsWith('22') ? 'validation' : null;
  }
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…` : text);

function explain(state: string, e: DatabaseErrorLike): string {
  const message = typeof e.message === 'string' ? clip(e.message) : 'the database refused the write';
  const hint = typeof e.hint === 'string' && e.hint ? ` (${clip(e.hint, 200)})` : '';
  const constraint = typeof e.constraint === 'string' ? e.constraint : null;
  switch (state) {
    case '23505':
      return `A row with the same ${constraint ? `values for ${constraint}` : 'unique values'} already exists.`;
    case '23503':
      return `A referenced row does not exist (or is not yours)${constraint ? `: ${constraint}` : ''}.`;
    case '42501':
      return `The database refused this write for your tenant: ${message}.`;
    case '55P03':
    case '40001':
    case '40P01':
      return 'Another write holds the same rows; retry the batch.';
    default:
      return `${message}${hint}.`;
  }
}

/**
 * The OutpostError a database error stands for, or null for an unexpected one. With `constraints` (the
 * write catalog's lookup) a constraint or lifecycle violation becomes a sentence naming the field and
 * the rule (constraint-sentences.ts); without, the database's message.
 */
export function mapDatabaseError(error: unknown, constraints?: ConstraintLookup): OutpostError | null {
  const state = sqlStateOf(error);
  if (!state) return null;
  const code = codeFor(state);
  if (!code) return null;
  const e = error as DatabaseErrorLike;
  const sentence = describeViolation(state, e, constraints);
  // The field the rule is about, so a form can mark it: the database names it for a missing value,
  // the constraint's columns otherwise (the first that is not the tenant).
  const info =
    typeof e.constraint === 'string' && constraints
      ? constraints(typeof e.table === 'string' ? e.table.replace(/_state$/, '') : null, e.constraint)
      : undefined;
  const column = typeof e.column === 'string' ? e.column : info?.columns.find((c) => c !== 'tenant_id');
  return new OutpostError(
    code,
    sentence ? `${sentence}${state === 'OP001' ? nextStates(e.hint) : ''}` : explain(state, e),
    {
      sqlstate: state,
      ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}),
      ...(column ? { column } : {}),
    },
    { cause: error },
  );
}
