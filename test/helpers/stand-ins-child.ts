/**
 * The live stand-ins (SEC and prices) in a process of their own, and the client that starts and reads them: a busy
 * test or bench process (many pipelines at once) then never delays the stand-ins' answers, nor the arrival times SEC's
 * per-second count is taken on.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoggedRequest } from './http-stand-in.js';
import type { StandInsOptions } from './stand-ins-process.js';

/** SEC's rolling window, ms: {@link StandIns.quiet} waits this long after the last SEC request. */
const SEC_WINDOW_MS = 1000;

/** Both stand-ins' request logs and SEC's 429 count, read from their process. */
export interface StandInLog {
  sec: LoggedRequest[];
  prices: LoggedRequest[];
  throttled: number;
}

/** The stand-ins, run in a process of their own (`./stand-ins-process.ts`). */
export interface StandIns {
  sec: { url: string };
  prices: { url: string };
  /** The logs once every request seen is answered (work a flow left in flight lands first). */
  settled(): Promise<StandInLog>;
  /**
   * {@link settled}, then past SEC's one-second window after the last SEC request, so that a flow starts with SEC's
   * count at zero: each flow's data server is a process of its own (the naive flow's, one per call), with a limit of
   * its own, and SEC counts the requests of all of them.
   */
  quiet(): Promise<StandInLog>;
  close(): Promise<void>;
}

/**
 * Start the stand-ins in a child process (`node --import tsx stand-ins-process.ts`) and wait for their URLs.
 * @throws when the process ends before printing them.
 */
export async function startStandIns(options: StandInsOptions): Promise<StandIns> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      path.join(import.meta.dirname, 'stand-ins-process.ts'),
      JSON.stringify(options),
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('the stand-ins process ended');
    return JSON.parse(line.value) as unknown;
  };
  const urls = (await next()) as { sec: string; prices: string };
  const read = async () => {
    child.stdin.write('log\n');
    return (await next()) as StandInLog;
  };
  const settled = async () => {
    for (let i = 0; ; i++) {
      const log = await read();
      if (i >= 2000 || ![...log.sec, ...log.prices].some((r) => r.status === 0)) return log;
      await sleep(10);
    }
  };
  return {
    sec: { url: urls.sec },
    prices: { url: urls.prices },
    settled,
    async quiet() {
      const log = await settled();
      const last = Math.max(0, ...log.sec.map((r) => r.at));
      await sleep(Math.max(0, last + SEC_WINDOW_MS - Date.now()));
      return log;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end('close\n');
      }),
  };
}
