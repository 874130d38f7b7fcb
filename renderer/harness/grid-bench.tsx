/**
 * renderer/harness/grid-bench.tsx: a page of the harness build (harness/grid-bench.html,
 * vite.harness.config.ts; never in the app's builds) that renders the explorer's real DataGrid over a
 * synthetic table, for bench/grid.ts to scroll and time. No engine, no network, no engine store:
 * DataGrid takes props only.
 *
 *   ?rows=100000&latency=5 ──► SyntheticTable (rows made from their index: uuid id, tenant_id, name,
 *                              status, numeric amount, jsonb context, timestamptz created_at)
 *   DataGrid ──onVisible──► useSyntheticPages: the real paging logic (usePagedQuery of
 *       use-table-pages.ts) over a synthetic page source that answers after `latency` ms, as the core
 *       answers a live query
 *   bench/grid.ts ──page.evaluate──► window.__gridBench (frame recorder, scroll, jumps, counters)
 *
 * The paging is the app's own code; only the source of pages is synthetic. Measurement is in this
 * page, with requestAnimationFrame timestamps: a frame is the time between two rAF callbacks.
 * Nothing here is reachable from the app's own pages. The grid holds the `listFocus` context key
 * while focused, which nothing reads here.
 */
import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ColumnInfo, Row } from '../../common/rpc/contract.ts';
import { DataGrid } from '../explorer/DataGrid.tsx';
import { PAGE_SIZE } from '../explorer/table-pages.ts';
import { usePagedQuery, type PageSource, type TablePages } from '../explorer/use-table-pages.ts';
import { presentColumn } from '../../common/records/presentation.ts';
import '../shell/shell.css';
import '../records/records.css';

const ROW_HEIGHT = 30;
const params = new URLSearchParams(location.search);
const ROWS = Math.max(0, Math.min(1_000_000, Number(params.get('rows') ?? '100000') || 0));
const LATENCY_MS = Math.max(0, Math.min(1000, Number(params.get('latency') ?? '5') || 0));

const COLUMN_TYPES: readonly [string, string, boolean][] = [
  ['id', 'uuid', false],
  ['tenant_id', 'uuid', false],
  ['name', 'text', false],
  ['status', 'text', false],
  ['amount', 'numeric(12,2)', true],
  ['context', 'jsonb', true],
  ['created_at', 'timestamp with time zone', false],
];
const COLUMNS: readonly ColumnInfo[] = COLUMN_TYPES.map(([name, type, nullable]) => ({
  name,
  type,
  nullable,
  presentation: presentColumn(
    'grid_bench',
    name,
    type,
    COLUMN_TYPES.map(([n]) => n),
    name === 'status' ? { choices: ['active', 'archived'] } : {},
  ),
}));
const TENANTS = [
  '10000000-0000-4000-8000-000000000001',
  '10000000-0000-4000-8000-000000000002',
  '10000000-0000-4000-8000-000000000003',
];
const STATUSES = ['pending', 'approved', 'rejected', 'escalated', 'expired'];
const WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay'];
const EPOCH = Date.UTC(2026, 0, 1);

/** Row `i` of the synthetic table, as the core sends it (plain values, toPlainRow). */
function rowOf(i: number): Row {
  const hex = i.toString(16).padStart(12, '0');
  return {
    id: `20000000-0000-4000-8000-${hex}`,
    tenant_id: TENANTS[i % TENANTS.length] ?? null,
    name: `${WORDS[i % WORDS.length] ?? ''} order ${i} for ${WORDS[(i * 7) % WORDS.length] ?? ''}`,
    status: STATUSES[i % STATUSES.length] ?? null,
    amount: i % 17 === 0 ? null : (((i * 7919) % 1_000_000) / 100).toFixed(2),
    context: { source: 'netsuite', line: i, tags: ['bench', `t${i % 13}`], nested: { ok: i % 2 === 0 } },
    created_at: new Date(EPOCH + i * 60_000).toISOString(),
  };
}

