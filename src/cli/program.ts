/**
 * The CLI's commands and flags (commander):
 * `research TICKER [--fresh] [--json] [--writer template|claude] [--out DIR]`,
 * `perf [--json] [--limit N] [--chart FILE] [--reset] [--flush-cache]`, `prewarm [--top N] [--tickers LIST]` and `mcp-server`; `--help`, `--version`. Parse errors exit 2 with the
 * usage line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { REPO_ROOT } from '../config.js';
import type { Logger } from '../log.js';
import { printable } from '../printable.js';
import type { CliIo } from './io.js';
import { type PerfFlags, perfCommand } from './perf-command.js';
import type { PrewarmFlags } from './prewarm-command.js';
import { EXIT, RESEARCH_USAGE, type ResearchFlags, researchCommand } from './research-command.js';

/** What {@link runCli} needs from its surroundings. */
export interface CliDeps {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  signal?: AbortSignal;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number of runs, 1 or more.');
  return n;
}

/** tickerdesk's version, from `package.json`. */
function version(): string {
  return (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Run the CLI on `argv` (without `node` and the script). @returns the exit code. After `mcp-server` the server goes
 * on serving on stdin/stdout once this returns, until its client closes stdin.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('tickerdesk')
    .description('Equity research from real data, fetched once through a cached MCP tool gateway.')
    .version(version(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => deps.io.stdout.write(s),
      // Commander quotes what was typed ("unknown option '--x'"): never a terminal escape as given.
      writeErr: (s) => deps.io.stderr.write(printable(s)),
    })
    .showSuggestionAfterError();

  program
    .command('research')
    .description('research one ticker: progress on stderr, the report on stdout')
    .argument('[ticker...]', 'one ticker symbol, e.g. NVDA, $aapl or BRK.B')
    .option('--fresh', 'skip cache reads (results are still cached)')
    .option('--json', 'print the result as JSON on stdout (the data bundle summarised per part, without its data)')
    .addOption(new Option('--writer <name>', 'who writes the report').choices(['template', 'claude']))
    .option('--out <dir>', 'also save the report as DIR/TICKER-YYYY-MM-DD.md and its price chart as .png')
    .action(async (words: string[], flags: ResearchFlags) => {
      code = await researchCommand(words, flags, deps);
    });

  program
    .command('perf')
    .description('performance of recorded runs: durations, cache hit rate, per-tool latency, alerts')
    .option('--json', 'print the figures as JSON')
    .option('--limit <runs>', 'most recent runs to include (default 500)', positiveInt)
    .option('--chart <file>', 'also save the durations of the last runs (cold and warm) as a PNG')
    .option('--reset', 'first reset the figures: count runs from now on (the run records are kept), as /perf reset')
    .option('--flush-cache', 'first empty the tool cache and say what was removed, as /perf flush-cache')
    .action(async (flags: PerfFlags) => {
      code = await perfCommand(flags, deps);
    });

  program
    .command('prewarm')
    .description('refresh the tool cache now for the most requested tickers, as after each US close')
    .option('--top <n>', 'how many of the most requested tickers (default PREWARM_TOP_N, 50)', positiveInt)
    .option('--tickers <list>', 'tickers to refresh too, comma-separated (default PREWARM_TICKERS)')
    .action(async (flags: PrewarmFlags) => {
      const { prewarmCommand } = await import('./prewarm-command.js');
      code = await prewarmCommand(flags, deps);
    });

  program
    .command('mcp-server')
    .description('serve the data tools to an MCP client (Claude Desktop, MCP Inspector) on stdin/stdout')
    .action(async () => {
      // Only the protocol may go to stdout from here on; the server logs to stderr.
      await import('../mcp-server/main.js');
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.ok; // --help, --version
      if (argv[0] === 'research') deps.io.stderr.write(`${RESEARCH_USAGE}\n`);
      return EXIT.badInput;
    }
    throw err;
  }
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.badInput;
  }
  return code;
}
