/**
 * Our MCP data server, `tickerdesk`: company profiles, statements, prices, technicals, analyst consensus, events
 * and insider transactions, served from a pluggable {@link DataProvider} (the bundled data set first).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { DataProvider } from './providers/types.js';
import { registerTickerDirectory } from './ticker-directory.js';
import { registerTools } from './tools/index.js';

/** The name our server announces, and the `server` of a ToolRequest aimed at it. */
export const SERVER_NAME = 'tickerdesk';

/** Options of {@link createServer}. */
export interface CreateServerOptions {
  /** Where the data comes from. */
  provider: DataProvider;
  /** Latency awaited in every tool handler before it answers, ms (benchmarks; `MCP_TOOL_LATENCY_MS`). @default 0 */
  latencyMs?: number;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Build the `tickerdesk` MCP server with every tool and the ticker directory (`tickerdesk://tickers`) registered;
 * connect it to a transport to serve.
 * Tool failures are results (`isError: true`, `_meta.code` an ErrorCode), never throws.
 * @example
 * const server = createServer({ provider });
 * await server.connect(new StdioServerTransport());
 */
export function createServer(options: CreateServerOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: 'tickerdesk equity data', version: packageVersion() },
    {
      capabilities: { tools: {} },
      instructions:
        'Equity research data for US-listed companies: call a tool with a ticker (e.g. NVDA). Money is in USD, ' +
        'percentages in %, dates ISO. Every figure carries its source. Coverage differs by ticker: search_tickers ' +
        'finds a ticker by name and says which tools have data for it. Errors come back as results with a plain ' +
        'message; an unknown ticker lists close matches, and missing data names the tools that have some.',
    },
  );
  registerTools(server, { provider: options.provider, latencyMs: options.latencyMs ?? 0 });
  registerTickerDirectory(server, options.provider);
  return server;
}
