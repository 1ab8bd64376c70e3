/**
 * A separate process that sends `COUNT` SEC requests to the stand-in at `SEC_URL` through the real upstream client
 * and SEC start limiter (shared through Redis at `REDIS_URL` when set, else in this process), starting at the epoch
 * ms `START_AT` so that two workers overlap, at `PER_SECOND` (default 8); prints the statuses as JSON on its last line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamClient } from '../../src/mcp-server/upstream/client.js';
import { createStartLimiter } from '../../src/mcp-server/upstream/start-limiter.js';

const url = process.env.SEC_URL ?? '';
const count = Number(process.env.COUNT ?? 20);
const perSecond = Number(process.env.PER_SECOND ?? 8);
const limiter = createStartLimiter({
  name: process.env.LIMIT_NAME ?? 'sec',
  perSecond,
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
});
const upstream = new UpstreamClient({
  hosts: {
    [new URL(url).host]: {
      perSecond,
      concurrency: 4,
      limiter,
      headers: { 'user-agent': 'tickerdesk tests tests@example.com' },
    },
  },
  retryMinMs: 10,
});
await sleep(Math.max(0, Number(process.env.START_AT ?? 0) - Date.now()));
const statuses = await Promise.all(
  Array.from({ length: count }, (_, i) =>
    upstream.get(`${url}/submissions/CIK0001045810.json?w=${process.pid}&n=${i}`).then(
      (r) => r.status,
      (err: unknown) => String(err),
    ),
  ),
);
await limiter.close();
process.stdout.write(`${JSON.stringify({ statuses, shared: process.env.REDIS_URL !== undefined })}\n`);
