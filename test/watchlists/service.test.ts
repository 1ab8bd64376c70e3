/**
 * The watchlist service and its store (issue 15, part 7): tickers are normalised and de-duplicated, unknown ones
 * refused with their close match, a full list keeps its first tickers; an empty request is a usage error; a store
 * that cannot answer fails with StoreUnavailableError (the listener answers "try again"), with a warning logged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, UnknownTickerError } from '../../src/errors.js';
import { Watchlists } from '../../src/watchlists/service.js';
import { KeyvWatchlistStore, openWatchlistStore, StoreUnavailableError } from '../../src/watchlists/store.js';
import { captureLogger } from '../helpers/log-capture.js';

const where = { channel: 'C0DESK', user: 'U0ANA', teamId: 'T0TEST' };
const checkTicker = async (t: string) => (t === 'NVDQ' ? new UnknownTickerError(t, ['NVDA']) : undefined);
const memoryStore = () => new KeyvWatchlistStore(new Keyv(), { logger: captureLogger().logger, label: 'memory' });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('Watchlists', () => {
  it('normalises ($nvda, brk-b), de-duplicates, refuses the unknown and the malformed, keeps the order given', async () => {
    const lists = new Watchlists({ store: memoryStore(), checkTicker, now: () => new Date('2026-12-07T15:00:00Z') });
    const outcome = await lists.watch(where, ['$nvda', 'NVDA', 'brk-b', 'NVDQ', 'not a ticker!']);
    expect(outcome.added).toEqual(['NVDA', 'BRK.B']);
    expect(outcome.refused.map((r) => [r.input, r.suggestion])).toEqual([
      ['not a ticker!', undefined],
      ['NVDQ', 'NVDA'],
    ]);
    expect(outcome.list).toEqual({
      channel: 'C0DESK',
      teamId: 'T0TEST',
      tickers: ['NVDA', 'BRK.B'],
      updatedAt: '2026-12-07T15:00:00.000Z',
      updatedBy: 'U0ANA',
    });
  });

  it('a full list keeps its first tickers and names the rest; unwatching the last one removes the list', async () => {
    const store = memoryStore();
    const lists = new Watchlists({ store, maxTickers: 2 });
    const outcome = await lists.watch(where, ['AAPL', 'MSFT', 'AMD']);
    expect(outcome.added).toEqual(['AAPL', 'MSFT']);
    expect(outcome.overLimit).toEqual(['AMD']);
    expect(await store.channels()).toEqual(['C0DESK']);
    const gone = await lists.unwatch(where, ['aapl', 'msft']);
    expect(gone.removed).toEqual(['AAPL', 'MSFT']);
    expect(gone.list).toBeUndefined();
    expect(await store.channels()).toEqual([]);
  });

  it('an empty request is a usage error', async () => {
    const lists = new Watchlists({ store: memoryStore() });
    await expect(lists.watch(where, [])).rejects.toBeInstanceOf(InvalidInputError);
    await expect(lists.unwatch(where, [])).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('concurrent watches in one process are serialised: none is lost', async () => {
    const store = memoryStore();
    const lists = new Watchlists({ store });
    await Promise.all(['AAPL', 'MSFT', 'AMD', 'NVDA'].map((t) => lists.watch(where, [t])));
    expect((await store.get('C0DESK'))?.tickers.sort()).toEqual(['AAPL', 'AMD', 'MSFT', 'NVDA']);
  });
});

describe('a store that cannot answer', () => {
  it('fails each operation with StoreUnavailableError and logs a warning', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-watchlists-'));
    dirs.push(dir);
    // A folder where the SQLite file should be: SQLite cannot open it.
    const file = path.join(dir, 'watchlists.sqlite');
    fs.mkdirSync(file);
    const { logger, warnings } = captureLogger();
    const store = await openWatchlistStore({ sqlitePath: file }, { logger });
    const lists = new Watchlists({ store });
    await expect(lists.watch(where, ['NVDA'])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(lists.show('C0DESK')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(warnings().some((w) => w.startsWith(`The watchlist store ${file} could not read`))).toBe(true);
    await store.close();
  });
});
