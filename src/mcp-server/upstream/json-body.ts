/**
 * Reading a live provider's JSON body: an answer that is not JSON (an HTML error or login page, a text notice) is the
 * host's format error, named so that the chain's note says what came back; an answer whose JSON stops short (a gzip
 * body cut off on the way decodes quietly to the part that came: undici, as browsers do, ends a gzip stream without
 * complaint) is a broken-off answer, as a connection reset mid-body is, and is named so.
 */
import { UpstreamFormatError, UpstreamTimeoutError } from './errors.js';

/**
 * Whether `text` stops before the JSON it begins is complete: it opens an object or array that it never closes, or
 * ends inside a string. A complete document that is not JSON (HTML, a notice, a scalar) does not.
 * @example endsEarly('{"cik":"0000320193","filings":{"recent":{"form":["10-') === true
 * @example endsEarly('<!DOCTYPE html><html></html>') === false
 */
export function endsEarly(text: string): boolean {
  const start = text.search(/\S/);
  if (start < 0 || (text[start] !== '{' && text[start] !== '[')) return false;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth += 1;
    else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
      if (depth === 0) return false;
    }
  }
  return true;
}

/**
 * `JSON.parse(text)` for an answer of `host`.
 * @param what what the provider expected, e.g. `chart JSON` (the note reads "HTML instead of {what}").
 * @param encoding the answer's `Content-Encoding` (`gzip`: a body that stops short is named a truncated gzip body).
 * @throws UpstreamTimeoutError "<host>'s answer broke off (truncated gzip body)." when the JSON stops short (or a gzip
 *   body decoded to nothing), which the upstream client retries as a broken body; UpstreamFormatError when `text` is
 *   not JSON: "HTML instead of …" for a page, else "a body that is not JSON".
 */
export function parseJsonBody(host: string, text: string, what: string, encoding?: string | null): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const gzip = /gzip/i.test(encoding ?? '');
    if (endsEarly(text) || (gzip && text.trim() === '')) {
      throw new UpstreamTimeoutError(host, `${host}'s answer broke off (truncated ${gzip ? 'gzip ' : ''}body).`, {
        cause,
      });
    }
    throw new UpstreamFormatError(host, /^\s*</.test(text) ? `HTML instead of ${what}` : 'a body that is not JSON', {
      cause,
    });
  }
}
