/**
 * eslint-rules/layers.js: the import-layering rule for Outpost's runtime boundaries.
 *
 * Every source file belongs to the top-level folder it lives in (its layer). An import is allowed
 * only if its target layer is in the importer's allow-list below, and bare imports of runtime-bound
 * packages (electron, node builtins, react) are allowed only in the layers that run there.
 *
 *   common      -> common                       (no node builtins, no electron, no react)
 *   core        -> common, core                 (no electron, no react/DOM)
 *   renderer    -> common, renderer             (no node builtins, no electron)
 *   preload     -> common, preload              (electron allowed; no node builtins)
 *   main        -> common, main
 *   sync-server -> common, sync-server          (no electron, no react)
 *   migrations  -> common, migrations           (tests of the SQL; no electron, no react)
 *   scripts, bench, e2e (tools) -> anything but main, preload, renderer
 *
 * Test files (*.test.ts[x]) may also import the shared test support in scripts/testing/.
 * Dynamic import() and require() with literal specifiers are checked like static imports.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** @type {Record<string, { layers: string[], forbidNode?: boolean, forbidElectron?: boolean, forbidReact?: boolean }>} */
export const LAYERS = {
  common: { layers: ['common'], forbidNode: true, forbidElectron: true, forbidReact: true },
  core: { layers: ['common', 'core'], forbidElectron: true, forbidReact: true },
  renderer: { layers: ['common', 'renderer'], forbidNode: true, forbidElectron: true },
  preload: { layers: ['common', 'preload'], forbidNode: true },
  main: { layers: ['common', 'main'], forbidReact: true },
  'sync-server': { layers: ['common', 'sync-server'], forbidElectron: true, forbidReact: true },
  migrations: { layers: ['common', 'migrations'], forbidElectron: true, forbidReact: true },
  scripts: { layers: ['common', 'core', 'sync-server', 'scripts', 'migrations'] },
  bench: { layers: ['common', 'core', 'sync-server', 'scripts', 'bench', 'migrations'] },
  e2e: { layers: ['common', 'scripts', 'e2e'] },
};

const TEST_FILE = /\.test\.tsx?$/;
const TEST_SUPPORT = 'scripts/testing/';

/** @param {string} spec */
function packageName(spec) {
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec.split('/')[0] ?? spec;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the runtime layering between top-level folders' },
    schema: [],
    messages: {
      crossLayer: "'{{from}}' may not import from '{{to}}' (allowed: {{allowed}}).",
      forbiddenPackage: "'{{from}}' may not import '{{pkg}}': {{why}}.",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const layer = file.split('/')[0] ?? '';
    const rule = LAYERS[layer];
    if (!rule || !file.includes('/')) return {};
    const isTest = TEST_FILE.test(file);

    /** @type {(node: import('estree').Node, value: unknown) => void} */
    const check = (node, value) => {
      if (typeof value !== 'string') return;
      if (value.startsWith('.') || value.startsWith('/')) {
        const target = path
          .relative(root, path.resolve(path.dirname(context.filename), value))
          .split(path.sep)
          .join('/');
        const targetLayer = target.split('/')[0] ?? '';
        if (!target.includes('/') || targetLayer === '..') return;
        if (rule.layers.includes(targetLayer)) return;
        if (isTest && target.startsWith(TEST_SUPPORT)) return;
        context.report({
          node,
          messageId: 'crossLayer',
          data: { from: layer, to: targetLayer, allowed: rule.layers.join(', ') },
        });
        return;
      }
      const pkg = packageName(value);
      if (rule.forbidNode && NODE_BUILTINS.has(pkg)) {
        context.report({
          node,
          messageId: 'forbiddenPackage',
          data: { from: layer, pkg, why: 'node builtins do not exist in this runtime' },
        });
      } else if (rule.forbidElectron && (pkg === 'electron' || pkg.startsWith('@electron/'))) {
        context.report({
          node,
          messageId: 'forbiddenPackage',
          data: { from: layer, pkg, why: 'only main/ and preload/ run inside Electron' },
        });
      } else if (rule.forbidReact && (pkg === 'react' || pkg === 'react-dom')) {
        context.report({
          node,
          messageId: 'forbiddenPackage',
          data: { from: layer, pkg, why: 'UI code belongs in renderer/' },
        });
      }
    };

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        const [arg] = node.arguments;
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          arg &&
          arg.type === 'Literal'
        ) {
          check(arg, arg.value);
        }
      },
    };
  },
};

export default { rules: { layers: layersRule } };
