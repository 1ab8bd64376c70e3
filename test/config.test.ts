import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('loadConfig', () => {
  it('applies defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.tools.concurrency).toBe(8);
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
  });
});
