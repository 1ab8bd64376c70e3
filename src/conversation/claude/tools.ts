/**
 * The tools a follow-up answer may use, as Claude sees them: each mounted MCP server's own `tools/list` (names,
 * descriptions, input schemas), narrowed to that server's allow-list (`FOLLOW_UP_TOOLS`; by default the data server's
 * read-only tools and nothing of the others) and converted to Anthropic tool definitions. Every call the model makes
 * is routed back to its server through the tool gateway (cache → single-flight → queue → MCP server); a name that
 * was not offered is never routed.
 */
import type { Tool } from '@anthropic-ai/sdk/resources/messages/messages.js';
import { PEERS_TOOL, SEARCH_TICKERS_TOOL, TOOL_NAMES } from '../../mcp-server/shapes.js';
import { TICKERDESK_SERVER } from '../../research/plan.js';
import type { ToolDefinition, ToolGateway } from '../../tools/types.js';

/**
 * Tools a follow-up may call: our server's read-only data tools (`TOOL_NAMES`), the ticker search and the peer list.
 * A tool the server lists but this list lacks (a mounted server's write tool, say) is never offered, and a call to it
 * is refused.
 */
export const FOLLOW_UP_TOOLS: readonly string[] = [...TOOL_NAMES, SEARCH_TICKERS_TOOL, PEERS_TOOL];

/** The tools a follow-up may call, per MCP server: server name → tool names, in the order offered. */
export type FollowUpAllowList = Readonly<Record<string, readonly string[]>>;

/**
 * The allow-list in effect: `configured` (`config.followUpTools`, from `FOLLOW_UP_TOOLS`) per server, with the data
 * server's {@link FOLLOW_UP_TOOLS} when it does not name it.
 */
export function followUpAllowList(configured: Readonly<Record<string, readonly string[]>> = {}): FollowUpAllowList {
  return { [TICKERDESK_SERVER]: FOLLOW_UP_TOOLS, ...configured };
}

/** Where a tool name the model uses goes. */
export interface ToolRoute {
  server: string;
  tool: string;
}

/** The tools offered to the model for follow-ups, and where each name it may call goes. */
export interface FollowUpToolset {
  tools: Tool[];
  /** The server and tool behind a name the model used; undefined for any name that was not offered. */
  route(name: string): ToolRoute | undefined;
}

/**
 * The name the model sees: the data server's tools by their own name (so the cached prompt prefix stays as it was),
 * a mounted server's as `server__tool`.
 */
export function modelToolName(server: string, tool: string): string {
  return server === TICKERDESK_SERVER ? tool : `${server}__${tool}`;
}

/**
 * The toolset of `allow`: for each server it names (the data server first, then the others by name), the tools its
 * `tools/list` has that the list allows, in the list's order. A server that cannot list its tools offers none.
 */
export async function followUpToolset(gateway: ToolGateway, allow: FollowUpAllowList): Promise<FollowUpToolset> {
  const servers = Object.keys(allow).sort((a, b) =>
    a === TICKERDESK_SERVER ? -1 : b === TICKERDESK_SERVER ? 1 : a.localeCompare(b),
  );
  const tools: Tool[] = [];
  const routes = new Map<string, ToolRoute>();
  for (const server of servers) {
    const definitions = (await gateway.serverToolDefinitions?.(server).catch(() => undefined)) ?? [];
    for (const tool of anthropicTools(definitions, allow[server] ?? [])) {
      const name = modelToolName(server, tool.name);
      routes.set(name, { server, tool: tool.name });
      tools.push({ ...tool, name });
    }
  }
  return { tools, route: (name) => routes.get(name) };
}

/**
 * The server's tools that `allowed` lists, as Anthropic tool definitions, in `allowed`'s order (a stable order keeps
 * the request's prefix byte-identical, and so cacheable, from one follow-up to the next).
 */
export function anthropicTools(definitions: readonly ToolDefinition[], allowed: readonly string[]): Tool[] {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  return allowed.flatMap((name) => {
    const d = byName.get(name);
    if (!d) return [];
    const description = [d.title, d.description].filter(Boolean).join(': ');
    return [
      {
        name: d.name,
        ...(description ? { description } : {}),
        input_schema: { ...d.inputSchema, type: 'object' as const },
      },
    ];
  });
}

/** Longest tool result handed back to the model, characters (the server's own byte budgets keep answers smaller). */
export const MAX_TOOL_RESULT_CHARS = 48_000;

/** A tool's data as the text of a `tool_result` block: compact JSON, cut at {@link MAX_TOOL_RESULT_CHARS}. */
export function toolResultText(data: unknown): string {
  const json = JSON.stringify(data) ?? 'null';
  return json.length <= MAX_TOOL_RESULT_CHARS
    ? json
    : `${json.slice(0, MAX_TOOL_RESULT_CHARS)}… (cut at ${MAX_TOOL_RESULT_CHARS} characters; ask for fewer periods or a shorter range)`;
}
