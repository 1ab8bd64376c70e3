/**
 * The answers to `/research-stock watch | unwatch | watchlist`: a short confirmation the channel sees, the problems
 * only the asker sees (unknown tickers with their close matches, a full list), and the list itself with each
 * ticker's last close as the last digest saw it. Pure.
 */

import type { CachedClose, RefusedTicker, UnwatchOutcome, WatchOutcome } from '../../watchlists/service.js';
import type { DigestState, TickerSnapshot, Watchlist } from '../../watchlists/types.js';
import { contextLine, escapeMrkdwn, mrkdwnSection, type SlackMessage } from './format.js';

const bold = (tickers: readonly string[]) => tickers.map((t) => `*${escapeMrkdwn(t)}*`).join(', ');
const plain = (tickers: readonly string[]) => tickers.map((t) => escapeMrkdwn(t)).join(', ');

/** `+1.2%`, `−3.4%` (a true minus sign), `0.0%`: a change in percent, one decimal. */
export function signedPct(pct: number): string {
  const r = Math.round(pct * 10) / 10;
  if (r === 0) return '0.0%';
  return `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(1)}%`;
}

/** `$1,234.56`: a price in USD with cents. */
export function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** What the channel sees after `watch` (undefined: nothing was added, so nothing is said in the channel). */
export function watchConfirmation(outcome: WatchOutcome, user: string): string | undefined {
  if (outcome.added.length === 0 || !outcome.list) return undefined;
  const n = outcome.list.tickers.length;
  return `:eyes: <@${user}> added ${bold(outcome.added)} to this channel’s watchlist (${n} watched: ${plain(outcome.list.tickers)}). A digest follows each US market close.`;
}

/** What the channel sees after `unwatch` (undefined: nothing was removed). */
export function unwatchConfirmation(outcome: UnwatchOutcome, user: string): string | undefined {
  if (outcome.removed.length === 0) return undefined;
  const rest = outcome.list
    ? `${outcome.list.tickers.length} still watched: ${plain(outcome.list.tickers)}.`
    : 'The watchlist is now empty: no more digests here.';
  return `:wave: <@${user}> removed ${bold(outcome.removed)} from this channel’s watchlist. ${rest}`;
}

function refusedLine(r: RefusedTicker, verb: 'watch' | 'unwatch'): string {
  const example = r.suggestion ? ` Try \`/research-stock ${verb} ${escapeMrkdwn(r.suggestion)}\`.` : '';
  return `• ${escapeMrkdwn(r.message)}${example}`;
}

/**
 * What only the asker sees after `watch`: unknown or malformed tickers (with close matches), those already watched,
 * those left out of a full list. `undefined` when there is nothing to say privately.
 */
export function watchProblems(outcome: WatchOutcome, maxTickers: number): string | undefined {
  const lines = outcome.refused.map((r) => refusedLine(r, 'watch'));
  if (outcome.already.length > 0) lines.push(`• Already watched here: ${plain(outcome.already)}.`);
  if (outcome.overLimit.length > 0)
    lines.push(
      `• Not added, the watchlist holds at most ${maxTickers} tickers: ${plain(outcome.overLimit)}. Remove one with \`/research-stock unwatch TICKER\`.`,
    );
  if (lines.length === 0) return undefined;
  const head = outcome.added.length > 0 ? 'Some tickers were not added:' : 'Nothing was added to the watchlist:';
  return `${head}\n${lines.join('\n')}`;
}

/** What only the asker sees after `unwatch`: tickers not on the list, malformed words. */
export function unwatchProblems(outcome: UnwatchOutcome): string | undefined {
  const lines = outcome.refused.map((r) => refusedLine(r, 'unwatch'));
  if (outcome.absent.length > 0) {
    const on = outcome.list ? ` (watched: ${plain(outcome.list.tickers)})` : ' (this channel watches nothing)';
    lines.push(`• Not on this channel’s watchlist: ${plain(outcome.absent)}${on}.`);
  }
  if (lines.length === 0) return undefined;
  return `${outcome.removed.length > 0 ? 'Some tickers were not removed:' : 'Nothing was removed:'}\n${lines.join('\n')}`;
}

function tickerLine(ticker: string, seen: TickerSnapshot | undefined, cached: CachedClose | undefined): string {
  const name = `*${escapeMrkdwn(ticker)}*`;
  // The newer of the cache's close and the last digest's; the day's change is the digest's, for its own close only.
  const close = cached && (!seen?.close || cached.date > seen.close.date) ? cached : seen?.close;
  if (!close) return `${name} — no close at hand yet (the next digest shows it)`;
  const day =
    seen?.close?.date === close.date && seen.dayChangePct !== undefined
      ? `, ${signedPct(seen.dayChangePct)} on the day`
      : '';
  return `${name} ${usd(close.value)} at the ${close.date} close${day}`;
}

/**
 * The channel's watchlist, privately: each ticker with its last close — the newer of what the tool cache holds
 * (`closes`) and what the last digest showed.
 */
export function watchlistMessage(
  list: Watchlist | undefined,
  lastDigest: DigestState | undefined,
  closes: ReadonlyMap<string, CachedClose> = new Map(),
): SlackMessage {
  if (!list) {
    const text =
      'This channel has no watchlist. Add tickers with `/research-stock watch NVDA AMD`; a digest then follows each US market close.';
    return { text, blocks: [mrkdwnSection(text)] };
  }
  const lines = list.tickers.map((t) => `• ${tickerLine(t, lastDigest?.snapshot[t], closes.get(t))}`);
  const last = lastDigest
    ? `Last digest: the ${lastDigest.session} close.`
    : 'No digest yet: the first follows the next US market close.';
  return {
    text: `This channel watches ${plain(list.tickers)}.`,
    blocks: [
      mrkdwnSection(`:eyes: *This channel’s watchlist* (${list.tickers.length})\n${lines.join('\n')}`),
      contextLine(`${last} Change it with \`/research-stock watch TICKER\` and \`/research-stock unwatch TICKER\`.`),
    ],
  };
}

/** The watchlist store could not answer. */
export function watchlistUnavailableNotice(): string {
  return ':warning: The watchlist cannot be read or changed right now (its store is not answering). Try again in a minute.';
}
