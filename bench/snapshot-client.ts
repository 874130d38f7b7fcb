/**
 * bench/snapshot-client.ts: the shape client of bench/snapshot.ts, in a process of its own (forked by
 * it), as a real client is: its work is not the server's.
 *
 * For each request from the parent ({ base, table }) it follows one shape from offset -1 until
 * `up-to-date`, one request after the other as Electric's client does, following `electric-offset`
 * and the handle. Like COPY's side of the benchmark it does not parse what it receives: rows are
 * counted by their key field (`{"key":`) as the bytes arrive. It answers with the rows, bytes,
 * requests, the time from its first request to the end of the last response, when the first
 * response came, and the CPU time this process used meanwhile.
 */
import http from 'node:http';

export interface ShapeClientRequest {
  readonly base: string;
  readonly table: string;
}

export interface ShapeClientResult {
  readonly received: number;
  readonly bytes: number;
  readonly requests: number;
  readonly seconds: number;
  readonly firstResponseSeconds: number;
  readonly cpuSeconds: number;
}

const KEY = Buffer.from('{"key":');

/** Counts the rows in a response body as it streams in: occurrences of `{"key":`, even across chunks. */
class RowCounter {
  rows = 0;
  bytes = 0;
  private tail = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    const seam = Buffer.concat([this.tail, chunk.subarray(0, KEY.length - 1)]);
    if (seam.includes(KEY)) this.rows++;
    for (let at = chunk.indexOf(KEY); at >= 0; at = chunk.indexOf(KEY, at + KEY.length)) this.rows++;
    const last = chunk.length >= KEY.length - 1 ? chunk : Buffer.concat([this.tail, chunk]);
    this.tail = Buffer.from(last.subarray(Math.max(0, last.length - (KEY.length - 1))));
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET: the status, the headers, and the body's rows counted as it arrives. */
function get(
  url: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; counter: RowCounter }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const counter = new RowCounter();
        res.on('data', (chunk: Buffer) => counter.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, counter }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function fetchShape({ base, table }: ShapeClientRequest): Promise<ShapeClientResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let firstResponseSeconds = 0;
  let received = 0;
  let bytes = 0;
  let requests = 0;
  let offset = '-1';
  let handle: string | null = null;
  for (;;) {
    const url = `${base}/v1/shape?table=${table}&offset=${offset}${handle ? `&handle=${handle}` : ''}`;
    const response = await get(url);
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    if (++requests === 1) firstResponseSeconds = (performance.now() - started) / 1000;
    received += response.counter.rows;
    bytes += response.counter.bytes;
    const header = (name: string) => response.headers[name] as string | undefined;
    handle = header('electric-handle') ?? null;
    offset = header('electric-offset') ?? offset;
    if (header('electric-up-to-date') !== undefined) {
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      return {
        received,
        bytes,
        requests,
        seconds,
        firstResponseSeconds,
        cpuSeconds: (used.user + used.system) / 1e6,
      };
    }
  }
}

process.on('message', (request: ShapeClientRequest) => {
  fetchShape(request).then(
    (result) => process.send?.({ result }),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => agent.destroy());
