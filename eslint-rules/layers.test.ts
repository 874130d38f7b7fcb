/**
 * The layering rule rejects every cross-layer import the conventions forbid and accepts the allowed ones.
 */
import { RuleTester } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { layersRule } from './layers.js';

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, sourceType: 'module' } });
const at = (file: string): string => path.join(process.cwd(), file);

tester.run('outpost/layers', layersRule, {
  valid: [
    { filename: at('renderer/app/App.tsx'), code: "import { x } from '../../common/rpc/contract.ts';" },
    { filename: at('renderer/app/App.tsx'), code: "import { y } from './y.ts'; import React from 'react';" },
    {
      filename: at('core/sync/engine.ts'),
      code: "import { x } from '../../common/errors.ts'; import fs from 'node:fs';",
    },
    {
      filename: at('main/index.ts'),
      code: "import { app } from 'electron'; import { x } from '../common/host/bridge.ts';",
    },
    { filename: at('preload/index.ts'), code: "import { contextBridge } from 'electron';" },
    {
      filename: at('sync-server/http/server.ts'),
      code: "import http from 'node:http'; import '../../common/errors.ts';",
    },
    {
      filename: at('bench/snapshot.ts'),
      code: "import '../sync-server/http/server.ts'; import '../core/db.ts';",
    },
    { filename: at('core/sync/engine.pg.test.ts'), code: "import '../../scripts/testing/postgres.ts';" },
  ],
  invalid: [
    {
      filename: at('renderer/app/App.tsx'),
      code: "import { db } from '../../core/db.ts';",
      errors: [{ messageId: 'crossLayer' }],
    },
    {
      filename: at('renderer/app/App.tsx'),
      code: "import fs from 'node:fs';",
      errors: [{ messageId: 'forbiddenPackage' }],
    },
    {
      filename: at('renderer/app/App.tsx'),
      code: "import { ipcRenderer } from 'electron';",
      errors: [{ messageId: 'forbiddenPackage' }],
    },
    {
      filename: at('core/sync/engine.ts'),
      code: "import { app } from 'electron';",
      errors: [{ messageId: 'forbiddenPackage' }],
    },
    {
      filename: at('core/sync/engine.ts'),
      code: "import { useState } from 'react';",
      errors: [{ messageId: 'forbiddenPackage' }],
    },
    {
      filename: at('core/sync/engine.ts'),
      code: "import '../../sync-server/shapes/log.ts';",
      errors: [{ messageId: 'crossLayer' }],
    },
    {
      filename: at('core/sync/engine.ts'),
      code: "const m = await import('../../main/index.ts');",
      errors: [{ messageId: 'crossLayer' }],
    },
    {
      filename: at('common/errors.ts'),
      code: "import path from 'path';",
      errors: [{ messageId: 'forbiddenPackage' }],
    },
    {
      filename: at('common/errors.ts'),
      code: "export * from '../core/db.ts';",
      errors: [{ messageId: 'crossLayer' }],
    },
    {
      filename: at('sync-server/http/server.ts'),
      code: "import '../../core/db.ts';",
      errors: [{ messageId: 'crossLayer' }],
    },
    {
      filename: at('main/index.ts'),
      code: "const x = require('../renderer/main.tsx');",
      errors: [{ messageId: 'crossLayer' }],
    },
    {
      filename: at('bench/snapshot.ts'),
      code: "import '../main/index.ts';",
      errors: [{ messageId: 'crossLayer' }],
    },
    {
      filename: at('core/sync/engine.ts'),
      code: "import '../../scripts/testing/postgres.ts';",
      errors: [{ messageId: 'crossLayer' }],
    },
  ],
});
