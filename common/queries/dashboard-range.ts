/**
 * common/queries/dashboard-range.ts: the parameters the dashboards' queries share: a range of local
 * calendar days (`from` ≤ `to`, both included, at most three years) and the bucket its series are
 * summed into.
 *
 * Buckets follow PostgreSQL's `date_trunc`: a day, an ISO week (starting on Monday) or a calendar
 * month; `bucketStarts` below is the same rule in TypeScript, the axis the view plots on. The comparison period is the
 * same number of days just before `from`, shifted forward onto the current axis, so day n of the
 * range meets day n of the previous period.
 */
import { z } from 'zod';
import { tenantScopeParam } from './query.ts';

export const BUCKETS = ['day', 'week', 'month'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The longest range a dashboard asks for, in days. */
export const MAX_RANGE_DAYS = 3 * 366;

const DAY_MS = 86_400_000;
export const isoDayParam = z.iso.date();

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const rangeShape = {
  tenantId: tenantScopeParam,
  from: isoDayParam,
  to: isoDayParam,
};

function checkRange(range: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const days = daysBetween(range.from, range.to);
  if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the end is before the start' });
  else if (days >= MAX_RANGE_DAYS)
    ctx.addIssue({ code: 'custom', path: ['to'], message: `a range is at most ${MAX_RANGE_DAYS} days` });
}

/** `{ tenantId, from, to }`. */
export const rangeParams = z.strictObject(rangeShape).superRefine(checkRange);

/** `{ tenantId, from, to, bucket }`. */
export const bucketedRangeParams = z
  .strictObject({ ...rangeShape, bucket: z.enum(BUCKETS).default('day') })
  .superRefine(checkRange);

/** `{ tenantId, from, to, bucket, compare }`: compare adds the previous period's rows. */
export const comparedRangeParams = z
  .strictObject({
    ...rangeShape,
    bucket: z.enum(BUCKETS).default('day'),
    compare: z.boolean().default(false),
  })
  .superRefine(checkRange);

/** `day` moved by `n` calendar days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The first day of `day`'s bucket (date_trunc's rule, on calendar days). */
export function bucketOf(day: string, bucket: Bucket): string {
  if (bucket === 'day') return day;
  if (bucket === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** Every bucket's first day from `from` to `to`, the first clamped to `from` (as the queries do). */
export function bucketStarts(from: string, to: string, bucket: Bucket): string[] {
  const starts: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const start = bucketOf(day, bucket);
    const clamped = start < from ? from : start;
    if (starts.at(-1) !== clamped) starts.push(clamped);
  }
  return starts;
}
