/**
 * One tickerdesk instance for the two-process Redis test: researches `TICKER` on the real pipeline (real MCP data
 * server over stdio, template writer) with the tool cache on Redis at `CACHE_URL` (keys under `TEST_NAMESPACE`).
 * It spawns and warms its MCP server first, prints `ready`, and starts its run when a line arrives on stdin, so that
 * a test can start two workers' runs at the same moment. Then prints one JSON line on stdout: the run's outcome and
 * section count, the tool calls this process sent to its server (by cache key), and the cache's lock counters.
 *
 * Run: `node --import tsx test/helpers/redis-research-worker.ts` with CACHE_URL, TEST_NAMESPACE and TICKER set.
 */
import { loadConfig } from '../../src/config.js';
import { createResearchService } from '../../src/research/pipeline.js';
import { createRedisCache } from '../../src/tools/cache-redis.js';
import { createToolGateway } from '../../src/tools/index.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';

async function main(): Promise<void> {
  // The bundled data set, whatever the environment says: this worker is a test of the Redis cache, not of live data.
  const config = loadConfig({ ...process.env, DATA_SOURCE: 'bundled' });
  if (!config.cacheUrl) throw new Error('CACHE_URL is not set');
  const ns = process.env.TEST_NAMESPACE ?? 'test';
  const cache = await createRedisCache(config.cacheUrl, { namespace: `${ns}:tools`, lockPrefix: `${ns}:lock:` });
  const gateway = await createToolGateway(config, { cache });
  try {
    // Spawn the server with a call on another ticker (fresh: the shared cache is not read or relied on).
    await gateway.call(
      { server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'MSFT' } },
      { fresh: true },
    );
    const sent: string[] = [];
    gateway.onMetric((m) => {
      if (m.cache === 'miss' && m.attempts > 0) for (let i = 0; i < m.attempts; i++) sent.push(m.key);
    });
    process.stdout.write('ready\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    process.stdin.pause();
    const research = createResearchService({ gateway, createWriter: () => createTemplateWriter() });
    const result = await research.start(process.env.TICKER ?? 'NVDA', { requester: { via: 'test' } }).result;
    process.stdout.write(
      `${JSON.stringify({
        outcome: result.outcome,
        sections: result.sections.length,
        tools: result.tools,
        sent,
        locks: cache.lockStats(),
        cacheErrors: gateway.stats().cacheErrors,
      })}\n`,
    );
  } finally {
    await gateway.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
