/**
 * The signals that stop a CLI run, what the run is told, and how the process exits after them.
 */
import { constants } from 'node:os';
import { EXIT } from './research-command.js';

export { EXIT };

/** Signals handled as a request to stop: Ctrl-C, `kill`/`timeout`/`docker stop`/systemd, a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Why the run was cancelled, in the words of the "The run was cancelled: …" line, per signal. */
export const STOP_REASONS: Record<(typeof STOP_SIGNALS)[number], string> = {
  SIGINT: 'stopped from the terminal',
  SIGTERM: 'stopped by SIGTERM',
  SIGHUP: 'the terminal was closed (SIGHUP)',
};

/** The exit code shells give a process ended by `signal`: 128 + its number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
export function signalExitCode(signal: (typeof STOP_SIGNALS)[number]): number {
  return 128 + constants.signals[signal];
}
