import { describe, expect, it } from 'vitest';
import { loadConfig, loadDataServerConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('loadConfig', () => {
  it('applies defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.tools.concurrency).toBe(64);
    expect(config.anthropic.model).toBe('claude-sonnet-4-6');
    expect(config.cachePath.endsWith('.tickerdesk/cache.sqlite')).toBe(true);
    expect(config.writer).toBe('auto');
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ TOOL_CONCURRENCY: '0', WRITER: 'nope', MCP_SERVERS: '{bad' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems.length).toBeGreaterThanOrEqual(2);
      expect(problems.join('\n')).toMatch(/TOOL_CONCURRENCY/);
      expect(problems.join('\n')).toMatch(/WRITER/);
    }
  });

  it('rejects WRITER=claude without a key', () => {
    expect(() => loadConfig({ WRITER: 'claude' })).toThrow(/ANTHROPIC_API_KEY/);
  });
});

describe('LOG_LEVEL', () => {
  it('treats an empty value as unset', () => {
    expect(loadConfig({ LOG_LEVEL: '' }).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
  });
});

describe('problems in plain words', () => {
  it('names the variable, what it must be and the value it had, JSON variables included', () => {
    let problems: readonly string[] = [];
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', MCP_SERVERS: '{bad', ANTHROPIC_PRICES: '{"inputPerMTok":-1}' });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toContain('PORT: must be a whole number (got "abc")');
    expect(problems.find((p) => p.startsWith('LOG_LEVEL: must be one of'))).toMatch(/info.*\(got "loud"\)/);
    expect(problems).toContain('MCP_SERVERS: not valid JSON');
    expect(problems.some((p) => p.startsWith('ANTHROPIC_PRICES:'))).toBe(true);
  });

  it('PORT outside 0–65535 is named with its range and value (was a socket error naming options.port)', () => {
    for (const [raw, problem] of [
      ['70000', 'PORT: must be at most 65535 (got "70000")'],
      ['-1', 'PORT: must be at least 0 (got "-1")'],
    ]) {
      expect(() => loadConfig({ PORT: raw })).toThrow(problem);
    }
    expect(loadConfig({ PORT: '65535' }).slack.port).toBe(65_535);
    expect(loadConfig({ PORT: '0' }).slack.port).toBe(0);
  });

  it('SEC_MAX_RPS, which takes fractions above 0, is described as such (said "at least 0" of 0, "a whole number")', () => {
    for (const [raw, problem] of [
      ['0', 'SEC_MAX_RPS: must be more than 0 (got "0")'],
      ['abc', 'SEC_MAX_RPS: must be a number (got "abc")'],
      ['10', 'SEC_MAX_RPS: must be at most 9 (got "10")'],
    ]) {
      expect(() => loadConfig({ SEC_MAX_RPS: raw })).toThrow(problem);
      expect(() => loadDataServerConfig({ SEC_MAX_RPS: raw })).toThrow(problem);
    }
    expect(loadConfig({ SEC_MAX_RPS: '8.5' }).data.sec.maxRps).toBe(8.5);
    // A whole-number variable still says so, for a fraction and for a word.
    expect(() => loadConfig({ SEC_FORM4_MAX_FILINGS: '1.5' })).toThrow('SEC_FORM4_MAX_FILINGS: must be a whole number');
    expect(() => loadConfig({ SEC_FORM4_MAX_FILINGS: 'abc' })).toThrow(
      'SEC_FORM4_MAX_FILINGS: must be a whole number (got "abc")',
    );
  });

  it('METRICS_PORT is checked like PORT and optional; METRICS_TOKEN is read as given, and guards /perf by default', () => {
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow('METRICS_PORT: must be at most 65535 (got "70000")');
    expect(loadConfig({}).prometheus).toEqual({ port: undefined, token: undefined, perfToken: undefined });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: 's3cret' }).prometheus).toEqual({
      port: 9464,
      token: 's3cret',
      perfToken: 's3cret',
    });
    expect(loadConfig({ METRICS_TOKEN: 's3cret', PERF_PAGE_TOKEN: 'page' }).prometheus.perfToken).toBe('page');
  });

  it('the alert settings: defaults of 4 min, 2 min, 3 min and 50 %, a channel id checked, limits read as given', () => {
    expect(loadConfig({}).alerts).toEqual({
      channel: undefined,
      runMs: 240_000,
      firstOutputMs: 120_000,
      operationMs: 180_000,
      hitRate: 0.5,
    });
    const set = loadConfig({ ALERT_CHANNEL: 'C0ALERTS', ALERT_RUN_MS: '60000', ALERT_HIT_RATE_PERCENT: '80' }).alerts;
    expect(set).toMatchObject({ channel: 'C0ALERTS', runMs: 60_000, hitRate: 0.8 });
    expect(() => loadConfig({ ALERT_CHANNEL: '#alerts' })).toThrow(/ALERT_CHANNEL: must be a Slack channel id/);
    expect(() => loadConfig({ ALERT_HIT_RATE_PERCENT: '150' })).toThrow(/ALERT_HIT_RATE_PERCENT/);
    expect(() => loadConfig({ ALERT_OPERATION_MS: '0' })).toThrow(/ALERT_OPERATION_MS/);
  });

  it('the prewarm and cache compression settings: defaults, a ticker list normalised, a bad ticker named', () => {
    expect(loadConfig({}).prewarm).toEqual({ enabled: true, topN: 50, tickers: [], callsPerSecond: 4 });
    expect(loadConfig({}).cacheCompression).toEqual({ algorithm: 'brotli', minBytes: 1024 });
    const c = loadConfig({ PREWARM_ENABLED: 'false', PREWARM_TOP_N: '0', PREWARM_TICKERS: 'nvda, $brk.b AAPL,nvda' });
    expect(c.prewarm).toMatchObject({ enabled: false, topN: 0, tickers: ['NVDA', 'BRK.B', 'AAPL'] });
    // Listed with the other problems, at once.
    expect(() => loadConfig({ PREWARM_TICKERS: 'NVDA,ticker!', CACHE_COMPRESSION: 'zstd' })).toThrow(
      /CACHE_COMPRESSION: must be one of brotli, gzip, none \(got "zstd"\)[\s\S]*PREWARM_TICKERS: "ticker!"/,
    );
    expect(() => loadConfig({ PREWARM_TICKERS: 'NVDA,ticker!' })).toThrow(
      'PREWARM_TICKERS: "ticker!" is not a ticker symbol (give e.g. NVDA,AAPL,BRK.B)',
    );
  });

  it('a yes/no setting lists the words it takes, without an empty choice', () => {
    let problems: readonly string[] = [];
    try {
      loadConfig({ SLACK_STREAMING: 'maybe' });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual(['SLACK_STREAMING: must be one of 0, 1, true, false, yes, no (got "maybe")']);
  });

  it('an unknown LOG_LEVEL does not crash the logger at import', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '-e', "import('./src/log.ts').then((m) => console.log(m.logger.level))"],
      { env: { ...process.env, LOG_LEVEL: 'loud', VITEST: '' }, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('info');
  });
});

