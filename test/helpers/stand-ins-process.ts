/**
 * The live flow's stand-ins in a process of their own, so that the bench's 100 pipelines never hold up their answers
 * (in one process a busy event loop delayed answers past the upstream timeout and the client took SEC for down).
 *
 * Run: `node --import tsx test/helpers/stand-ins-process.ts '<options JSON>'`. Prints one JSON line with the stand-ins'
 * URLs, then answers each line on stdin: `log` → one JSON line with both request logs and SEC's 429 count; `close`
 * → stops them and exits.
 */
import { createInterface } from 'node:readline';
import { startPriceStandIn } from './price-stand-in.js';
import { startSecStandIn } from './sec-stand-in.js';

/** Options passed as the first argument. */
export interface StandInsOptions {
  secLatencyMs: [number, number];
  priceLatencyMs: [number, number];
  derived: number;
  aliases: Record<string, 'NVDA' | 'AAPL'>;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as StandInsOptions;
  const [sec, prices] = await Promise.all([
    startSecStandIn({ latencyMs: options.secLatencyMs, derived: options.derived }),
    startPriceStandIn({ latencyMs: options.priceLatencyMs, aliases: options.aliases }),
  ]);
  process.stdout.write(`${JSON.stringify({ sec: sec.url, prices: prices.url })}\n`);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line === 'log') {
      const log = { sec: sec.requests, prices: prices.requests, throttled: sec.throttled() };
      process.stdout.write(`${JSON.stringify(log)}\n`);
    } else if (line === 'close') break;
  }
  await Promise.all([sec.close(), prices.close()]);
}

main().catch((err: unknown) => {
  process.stderr.write(`stand-ins failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
