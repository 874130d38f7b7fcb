/**
 * sync-server/http/body.ts: reads a JSON request body with a size limit.
 *
 * Guarantees: never buffers more than `limitBytes` (a larger body is a 413 `payload_too_large`,
 * decided from Content-Length up front when it is given, else while reading); a body that is not
 * `application/json` or not valid JSON is a 400 `validation` naming the problem.
 */
import { OutpostError } from '../../common/errors.ts';
import type { Request } from './shape-route.ts';

export async function readJsonBody(req: Request, limitBytes: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !/^application\/json\b/i.test(type))
    throw new OutpostError('validation', 'The request body must be JSON (Content-Type: application/json).');
  const declared = Number(req.headers['content-length']);
  const tooLarge = () =>
    new OutpostError('payload_too_large', `The request body is larger than ${limitBytes} bytes.`, {
      limitBytes,
    });
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  // Listeners rather than async iteration: leaving a for-await early destroys the socket before the
  // 413 can be sent. Past the limit the rest is drained and dropped.
  await new Promise<void>((resolve, reject) => {
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve());
    req.on('error', reject);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new OutpostError('validation', `The request body is not valid JSON: ${(error as Error).message}.`);
  }
}
