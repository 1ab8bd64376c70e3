/**
 * The real runtime (gateway, cache, MCP data server over stdio) with every live provider pointed at fresh SEC and
 * price stand-ins on 127.0.0.1, on a bundle that lacks some tickers, in a temp `TICKERDESK_HOME`; `close` stops all
 * of it and removes the temp folders.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { bundleWithout, liveEnv } from './live-env.js';
import { type PriceStandIn, startPriceStandIn } from './price-stand-in.js';
import { type SecStandIn, startSecStandIn } from './sec-stand-in.js';

/** A runtime on live stand-ins (see the module comment). */
export interface LiveRuntime {
  sec: SecStandIn;
  prices: PriceStandIn;
  runtime: Runtime;
  close(): Promise<void>;
}

/** Start a {@link LiveRuntime} whose bundle lacks `without`. */
export async function startLiveRuntime(without: readonly string[]): Promise<LiveRuntime> {
  const [sec, prices] = await Promise.all([startSecStandIn(), startPriceStandIn()]);
  const bundle = bundleWithout(without);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-live-runtime-'));
  const runtime = await createRuntime(
    loadConfig({ TICKERDESK_HOME: home, DATA_DIR: bundle.dir, LOG_LEVEL: 'warn', ...liveEnv(sec, prices) }),
  );
  return {
    sec,
    prices,
    runtime,
    async close() {
      await runtime.close();
      await Promise.all([sec.close(), prices.close()]);
      bundle.remove();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
