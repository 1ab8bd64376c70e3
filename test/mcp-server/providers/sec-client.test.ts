/**
 * The SEC client's in-process memory of companyfacts: a company SEC has no XBRL facts for (404) is remembered for its
 * newest report, so a statements call made again (the gateway's cache read missed on a loaded machine) does not ask
 * SEC again; a newer report asks anew.
 */
import { describe, expect, it } from 'vitest';
import { DataUnavailableError } from '../../../src/errors.js';
import { SecClient } from '../../../src/mcp-server/providers/sec-edgar/client.js';
import { UpstreamClient } from '../../../src/mcp-server/upstream/client.js';

describe('SecClient.companyFacts', () => {
  it('asks SEC once for a company without facts, and again for a newer report', async () => {
    const asked: string[] = [];
    const fetchStub = (async (url: string | URL | Request) => {
      asked.push(new URL(String(url)).pathname);
      return new Response('Not Found', { status: 404 });
    }) as typeof fetch;
    const upstream = new UpstreamClient({ hosts: { 'sec.test': { perSecond: 100, burst: 10 } }, fetch: fetchStub });
    const sec = new SecClient(upstream, { dataUrl: 'http://sec.test', wwwUrl: 'http://sec.test' });
    for (const report of ['0000789019-26-000001', '0000789019-26-000001', '0000789019-26-000002']) {
      await expect(sec.companyFacts('0000789019', report)).rejects.toBeInstanceOf(DataUnavailableError);
    }
    expect(asked).toEqual(Array(2).fill('/api/xbrl/companyfacts/CIK0000789019.json'));
  });
});
