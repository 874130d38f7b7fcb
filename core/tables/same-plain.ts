/**
 * core/tables/same-plain.ts: deep equality of plain values (what toPlainRow produces: primitives,
 * arrays, plain objects, Uint8Array), used by live queries to emit only results that changed.
 * NaN equals NaN; key order of objects does not matter.
 */
export function samePlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => samePlain(v, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    return ka.every((k) => Object.hasOwn(rb, k) && samePlain(ra[k], rb[k]));
  }
  return Number.isNaN(a) && Number.isNaN(b);
}
