/**
 * The scope of our data server's answers in the tool cache (`dataScope`): the same settings give the same scope in any
 * process; a setting that changes answers gives another; pace, timeouts and secrets do not enter it.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { answerSettings } from '../../src/data-config.js';
import { cacheKey } from '../../src/tools/cache-key.js';
import { dataScope } from '../../src/tools/data-scope.js';

const BASE = {
  DATA_SOURCE: 'auto',
  SEC_USER_AGENT: 'tickerdesk tests tests@example.com',
  TICKERDESK_HOME: '/tmp/tickerdesk-data-scope',
};
const scopeOf = (env: Record<string, string | undefined> = {}) => dataScope(loadConfig({ ...BASE, ...env }));

describe('dataScope', () => {
  it('is the same for the same settings, loaded anew (a restart)', () => {
    expect(scopeOf()).toMatch(/^[0-9a-f]{12}$/);
    expect(scopeOf()).toBe(scopeOf());
    // Written another way, the same settings: blank orders are unset, base URLs lose their trailing slash.
    expect(scopeOf({ DATA_PROVIDERS_PRICES: ' ', SEC_DATA_URL: 'https://data.sec.gov/' })).toBe(scopeOf());
  });

  it('changes with each setting that changes answers', () => {
    const scopes = [
      scopeOf(),
      scopeOf({ DATA_SOURCE: 'bundled' }),
      scopeOf({ DATA_SOURCE: 'live' }),
      scopeOf({ SEC_USER_AGENT: undefined }),
      scopeOf({ SEC_USER_AGENT: 'tickerdesk' }),
      scopeOf({ DATA_PROVIDERS_PRICES: 'stooq,yahoo,bundled' }),
      scopeOf({ DATA_PROVIDERS_STATEMENTS: 'bundled' }),
      scopeOf({ FINNHUB_API_KEY: 'key-a' }),
      scopeOf({ SEC_DATA_URL: 'http://127.0.0.1:4100' }),
      scopeOf({ SEC_WWW_URL: 'http://127.0.0.1:4100' }),
      scopeOf({ YAHOO_CHART_URL: 'http://127.0.0.1:4101' }),
      scopeOf({ STOOQ_URL: 'http://127.0.0.1:4101' }),
      scopeOf({ FINNHUB_URL: 'http://127.0.0.1:4102' }),
      scopeOf({ SEC_FORM4_MAX_FILINGS: '5' }),
      scopeOf({ DATA_DIR: '/tmp/another-bundle' }),
    ];
    expect(new Set(scopes).size).toBe(scopes.length);
  });

  it('does not change with pace or patience, nor with which Finnhub key or contact is set', () => {
    const base = scopeOf({ FINNHUB_API_KEY: 'key-a' });
    expect(scopeOf({ FINNHUB_API_KEY: 'key-b' })).toBe(base);
    expect(
      scopeOf({
        FINNHUB_API_KEY: 'key-a',
        SEC_USER_AGENT: 'Jane Doe jane@example.com',
        SEC_MAX_RPS: '5',
        SEC_FORM4_WAIT_MS: '100',
        UPSTREAM_TIMEOUT_MS: '900',
        UPSTREAM_RETRIES: '0',
        MCP_TOOL_LATENCY_MS: '50',
        TOOL_TIMEOUT_MS: '3000',
      }),
    ).toBe(base);
  });

  it('holds no secret: the Finnhub key and the User-Agent enter as on or off', () => {
    const settings = answerSettings(loadConfig({ ...BASE, FINNHUB_API_KEY: 'secret-key-123' }).data);
    expect(JSON.stringify(settings)).not.toContain('secret-key-123');
    expect(JSON.stringify(settings)).not.toContain('tests@example.com');
    expect(settings).toMatchObject({ FINNHUB_API_KEY: true, SEC_USER_AGENT: 'on', DATA_SOURCE: 'auto' });
  });

  it('goes into the cache key after the tool, so keys still start with server/tool', () => {
    const request = { server: 'tickerdesk', tool: 'get_price_history', args: { ticker: 'nvda' } };
    expect(cacheKey(request, 'abc123def456')).toBe('tickerdesk/get_price_history@v2#abc123def456:{"ticker":"NVDA"}');
    expect(cacheKey(request, 'abc123def456')).not.toBe(cacheKey(request, '654fed321cba'));
  });
});
