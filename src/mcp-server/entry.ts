/**
 * Where the stdio entry point of our MCP server lives, for clients that spawn it (the tool gateway, tests, MCP
 * client configurations). Spawn as `process.execPath` with `['--import', 'tsx', serverEntryPath]` from the
 * repository root, or with {@link serverCommand} from any working directory.
 */
import path from 'node:path';

/** Absolute path of `src/mcp-server/main.ts`. */
export const serverEntryPath: string = path.join(import.meta.dirname, 'main.ts');

/**
 * Absolute path of `bin/mcp-server.mjs`, the one-process start for MCP client configurations (Claude Desktop):
 * `<absolute node> <this path>` works from any working directory and with a PATH that has no `node`.
 */
export const serverLauncherPath: string = path.resolve(import.meta.dirname, '../../bin/mcp-server.mjs');

/**
 * Command and arguments that start our MCP server over stdio with the current Node binary. The tsx loader is
 * given as an absolute file URL, so the command works whatever the child's working directory (`--import tsx`
 * alone resolves `tsx` from the working directory).
 */
export function serverCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), serverEntryPath] };
}