function pageRows(page: number): readonly Row[] {
  const rows: Row[] = [];
  for (let i = page * PAGE_SIZE; i < Math.min(ROWS, (page + 1) * PAGE_SIZE); i++) rows.push(rowOf(i));
  return rows;
}

/** What the page counts for the benchmark (read through window.__gridBench.counters). */
const counters = { subscriptions: 0, deliveries: 0, cachedPages: 0 };

/** A synthetic source of live pages: each answered once after LATENCY_MS, like the core's first result. */
const syntheticSource: PageSource = (query, onPage) => {
  counters.subscriptions++;
  const page = Math.floor((query.offset ?? 0) / PAGE_SIZE);
  const timer = setTimeout(() => {
    counters.deliveries++;
    const rows = [...pageRows(page)];
    onPage({ rows, total: ROWS, rowLabels: rows.map((r) => String(r['name'])), labels: {} });
  }, LATENCY_MS);
  return () => clearTimeout(timer);
};

const QUERY = { table: 'synthetic' };

/** The real paging logic of use-table-pages.ts over the synthetic source. */
function useSyntheticPages(visible: { first: number; last: number }): TablePages {
  const pages = usePagedQuery(syntheticSource, QUERY, visible);
  useEffect(() => {
    let cached = 0;
    for (let p = 0; p * PAGE_SIZE < ROWS; p++) if (pages.row(p * PAGE_SIZE) !== undefined) cached++;
    counters.cachedPages = cached;
  }, [pages]);
  return pages;
}

function GridBench() {
  const [visible, setVisible] = useState({ first: 0, last: 50 });
  const [active, setActive] = useState(0);
  const pages = useSyntheticPages(visible);
  const onVisible = useCallback((range: { first: number; last: number }) => setVisible(range), []);
  return (
    <DataGrid
      columns={COLUMNS}
      pages={pages}
      sort={null}
      onSort={() => undefined}
      active={active}
      onActive={setActive}
      onOpen={() => undefined}
      onVisible={onVisible}
      label={`Synthetic table, ${ROWS} rows`}
    />
  );
}

/** Frames of one measured phase: rAF deltas and what the grid looked like in each frame. */
export interface PhaseFrames {
  readonly frameMs: number[];
  readonly domRowsMin: number;
  readonly domRowsMax: number;
  /** Frames in which a row inside the viewport still showed the loading placeholder. */
  readonly blankFrames: number;
  /** long-animation-frame entries (work over 50 ms in one frame) during the phase. */
  readonly longAnimationFrames: number;
}

function scroller(): HTMLElement {
  const grid = document.querySelector<HTMLElement>('[data-testid="data-grid"]');
  if (!grid) throw new Error('grid-bench: the grid is not rendered');
  return grid;
}

function domRows(): number {
  return scroller().querySelectorAll('.grid-body > [role="row"]').length;
}

