/**
 * The text of `/perf`: the report (optionally with its chart), the guide, an admin subcommand, or a word it does not
 * know. Pure.
 */
import { asksForHelp } from './request-text.js';

/** The admin subcommands of `/perf` (`ADMIN_USERS` only). */
export type PerfAdminAction = 'reset' | 'flush-cache' | 'prewarm';

/** What `/perf` was asked. */
export type PerfRequest =
  | { kind: 'report'; chart: boolean }
  | { kind: 'help' }
  | { kind: 'admin'; action: PerfAdminAction }
  | { kind: 'unknown'; word: string };

const ADMIN_WORDS: Record<string, PerfAdminAction> = {
  reset: 'reset',
  'flush-cache': 'flush-cache',
  'flush cache': 'flush-cache',
  'cache flush': 'flush-cache',
  'cache-flush': 'flush-cache',
  prewarm: 'prewarm',
};

/**
 * Read `/perf` text (case and spacing do not matter).
 * @example parsePerfCommand('cache  FLUSH') // { kind: 'admin', action: 'flush-cache' }
 */
export function parsePerfCommand(text: string): PerfRequest {
  const words = text.trim().toLowerCase().split(/\s+/).join(' ');
  if (words === '') return { kind: 'report', chart: false };
  if (words === 'chart') return { kind: 'report', chart: true };
  if (asksForHelp(words)) return { kind: 'help' };
  const action = ADMIN_WORDS[words];
  return action ? { kind: 'admin', action } : { kind: 'unknown', word: text.trim() };
}
