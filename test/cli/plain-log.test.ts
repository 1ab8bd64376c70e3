import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainLogger, plainLogLine } from '../../src/cli/plain-log.js';
import { runCliProcess } from './helpers.js';

describe('plain log lines for the terminal', () => {
  it('turns pino JSON into "warning: message", with the error when the message lacks it', () => {
    expect(plainLogLine('{"level":40,"time":1,"msg":"Tool cache get failed (locked)","err":"locked"}')).toBe(
      'warning: Tool cache get failed (locked)\n',
    );
    expect(plainLogLine('{"level":50,"msg":"closing the run log failed","err":{"message":"SQLITE_BUSY"}}')).toBe(
      'error: closing the run log failed (SQLITE_BUSY)\n',
    );
    expect(plainLogLine('not json')).toBe('not json\n');
  });

  it('a plain logger writes at its level and above, one line each', () => {
    let text = '';
    const log = plainLogger({ write: (s: string) => (text += s) });
    log.info('not shown');
    log.child({ component: 'tools' }).warn({ cache: 'x' }, 'Tool cache event failed');
    expect(text).toBe('warning: Tool cache event failed\n');
  });

  it('the CLI shows a damaged cache as plain warnings, not JSON, and the run still succeeds', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-cli-plain-log-'));
    try {
      fs.writeFileSync(path.join(home, 'cache.sqlite'), 'not a database at all '.repeat(300));
      const run = await runCliProcess(['research', 'NVDA'], { TICKERDESK_HOME: home });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/^warning: The tool cache .* was damaged or not a SQLite database; moved it to /m);
      expect(run.stderr).not.toContain('{"level"');
      expect(run.stdout).toMatch(/8 tools: 0 cached, 8 called\./);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
