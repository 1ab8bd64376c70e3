/**
 * A real research run on the bundled data set, in process: the pipeline and the template writer, with a small
 * gateway that calls our real MCP server (bundled provider) over an in-memory MCP transport. No cache, no spawn.
 */
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import { createServer } from '../../src/mcp-server/server.js';
import { createResearchService } from '../../src/research/index.js';
import type { ResearchService, RunResult } from '../../src/research/types.js';
import { dataFromResult, type RawToolResult } from '../../src/tools/result-mapping.js';
import type { GatewayStats, ToolGateway } from '../../src/tools/types.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';

const DATA_DIR = join(import.meta.dirname, '../../data');

/** A research service on the bundled data set; `close` ends its in-memory MCP session. */
export async function bundledResearch(): Promise<{ research: ResearchService; close: () => Promise<void> }> {
  const server = createServer({ provider: createBundledProvider(DATA_DIR) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'tickerdesk-report-test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const stats: GatewayStats = { calls: 0, hits: 0, misses: 0, coalesced: 0, errors: 0, cacheErrors: 0, serverCalls: 0 };
  const gateway: ToolGateway = {
    async call(request) {
      const started = Date.now();
      stats.calls++;
      stats.serverCalls++;
      const source = `${request.server}/${request.tool}`;
      // The run's signal is not passed on: eight calls on one signal trip Node's listener-leak warning.
      const raw = (await client.callTool({ name: request.tool, arguments: request.args })) as RawToolResult;
      const data = dataFromResult(source, request.args, raw);
      stats.misses++;
      return {
        data: data as never,
        source,
        fetchedAt: new Date().toISOString(),
        cache: 'miss',
        ms: Date.now() - started,
      };
    },
    onMetric: () => () => {},
    stats: () => ({ ...stats }),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
  const research = createResearchService({ gateway, createWriter: () => createTemplateWriter() });
  return { research, close: () => gateway.close() };
}

/** Run the research pipeline for `ticker` on the bundled data set and return its result. */
export async function bundledRun(ticker: string): Promise<RunResult> {
  const { research, close } = await bundledResearch();
  try {
    return await research.start(ticker).result;
  } finally {
    await close();
  }
}
