/**
 * Run progress on stderr. On a terminal: one line, redrawn at least every 250 ms, with a bar, the stage, tools done
 * of total, elapsed time and the ETA. Otherwise: one plain line per event, and a "still working" line after 5 s
 * without one, so the run is never silent.
 */
import { formatMs } from '../metrics/format.js';
import { type Eta, type RunHandle, type RunResult, SECTIONS, STAGES, type Stage } from '../research/types.js';
import type { TextSink } from './io.js';

/** Redraw period on a terminal, ms. */
const TICK_MS = 250;
/** Plain mode: print a heartbeat after this long without an event, ms. */
const HEARTBEAT_MS = 5000;
const BAR_WIDTH = 20;
const DEFAULT_WEIGHTS: Record<Stage, number> = { prefetch: 0.5, analysts: 0.2, sections: 0.3 };
/** Longest failure reason quoted in one progress line, characters (the footer and errors keep the full text). */
const MAX_REASON_CHARS = 160;

/** `text` cut to `max` characters with an ellipsis, on one line. */
function brief(text: string, max = MAX_REASON_CHARS): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** What the progress display knows of a run. */
interface State {
  ticker: string;
  company?: string;
  stage?: Stage;
  stagesDone: Set<Stage>;
  toolsDone: number;
  toolsTotal: number;
  analystsDone: number;
  sectionsDone: number;
  eta: Eta | null;
  done: boolean;
}

/** The line shown on a terminal, without escape codes. Exported for tests. */
export function progressLine(s: State, elapsedMs: number, width = 100): string {
  const fraction = progressFraction(s);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const name = s.company ? `${s.ticker} (${s.company})` : s.ticker;
  const stage = s.done ? 'done' : (s.stage ?? 'starting');
  const parts = [
    name,
    `${bar} ${String(Math.round(fraction * 100)).padStart(3)}%`,
    stage,
    `tools ${s.toolsDone}/${s.toolsTotal}`,
    `sections ${s.sectionsDone}/${SECTIONS.length}`,
    formatMs(elapsedMs),
    etaText(s.eta, elapsedMs),
  ];
  const line = parts.join('  ');
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}

/** How far the run is, 0–1: stages weighted by the ETA's per-stage split (or a default split). */
export function progressFraction(s: State): number {
  if (s.done) return 1;
  const w = { ...DEFAULT_WEIGHTS };
  if (s.eta && s.eta.totalMs > 0) for (const stage of STAGES) w[stage] = s.eta.perStageMs[stage] / s.eta.totalMs;
  const within: Record<Stage, number> = {
    prefetch: s.toolsTotal > 0 ? s.toolsDone / s.toolsTotal : 0,
    analysts: s.analystsDone / 4,
    sections: s.sectionsDone / SECTIONS.length,
  };
  let f = 0;
  for (const stage of STAGES) f += w[stage] * (s.stagesDone.has(stage) ? 1 : Math.min(1, within[stage]));
  return Math.max(0, Math.min(0.99, f));
}

function etaText(eta: Eta | null, elapsedMs: number): string {
  if (!eta) return 'ETA n/a (no past runs)';
  const left = eta.totalMs - elapsedMs;
  return left > 0 ? `ETA ${formatMs(left)}` : 'ETA any moment';
}

/** Options of {@link attachProgress}. */
export interface ProgressOptions {
  /** Clock, epoch ms. @default Date.now */
  now?: () => number;
  /**
   * Whether the line (or, in plain mode, the heartbeat) may be written now; false while the report sharing the
   * output is in the middle of a line. @default always
   */
  canDraw?: () => boolean;
}

/** A running progress display. */
export interface Progress {
  /** Erase the redrawn line (before other output on the same terminal). No-op in plain mode. */
  clear(): void;
  /** Draw the line again after other output. No-op in plain mode. */
  redraw(): void;
  /** Stop refreshing and erase the line; idempotent. */
  stop(): void;
}

/**
 * The first thing a person sees, written the moment the input is accepted and before the pipeline loads (loading
 * it takes most of a second): `NVDA: starting…`. On a terminal the line is left open, and the returned function
 * erases it (call it before anything else is written); in plain mode it is a line of its own.
 */
