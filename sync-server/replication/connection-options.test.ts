import { describe, expect, it } from 'vitest';
import { isReplicationError } from './errors.ts';
import { assertPlainIdentifier, replicationConnectionString } from './connection-options.ts';

describe('replication connection options', () => {
  it('adds the Electric display settings as startup options', () => {
    const url = new URL(
      replicationConnectionString('postgres://u:p@db.example:5433/central?sslmode=require'),
    );
    expect(url.searchParams.get('sslmode')).toBe('require');
    expect(url.searchParams.get('options')).toBe(
      '-c DateStyle=ISO,DMY -c TimeZone=UTC -c extra_float_digits=1 -c IntervalStyle=iso_8601 -c bytea_output=hex',
    );
    expect(url.password).toBe('p');
  });

  it('keeps options already in the URL and puts ours after them, so ours win', () => {
    const url = new URL(
      replicationConnectionString(
        'postgres://u@h/db?options=-c%20search_path%3Dapp%20-c%20TimeZone%3DEurope%2FParis',
      ),
    );
    expect(url.searchParams.get('options')).toMatch(
      /^-c search_path=app -c TimeZone=Europe\/Paris -c DateStyle=ISO,DMY .*-c TimeZone=UTC/,
    );
  });

  it('rejects a connection string that is not a URL', () => {
    expect(() => replicationConnectionString('host=db dbname=central')).toThrow(
      expect.objectContaining({ code: 'replication_config_invalid' }),
    );
  });

  it('accepts only plain lower-case identifiers as slot and publication names', () => {
    expect(() => assertPlainIdentifier('slot', 'outpost_sync_1')).not.toThrow();
    for (const bad of ['Outpost', 'a-b', "x' (proto_version '2", '1slot', '', 'a'.repeat(64), 'a"b']) {
      let caught: unknown;
      try {
        assertPlainIdentifier('publication', bad);
      } catch (error) {
        caught = error;
      }
      expect(isReplicationError(caught, 'replication_config_invalid'), bad).toBe(true);
    }
  });
});
