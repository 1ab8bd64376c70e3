/**
 * `node --import ./test/helpers/module-recorder.mjs …` appends the URL of every module the process loads (ECMAScript
 * modules and the CommonJS entry points they import, each once) to the file named by `MODULE_LIST_FILE`, one per
 * line. Tests read it to tell what a process loaded; a run that sets no `MODULE_LIST_FILE` records nothing.
 */
import { register } from 'node:module';

if (process.env.MODULE_LIST_FILE) {
  register('./module-recorder-hooks.mjs', import.meta.url, { data: { file: process.env.MODULE_LIST_FILE } });
}
