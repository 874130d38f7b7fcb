/**
 * common/workspaces/validate-suitescript.ts: a JavaScript file parses (acorn, latest ECMAScript, as a
 * module when it uses import/export, else as a script such as SuiteScript's AMD `define(...)`), and a
 * SuiteScript file's JSDoc annotations are valid.
 *
 *   @NApiVersion   2.0, 2.1 or 2.x
 *   @NScriptType   one of NetSuite's script types (SCRIPT_TYPES); an entry point must also name its
 *                  @NApiVersion
 *   @NModuleScope  SameAccount, TargetAccount or Public
 *   a file under a SuiteScripts folder without @NApiVersion: a warning (NetSuite treats it as 1.0)
 *
 * Guarantees: a syntax error is one problem at acorn's line and column; annotation problems point at
 * the annotation's line. Annotations are read from block comments only (acorn's onComment), so text
 * in strings never counts.
 */
import { parse, type Comment } from 'acorn';
import { positionAt, type ValidationProblem } from './problem.ts';

export const SCRIPT_TYPES = [
  'BundleInstallationScript',
  'ClientScript',
  'CustomGLPlugin',
  'MapReduceScript',
  'MassUpdateScript',
  'Portlet',
  'Restlet',
  'ScheduledScript',
  'SDFInstallationScript',
  'Suitelet',
  'UserEventScript',
  'WorkflowActionScript',
] as const;
const API_VERSIONS = ['2.0', '2.1', '2.x'];
const MODULE_SCOPES = ['SameAccount', 'TargetAccount', 'Public'];

interface Annotation {
  readonly value: string;
  readonly offset: number;
}

function parseProblem(path: string, text: string, comments: Comment[]): ValidationProblem | null {
  const sourceType = /^\s*(import|export)\b/m.test(text) ? 'module' : 'script';
  try {
    parse(text, {
      ecmaVersion: 'latest',
      sourceType,
      locations: true,
      onComment: comments,
      allowHashBang: true,
    });
    return null;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    return {
      path,
      line: loc?.line ?? 1,
      column: (loc?.column ?? 0) + 1,
      severity: 'error',
      code: 'js.syntax',
      message: `JavaScript does not parse: ${(error as Error).message.replace(/ \(\d+:\d+\)$/, '')}.`,
    };
  }
}

function annotations(comments: readonly Comment[]): Map<string, Annotation> {
  const found = new Map<string, Annotation>();
  for (const c of comments) {
    if (c.type !== 'Block') continue;
    for (const m of c.value.matchAll(/@(NApiVersion|NScriptType|NModuleScope)[ \t]+(\S+)/g))
      if (!found.has(m[1] ?? ''))
        found.set(m[1] ?? '', { value: m[2] ?? '', offset: c.start + 2 + (m.index ?? 0) });
  }
  return found;
}

export function checkSuiteScript(path: string, text: string): ValidationProblem[] {
  const comments: Comment[] = [];
  const syntax = parseProblem(path, text, comments);
  if (syntax) return [syntax];
  const found = annotations(comments);
  const problems: ValidationProblem[] = [];
  const at = (a: Annotation | undefined) => positionAt(text, a?.offset ?? 0);
  const problem = (
    a: Annotation | undefined,
    code: string,
    message: string,
    severity: ValidationProblem['severity'] = 'error',
  ) => problems.push({ path, ...at(a), severity, code, message });
  const version = found.get('NApiVersion');
  const type = found.get('NScriptType');
  const scope = found.get('NModuleScope');
  if (version && !API_VERSIONS.includes(version.value))
    problem(
      version,
      'suitescript.api_version',
      `@NApiVersion ${version.value} is not one of ${API_VERSIONS.join(', ')}.`,
    );
  if (type && !(SCRIPT_TYPES as readonly string[]).includes(type.value))
    problem(
      type,
      'suitescript.script_type',
      `@NScriptType ${type.value} is not a NetSuite script type (${SCRIPT_TYPES.join(', ')}).`,
    );
  if (scope && !MODULE_SCOPES.includes(scope.value))
    problem(
      scope,
      'suitescript.module_scope',
      `@NModuleScope ${scope.value} is not one of ${MODULE_SCOPES.join(', ')}.`,
    );
  if (type && !version)
    problem(
      type,
      'suitescript.api_version_missing',
      'A script with @NScriptType needs @NApiVersion (2.1 for new scripts).',
    );
  if (!version && /(^|\/)SuiteScripts\//.test(path))
    problem(
      undefined,
      'suitescript.api_version_missing',
      'No @NApiVersion: NetSuite runs this file as SuiteScript 1.0. Add a JSDoc block with @NApiVersion 2.1.',
      'warning',
    );
  return problems;
}
