/**
 * common/sync/shape-parsers.ts: value parsers a PGlite client gives @electric-sql/client, for the
 * types its defaults leave as strings that PGlite will not take back as query parameters.
 *
 *   bytea        '\xdeadbeef' (hex output) -> Uint8Array (PGlite refuses a string for a bytea parameter)
 *   json, jsonb  kept as their exact text. The client's default JSON.parse, followed by pglite-sync's
 *                re-serialisation, corrupts data: json loses its exact text, a JSON `null` becomes SQL
 *                NULL, and a jsonb `[]` (a JS array) is written as an empty PostgreSQL array literal and
 *                stored as the object {}. As text, PGlite stores exactly what the server has; the app
 *                reads it parsed from PGlite.
 *
 * Everything else keeps the client's defaults (numbers, bigint, bool; other types as their
 * PostgreSQL text, which PGlite parses on insert).
 */
export function byteaFromHex(text: string): Uint8Array {
  if (!/^\\x([0-9a-fA-F]{2})*$/.test(text)) throw new Error(`not a hex bytea value: ${text.slice(0, 32)}`);
  const bytes = new Uint8Array((text.length - 2) / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 + i * 2, 4 + i * 2), 16);
  return bytes;
}

const keepText = (text: string): string => text;

export const PGLITE_SHAPE_PARSERS = { bytea: byteaFromHex, json: keepText, jsonb: keepText } as const;
