import { describe, expect, it } from 'vitest';
import { plainLogLine } from '../src/cli/plain-log.js';
import { hasControlCharacters, printable } from '../src/printable.js';

describe('printable', () => {
  it('writes control and invisible format characters as escapes, keeping tab, newline and other text', () => {
    expect(printable('\u001b[31mNVDA\u001b[0m')).toBe('\\u001b[31mNVDA\\u001b[0m');
    expect(printable('a\u0000b\u202ec\u200bd')).toBe('a\\u0000b\\u202ec\\u200bd');
    expect(printable('one\ttwo\nthree ＮＶＤＡ é')).toBe('one\ttwo\nthree ＮＶＤＡ é');
    expect(hasControlCharacters('NVDA')).toBe(false);
    expect(hasControlCharacters('NVDA\u001b')).toBe(true);
  });

  it('a plain log line never carries a terminal escape, even when the log entry did', () => {
    const line = plainLogLine(JSON.stringify({ level: 40, msg: 'input \u001b[2J was odd' }));
    expect(line).toBe('warning: input \\u001b[2J was odd\n');
  });
});
