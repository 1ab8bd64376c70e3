/**
 * `GET /healthz` and `GET /readyz` on the HTTP receiver, for a load balancer or an orchestrator: `/healthz` is 200
 * while the process serves HTTP at all; `/readyz` is 200 when every readiness check passes (config, tool cache, MCP
 * server listing its tools) and 503 otherwise, with the checks as JSON either way.
 */
import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Readiness } from '../readiness.js';

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(body)}\n`);
}

/** The two routes, for Bolt's `customRoutes`; `/readyz` runs `readiness.check()` on each request. */
export function healthRoutes(readiness: Readiness): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => json(res, 200, { status: 'ok', uptimeS: Math.round(process.uptime()) }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req, res) => {
        readiness.check().then(
          (report) => json(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', ...report }),
          (err: unknown) => json(res, 503, { status: 'not ready', error: String(err) }),
        );
      },
    },
  ];
}
