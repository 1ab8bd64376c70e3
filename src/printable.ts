/**
 * Text from outside (a ticker argument, a Slack command, an unknown option) made safe to show and to store: control
 * and format characters (terminal escapes, NUL, bidi overrides) never reach a terminal, a log or the run log as given.
 */

/** Control characters (Unicode Cc: C0, DEL, C1) and invisible format characters (Cf: bidi overrides, zero-width), except tab and newline. */
const UNSAFE = /(?![\t\n])[\p{Cc}\p{Cf}]/gu;

/** Whether `text` holds a control or invisible format character (tab and newline aside). */
export function hasControlCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

/**
 * `text` with every control or invisible format character written as a visible escape (`\u001b`); tab and newline
 * are kept.
 * @example printable('\u001b[31mNVDA') === '\\u001b[31mNVDA'
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
