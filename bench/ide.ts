/**
 * bench/ide.ts: the workspace IDE's own computations against the issue's targets, in Node (the code
 * the renderer runs, from common/; the Chromium parts, Monaco's paint and the tree's render, are not
 * measured here: docs/benchmarks.md says which):
 *
 *   npx tsx bench/ide.ts [--rounds 7]
 *
 *   diff   a 5,000-line SuiteScript file with 200 changed hunks: `make`, the unified diff made
 *          (diffText, once, when a changeset is created from drafts); `review`, read back into hunks
 *          with ids (hunksOf) and the text before recovered (baseOf), what the review computes per
 *          file shown                                                                target ≤ 100 ms
 *   validate  a 200-file SDF project (manifest, deploy, 60 Objects/*.xml, 120 SuiteScript files of
 *          ~150 lines, 18 JSON files), validated locally (validateWorkspace)          target ≤ 1 s
 *
 * One warm-up round, then `--rounds` rounds; prints JSON with each step's median and max in ms.
 */
import { performance } from 'node:perf_hooks';
import { validateWorkspace, type WorkspaceFileText } from '../common/workspaces/validate.ts';
import { baseOf, diffText, hunksOf } from '../common/workspaces/patch.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const rounds = Number(arg('rounds', '7'));

function suiteScript(lines: number, tag: string): string {
  const body = Array.from(
    { length: lines },
    (_, i) => `    const value${i} = record.getValue({ fieldId: 'custbody_${tag}_${i}' }); // line ${i}`,
  );
  return [
    '/**',
    ' * @NApiVersion 2.1',
    ' * @NScriptType UserEventScript',
    ' */',
    "define(['N/record', 'N/log'], (record, log) => {",
    '  const beforeSubmit = (context) => {',
    ...body,
    '  };',
    '  return { beforeSubmit };',
    '});',
    '',
  ].join('\n');
}

/** The file with 200 hunks: every 25th line changed. */
function changed(text: string): string {
  return text
    .split('\n')
    .map((line, i) => (i % 25 === 5 ? `${line} // reviewed` : line))
    .join('\n');
}

function project(): WorkspaceFileText[] {
  const files: WorkspaceFileText[] = [
    {
      path: 'manifest.xml',
      content: '<manifest projecttype="ACCOUNTCUSTOMIZATION"><projectname>bench</projectname></manifest>\n',
    },
    {
      path: 'deploy.xml',
      content:
        '<deploy><files><path>~/FileCabinet/*</path></files><objects><path>~/Objects/*</path></objects></deploy>\n',
    },
  ];
  for (let i = 0; i < 120; i++)
    files.push({ path: `FileCabinet/SuiteScripts/bench/script_${i}.js`, content: suiteScript(140, `s${i}`) });
  for (let i = 0; i < 60; i++)
    files.push({
      path: `Objects/customscript_bench_${i}.xml`,
      content: `<usereventscript scriptid="customscript_bench_${i}"><name>Bench ${i}</name><scriptfile>[/SuiteScripts/bench/script_${i}.js]</scriptfile></usereventscript>\n`,
    });
  for (let i = 0; i < 18; i++)
    files.push({
      path: `FileCabinet/SuiteScripts/bench/config_${i}.json`,
      content: JSON.stringify({ i, keys: [1, 2, 3] }),
    });
  return files;
}

function time(run: () => unknown): { median: number; max: number } {
  run();
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    run();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { median: round(ms[Math.floor(ms.length / 2)] ?? 0), max: round(ms[ms.length - 1] ?? 0) };
}

const base = suiteScript(4990, 'big');
const next = changed(base);
const unified = diffText('big.js', base, next);
const make = time(() => diffText('big.js', base, next));
let hunks = 0;
const read = time(() => {
  hunks = hunksOf(unified).length;
  if (baseOf(next, unified) !== base) throw new Error('baseOf did not recover the base');
});
const files = project();
let problems = 0;
const validate = time(() => {
  problems = validateWorkspace(files).length;
});

console.log(
  JSON.stringify(
    {
      rounds,
      diff: {
        lines: base.split('\n').length,
        hunks,
        make,
        review: read,
        targetMs: 100,
      },
      validate: { files: files.length, problems, ...validate, targetMs: 1000 },
    },
    null,
    2,
  ),
);
