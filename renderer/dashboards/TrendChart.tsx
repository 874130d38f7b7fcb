/**
 * renderer/dashboards/TrendChart.tsx: one time-series chart drawn by uPlot (canvas; docs/architecture.md
 * "Dashboards" says why uPlot): buckets on a local-date axis, values formatted by the caller (amounts
 * with their currency), a live legend that shows every series' value under the cursor, a dashed line
 * for the previous period.
 *
 * The chart is made once per shape (series labels, colour scheme) and fed new data with setData, so a
 * live update redraws without rebuilding; it follows its container's width. Colours come from the
 * app's CSS variables, so it is dark or light with the rest of the app. uPlot writes no inline
 * scripts and needs only its stylesheet (imported here), so the CSP is unchanged.
 */
import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { markFirstChartPainted } from './dashboard-timing.ts';

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** A CSS variable of the theme (`--accent`) or a colour. */
  readonly color: string;
  readonly dashed?: boolean;
  /** Few points with gaps between them: joined across the gaps, each point marked. */
  readonly sparse?: boolean;
}

export interface TrendChartProps {
  readonly title: string;
  /** The buckets' first days, YYYY-MM-DD. */
  readonly axis: readonly string[];
  readonly series: readonly ChartSeries[];
  /** A value as a person reads it (the legend and the y axis). */
  readonly format: (value: number) => string;
  /** A short form for the y axis ticks; default `format`. */
  readonly formatTick?: (value: number) => string;
  readonly height?: number;
  readonly testId?: string;
}

const lightScheme = () => window.matchMedia('(prefers-color-scheme: light)');
function subscribeScheme(onChange: () => void): () => void {
  const media = lightScheme();
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}
const useLightScheme = () => useSyncExternalStore(subscribeScheme, () => lightScheme().matches);

function cssColor(color: string): string {
  if (!color.startsWith('--')) return color;
  return getComputedStyle(document.documentElement).getPropertyValue(color).trim() || '#888';
}

/** A local calendar day as uPlot's x value (seconds at local midnight). */
export function dayToSeconds(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime() / 1000;
}

const longDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const monthYear = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });

/** Spans over 200 days label the x axis by month and year, shorter ones by day and month. */
function dateTicks(u: uPlot, splits: number[]): string[] {
  const xs = u.data[0];
  const span = xs.length > 1 ? (xs[xs.length - 1] ?? 0) - (xs[0] ?? 0) : 0;
  const format = span > 200 * 86_400 ? monthYear : shortDate;
  return splits.map((v) => format.format(v * 1000));
}

/** The options of a chart of the props `get()` returns (read at draw time: formats follow the props). */
function options(get: () => TrendChartProps, width: number): uPlot.Options {
  const props = get();
  const muted = cssColor('--muted');
  const grid = cssColor('--border');
  return {
    width,
    height: props.height ?? 220,
    scales: { x: { time: true } },
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: 'Date', value: (_u, v) => (v == null ? '–' : longDate.format(v * 1000)) },
      ...props.series.map((s): uPlot.Series => ({
        label: s.label,
        stroke: cssColor(s.color),
        width: 2,
        spanGaps: s.sparse ?? false,
        points: { show: (s.sparse ?? false) || props.axis.length <= 60 },
        value: (_u, v) => (v == null ? '–' : get().format(v)),
        ...(s.dashed ? { dash: [6, 4] } : {}),
      })),
    ],
    axes: [
      {
        stroke: muted,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        values: dateTicks,
      },
      {
        stroke: muted,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        size: 76,
        values: (_u, splits) => splits.map((v) => (get().formatTick ?? get().format)(v)),
      },
    ],
    hooks: { draw: [() => markFirstChartPainted()] },
  };
}

function chartData(props: TrendChartProps): uPlot.AlignedData {
  return [props.axis.map(dayToSeconds), ...props.series.map((s) => [...s.values])];
}

export function TrendChart(props: TrendChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const light = useLightScheme();
  const shape = `${light}|${props.title}|${props.series.map((s) => `${s.label}:${s.color}:${s.dashed ?? false}:${s.sparse ?? false}`).join('|')}`;
  // The props a drawn chart formats with (its options read them at draw time).
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const made = new uPlot(
      options(() => latest.current, element.clientWidth || 600),
      chartData(latest.current),
      element,
    );
    chart.current = made;
    const resize = new ResizeObserver(() => {
      if (element.clientWidth > 0) made.setSize({ width: element.clientWidth, height: made.height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      made.destroy();
      chart.current = null;
    };
    // The chart is rebuilt only when its shape changes; data changes go through setData below.
  }, [shape]);

  const { axis, series } = props;
  useEffect(() => {
    chart.current?.setData(chartData({ ...latest.current, axis, series }));
  }, [axis, series]);

  return (
    <figure className="dashboard-chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div ref={box} className="dashboard-chart-canvas" />
    </figure>
  );
}
