/**
 * common/queries/dashboard-range.ts: the parameters the dashboards' queries share: a range of local
 * calendar days (`from` ≤ `to`, both included, at most three years) and the bucket its series are
 * summed into.
 *
 * Buckets follow PostgreSQL's `date_trunc`: a day, an ISO week (starting on Monday) or a calendar
 * month; the view builds the same axis with common/dashboards/buckets.ts. The comparison period is the
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
