/**
 * The local validation of a workspace: JSON, XML well-formedness, JavaScript syntax and SuiteScript
 * annotations, and the SDF project structure, each problem with its file, line and column.
 */
import { describe, expect, it } from 'vitest';
import { validateWorkspace, type WorkspaceFileText } from './validate.ts';
import { checkXml } from './validate-xml.ts';

const USER_EVENT = `/**
 * @NApiVersion 2.1
 * @NScriptType UserEventScript
 */
define(['N/record'], (record) => ({ beforeSubmit: (context) => record }));
`;

const PROJECT: WorkspaceFileText[] = [
  {
    path: 'src/manifest.xml',
    content: '<manifest projecttype="ACCOUNTCUSTOMIZATION"><projectname>p</projectname></manifest>\n',
  },
  { path: 'src/deploy.xml', content: '<deploy><files><path>~/FileCabinet/*</path></files></deploy>\n' },
  { path: 'src/FileCabinet/SuiteScripts/ue.js', content: USER_EVENT },
  {
    path: 'src/Objects/customscript_ue.xml',
    content:
      '<usereventscript scriptid="customscript_ue">\n  <scriptfile>[/SuiteScripts/ue.js]</scriptfile>\n</usereventscript>\n',
  },
  { path: 'src/settings.json', content: '{"a": [1, 2]}' },
];

const problemsOf = (files: WorkspaceFileText[]) =>
  validateWorkspace(files).map((p) => `${p.severity} ${p.code} ${p.path}:${p.line}:${p.column}`);

const replace = (path: string, content: string) =>
  PROJECT.map((f) => (f.path === path ? { path, content } : f));

describe('validating a workspace', () => {
  it('finds nothing wrong in a well-formed SDF project', () => {
    expect(validateWorkspace(PROJECT)).toEqual([]);
  });

  it('reports a JavaScript syntax error at its line and column', () => {
    const broken = USER_EVENT.replace('(record) => ({', '(record) => ({{');
    expect(problemsOf(replace('src/FileCabinet/SuiteScripts/ue.js', broken))).toEqual([
      'error js.syntax src/FileCabinet/SuiteScripts/ue.js:5:36',
    ]);
  });

  it('checks the SuiteScript annotations', () => {
    const file = 'src/FileCabinet/SuiteScripts/ue.js';
    expect(problemsOf(replace(file, USER_EVENT.replace('2.1', '3.0')))).toEqual([
      `error suitescript.api_version ${file}:2:4`,
    ]);
    expect(problemsOf(replace(file, USER_EVENT.replace('UserEventScript', 'UserScript')))).toEqual([
      `error suitescript.script_type ${file}:3:4`,
    ]);
    expect(problemsOf(replace(file, USER_EVENT.replace(' * @NApiVersion 2.1\n', '')))).toEqual([
      `warning suitescript.api_version_missing ${file}:1:1`,
      `error suitescript.api_version_missing ${file}:2:4`,
    ]);
    // A string that looks like an annotation is not one.
    expect(problemsOf([{ path: 'lib/x.js', content: 'const s = "@NScriptType Nope";\n' }])).toEqual([]);
  });

  it('reports XML that is not well-formed, and JSON that is not valid', () => {
    expect(
      problemsOf(
        replace('src/Objects/customscript_ue.xml', '<usereventscript>\n  <scriptfile>x</usereventscript>\n'),
      ),
    ).toEqual(['error xml.syntax src/Objects/customscript_ue.xml:2:16']);
    expect(problemsOf([{ path: 'x.json', content: '{\n  "a": 1\n  "b": 2\n}' }])).toEqual([
      'error json.syntax x.json:3:3',
    ]);
    expect(problemsOf([{ path: 'x.json', content: '' }])).toEqual(['error json.syntax x.json:1:1']);
    expect(problemsOf(replace('src/settings.json', '{"a": [1, 2,]}'))).toEqual([
      'error json.syntax src/settings.json:1:13',
    ]);
  });

  it('checks the project structure: manifest, deploy, and the files objects reference', () => {
    expect(problemsOf(PROJECT.filter((f) => f.path !== 'src/deploy.xml'))).toEqual([
      'error sdf.deploy_missing src/deploy.xml:1:1',
    ]);
    expect(problemsOf(PROJECT.filter((f) => f.path !== 'src/manifest.xml'))).toEqual([
      'error sdf.manifest_missing manifest.xml:1:1',
    ]);
    expect(problemsOf(replace('src/deploy.xml', '<deployment/>'))).toEqual([
      'error sdf.deploy_root src/deploy.xml:1:1',
    ]);
    expect(problemsOf(PROJECT.filter((f) => !f.path.endsWith('ue.js')))).toEqual([
      'error sdf.missing_file src/Objects/customscript_ue.xml:2:15',
    ]);
  });

  it('validates a 200-file project locally in well under a second', () => {
    const files: WorkspaceFileText[] = [...PROJECT];
    for (let i = 0; i < 100; i++) {
      files.push({
        path: `src/FileCabinet/SuiteScripts/s${i}.js`,
        content: USER_EVENT.repeat(1) + `// ${'x'.repeat(2000)}\n`,
      });
      files.push({
        path: `src/Objects/customscript_s${i}.xml`,
        content: `<usereventscript scriptid="customscript_s${i}"><scriptfile>[/SuiteScripts/s${i}.js]</scriptfile></usereventscript>`,
      });
    }
    const started = performance.now();
    expect(validateWorkspace(files)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('XML well-formedness', () => {
  it('accepts declarations, comments, CDATA, entities and attributes in either quotes', () => {
    expect(
      checkXml('f', `<?xml version="1.0"?>\n<!-- c --><a x="1" y='2'>&amp;&#38;<![CDATA[<raw>]]><b/></a>\n`),
    ).toEqual({
      root: 'a',
      problem: null,
    });
  });

  it('refuses what is not well-formed, saying where', () => {
    const at = (text: string) => {
      const p = checkXml('f', text).problem;
      return p ? `${p.line}:${p.column} ${p.message}` : null;
    };
    expect(at('<a><b></a>')).toBe('1:7 Not well-formed XML: </a> where </b> was expected.');
    expect(at('<a x=1/>')).toBe('1:6 Not well-formed XML: the value of x must be quoted.');
    expect(at('<a>&</a>')).toBe('1:4 Not well-formed XML: a bare & (write &amp;).');
    expect(at('<a/><b/>')).toBe('1:5 Not well-formed XML: a second root element.');
    expect(at('<a x="1" x="2"/>')).toBe('1:10 Not well-formed XML: attribute x appears twice in <a>.');
    expect(at('<a>\n<b>')).toBe('2:1 Not well-formed XML: <b> is never closed.');
    expect(at('<a><!-- open</a>')).toBe('1:8 Not well-formed XML: a comment is not closed with -->.');
    expect(at('')).toBe('1:1 Not well-formed XML: no root element.');
  });
});
