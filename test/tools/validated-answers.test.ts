/**
 * The gateway's filings check (validators.ts), order-based on a fake clock with a scripted server: a cached answer
 * that rests on a filing is kept while the check names the same accession, fetched anew once it names a newer one,
 * and kept when the check fails; an answer fetched within the check's validity needs no check.
 */
import Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolFailedError } from '../../src/errors.js';
import { logger } from '../../src/log.js';
import { KeyvToolCache } from '../../src/tools/cache.js';
import { McpToolGateway } from '../../src/tools/gateway.js';
import type { McpServerClient } from '../../src/tools/mcp-client.js';
import type { ToolRequest } from '../../src/tools/types.js';

const MINUTE = 60_000;
const statements: ToolRequest = { server: 't', tool: 'get_company_financials', args: { ticker: 'NVDA' } };

/** A server whose newest 10-Q the test sets; statements answers rest on it. Records the tools called, in order. */
function filingsServer() {
  const state = { accession: 'A1', checkFails: false };
  const called: string[] = [];
  const client = {
    name: 't',
    async callTool(tool: string) {
      called.push(tool);
      if (tool === 'get_latest_filings') {
        if (state.checkFails) throw new ToolFailedError('t/get_latest_filings', 'SEC could not be reached');
        return { ticker: 'NVDA', report: { form: '10-Q', accession: state.accession } };
      }
      return {
        revenue: state.accession,
        provenance: {
          provider: 'sec-edgar',
          live: true,
          tried: [],
          validator: { tool: 'get_latest_filings', field: 'report', accession: state.accession },
        },
      };
    },
    async close() {},
    async listTools() {
      return [];
    },
  } as unknown as McpServerClient;
  return { client, state, called };
}

describe('tool gateway: answers valid until a newer filing appears', () => {
  const gateways: McpToolGateway[] = [];
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.close()));
  });

  function open(client: McpServerClient, clock: { now: number }) {
    const gw = new McpToolGateway({
      clients: new Map([['t', client]]),
      cache: new KeyvToolCache(() => new Keyv()),
      logger: logger.child({ level: 'silent' }),
      concurrency: 4,
      timeoutMs: 60_000,
      retries: 0,
      now: () => clock.now,
    });
    gateways.push(gw);
    return gw;
  }

  it('keeps the answer while the check names its filing, and fetches it anew after a newer one', async () => {
    const server = filingsServer();
    const clock = { now: Date.parse('2026-12-05T15:00:00Z') };
    const gw = open(server.client, clock);
    expect((await gw.call(statements)).data).toMatchObject({ revenue: 'A1' });

    // Within the check's 15 minutes of the fetch: no check at all.
    clock.now += 10 * MINUTE;
    expect(await gw.call(statements)).toMatchObject({ cache: 'hit', data: { revenue: 'A1' } });
    expect(server.called).toEqual(['get_company_financials']);

    // Later: one check, the same filing, the cached answer; the check is itself cached.
    clock.now += 10 * MINUTE;
    const checked = await gw.call(statements);
    expect(checked).toMatchObject({ cache: 'hit', data: { revenue: 'A1' }, validatedBy: { cache: 'miss' } });
    await gw.call(statements);
    expect(server.called).toEqual(['get_company_financials', 'get_latest_filings']);

    // A newer 10-Q: once the check is asked again, the answer is fetched anew.
    server.state.accession = 'A2';
    clock.now += 16 * MINUTE;
    expect(await gw.call(statements)).toMatchObject({ cache: 'miss', data: { revenue: 'A2' } });
    expect(server.called).toEqual([
      'get_company_financials',
      'get_latest_filings',
      'get_latest_filings',
      'get_company_financials',
    ]);
  });

  it('keeps the answer when the check cannot be made', async () => {
    const server = filingsServer();
    const clock = { now: Date.parse('2026-12-05T15:00:00Z') };
    const gw = open(server.client, clock);
    await gw.call(statements);
    server.state.checkFails = true;
    server.state.accession = 'A2';
    clock.now += 20 * MINUTE;
    const r = await gw.call(statements);
    expect(r).toMatchObject({ cache: 'hit', data: { revenue: 'A1' } });
    expect(r.validatedBy).toBeUndefined();
    expect(server.called).toEqual(['get_company_financials', 'get_latest_filings']);
  });
});
