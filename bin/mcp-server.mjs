/**
 * Start the tickerdesk MCP data server in this one Node process, from any working directory:
 *
 *   /ABSOLUTE/PATH/TO/node /ABSOLUTE/PATH/tickerdesk/bin/mcp-server.mjs
 *
 * This is the command for MCP clients such as Claude Desktop, which start servers with a PATH that may lack
 * `node`: nothing here looks `node` up on PATH (`node_modules/.bin/tsx` starts with `#!/usr/bin/env node`, and
 * runs the server as a second process), and tsx is resolved from this file, not from the working directory (as
 * `node --import tsx` would). It runs the server's one-file build `dist/mcp-server/bundle/main.mjs` (see
 * `bundle-server.mjs`) when `dist/` was built from the current sources, else registers the TypeScript loader
 * in-process and runs `src/mcp-server/main.ts` (see `dist.mjs`); `tickerdesk mcp-server` starts the same server.
 * Configuration and exit codes are main.ts's.
 */
import path from 'node:path';
import { SERVER_BUNDLE_DIR, SERVER_BUNDLE_ENTRY } from './bundle-server.mjs';
import { runEntry } from './dist.mjs';

await runEntry('mcp-server/main', undefined, path.join(SERVER_BUNDLE_DIR, SERVER_BUNDLE_ENTRY));
