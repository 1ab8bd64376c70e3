/**
 * The data tools a follow-up answer may use, as Claude sees them: our MCP server's own `tools/list` (names,
 * descriptions, input schemas), narrowed to an allow-list and converted to Anthropic tool definitions. Every call the
 * model makes is served through the tool gateway (cache → single-flight → queue → MCP server), never directly.
 */
import type { Tool } from '@anthropic-ai/sdk/resources/messages/messages.js';
import { PEERS_TOOL, SEARCH_TICKERS_TOOL, TOOL_NAMES } from '../../mcp-server/shapes.js';
import type { ToolDefinition } from '../../tools/types.js';

/**
 * Tools a follow-up may call: our server's read-only data tools (`TOOL_NAMES`), the ticker search and the peer list.
 * A tool the server lists but this list lacks (a mounted server's write tool, say) is never offered, and a call to it
 * is refused.
 */
export const FOLLOW_UP_TOOLS: readonly string[] = [...TOOL_NAMES, SEARCH_TICKERS_TOOL, PEERS_TOOL];

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
