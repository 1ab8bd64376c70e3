import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { TICKER_DIRECTORY_URI } from '../../src/mcp-server/ticker-directory.js';
import { KeyvToolCache } from '../../src/tools/cache.js';
import type { McpServerClient } from '../../src/tools/mcp-client.js';
import { cachedTickerDirectory } from '../../src/tools/ticker-directory.js';

/** A client whose only job is to answer the directory read and count it. */
function directoryClient(tickers: string[]) {
  const reads: string[] = [];
  const client = {
    async readResource(uri: string) {
      reads.push(uri);
      return JSON.stringify({ tickers });
    },
  } as unknown as McpServerClient;
  return { client, reads };
}

describe('cachedTickerDirectory', () => {
  it('reads the directory from the server once, then from the tool cache (a warm run starts no server)', async () => {
    const keyv = new Keyv();
    const first = directoryClient(['NVDA', 'BRK.B']);
    const known = await cachedTickerDirectory('tickerdesk', first.client, new KeyvToolCache(() => keyv), 1000);
    expect([...(known ?? [])]).toEqual(['NVDA', 'BRK.B']);
    expect(first.reads).toEqual([TICKER_DIRECTORY_URI]);

    // A second process on the same cache: its server is never asked.
    const second = directoryClient(['SHOULD-NOT-BE-READ']);
    const again = await cachedTickerDirectory('tickerdesk', second.client, new KeyvToolCache(() => keyv), 1000);
    expect(again?.has('NVDA')).toBe(true);
    expect(second.reads).toEqual([]);
  });

  it('does not cache a server that publishes no directory', async () => {
    const keyv = new Keyv();
    const reads: string[] = [];
    const client = {
      async readResource(uri: string) {
        reads.push(uri);
        return undefined;
      },
    } as unknown as McpServerClient;
    const cache = new KeyvToolCache(() => keyv);
    expect(await cachedTickerDirectory('other', client, cache, 1000)).toBeUndefined();
    expect(await cachedTickerDirectory('other', client, cache, 1000)).toBeUndefined();
    expect(reads).toHaveLength(2);
  });
});
