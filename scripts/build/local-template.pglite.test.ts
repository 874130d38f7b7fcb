/**
 * The local template is a database the engine can start from as is: opening it (PGlite's loadDataDir)
 * finds every local migration applied with the checksums of the files the build bundles, the write
 * rules in place, and no WAL to replay; building it twice gives the same cached file.
 */
import { describe, expect, it } from 'vitest';
import { applyWriteRules } from '../../core/database/write-rules.ts';
import { openLocalDatabase } from '../../core/database/local-database.ts';
import { loadMigrationFiles } from '../db/migration-files.ts';
import { localTemplate } from './local-template.ts';

describe('local template', () => {
  it('opens with nothing to migrate and the write rules in place', { timeout: 180_000 }, async () => {
    const template = await localTemplate();
    expect(template.fileName).toMatch(/^local-template-[0-9a-f]{16}\.tar\.gz$/);
    expect(template.bytes[0]).toBe(0x1f); // gzip
    expect(await localTemplate()).toBe(template);

    const files = await loadMigrationFiles();
    const { db, migrations } = await openLocalDatabase({
      migrations: files,
      loadDataDir: new Blob([template.bytes], { type: 'application/gzip' }),
    });
    try {
      expect(migrations.applied).toEqual([]);
      expect(migrations.skipped).toHaveLength(files.filter((f) => f.folder !== 'server').length);
      expect(await applyWriteRules(db)).toEqual([]);
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox.write_rules`);
      expect(rows[0]?.n).toBeGreaterThan(10);
    } finally {
      await db.close();
    }
  });
});