export function showStarting(sink: TextSink, ticker: string): () => void {
  if (sink.isTTY !== true) {
    sink.write(`${ticker}: starting…\n`);
    return () => undefined;
  }
  sink.write(`${ticker}: starting…`);
  let open = true;
  return () => {
    if (open) sink.write('\r\x1b[2K');
    open = false;
  };
}

/** Show `handle`'s progress on `sink` (a terminal when `sink.isTTY`). Call `stop()` when the run is over. */
export function attachProgress(handle: RunHandle, sink: TextSink, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const t0 = now();
  const tty = sink.isTTY === true;
  const state: State = {
    ticker: handle.ticker,
    stagesDone: new Set(),
    toolsDone: 0,
    toolsTotal: 0,
    analystsDone: 0,
    sectionsDone: 0,
    eta: null,
    done: false,
  };
  let shown = false;
  let stopped = false;
  let lastEvent = now();
  const elapsed = () => now() - t0;

  const draw = () => {
    if (stopped || !tty || options.canDraw?.() === false) return;
    sink.write(`\r\x1b[2K${progressLine(state, elapsed(), (sink.columns || 100) - 1)}`);
    shown = true;
  };
  const clear = () => {
    if (tty && shown) sink.write('\r\x1b[2K');
    shown = false;
  };
  const plain = (text: string) => {
    lastEvent = now();
    if (tty || stopped) return;
    sink.write(`[${(elapsed() / 1000).toFixed(1).padStart(5)}s] ${text}\n`);
  };

  const timer = setInterval(() => {
    if (tty) draw();
    else if (now() - lastEvent >= HEARTBEAT_MS && options.canDraw?.() !== false) {
      plain(`still working: ${state.stage ?? 'starting'}, tools ${state.toolsDone}/${state.toolsTotal}`);
    }
  }, TICK_MS);
  timer.unref();

  handle.on('runStarted', (p) => {
    state.toolsTotal = p.toolsTotal;
    state.eta = p.eta;
    const runs = p.eta?.basedOn === 1 ? 'run' : 'runs';
    const eta = p.eta
      ? `ETA ${formatMs(p.eta.totalMs)} (${p.eta.kind}, from ${p.eta.basedOn} past ${runs})`
      : 'no ETA yet';
    plain(`${p.ticker}: run ${p.runId} started, ${p.toolsTotal} tool calls, ${eta}`);
    draw();
  });
  handle.on('companyIdentified', (p) => {
    state.company = p.name;
    plain(`${p.ticker} is ${p.name}`);
  });
  handle.on('stageStarted', (p) => {
    state.stage = p.stage;
    plain(`${p.stage} started`);
    draw();
  });
  handle.on('stageFinished', (p) => {
    state.stagesDone.add(p.stage);
    plain(`${p.stage} finished in ${formatMs(p.ms)}`);
    draw();
  });
  handle.on('toolCallFinished', (p) => {
    state.toolsDone = p.done;
    state.toolsTotal = p.total;
    const why = brief(p.error ?? 'no reason given');
    const how = p.unavailable
      ? `no data, ${p.unavailable} (${why})`
      : p.cache === 'error'
        ? `failed (${why})`
        : p.cache;
    plain(`tool ${p.done}/${p.total} ${p.request.tool}: ${how}, ${formatMs(p.ms)}`);
    draw();
  });
  handle.on('analystFinished', (p) => {
    state.analystsDone++;
    const degraded = p.findings.degraded ? `, degraded: ${p.findings.degraded}` : '';
    plain(`analyst ${p.analyst}: ${p.findings.signal} (confidence ${p.findings.confidence.toFixed(2)})${degraded}`);
    draw();
  });
  handle.on('sectionReady', (p) => {
    state.sectionsDone++;
    plain(`section ${p.section.index + 1}/${SECTIONS.length} ready: ${p.section.title}`);
    draw();
  });
  handle.on('runFinished', ({ result }: { result: RunResult }) => {
    state.done = true;
    plain(`finished (${result.outcome}) in ${formatMs(result.durationMs)}`);
  });
  handle.on('runFailed', (p) => {
    // The command prints the error itself; this line only marks when.
    plain(`failed after ${formatMs(p.durationMs)}`);
  });

  return {
    clear,
    redraw: draw,
    stop() {
      if (stopped) return;
      clearInterval(timer);
      clear();
      stopped = true;
    },
  };
}
