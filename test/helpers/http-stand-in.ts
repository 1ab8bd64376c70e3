/**
 * What the live-data stand-ins share: a node:http server on 127.0.0.1 (port 0) with a request log, scripted faults
 * matched by path (an HTTP status with `Retry-After`, HTML instead of data, a truncated gzip body, a hang until the
 * client gives up), gzip answers when the client accepts them, and an injected latency range.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback, gzipSync } from 'node:zlib';

const gzip = promisify(gzipCallback);

/** A scripted fault. */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'html' }
  | { kind: 'truncated-gzip' }
  | { kind: 'hang' };

/** One logged request. */
export interface LoggedRequest {
  path: string;
  userAgent: string | undefined;
  acceptsGzip: boolean;
  status: number;
  /** performance-free wall time of arrival, ms since the epoch (for per-second counts). */
  at: number;
  /** When the answer was sent, ms since the epoch (0 while unanswered). */
  doneAt: number;
}

/** A running stand-in. */
export interface HttpStandIn {
  /** `http://127.0.0.1:PORT` */
  url: string;
  host: string;
  requests: LoggedRequest[];
  /** Script `fault` for requests whose path matches `match`, `times` times (default: until cleared). */
  fault(match: RegExp, fault: Fault, times?: number): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/** What a route handler answers: a body and its content type, or a status with a text body. */
export type Answer = { status?: number; body: string | Buffer; type: string; headers?: Record<string, string> };

/** Options of {@link startHttpStandIn}. */
export interface HttpStandInOptions {
  /** Answer a request (after faults); `undefined` = 404. */
  route: (path: string, req: IncomingMessage) => Answer | undefined;
  /** Checked before routing; an answer here is sent instead (e.g. 403, 429). */
  gate?: (req: IncomingMessage, log: LoggedRequest[]) => Answer | undefined;
  /** Latency per request, ms: uniform in [min, max]. @default [0, 0] */
  latencyMs?: [number, number];
}

/** Start a stand-in (see the module comment). */
export async function startHttpStandIn(options: HttpStandInOptions): Promise<HttpStandIn> {
  const requests: LoggedRequest[] = [];
  // Each distinct body is compressed once, off the event loop: compressing a companyfacts file (megabytes) on every
  // request blocked the stand-in for tens of ms each, so a burst of requests that reached it together was logged as
  // arriving over hundreds of ms and SEC's per-second count (the gate) saw them crowd into the next second.
  const zipped = new Map<string | Buffer, Promise<Buffer>>();
  const gzipped = (key: string | Buffer, raw: Buffer): Promise<Buffer> => {
    let done = zipped.get(key);
    if (!done) {
      done = gzip(raw);
      zipped.set(key, done);
    }
    return done;
  };
  let faults: { match: RegExp; fault: Fault; left: number }[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    open.add(res);
    res.on('close', () => open.delete(res));
    const path = req.url ?? '/';
    const entry: LoggedRequest = {
      path,
      userAgent: req.headers['user-agent'],
      acceptsGzip: /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')),
      status: 0,
      at: Date.now(),
      doneAt: 0,
    };
    requests.push(entry);
    const send = async (a: Answer, zip = entry.acceptsGzip) => {
      entry.status = a.status ?? 200;
      const raw = typeof a.body === 'string' ? Buffer.from(a.body) : a.body;
      const body = zip ? await gzipped(a.body, raw) : raw;
      entry.doneAt = Date.now();
      res.writeHead(entry.status, {
        'content-type': a.type,
        'content-length': String(body.length),
        ...(zip ? { 'content-encoding': 'gzip' } : {}),
        ...a.headers,
      });
      res.end(body);
    };
    const gated = options.gate?.(req, requests);
    if (gated) return send(gated, false);
    const [min, max] = options.latencyMs ?? [0, 0];
    if (max > 0) await sleep(min + Math.random() * (max - min));
    const scripted = faults.find((f) => f.match.test(path) && f.left > 0);
    if (scripted) {
      scripted.left -= 1;
      const f = scripted.fault;
      if (f.kind === 'hang') return; // never answers; the client times out, close() ends it
      if (f.kind === 'html')
        return send({ body: '<!DOCTYPE html><html><body>Service notice</body></html>', type: 'text/html' });
      if (f.kind === 'status') {
        return send(
          {
            status: f.status,
            body: f.body ?? `HTTP ${f.status}`,
            type: 'text/plain',
            ...(f.retryAfter ? { headers: { 'retry-after': f.retryAfter } } : {}),
          },
          false,
        );
      }
      const answer = options.route(path, req);
      const full = gzipSync(Buffer.from(answer?.body ?? '{}'));
      const cut = full.subarray(0, Math.floor(full.length / 2));
      entry.status = 200;
      entry.doneAt = Date.now();
      res.writeHead(200, { 'content-type': answer?.type ?? 'application/json', 'content-encoding': 'gzip' });
      res.end(cut);
      return;
    }
    const answer = options.route(path, req);
    if (!answer) return send({ status: 404, body: 'Not Found', type: 'text/plain' }, false);
    await send(answer);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    fault(match, fault, times = Number.POSITIVE_INFINITY) {
      faults.push({ match, fault, left: times });
    },
    clearFaults() {
      faults = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The most requests that arrived within any window of `windowMs` (default one second). */
export function peakPerWindow(requests: readonly LoggedRequest[], windowMs = 1000): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let peak = 0;
  let from = 0;
  for (let i = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[from] as number) >= windowMs) from += 1;
    peak = Math.max(peak, i - from + 1);
  }
  return peak;
}