describe('loadDataServerConfig (the MCP data server reads only what it uses)', () => {
  it('ignores settings that only the app reads, however wrong', () => {
    const config = loadDataServerConfig({
      PORT: 'abc',
      SLACK_STREAMING: 'on',
      WRITER: 'claude',
      TOOL_CONCURRENCY: '0',
      MCP_SERVERS: '{bad',
      DATA_DIR: '/srv/data',
      MCP_TOOL_LATENCY_MS: '25',
    });
    expect(config).toMatchObject({ dataDir: '/srv/data', latencyMs: 25, logLevel: 'info', warnings: [] });
  });

  it('warns about an unknown LOG_LEVEL and uses info', () => {
    const config = loadDataServerConfig({ LOG_LEVEL: 'warning' });
    expect(config.logLevel).toBe('info');
    expect(config.warnings).toEqual([
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "warning"); using info',
    ]);
    expect(loadDataServerConfig({ LOG_LEVEL: 'Debug' })).toMatchObject({ logLevel: 'debug', warnings: [] });
  });

  it('reports a bad value of a setting it uses', () => {
    expect(() => loadDataServerConfig({ MCP_TOOL_LATENCY_MS: '-5' })).toThrow(
      /MCP_TOOL_LATENCY_MS: must be at least 0/,
    );
  });

  it('reads the live data settings the server is started with, and reports a bad provider order', () => {
    const config = loadDataServerConfig({ PORT: 'abc', DATA_SOURCE: 'live', SEC_USER_AGENT: 'A a@example.com' });
    expect(config.data).toMatchObject({ source: 'live', sec: { userAgent: 'A a@example.com' } });
    expect(() => loadDataServerConfig({ DATA_PROVIDERS_NEWS: 'yahoo' })).toThrow(/DATA_PROVIDERS_NEWS/);
  });
});

