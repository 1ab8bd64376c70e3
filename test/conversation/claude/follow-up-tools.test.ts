/**
 * The follow-up tools' allow-list per MCP server (`FOLLOW_UP_TOOLS`, issue 15, part 6): validated with the rest of the
 * configuration (JSON, mounted servers only, tool names Anthropic accepts); by default the data server's read-only
 * tools and nothing of a mounted server; a server named in it offers only the listed tools its `tools/list` has, as
 * `server__tool`, and a name that was not offered is routed nowhere.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { FOLLOW_UP_TOOLS, followUpAllowList, followUpToolset } from '../../../src/conversation/claude/tools.js';
import { ConfigError } from '../../../src/errors.js';
import type { ToolDefinition, ToolGateway } from '../../../src/tools/types.js';

const MOUNTED = JSON.stringify({ filings: { command: 'node', args: ['filings.js'] } });

/** A gateway whose servers list the given tools (nothing is called here). */
function listing(servers: Record<string, string[]>): ToolGateway {
  const definition = (name: string): ToolDefinition => ({
    name,
    description: `${name} does a thing`,
    inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
  });
  return {
    serverToolDefinitions: async (server: string) => {
      const names = servers[server];
      if (!names) throw new Error(`no server ${server}`);
      return names.map(definition);
    },
  } as unknown as ToolGateway;
}

describe('FOLLOW_UP_TOOLS in the configuration', () => {
  it('is empty by default: the data server keeps today’s list, a mounted server offers nothing', () => {
    const config = loadConfig({ MCP_SERVERS: MOUNTED });
    expect(config.followUpTools).toEqual({});
    expect(followUpAllowList(config.followUpTools)).toEqual({ tickerdesk: FOLLOW_UP_TOOLS });
  });

  it('takes a list per mounted server, and one for the data server that replaces its default', () => {
    const config = loadConfig({
      MCP_SERVERS: MOUNTED,
      FOLLOW_UP_TOOLS: '{"tickerdesk": ["get_company_profile"], "filings": ["search_filings"]}',
    });
    expect(followUpAllowList(config.followUpTools)).toEqual({
      tickerdesk: ['get_company_profile'],
      filings: ['search_filings'],
    });
  });

  it('reports bad JSON, an unknown server and a bad tool name in plain words', () => {
    const problems = (value: string) => {
      try {
        loadConfig({ MCP_SERVERS: MOUNTED, FOLLOW_UP_TOOLS: value });
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    };
    expect(problems('[not json')).toEqual(['FOLLOW_UP_TOOLS: not valid JSON']);
    expect(problems('{"weather": ["forecast"]}')).toEqual([
      'FOLLOW_UP_TOOLS: "weather" is not a mounted MCP server (tickerdesk, or a name in MCP_SERVERS)',
    ]);
    expect(problems('{"filings": ["rm -rf"]}')[0]).toMatch(/^FOLLOW_UP_TOOLS: filings\.0 tool names of letters/);
    expect(problems('{"filings": "search_filings"}')[0]).toMatch(/^FOLLOW_UP_TOOLS: filings /);
    expect(() => loadConfig({ FOLLOW_UP_TOOLS: '{"x": []}' })).toThrow(ConfigError);
  });
});

describe('followUpToolset', () => {
  const gateway = listing({
    tickerdesk: ['get_company_profile', 'search_tickers', 'write_note'],
    filings: ['search_filings', 'delete_filing'],
  });

  it('offers the allowed tools each server lists, the data server’s first and by their own names', async () => {
    const toolset = await followUpToolset(gateway, {
      filings: ['search_filings', 'not_listed'],
      tickerdesk: ['search_tickers', 'get_company_profile'],
    });
    expect(toolset.tools.map((t) => t.name)).toEqual([
      'search_tickers',
      'get_company_profile',
      'filings__search_filings',
    ]);
    expect(toolset.tools[2]).toMatchObject({
      description: 'search_filings does a thing',
      input_schema: { type: 'object' },
    });
    expect(toolset.route('filings__search_filings')).toEqual({ server: 'filings', tool: 'search_filings' });
    expect(toolset.route('get_company_profile')).toEqual({ server: 'tickerdesk', tool: 'get_company_profile' });
  });

  it('routes no name that was not offered: another tool of the server, a listed-but-unlisted one, a bare name', async () => {
    const toolset = await followUpToolset(gateway, followUpAllowList({ filings: ['search_filings', 'not_listed'] }));
    for (const name of [
      'write_note',
      'filings__delete_filing',
      'filings__not_listed',
      'search_filings',
      'delete_filing',
    ])
      expect(toolset.route(name)).toBeUndefined();
    expect(toolset.tools.map((t) => t.name)).not.toContain('write_note');
  });

  it('a server that cannot list its tools offers none, and the others still do', async () => {
    const toolset = await followUpToolset(gateway, { tickerdesk: ['get_company_profile'], gone: ['anything'] });
    expect(toolset.tools.map((t) => t.name)).toEqual(['get_company_profile']);
  });
});
