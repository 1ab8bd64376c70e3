/**
 * `npm run bench:cache`: the tool cache with and without compression on real entries (every answer a research run
 * caches for the bench's twenty bundled tickers): bytes stored, SQLite file size, time to write and to read every
 * entry back, for `none`, `gzip` and `brotli`; on Redis too with `--cache-url redis://HOST:PORT`.
 * Options: `--rounds N` read rounds (median; default 5), `--out FILE` (JSON).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { logger as rootLogger } from '../src/log.js';
import { CACHE_COMPRESSIONS, type CacheCompression } from '../src/tools/cache-compression.js';
import {
  type CompressionResult,
  collectEntries,
  formatCompression,
  measureRedis,
  measureSqlite,
} from './compression.js';
import { BURST_TICKERS } from './tickers.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      out: { type: 'string' },
      'cache-url': { type: 'string' },
    },
  });
  const rounds = Number.parseInt(values.rounds, 10);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a whole number ≥ 1, got ${values.rounds}`);
  const logger = rootLogger.child({ component: 'bench' }, { level: process.env.LOG_LEVEL ?? 'warn' });
  process.stderr.write(`bench:cache: collecting the cached answers of ${BURST_TICKERS.length} tickers…\n`);
  const entries = await collectEntries(BURST_TICKERS, logger);
  const results: CompressionResult[] = [];
  // zlib's default brotli quality (11) beside the one the cache uses, to show what the lower setting costs in bytes.
  const variants: [CacheCompression, number | undefined][] = [
    ...CACHE_COMPRESSIONS.map((a): [CacheCompression, undefined] => [a, undefined]),
    ['brotli', 11],
  ];
  const url = values['cache-url'];
  for (const backend of url ? (['sqlite', 'redis'] as const) : (['sqlite'] as const)) {
    for (const [algorithm, quality] of variants) {
      process.stderr.write(`bench:cache: ${backend}, ${algorithm}${quality === undefined ? '' : ` q${quality}`}…\n`);
      results.push(
        backend === 'redis' && url
          ? await measureRedis(url, entries, algorithm, rounds, quality)
          : await measureSqlite(entries, algorithm, rounds, quality),
      );
    }
  }
  process.stdout.write(formatCompression(results));
  if (values.out) writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:cache failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