describe('live data settings', () => {
  it('gives the data server the Redis of CACHE_URL for the SEC limit shared across instances', async () => {
    const { dataSourceEnv } = await import('../src/data-config.js');
    const url = 'redis://cache.internal:6379/2';
    expect(dataSourceEnv(loadConfig({ CACHE_URL: url }).data).CACHE_URL).toBe(url);
    expect(dataSourceEnv(loadConfig({}).data).CACHE_URL).toBeUndefined();
    expect(loadDataServerConfig({ CACHE_URL: url }).data.sharedLimit.redisUrl).toBe(url);
  });

  it('defaults to auto with SEC off (no User-Agent) and SEC base URLs from SEC', () => {
    const { data } = loadConfig({});
    expect(data.source).toBe('auto');
    expect(data.sec).toEqual({
      userAgent: undefined,
      dataUrl: 'https://data.sec.gov',
      wwwUrl: 'https://www.sec.gov',
      maxRps: 9,
    });
    expect(data.order).toEqual({});
  });

  it('takes a per-kind provider order and lists unknown providers and bad values with the rest', () => {
    expect(loadConfig({ DATA_PROVIDERS_PRICES: 'stooq, Yahoo,bundled' }).data.order.prices).toEqual([
      'stooq',
      'yahoo',
      'bundled',
    ]);
    try {
      loadConfig({
        DATA_PROVIDERS_PRICES: 'yahoo,finnhub',
        DATA_SOURCE: 'online',
        SEC_MAX_RPS: '20',
        SEC_DATA_URL: 'ftp://x',
      });
      expect.unreachable();
    } catch (err) {
      const text = (err as ConfigError).problems.join('\n');
      expect(text).toMatch(/DATA_SOURCE: must be one of auto, live, bundled/);
      expect(text).toMatch(/SEC_MAX_RPS: must be at most 9/);
      expect(text).toMatch(/SEC_DATA_URL/);
      expect(text).toMatch(
        /DATA_PROVIDERS_PRICES: takes a comma-separated list of yahoo, stooq, bundled \(got "yahoo,finnhub"\)/,
      );
    }
    expect(() => loadConfig({ DATA_PROVIDERS_CONSENSUS: 'sec-edgar' })).toThrow(
      /DATA_PROVIDERS_CONSENSUS: takes a comma-separated list of finnhub, bundled \(got "sec-edgar"\)/,
    );
  });
});

describe('CACHE_URL and blank settings', () => {
  it.each(['ftp://x', 'notaurl', 'redis://'])(
    'CACHE_URL=%s is refused by the configuration check, naming it',
    (url) => {
      let problems: readonly string[] = [];
      try {
        loadConfig({ CACHE_URL: url });
      } catch (err) {
        problems = (err as ConfigError).problems;
      }
      expect(problems).toEqual([`CACHE_URL: must be redis://host:port or rediss://host:port (got "${url}")`]);
    },
  );

  it('takes redis:// and rediss:// URLs, with a password and a database', () => {
    expect(loadConfig({ CACHE_URL: 'redis://127.0.0.1:6379' }).cacheUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({ CACHE_URL: 'rediss://:secret@cache.example:6380/2' }).cacheUrl).toBe(
      'rediss://:secret@cache.example:6380/2',
    );
  });

  it('treats a blank value as unset for every setting (numbers, choices, paths, JSON)', () => {
    const blank = loadConfig({
      SECTION_DEADLINE_MS: '',
      TOOL_TIMEOUT_MS: '  ',
      WRITER: '',
      TICKERDESK_HOME: ' ',
      ANTHROPIC_MODEL: '',
      CACHE_URL: '',
      MCP_SERVERS: ' ',
      PORT: '',
    });
    const unset = loadConfig({});
    expect(blank.anthropic.sectionDeadlineMs).toBe(90_000);
    expect(blank).toEqual(unset);
  });
});
