/**
 * sync-server/auth/passwords.ts: password hashing for sign-in (users.hashed_password).
 *
 * Algorithm: argon2id (RFC 9106) through @node-rs/argon2 (prebuilt native binaries shipped in the
 * npm package), with OWASP's minimum parameters pinned here: 19 MiB memory, 2 passes, 1 lane,
 * 32-byte output, 16-byte salt. The result is the PHC string
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, which carries its own parameters, so hashes made
 * with other parameters still verify after these change.
 *
 * Security notes:
 *   - Real sign-ups and password changes call hashPassword(password) and get a random salt.
 *   - `salt` is an option only so that demo data (scripts/db/seed) is byte-for-byte reproducible:
 *     a fixed salt makes equal passwords hash equally, which defeats the salt's purpose. Never pass
 *     it for a real user.
 *   - verifyPassword compares in constant time (inside argon2) and returns false, never throws, for
 *     a hash that is not an argon2 PHC string (e.g. a NULL-password SSO user passed as '').
 *   - Never log a password or a hash.
 */
import { hash, verify } from '@node-rs/argon2';

/** users.password_algorithm for hashes made here. */
export const PASSWORD_ALGORITHM = 'argon2id';

/** @node-rs/argon2's Algorithm.Argon2id (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;

const PARAMETERS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

export const SALT_BYTES = 16;

export interface HashPasswordOptions {
  /**
   * A fixed salt of SALT_BYTES bytes. ONLY for reproducible demo data; real users get a random salt
   * (omit this option).
   */
  readonly salt?: Uint8Array;
}

export async function hashPassword(password: string, options: HashPasswordOptions = {}): Promise<string> {
  if (password.length === 0) throw new RangeError('a password must not be empty');
  const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  if (salt.length !== SALT_BYTES)
    throw new RangeError(`a salt must be ${SALT_BYTES} bytes, got ${salt.length}`);
  return hash(password, { ...PARAMETERS, salt });
}

export async function verifyPassword(password: string, hashed: string): Promise<boolean> {
  if (!hashed.startsWith('$argon2')) return false;
  try {
    return await verify(hashed, password);
  } catch {
    return false; // malformed PHC string
  }
}
