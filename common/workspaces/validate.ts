/**
 * common/workspaces/validate.ts: the local validation of a workspace (the `sdf_validate` checks that
 * need no NetSuite and no Java): instant feedback in the editor, as Monaco markers and a problems
 * panel. The server's runs of record use the same code.
 *
 *   validateWorkspace(files) ─► problems, ordered by path, line, column
 *     *.json                     JSON.parse (json.syntax at the error's position)
 *     *.xml                      well-formed (validate-xml.ts)
 *     *.js                       parses; SuiteScript annotations (validate-suitescript.ts)
 *     the SDF project            manifest.xml and deploy.xml at its root with <manifest> / <deploy>
 *                                roots; each Objects/**.xml is well-formed and every file it
 *                                references as [/SuiteScripts/...] or [/Templates/...] exists under
 *                                FileCabinet/ (sdf.*)
 *
 * The project root is the folder of the shallowest manifest.xml; a workspace with no manifest.xml
 * but with Objects/ or FileCabinet/ folders misses one (sdf.manifest_missing). Guarantees: pure and
 * synchronous; a file is read once; every problem names a file of the workspace (or the manifest that
 * should exist).
 */
import { positionAt, type ValidationProblem } from './problem.ts';
import { checkJson } from './validate-json.ts';
import { checkSuiteScript } from './validate-suitescript.ts';
import { checkXml } from './validate-xml.ts';

export interface WorkspaceFileText {
  readonly path: string;
  readonly content: string;
}

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');

function checkProject(
  files: readonly WorkspaceFileText[],
  roots: Map<string, string | null>,
): ValidationProblem[] {
  const manifests = files.filter((f) => /(^|\/)manifest\.xml$/.test(f.path));
  const manifest = manifests.sort((a, b) => a.path.split('/').length - b.path.split('/').length)[0];
  const problems: ValidationProblem[] = [];
  const at = (path: string, code: string, message: string, line = 1, column = 1): void => {
    problems.push({ path, line, column, severity: 'error', code, message });
  };
  if (!manifest) {
    if (files.some((f) => /(^|\/)(Objects|FileCabinet)\//.test(f.path)))
      at('manifest.xml', 'sdf.manifest_missing', 'An SDF project needs manifest.xml at its root.');
    return problems;
  }
  const root = dirOf(manifest.path);
  const paths = new Set(files.map((f) => f.path));
  const rootOf = (path: string) => roots.get(path);
  /** Whether the file parsed as XML but its root element is not `expected`. */
  const wrongRoot = (path: string, expected: string) => ![undefined, null, expected].includes(rootOf(path));
  if (wrongRoot(manifest.path, 'manifest'))
    at(
      manifest.path,
      'sdf.manifest_root',
      'manifest.xml must have a <manifest projecttype="..."> root element.',
    );
  const deploy = `${root}deploy.xml`;
  if (!paths.has(deploy))
    at(deploy, 'sdf.deploy_missing', 'An SDF project needs deploy.xml beside manifest.xml.');
  else if (wrongRoot(deploy, 'deploy'))
    at(deploy, 'sdf.deploy_root', 'deploy.xml must have a <deploy> root element.');
  for (const object of files.filter((f) => f.path.startsWith(`${root}Objects/`) && f.path.endsWith('.xml'))) {
    if (rootOf(object.path) === null) continue;
    for (const ref of object.content.matchAll(
      /\[(\/(?:SuiteScripts|Templates|SuiteApps|Web Site Hosting Files)\/[^\]]+)\]/g,
    )) {
      const target = `${root}FileCabinet${ref[1] ?? ''}`;
      if (!paths.has(target)) {
        const { line, column } = positionAt(object.content, ref.index ?? 0);
        at(
          object.path,
          'sdf.missing_file',
          `${ref[1] ?? ''} is referenced but ${target} is not in the project.`,
          line,
          column,
        );
      }
    }
  }
  return problems;
}

export function validateWorkspace(files: readonly WorkspaceFileText[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const xmlRoots = new Map<string, string | null>();
  for (const f of files) {
    if (f.path.endsWith('.json')) problems.push(...checkJson(f.path, f.content));
    else if (f.path.endsWith('.xml')) {
      const checked = checkXml(f.path, f.content);
      xmlRoots.set(f.path, checked.root);
      if (checked.problem) problems.push(checked.problem);
    } else if (f.path.endsWith('.js')) problems.push(...checkSuiteScript(f.path, f.content));
  }
  problems.push(...checkProject(files, xmlRoots));
  return problems.sort((a, b) =>
    a.path !== b.path ? (a.path < b.path ? -1 : 1) : a.line - b.line || a.column - b.column,
  );
}
