/**
 * The real tool gateway (`McpToolGateway`: cache, single-flight, queue, background lane) over our real MCP data server
 * on the bundled data set, connected in memory instead of over stdio, with a hook on every call as it reaches the
 * server: tests see the order calls arrive in and can hold calls (a slow tool) without wall-clock waits.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import Keyv from 'keyv';
import { loadConfig } from '../../src/config.js';
import { logger } from '../../src/log.js';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import { buildProviders } from '../../src/mcp-server/providers/registry.js';
import type { DataProvider } from '../../src/mcp-server/providers/types.js';
import { createServer } from '../../src/mcp-server/server.js';
import { KeyvToolCache } from '../../src/tools/cache.js';
import { McpToolGateway } from '../../src/tools/gateway.js';
import type { McpServerClient } from '../../src/tools/mcp-client.js';
import { dataFromResult, type RawToolResult } from '../../src/tools/result-mapping.js';
import type { ToolDefinition } from '../../src/tools/types.js';
import { DATA_DIR } from './bundled-data.js';

/** A call as it reached the data server. */
export interface ServerCall {
  tool: string;
  args: Record<string, unknown>;
  /** `tool:TICKER` (or `tool` without a ticker), handy in order assertions. */
  label: string;
}

/** Options of {@link openInMemoryGateway}. */
export interface InMemoryGatewayOptions {
  /** Called as each call reaches the server; the call waits for the promise returned (hold it to make a tool slow). */
  onServerCall?: (call: ServerCall) => Promise<void> | void;
  /** @default 8 */
  concurrency?: number;
  /** @default 2 */
  backgroundConcurrency?: number;
  /** The gateway's clock (validity and grace of cached answers), ms. @default Date.now */
  now?: () => number;
  /** Wraps the data server's provider (to change what it answers between calls). */
  wrapProvider?: (provider: DataProvider) => DataProvider;
}

/** An open in-memory gateway. */
export interface InMemoryGateway {
  gateway: McpToolGateway;
  /** Every call that reached the server, in arrival order. */
  calls: ServerCall[];
  close(): Promise<void>;
}

/** Open the gateway over the bundled data server (mounted as `tickerdesk`), with an in-memory cache. */
export async function openInMemoryGateway(options: InMemoryGatewayOptions = {}): Promise<InMemoryGateway> {
  const config = loadConfig({ DATA_SOURCE: 'bundled', LOG_LEVEL: 'silent' });
  const { provider } = buildProviders(config.data, createBundledProvider(DATA_DIR));
  const server = createServer({ provider: options.wrapProvider ? options.wrapProvider(provider) : provider });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'in-memory-gateway', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const calls: ServerCall[] = [];
  const adapter = {
    name: 'tickerdesk',
    async callTool(tool: string, args: Record<string, unknown>) {
      const call = { tool, args, label: typeof args.ticker === 'string' ? `${tool}:${args.ticker}` : tool };
      calls.push(call);
      await options.onServerCall?.(call);
      const result = (await client.callTool({ name: tool, arguments: args })) as RawToolResult;
      return dataFromResult(`tickerdesk/${tool}`, args, result);
    },
    async listTools() {
      return (await client.listTools()).tools.map((t) => t.name);
    },
    async toolDefinitions(): Promise<ToolDefinition[]> {
      return (await client.listTools()).tools.map((t) => ({
        name: t.name,
        ...(t.description === undefined ? {} : { description: t.description }),
        inputSchema: t.inputSchema as ToolDefinition['inputSchema'],
      }));
    },
    async readResource() {
      return undefined;
    },
    async close() {},
  } as unknown as McpServerClient;
  const gateway = new McpToolGateway({
    clients: new Map([['tickerdesk', adapter]]),
    cache: new KeyvToolCache(() => new Keyv()),
    logger: logger.child({ level: 'silent' }),
    concurrency: options.concurrency ?? 8,
    backgroundConcurrency: options.backgroundConcurrency ?? 2,
    timeoutMs: 60_000,
    retries: 0,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    gateway,
    calls,
    async close() {
      await gateway.close();
      await Promise.all([client.close(), server.close()]);
    },
  };
}
