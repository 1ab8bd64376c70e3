/**
 * A run's upstream accounting counts every request its calls made, those that ended in "no data" or in a rejection
 * too. Regression: tried as a new user on the stand-ins, TSM's run recorded 4 upstream requests of the 6 the
 * stand-ins answered (SEC's 404 for its submissions went with a "no data" answer, which carried no accounting), and
 * an OTC ticker SEC lists but nobody has data for recorded none at all: its run was rejected, and only a finished
 * run's bundle was counted. `npm run perf`'s upstream requests per run undercounted both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoDataError } from '../../src/errors.js';
import type { Runtime } from '../../src/runtime.js';
import { type LiveRuntime, startLiveRuntime } from '../helpers/live-runtime.js';
import type { PriceStandIn } from '../helpers/price-stand-in.js';
import { finalRecord } from '../helpers/run-records.js';
import type { SecStandIn } from '../helpers/sec-stand-in.js';

let live: LiveRuntime;
let sec: SecStandIn;
let prices: PriceStandIn;
let runtime: Runtime;

beforeAll(async () => {
  // MSFT: SEC has its submissions but no companyfacts, the price stand-in no bars. GOOGL: in SEC's ticker map, with
  // no submissions, no bars. Neither is left in the bundle.
  live = await startLiveRuntime(['MSFT', 'GOOGL', 'GOOG']);
  ({ sec, prices, runtime } = live);
});

afterAll(async () => {
  await live?.close();
});

const answered = () => sec.requests.length + prices.requests.length;

describe('upstream accounting of a run', () => {
  it('counts the requests behind parts that ended in "no data"', async () => {
    const before = answered();
    const result = await runtime.research.start('MSFT').result;
    expect(result.bundle.financialsAnnual.status).toBe('unavailable');
    expect(result.bundle.prices.status).toBe('unavailable');
    expect(answered() - before).toBeGreaterThan(0);
    expect(result.upstream?.requests).toBe(answered() - before);
    const record = await finalRecord(runtime.metrics, result.runId);
    expect(record?.upstream?.requests).toBe(answered() - before);
  });

  it('counts the requests of a run rejected because no source has data for the ticker', async () => {
    const before = answered();
    const handle = runtime.research.start('GOOGL');
    const err = await handle.result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoDataError);
    expect(answered() - before).toBeGreaterThan(0);
    const record = await finalRecord(runtime.metrics, handle.runId);
    expect(record?.outcome).toBe('rejected');
    expect(record?.upstream?.requests).toBe(answered() - before);
  });
});
