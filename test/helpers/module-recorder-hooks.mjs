/**
 * Module customization hooks of `module-recorder.mjs` (they run on Node's hooks thread): `load` writes each URL to
 * the list file before passing it on, unchanged, to the next loader (tsx's, then Node's).
 */
import { appendFileSync } from 'node:fs';

/** @type {string | undefined} */
let file;

/** @param {{ file?: string }} data */
export function initialize(data) {
  file = data.file;
}

/**
 * @param {string} url
 * @param {unknown} context
 * @param {(url: string, context: unknown) => Promise<unknown>} nextLoad
 */
export async function load(url, context, nextLoad) {
  if (file) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
