import { describe, expect, it } from 'vitest';
import { isOutpostError } from '../errors.ts';
import { migrationChecksum, planMigrations, type MigrationFile } from './runner.ts';

const file = (folder: MigrationFile['folder'], name: string): MigrationFile => ({
  folder,
  name,
  sql: 'SELECT 1;',
});

describe('planMigrations', () => {
  it('orders by number across folders and filters by target', () => {
    const files = [
      file('server', '0002_rls.sql'),
      file('shared', '0001_a.sql'),
      file('client', '0003_local.sql'),
    ];
    expect(planMigrations(files, 'central').map((f) => f.name)).toEqual(['0001_a.sql', '0002_rls.sql']);
    expect(planMigrations(files, 'local').map((f) => f.name)).toEqual(['0001_a.sql', '0003_local.sql']);
  });

  it('rejects a number used twice, even in different folders', () => {
    expect(() =>
      planMigrations([file('shared', '0001_a.sql'), file('server', '0001_b.sql')], 'central'),
    ).toThrow(/share the number 0001/);
  });

  it('rejects misnamed files with a message naming the file', () => {
    for (const name of ['1_a.sql', '0001-a.sql', '0001_A.sql', '0001_a.txt']) {
      try {
        planMigrations([file('shared', name)], 'central');
        expect.unreachable();
      } catch (error) {
        expect(isOutpostError(error, 'migration_invalid_set')).toBe(true);
        expect((error as Error).message).toContain(name);
      }
    }
  });
});

describe('migrationChecksum', () => {
  it('is SHA-256 of the text with normalised line endings', async () => {
    expect(await migrationChecksum('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await migrationChecksum('a\r\nb\rc\n')).toBe(await migrationChecksum('a\nb\nc\n'));
  });
});
