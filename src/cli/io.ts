/**
 * The CLI's view of its terminal: where the report (stdout) and the progress (stderr) go. Tests pass string sinks.
 */

/** Something text can be written to (a `process.stdout`-like stream). */
export interface TextSink {
  write(text: string): unknown;
  /** True when it is an interactive terminal (progress is then one redrawn line). */
  isTTY?: boolean;
  /** Terminal width in characters, when known. */
  columns?: number;
}

/** The CLI's two outputs: the report on `stdout`, progress and errors on `stderr`. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
}

/** The process's own stdout and stderr. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr };
}
