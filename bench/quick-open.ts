/**
 * bench/quick-open.ts: is Quick open (Mod+P in the workspace editor) fast enough to rank on every
 * keystroke? Runs the ranking the renderer runs (common/workspaces/quick-open.ts) over generated paths:
 *
 *   npx tsx bench/quick-open.ts [--paths 10000] [--rounds 5] [--seed 16]
 *
 *   `--paths` paths shaped like an SDF project's (src/FileCabinet/SuiteScripts/<area>/<sub>/<name>.js,
 *   src/Objects/customscript_<name>.xml, …; words from a small vocabulary joined by _, - or camelCase;
 *   a seeded generator, so every run ranks the same paths) ─► indexPaths once (timed apart: it runs
 *   when the file list changes, not per keystroke)
 *   ─► the queries a person types: for 24 files picked at random, each prefix of their name typed
 *      letter by letter, of an abbreviation (word starts) and of `folder/name`; a query that matches
 *      nothing; the empty query (recent files, then all) ─► one warm-up round, then `--rounds` rounds,
 *      each query timed alone (performance.now around quickOpen)
 *
 * Prints JSON: per query p50/p95/p99/max ms over every round, the number of queries and how many paths
 * the median query matched; exits 1 when p95 is over the 50 ms target.
 */
import { performance } from 'node:perf_hooks';
import { indexPaths, quickOpen } from '../common/workspaces/quick-open.ts';
import { seededRandom } from '../scripts/testing/seeded-random.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const pathCount = Number(arg('paths', '10000'));
const rounds = Number(arg('rounds', '5'));
const seed = Number(arg('seed', '16'));
const TARGET_MS = 50;

const random = seededRandom(seed);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const WORDS = [
  'sales',
  'order',
  'invoice',
  'customer',
  'vendor',
  'payment',
  'journal',
  'entry',
  'approval',
  'workflow',
  'item',
  'fulfillment',
  'return',
  'credit',
  'memo',
  'tax',
  'currency',
  'subsidiary',
  'account',
  'period',
  'close',
  'accrual',
  'revenue',
  'schedule',
  'amortization',
  'inventory',
  'transfer',
  'receipt',
  'purchase',
  'requisition',
  'expense',
  'report',
  'employee',
  'project',
  'task',
  'time',
  'bill',
  'stamp',
  'sync',
  'export',
  'import',
  'mapping',
  'validation',
  'helper',
  'utils',
  'legacy',
  'batch',
  'queue',
  'retry',
  'audit',
  'log',
  'config',
  'threshold',
  'policy',
];
const AREAS = ['finance', 'sales', 'procurement', 'inventory', 'hr', 'integrations', 'reporting', 'lib'];
const KINDS = ['ue', 'cs', 'sl', 'mr', 'ss', 'rl', 'wf', 'lib'];

function words(count: number): string[] {
  return Array.from({ length: count }, () => pick(WORDS));
}

function joined(parts: readonly string[]): string {
  const style = random();
  if (style < 0.4) return parts.join('_');
  if (style < 0.6) return parts.join('-');
  return parts.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

function generatedPath(): string {
  const roll = random();
  if (roll < 0.7) {
    const depth = Math.floor(random() * 3);
    const folders = [
      pick(AREAS),
      ...Array.from({ length: depth }, () => joined(words(1 + Math.floor(random() * 2)))),
    ];
    const name = `${pick(KINDS)}_${joined(words(2 + Math.floor(random() * 3)))}`;
    return `src/FileCabinet/SuiteScripts/${folders.join('/')}/${name}.${random() < 0.9 ? 'js' : 'json'}`;
  }
  if (roll < 0.9) return `src/Objects/customscript_${words(2 + Math.floor(random() * 2)).join('_')}.xml`;
  return `src/Templates/${pick(AREAS)}/${joined(words(2))}.${random() < 0.5 ? 'html' : 'ftl'}`;
}

const generated = new Set<string>(['src/manifest.xml', 'src/deploy.xml']);
while (generated.size < pathCount) generated.add(generatedPath());
const paths = [...generated];

/** Every prefix of `text` (what the input holds after each keystroke). */
const typed = (text: string) => Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1));

const queries: string[] = [''];
for (let i = 0; i < 24; i++) {
  const path = pick(paths);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const stem = name.slice(0, name.lastIndexOf('.'));
  const folder = path.split('/').slice(-2, -1)[0] ?? '';
  const abbreviation = (stem.match(/(?:^|[_-])[a-z]|[A-Z]/g) ?? [])
    .map((c) => c.replace(/[_-]/, ''))
    .join('');
  queries.push(
    ...typed(stem.slice(0, 16)),
    ...typed(abbreviation),
    ...typed(`${folder.slice(0, 5)}/${stem.slice(0, 6)}`),
  );
}
queries.push(...typed('zzqqxx'));

const indexStarted = performance.now();
const index = indexPaths(paths);
const indexMs = performance.now() - indexStarted;
const recent = paths.slice(0, 20);

for (const query of queries) quickOpen(index, query, { recent });
const times: number[] = [];
const matched: number[] = [];
for (let round = 0; round < rounds; round++)
  for (const query of queries) {
    const started = performance.now();
    const result = quickOpen(index, query, { recent });
    times.push(performance.now() - started);
    if (round === 0) matched.push(result.total);
  }

const sorted = (list: readonly number[]) => [...list].sort((a, b) => a - b);
const quantile = (list: readonly number[], q: number) =>
  sorted(list)[Math.min(list.length - 1, Math.floor(q * list.length))] as number;
const ms = (value: number) => Math.round(value * 1000) / 1000;
const p95 = quantile(times, 0.95);

console.log(
  JSON.stringify(
    {
      paths: index.entries.length,
      queries: queries.length,
      rounds,
      index_ms: ms(indexMs),
      per_query_ms: {
        p50: ms(quantile(times, 0.5)),
        p95: ms(p95),
        p99: ms(quantile(times, 0.99)),
        max: ms(Math.max(...times)),
      },
      matched_paths: { median: quantile(matched, 0.5), max: Math.max(...matched) },
      target_ms: TARGET_MS,
      met: p95 <= TARGET_MS,
    },
    null,
    2,
  ),
);
if (p95 > TARGET_MS) process.exitCode = 1;