/** Whether a row inside the viewport still shows the loading placeholder. */
function blankInView(): boolean {
  const el = scroller();
  const first = Math.floor(el.scrollTop / ROW_HEIGHT);
  const last = Math.ceil((el.scrollTop + el.clientHeight) / ROW_HEIGHT);
  for (const cell of el.querySelectorAll('.grid-loading')) {
    const index = Number(cell.parentElement?.getAttribute('aria-rowindex')) - 2;
    if (index >= first && index <= last) return true;
  }
  return false;
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/** Records every frame from start() until stop(). */
class FrameRecorder {
  /** Bumped by start() and stop(), so a loop of an earlier phase still queued ends at its next frame. */
  private generation = 0;
  private last = 0;
  private frameMs: number[] = [];
  private min = Number.POSITIVE_INFINITY;
  private max = 0;
  private blank = 0;
  private longFrames = 0;
  private observer: PerformanceObserver | null = null;

  start(): void {
    this.frameMs = [];
    this.min = Number.POSITIVE_INFINITY;
    this.max = 0;
    this.blank = 0;
    this.longFrames = 0;
    this.last = 0;
    const generation = ++this.generation;
    if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
      this.observer = new PerformanceObserver((list) => (this.longFrames += list.getEntries().length));
      this.observer.observe({ type: 'long-animation-frame' });
    }
    const tick = (now: number) => {
      if (generation !== this.generation) return;
      if (this.last > 0) this.frameMs.push(now - this.last);
      this.last = now;
      const rows = domRows();
      this.min = Math.min(this.min, rows);
      this.max = Math.max(this.max, rows);
      if (blankInView()) this.blank++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  stop(): PhaseFrames {
    this.generation++;
    this.observer?.disconnect();
    this.observer = null;
    return {
      frameMs: this.frameMs,
      domRowsMin: this.min,
      domRowsMax: this.max,
      blankFrames: this.blank,
      longAnimationFrames: this.longFrames,
    };
  }
}

/** A small deterministic generator, so every run jumps to the same rows. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const recorder = new FrameRecorder();

const api = {
  rows: ROWS,
  latencyMs: LATENCY_MS,
  /** Resolves once the total is known and the first viewport shows rows. */
  async ready(): Promise<void> {
    const until = performance.now() + 10_000;
    while (performance.now() < until) {
      await nextFrame();
      const grid = document.querySelector('[data-testid="data-grid"]');
      if (grid && Number(grid.getAttribute('aria-rowcount')) === ROWS + 1 && !blankInView()) return;
    }
    throw new Error('grid-bench: the grid never showed its first rows');
  },
  counters: () => ({ ...counters, domRows: domRows() }),
  scrollToTop: () => scroller().scrollTo(0, 0),
  /** How many rows one PageDown moves (DataGrid: a viewport less one row). */
  rowsPerPageDown: () => Math.max(1, Math.floor(scroller().clientHeight / ROW_HEIGHT) - 1),
  startFrames: () => recorder.start(),
  stopFrames: () => recorder.stop(),
  /** Scrolls down at `pxPerSecond` for `ms`, one scrollTop step per frame. */
  async scroll(pxPerSecond: number, ms: number): Promise<PhaseFrames> {
    const el = scroller();
    const from = el.scrollTop;
    recorder.start();
    const t0 = await nextFrame();
    for (let now = t0; now - t0 < ms; now = await nextFrame())
      el.scrollTop = from + ((now - t0) / 1000) * pxPerSecond;
    return recorder.stop();
  },
  /** `count` jumps to random rows; per jump, the time until no row in view is a placeholder. */
  async jumps(count: number, seed: number): Promise<PhaseFrames & { fillMs: number[]; unfilled: number }> {
    const el = scroller();
    const random = lcg(seed);
    const fillMs: number[] = [];
    let unfilled = 0;
    recorder.start();
    for (let j = 0; j < count; j++) {
      el.scrollTop = Math.floor(random() * Math.max(0, el.scrollHeight - el.clientHeight));
      const t0 = performance.now();
      let filled = false;
      while (performance.now() - t0 < 5_000) {
        await nextFrame();
        if (!blankInView()) {
          filled = true;
          break;
        }
      }
      if (filled) fillMs.push(performance.now() - t0);
      else unfilled++;
      for (let k = 0; k < 5; k++) await nextFrame();
    }
    return { ...recorder.stop(), fillMs, unfilled };
  },
  /** Waits until every row in view is filled; resolves to the time it took (or -1 after 5 s). */
  async settle(): Promise<number> {
    const t0 = performance.now();
    while (performance.now() - t0 < 5_000) {
      if (!blankInView()) return performance.now() - t0;
      await nextFrame();
    }
    return -1;
  },
};

declare global {
  interface Window {
    __gridBench?: typeof api;
  }
}
window.__gridBench = api;

const container = document.getElementById('root');
if (!container) throw new Error('grid-bench: the #root element is missing');
createRoot(container).render(
  <StrictMode>
    <GridBench />
  </StrictMode>,
);
