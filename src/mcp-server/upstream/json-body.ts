/**
 * Reading a live provider's JSON body: an answer that is not JSON (an HTML error or login page, a text notice) is the
 * host's format error, named so that the chain's note says what came back.
 */
import { UpstreamFormatError } from './errors.js';

/**
 * `JSON.parse(text)` for an answer of `host`.
 * @param what what the provider expected, e.g. `chart JSON` (the note reads "HTML instead of {what}").
 * @throws UpstreamFormatError when `text` is not JSON: "HTML instead of …" for a page, else "a body that is not JSON".
 */
export function parseJsonBody(host: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new UpstreamFormatError(host, /^\s*</.test(text) ? `HTML instead of ${what}` : 'a body that is not JSON', {
      cause,
    });
  }
}
