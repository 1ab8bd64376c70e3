/**
 * Serving the Prometheus registry over HTTP: `GET /metrics` as Prometheus text, behind a bearer token when one is
 * configured (`METRICS_TOKEN`). Used as a route of the Slack HTTP app and, in Socket Mode, by a small server of its
 * own on `METRICS_PORT`.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Registry } from 'prom-client';

/** The path Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** True when `given` equals `token`, compared in constant time. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when `header` is `Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return tokenMatches(match?.[1]?.trim(), token);
}

/** Another page the metrics server answers (`GET` and `HEAD` on `path`, query string ignored for matching). */
export interface ExtraRoute {
  path: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * A request handler answering with `registry`'s metrics (200, Prometheus text format 0.0.4), or 401 with a
 * `WWW-Authenticate: Bearer` header when `token` is set and the request does not carry it. A registry that fails to
 * collect is a 500 with the message.
 */
export function metricsHandler(
  registry: Registry,
  token?: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' });
      res.end('Unauthorized: /metrics needs the header Authorization: Bearer <METRICS_TOKEN>.\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(text);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`Could not collect the metrics: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
  };
}

/** `GET /metrics` for Bolt's `customRoutes` on the HTTP receiver. */
export function metricsRoute(registry: Registry, token?: string): CustomRoute {
  return { path: METRICS_PATH, method: ['GET'], handler: metricsHandler(registry, token) };
}

/**
 * Start a small HTTP server on `port` (0: any free port) on all interfaces, answering `GET /metrics`, the `routes`
 * given (the live performance page) and 404 for anything else. Resolves with the bound port and the server (close it to stop).
 * @throws when the port cannot be bound (EADDRINUSE, EACCES).
 */
export function startMetricsServer(
  registry: Registry,
  options: { port: number; token?: string | undefined; host?: string; routes?: readonly ExtraRoute[] },
): Promise<{ port: number; server: Server }> {
  const routes: ExtraRoute[] = [
    { path: METRICS_PATH, handler: metricsHandler(registry, options.token) },
    ...(options.routes ?? []),
  ];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path);
    if (route && (req.method === 'GET' || req.method === 'HEAD')) return route.handler(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`Not found: this server only answers ${routes.map((r) => `GET ${r.path}`).join(', ')}.\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({ port: typeof address === 'object' && address ? address.port : options.port, server });
    });
  });
}
