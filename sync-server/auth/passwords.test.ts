import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_ALGORITHM, SALT_BYTES, verifyPassword } from './passwords.ts';

describe('password hashing', () => {
  it('hashes with argon2id at the pinned parameters and verifies', async () => {
    const hashed = await hashPassword('outpost-demo');
    expect(PASSWORD_ALGORITHM).toBe('argon2id');
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('outpost-demo', hashed)).toBe(true);
    expect(await verifyPassword('outpost-demo ', hashed)).toBe(false);
    expect(await verifyPassword('wrong', hashed)).toBe(false);
  });

  it('salts randomly by default, so equal passwords hash differently', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('is reproducible with a fixed salt (demo data only)', async () => {
    const salt = new Uint8Array(SALT_BYTES).fill(7);
    const a = await hashPassword('outpost-demo', { salt });
    expect(await hashPassword('outpost-demo', { salt })).toBe(a);
    expect(await verifyPassword('outpost-demo', a)).toBe(true);
  });

  it('refuses empty passwords and wrong salt sizes', async () => {
    await expect(hashPassword('')).rejects.toThrow(RangeError);
    await expect(hashPassword('x', { salt: new Uint8Array(8) })).rejects.toThrow(RangeError);
  });

  it('returns false, not an error, for hashes that are not argon2', async () => {
    expect(await verifyPassword('x', '')).toBe(false);
    expect(await verifyPassword('x', '$2b$10$abcdefghijklmnopqrstuv')).toBe(false);
    expect(await verifyPassword('x', '$argon2id$garbage')).toBe(false);
  });
});
