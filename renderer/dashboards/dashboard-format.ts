/**
 * renderer/dashboards/dashboard-format.ts: the dashboards' numbers as a person reads them, in the
 * user's locale: whole amounts with their currency for totals ("$12,340"), compact amounts for chart
 * axes ("$12K"), changes against the previous period ("+4.2 %"), spend in USD with cents.
 *
 * Total: an unknown currency code is written after the number, never thrown on.
 */
const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let format = cache.get(key);
  if (!format) {
    format = make();
    cache.set(key, format);
  }
  return format;
}

function moneyFormat(currency: string, style: 'whole' | 'compact' | 'cents'): Intl.NumberFormat {
  return numberFormat(`${currency}|${style}`, () => {
    const options: Intl.NumberFormatOptions =
      style === 'compact'
        ? { notation: 'compact', maximumFractionDigits: 1 }
        : {
            maximumFractionDigits: style === 'whole' ? 0 : 2,
            minimumFractionDigits: style === 'whole' ? 0 : 2,
          };
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency, ...options });
    } catch {
      return new Intl.NumberFormat(undefined, options);
    }
  });
}

function withCode(format: Intl.NumberFormat, value: number, currency: string): string {
  const text = format.format(value);
  return format.resolvedOptions().style === 'currency' ? text : `${text} ${currency}`;
}

/** "$12,340" */
export function wholeMoney(value: number, currency: string): string {
  return withCode(moneyFormat(currency, 'whole'), value, currency);
}

/** "$12K" for axis ticks. */
export function compactMoney(value: number, currency: string): string {
  return withCode(moneyFormat(currency, 'compact'), value, currency);
}

/** "$12.34" */
export function centsMoney(value: number, currency: string): string {
  return withCode(moneyFormat(currency, 'cents'), value, currency);
}

/** "+4.2 %" / "−3 %" of a ratio; null for no change figure. */
export function changeText(ratio: number | null): string | null {
  if (ratio === null || !Number.isFinite(ratio)) return null;
  const text = numberFormat(
    'percent',
    () =>
      new Intl.NumberFormat(undefined, {
        style: 'percent',
        maximumFractionDigits: 1,
        signDisplay: 'exceptZero',
      }),
  ).format(ratio);
  return text;
}

/** A plain number with up to `digits` decimals. */
export function plainNumber(value: number, digits = 1): string {
  return numberFormat(
    `plain|${digits}`,
    () => new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }),
  ).format(value);
}

/** A metric's value with its unit ("42 score", "2.5 %", "$180"). */
export function metricValue(value: number, unit: string | null): string {
  if (unit && /^[A-Z]{3}$/.test(unit)) return centsMoney(value, unit);
  if (unit === 'percent') return `${plainNumber(value, 2)} %`;
  return unit ? `${plainNumber(value)} ${unit}` : plainNumber(value);
}
