#!/usr/bin/env node
/**
 * The `tickerdesk` command (`npx tickerdesk research NVDA`, `tickerdesk perf`, `tickerdesk mcp-server`,
 * `--help`, `--version`): runs the compiled CLI from `dist/` when it was built from the current sources, else the
 * TypeScript sources through tsx (in this one process). See `src/cli/program.ts` for the commands.
 */
import { runEntry } from './dist.mjs';

await runEntry('cli');
