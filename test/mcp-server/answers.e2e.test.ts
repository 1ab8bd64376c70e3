/**
 * What a model reads from the data server, measured over stdio on every bundled ticker: each tool's answer within
 * its byte budget (with default and with the largest arguments its schema allows), and each tool's description true
 * to its answers (the providers it cites and the fields it names).
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataKind } from '../../src/mcp-server/providers/bundle-format.js';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import { TOOL_NAMES, type ToolName } from '../../src/mcp-server/shapes.js';
import { ANSWER_BYTE_BUDGETS } from '../../src/mcp-server/tools/budgets.js';
import { connectStdio, type StdioSession } from '../helpers/stdio-server.js';
import { bundledConfig } from '../helpers/test-config.js';

/** The data kind each tool serves. */
const KIND: Record<ToolName, DataKind> = {
  get_company_profile: 'profile',
  get_company_financials: 'financials',
  get_price_history: 'prices',
  analyze_stock: 'prices',
  get_analyst_ratings: 'analyst',
  get_company_news: 'news',
  get_insider_transactions: 'insider',
};

const index = createBundledProvider(bundledConfig({}).dataDir).load();
const tickersWith = (kind: DataKind) =>
  Object.entries(index.tickers)
    .filter(([, entry]) => entry.has.includes(kind))
    .map(([ticker]) => ticker);

/**
 * The argument sets that make a tool's answer largest, read from its published input schema: every choice of each
 * enum, the maximum of each bounded number, the earliest `start`.
 */
function largestArguments(tool: Tool): Record<string, unknown>[] {
  let sets: Record<string, unknown>[] = [{}];
  for (const [name, raw] of Object.entries(tool.inputSchema.properties ?? {})) {
    const prop = raw as { enum?: unknown[]; maximum?: number; format?: string };
    if (name === 'ticker') continue;
    if (prop.enum) sets = sets.flatMap((s) => (prop.enum ?? []).map((v) => ({ ...s, [name]: v })));
    else if (typeof prop.maximum === 'number') sets = sets.map((s) => ({ ...s, [name]: prop.maximum }));
    else if (name === 'start') sets = sets.map((s) => ({ ...s, start: '1900-01-01' }));
  }
  return sets;
}

interface Answer {
  ticker: string;
  /** Arguments besides the ticker; `undefined` for the defaults. */
  args: Record<string, unknown> | undefined;
  bytes: number;
  data: unknown;
}

let session: StdioSession;
let tools: Tool[];
/** Successful answers per tool: defaults and largest arguments, for every ticker with the tool's data. */
const answers = new Map<ToolName, Answer[]>();

function textBytes(result: { content: unknown }): number {
  const first = (result.content as { type: string; text?: string }[])[0];
  return Buffer.byteLength(first?.text ?? '', 'utf8');
}

beforeAll(async () => {
  session = await connectStdio();
  tools = (await session.client.listTools()).tools;
  for (const name of TOOL_NAMES) {
    const tool = tools.find((t) => t.name === name);
    if (!tool) throw new Error(`${name} is not listed`);
    const list: Answer[] = [];
    for (const ticker of tickersWith(KIND[name])) {
      for (const args of [undefined, ...largestArguments(tool)]) {
        const result = await session.call(name, { ticker, ...args });
        if (!result.isError) list.push({ ticker, args, bytes: textBytes(result), data: result.structuredContent });
      }
    }
    answers.set(name, list);
  }
}, 120_000);
afterAll(async () => session.close());

describe('answer sizes', () => {
  it.each(TOOL_NAMES.map((t) => [t]))('%s stays within its byte budget for every ticker with its data', (name) => {
    const budget = ANSWER_BYTE_BUDGETS[name];
    const list = answers.get(name) ?? [];
    expect(list.some((a) => a.args === undefined)).toBe(true);
    const over = list
      .filter((a) => a.bytes > (a.args === undefined ? budget.defaults : budget.largest))
      .map((a) => `${a.ticker} ${JSON.stringify(a.args ?? 'defaults')}: ${a.bytes} bytes`);
    expect(over).toEqual([]);
  });
});

/** Every `provider` value anywhere in `value`. */
function providers(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) providers(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'provider' && typeof v === 'string') out.add(v);
      else providers(v, out);
    }
  }
  return out;
}

/** Every key anywhere in `value`. */
function keys(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keys(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keys(v, out);
    }
  }
  return out;
}

describe('descriptions', () => {
  it.each(TOOL_NAMES.map((t) => [t]))('%s names where its answers come from and only fields they have', (name) => {
    const tool = tools.find((t) => t.name === name);
    const description = tool?.description ?? '';
    const sample = (answers.get(name) ?? []).map((a) => a.data);
    expect(sample.length).toBeGreaterThan(0);
    // From where: every provider an answer cites is named, as it appears in `source.provider`.
    const cited = new Set(sample.flatMap((a) => [...providers(a)]));
    expect(cited.size).toBeGreaterThan(0);
    for (const provider of cited) expect(description, `${name} does not name ${provider}`).toContain(provider);
    // What: every `field` the description names is in the answers or is an argument.
    const fields = new Set(sample.flatMap((a) => [...keys(a)]));
    const args = Object.keys(tool?.inputSchema.properties ?? {});
    const named = [...description.matchAll(/`([A-Za-z0-9]+)`/g)].map((m) => m[1] ?? '');
    for (const field of named) expect(fields.has(field) || args.includes(field), `${name}: \`${field}\``).toBe(true);
  });
});

describe('search_tickers', () => {
  it('stays within its byte budget and names only fields its answers have', async () => {
    const budget = ANSWER_BYTE_BUDGETS.search_tickers;
    const tool = tools.find((t) => t.name === 'search_tickers');
    if (!tool) throw new Error('search_tickers is not listed');
    const asked: [Record<string, unknown>, number][] = [
      [{}, budget.defaults],
      [{ query: 'a' }, budget.defaults],
      ...largestArguments(tool).map((args): [Record<string, unknown>, number] => [
        { query: 'a', ...args },
        budget.largest,
      ]),
    ];
    const fields = new Set<string>();
    for (const [args, limit] of asked) {
      const result = await session.call('search_tickers', args);
      expect(result.isError ?? false, JSON.stringify(args)).toBe(false);
      expect(textBytes(result), JSON.stringify(args)).toBeLessThanOrEqual(limit);
      for (const k of keys(result.structuredContent)) fields.add(k);
    }
    const args = Object.keys(tool.inputSchema.properties ?? {});
    for (const [, field] of (tool.description ?? '').matchAll(/`([A-Za-z0-9]+)`/g)) {
      expect(fields.has(field ?? '') || args.includes(field ?? ''), `\`${field}\``).toBe(true);
    }
  });
});
