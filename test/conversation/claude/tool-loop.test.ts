/**
 * Claude's tool-use loop against the Anthropic stand-in (real SSE, tool_use turns) and the real gateway over the data
 * server (bundled data, in memory): duplicate and parallel tool calls reach the server once; the turn bound holds
 * (the last call goes with tool_choice none); a tool outside the allow-list is refused; an abort stops it.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { type LoopToolCall, runToolLoop, type ToolLoopOptions } from '../../../src/conversation/claude/tool-loop.js';
import {
  FOLLOW_UP_TOOLS,
  type FollowUpAllowList,
  followUpAllowList,
  followUpToolset,
} from '../../../src/conversation/claude/tools.js';
import { UsageMeter } from '../../../src/writers/claude/usage.js';
import { type AnthropicStandIn, startAnthropicStandIn, toolResults } from '../../helpers/anthropic-stand-in.js';
import { hasBundledData } from '../../helpers/bundled-data.js';
import { type InMemoryGateway, openInMemoryGateway } from '../../helpers/in-memory-gateway.js';

const AMD_ANNUAL = { ticker: 'AMD', period: 'annual', limit: 3 };

describe.skipIf(!hasBundledData)('Claude tool-use loop', () => {
  let standIn: AnthropicStandIn;
  let gw: InMemoryGateway;
  beforeEach(async () => {
    standIn = await startAnthropicStandIn();
    gw = await openInMemoryGateway();
  });
  afterEach(async () => {
    await gw.close();
    await standIn.close();
  });

  async function options(overrides: Partial<ToolLoopOptions> = {}, allow: FollowUpAllowList = followUpAllowList()) {
    const calls: LoopToolCall[] = [];
    const text: string[] = [];
    const toolset = await followUpToolset(gw.gateway, allow);
    const opts: ToolLoopOptions = {
      client: new Anthropic({ apiKey: 'test-key', baseURL: standIn.url, maxRetries: 0 }),
      model: 'claude-sonnet-4-6',
      system: [{ type: 'text', text: 'system', cache_control: { type: 'ephemeral' } }],
      tools: toolset.tools,
      route: toolset.route,
      gateway: gw.gateway,
      maxTurns: 4,
      maxTokens: 800,
      idleTimeoutMs: 30_000,
      signal: new AbortController().signal,
      meter: new UsageMeter(loadConfig({}).anthropic.prices),
      onText: (d) => text.push(d),
      onToolCall: (c) => calls.push(c),
      ...overrides,
    };
    return { opts, calls, text };
  }

  it('offers the allow-listed MCP tools, and duplicate or parallel calls in a turn reach the server once', async () => {
    standIn.enqueue({
      kind: 'tool_use',
      text: ['Looking at AMD. '],
      calls: [
        { name: 'get_company_financials', input: AMD_ANNUAL },
        { name: 'get_company_financials', input: AMD_ANNUAL },
        { name: 'analyze_stock', input: { ticker: 'AMD' } },
      ],
    });
    // The next turn asks for the same statements again (a cache hit) and the profile.
    standIn.enqueue({
      kind: 'tool_use',
      calls: [
        { name: 'get_company_financials', input: { limit: 3, period: 'annual', ticker: 'amd' } },
        { name: 'get_company_profile', input: { ticker: 'AMD' } },
      ],
    });
    standIn.enqueue({ kind: 'text', chunks: ['AMD has ', 'data.'] });
    const { opts, calls, text } = await options();
    const result = await runToolLoop('Compare with AMD', opts);
    expect(result).toMatchObject({ text: 'Looking at AMD. AMD has data.', turns: 3, turnBound: false });
    expect(text.join('')).toBe(result.text);
    // Tools as Anthropic definitions, from the server's own tools/list.
    const sent = standIn.messages()[0]?.body.tools as { name: string; input_schema: { type: string } }[];
    expect(sent.map((t) => t.name)).toEqual(FOLLOW_UP_TOOLS);
    expect(sent[0]?.input_schema.type).toBe('object');
    // 5 calls by the model; the server saw each distinct call once.
    expect(calls.map((c) => c.cache)).toEqual(['miss', 'coalesced', 'miss', 'hit', 'miss']);
    expect(gw.calls.map((c) => c.label).sort()).toEqual([
      'analyze_stock:AMD',
      'get_company_financials:AMD',
      'get_company_profile:AMD',
    ]);
    // Each tool_use got its result, in order; the second turn's results answer its own ids.
    const firstResults = toolResults(standIn.messages()[1] ?? ({} as never));
    expect(firstResults).toHaveLength(3);
    expect(JSON.parse(firstResults[0]?.content ?? '{}')).toMatchObject({ ticker: 'AMD', period: 'annual' });
    expect(firstResults[1]?.content).toBe(firstResults[0]?.content);
  });

  it('stops at the turn bound: the last call goes with tool_choice none and nothing more is run', async () => {
    standIn.respond(() => ({ kind: 'tool_use', calls: [{ name: 'get_company_profile', input: { ticker: 'AMD' } }] }));
    const { opts, calls } = await options({ maxTurns: 3 });
    const result = await runToolLoop('Keep asking', opts);
    expect(result).toMatchObject({ turns: 3, turnBound: true });
    const requests = standIn.messages();
    expect(requests).toHaveLength(3);
    expect(requests.map((r) => r.body.tool_choice?.type ?? 'auto')).toEqual(['auto', 'auto', 'none']);
    // Two turns' calls were run; the third turn's was not.
    expect(calls).toHaveLength(2);
  });

  it('a tool outside the allow-list (FOLLOW_UP_TOOLS) is not offered, and not run when the model asks anyway', async () => {
    standIn.enqueue({ kind: 'tool_use', calls: [{ name: 'search_tickers', input: { query: 'AMD' } }] });
    standIn.enqueue({ kind: 'text', chunks: ['Done.'] });
    const allow = followUpAllowList(
      loadConfig({ FOLLOW_UP_TOOLS: '{"tickerdesk": ["get_company_profile"]}' }).followUpTools,
    );
    const { opts, calls } = await options({}, allow);
    await runToolLoop('Find AMD', opts);
    const offered = ((standIn.messages()[0]?.body.tools ?? []) as { name: string }[]).map((t) => t.name);
    expect(offered).toEqual(['get_company_profile']);
    expect(calls).toEqual([expect.objectContaining({ tool: 'search_tickers', cache: 'error' })]);
    expect(toolResults(standIn.messages()[1] ?? ({} as never))[0]).toMatchObject({
      is_error: true,
      content: 'The tool search_tickers is not available for follow-up answers.',
    });
    expect(gw.calls).toHaveLength(0);
  });

  it('an abort after the first turn stops the loop before another model call', async () => {
    const controller = new AbortController();
    standIn.enqueue({ kind: 'tool_use', calls: [{ name: 'get_company_profile', input: { ticker: 'AMD' } }] });
    standIn.enqueue({ kind: 'text', chunks: ['never'] });
    const { opts } = await options({
      signal: controller.signal,
      onToolCall: () => controller.abort(new Error('deadline')),
    });
    await expect(runToolLoop('Profile', opts)).rejects.toThrow('deadline');
    expect(standIn.messages()).toHaveLength(1);
  });
});
