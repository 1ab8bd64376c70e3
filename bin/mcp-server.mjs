/**
 * Start the tickerdesk MCP data server in this one Node process, from any working directory:
 *
 *   /ABSOLUTE/PATH/TO/node /ABSOLUTE/PATH/tickerdesk/bin/mcp-server.mjs
 *
 * This is the command for MCP clients such as Claude Desktop, which start servers with a PATH that may lack
 * `node`: nothing here looks `node` up on PATH (`node_modules/.bin/tsx` starts with `#!/usr/bin/env node`, and
 * runs the server as a second process), and tsx is resolved from this file, not from the working directory (as
 * `node --import tsx` would). The TypeScript loader is registered in-process, then `src/mcp-server/main.ts` runs.
 * Configuration and exit codes are main.ts's.
 */
import { register } from 'tsx/esm/api';

register();
await import('../src/mcp-server/main.ts');
