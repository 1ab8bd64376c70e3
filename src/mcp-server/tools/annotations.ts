/**
 * MCP tool annotations shared by our data tools: every tool only reads, and asking twice gives the same answer.
 */
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { ToolDeps } from './tool-kit.js';

/**
 * Annotations for a read-only data tool. `openWorldHint` is false for the bundled data set (a closed, local set)
 * and true for any other provider (live sources on the network).
 */
export function readOnlyAnnotations(title: string, deps: ToolDeps): ToolAnnotations {
  return {
    title,
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: deps.provider.id !== 'bundled',
  };
}
