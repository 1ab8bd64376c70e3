/**
 * `npm run bench:cache`: the tool cache with and without compression on real entries (every answer a research run
 * caches for the bench's twenty bundled tickers): bytes stored, SQLite file size, time to write and to read every
 * entry back, for `none`, `gzip` and `brotli`; on Redis too with `--cache-url redis://HOST:PORT`.
 * Options: `--rounds N` read rounds (median; default 5), `--out FILE` (JSON).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { logger as rootLogger } from '../src/log.js';
import { formatCompression, measureCompression } from './compression.js';
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
  const results = await measureCompression(BURST_TICKERS, {
    logger,
    rounds,
    ...(values['cache-url'] ? { cacheUrl: values['cache-url'] } : {}),
    progress: (line) => process.stderr.write(`bench:cache: ${line}\n`),
  });
  process.stdout.write(formatCompression(results));
  if (values.out) writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:cache failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
