/**
 * renderer/delegations/delegation-form.ts: the delegation form as plain data: what it starts with, and
 * how its fields become the values of `delegation.create` or a sentence per field that says what is
 * wrong, before anything is sent. The named operation and the database check the same rules again
 * (common/mutations/delegations.ts); this only lets the form say so at once, next to the field.
 *
 * Pure: no React, no engine; the clock is a parameter. Times are `datetime-local` texts in the
 * runtime's time zone and leave as UTC ISO strings.
 */
import { MAX_DELEGATION_DAYS } from '../../common/mutations/delegations.ts';
import { localDateTimeText } from '../records/edit.ts';

export const RISK_LEVELS = [0, 1, 2, 3, 4, 5] as const;

const DAY_MS = 24 * 3600_000;

export interface DelegationDraft {
  readonly delegateId: string;
  /** `YYYY-MM-DDTHH:mm`, local time. */
  readonly startsAt: string;
  readonly endsAt: string;
  /** The risk levels covered; all six means every level. */
  readonly riskLevels: readonly number[];
  readonly reason: string;
}

export interface DelegationValues {
  readonly delegate_id: string;
  readonly starts_at: string;
  readonly ends_at: string;
  /** null: every risk level. */
  readonly risk_levels: number[] | null;
  readonly reason?: string;
}

export type DraftField = 'delegateId' | 'startsAt' | 'endsAt' | 'riskLevels' | 'reason';

export type DraftCheck =
  | { readonly ok: true; readonly values: DelegationValues }
  | { readonly ok: false; readonly problems: Partial<Record<DraftField, string>> };

/** A week from now, every risk level, nobody chosen yet. */
export function emptyDraft(now: number): DelegationDraft {
  return {
    delegateId: '',
    startsAt: localDateTimeText(now),
    endsAt: localDateTimeText(now + 7 * DAY_MS),
    riskLevels: [...RISK_LEVELS],
    reason: '',
  };
}

/** A `datetime-local` text as epoch ms; NaN when it is not a complete date and time. */
export function parseLocal(text: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text) ? new Date(text).getTime() : Number.NaN;
}

/** The draft as operation values, or what is wrong with each field. */
export function checkDraft(draft: DelegationDraft, now: number): DraftCheck {
  const problems: Partial<Record<DraftField, string>> = {};
  if (!draft.delegateId) problems.delegateId = 'Choose who decides for you.';
  const starts = parseLocal(draft.startsAt);
  const ends = parseLocal(draft.endsAt);
  if (Number.isNaN(starts)) problems.startsAt = 'Give the date and time it starts.';
  if (Number.isNaN(ends)) problems.endsAt = 'Give the date and time it ends.';
  else if (ends <= now) problems.endsAt = 'The end is in the past: the delegation would never apply.';
  else if (!Number.isNaN(starts) && ends <= starts) problems.endsAt = 'It must end after it starts.';
  else if (!Number.isNaN(starts) && ends - starts > MAX_DELEGATION_DAYS * DAY_MS)
    problems.endsAt = `A delegation lasts at most ${MAX_DELEGATION_DAYS} days; end it earlier.`;
  if (draft.riskLevels.length === 0)
    problems.riskLevels = 'Choose at least one risk level (all of them: every approval).';
  const reason = draft.reason.trim();
  if (reason.length > 1000) problems.reason = `The reason is ${reason.length} characters; 1,000 at most.`;
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const every = RISK_LEVELS.every((l) => draft.riskLevels.includes(l));
  return {
    ok: true,
    values: {
      delegate_id: draft.delegateId,
      starts_at: new Date(starts).toISOString(),
      ends_at: new Date(ends).toISOString(),
      risk_levels: every ? null : [...draft.riskLevels].sort((a, b) => a - b),
      ...(reason ? { reason } : {}),
    },
  };
}

/** "every risk level", "risk 4 and 5", "risk 0 to 2": how a delegation's levels read. */
export function riskLevelsText(levels: readonly number[] | null): string {
  if (levels === null || RISK_LEVELS.every((l) => levels.includes(l))) return 'every risk level';
  const sorted = [...levels].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return 'no risk level';
  if (sorted.length === 1) return `risk ${first} only`;
  if (last - first === sorted.length - 1 && sorted.length > 2) return `risk ${first} to ${last}`;
  return `risk ${sorted.slice(0, -1).join(', ')} and ${last}`;
}

/** Where a delegation stands now, in words, for its line. */
export function delegationState(
  d: { readonly is_active: boolean; readonly starts_at: string; readonly ends_at: string },
  now: number,
): 'revoked' | 'ended' | 'scheduled' | 'active' {
  if (!d.is_active) return 'revoked';
  if (Date.parse(d.ends_at) <= now) return 'ended';
  if (Date.parse(d.starts_at) > now) return 'scheduled';
  return 'active';
}
