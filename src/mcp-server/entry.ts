/**
 * Where the stdio entry point of our MCP server lives, for clients that spawn it (the tool gateway, tests).
 * Spawn as `process.execPath` with `['--import', 'tsx', serverEntryPath]`.
 */
import path from 'node:path';

/** Absolute path of `src/mcp-server/main.ts`. */
export const serverEntryPath: string = path.join(import.meta.dirname, 'main.ts');

/** Command and arguments that start our MCP server over stdio with the current Node binary. */
export function serverCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', 'tsx', serverEntryPath] };
}
