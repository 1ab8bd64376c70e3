/**
 * Start the tickerdesk MCP data server in this one Node process, from any working directory:
 *
 *   /ABSOLUTE/PATH/TO/node /ABSOLUTE/PATH/tickerdesk/bin/mcp-server.mjs
 *
 * This is the command for MCP clients such as Claude Desktop, which start servers with a PATH that may lack
 * `node`: nothing here looks `node` up on PATH (`node_modules/.bin/tsx` starts with `#!/usr/bin/env node`, and
 * runs the server as a second process), and tsx is resolved from this file, not from the working directory (as
 * `node --import tsx` would). It runs `dist/mcp-server/main.js` when `dist/` was built from the current sources,
 * else registers the TypeScript loader in-process and runs `src/mcp-server/main.ts` (see `dist.mjs`); `tickerdesk
 * mcp-server` starts the same module. Configuration and exit codes are main.ts's.
 */
import { runEntry } from './dist.mjs';

await runEntry('mcp-server/main');
