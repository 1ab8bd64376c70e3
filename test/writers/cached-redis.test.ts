/**
 * The writer cache on the shared Redis cache (a real `redis-server`): two instances, each with its own connection,
 * share findings and sections, and the Redis lock makes the second wait for the first instead of writing the same
 * findings again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import type { AnalystName, DataBundle, Findings, SectionId } from '../../src/research/types.js';
import { createRedisCache, type RedisToolCache } from '../../src/tools/cache-redis.js';
import { cachedWriter } from '../../src/writers/cached.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import type { SectionContext, Writer } from '../../src/writers/types.js';
import { nvdaBundle } from '../helpers/bundle-fixtures.js';
import { redisSkipReason, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { writeReport } from '../helpers/writer-contract.js';

const skip = redisSkipReason();
if (skip) console.warn(skip);
const quiet = logger.child({}, { level: 'silent' });

/** The template writer with a delay on analyses, counting the calls that reach it. */
function slowSpy(counts: { analyze: number; sections: number }, note?: SectionId): Writer {
  const inner = createTemplateWriter({ analystDelayMs: () => 300 });
  return {
    name: 'template',
    analyze(analyst: AnalystName, bundle: DataBundle, signal?: AbortSignal): Promise<Findings> {
      counts.analyze++;
      return inner.analyze(analyst, bundle, signal);
    },
    writeSection(section: SectionId, context: SectionContext, signal?: AbortSignal): AsyncIterable<string> {
      counts.sections++;
      return inner.writeSection(section, context, signal);
    },
    usage: () => inner.usage(),
    sectionNote: (section) => (section === note ? 'numbers left unverified' : undefined),
  };
}

describe.skipIf(skip !== undefined)('writer cache on Redis, two instances', () => {
  let redis: TestRedis;
  const caches: RedisToolCache[] = [];
  const open = async (namespace: string) => {
    const c = await createRedisCache(redis.url, { namespace, logger: quiet, maxWaitMs: 10_000 });
    caches.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startTestRedis();
  }, 30_000);

  afterAll(async () => {
    await Promise.allSettled(caches.map((c) => c.close()));
    await redis?.stop();
  });

  it('the second instance waits for the first one’s findings instead of writing them again', async () => {
    const ns = `tickerdesk:test:${randomUUID()}`;
    const [a, b] = [await open(ns), await open(ns)];
    const countsA = { analyze: 0, sections: 0 };
    const countsB = { analyze: 0, sections: 0 };
    const wa = cachedWriter(slowSpy(countsA), a, { logger: quiet });
    const wb = cachedWriter(slowSpy(countsB), b, { logger: quiet });
    const first = wa.analyze('fundamentals', nvdaBundle());
    await new Promise((r) => setTimeout(r, 100)); // A holds the lock and is writing
    const [fa, fb] = await Promise.all([first, wb.analyze('fundamentals', nvdaBundle())]);
    expect(countsA.analyze + countsB.analyze).toBe(1);
    expect(fb).toEqual(fa);
    expect(wb.cacheStats()).toEqual({ hits: 1, misses: 0 });
    expect(b.lockStats().joined).toBe(1);
  }, 30_000);

  it('a whole report written on one instance is read on the other; a noted section is released, not kept', async () => {
    const ns = `tickerdesk:test:${randomUUID()}`;
    const [a, b] = [await open(ns), await open(ns)];
    const countsA = { analyze: 0, sections: 0 };
    const countsB = { analyze: 0, sections: 0 };
    const { sections: written } = await writeReport(
      cachedWriter(slowSpy(countsA, 'verdict'), a, { logger: quiet }),
      nvdaBundle(),
    );
    const wb = cachedWriter(slowSpy(countsB), b, { logger: quiet });
    const { sections: read } = await writeReport(wb, nvdaBundle());
    // A released its claim on the noted verdict (B found no lock to wait on) and B wrote it again.
    expect(b.lockStats()).toMatchObject({ waited: 0, timeouts: 0 });
    expect(countsB).toEqual({ analyze: 0, sections: 1 });
    expect(wb.cacheStats()).toEqual({ hits: 9, misses: 1 });
    for (const id of Object.keys(written) as SectionId[]) expect(read[id].join('')).toBe(written[id].join(''));
  }, 30_000);
});
