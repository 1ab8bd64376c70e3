/**
 * Report files are whole or absent (issue 18 item 3): a write that fails leaves neither a partial file nor its
 * temporary file, the target is never a device or folder renamed over, and a folder that is a file is said as such.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureFolder, NotAFileError, NotAFolderError, writeFileAtomic } from '../../src/report/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tickerdesk-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', async () => {
    const file = join(dir, 'NVDA.md');
    writeFileSync(file, 'old report');
    await writeFileAtomic(file, 'new report');
    expect(readFileSync(file, 'utf8')).toBe('new report');
    expect(readdirSync(dir)).toEqual(['NVDA.md']);
  });

  it('refuses a target that is a folder or a device, leaving it and the folder as they were', async () => {
    const folder = join(dir, 'NVDA.png');
    mkdirSync(folder);
    await expect(writeFileAtomic(folder, 'x')).rejects.toThrow(NotAFileError);
    await expect(writeFileAtomic('/dev/null', 'x')).rejects.toThrow('/dev/null is not a regular file');
    expect(readdirSync(dir)).toEqual(['NVDA.png']);
  });

  it('removes its temporary file when the write fails, and leaves the old file as it was', async () => {
    const file = join(dir, 'NVDA.md');
    writeFileSync(file, 'old report');
    // A value the file system cannot write fails after the temporary file was opened.
    await expect(writeFileAtomic(file, 42 as unknown as string)).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('old report');
    expect(readdirSync(dir)).toEqual(['NVDA.md']);
  });
});

describe('ensureFolder', () => {
  it('creates missing folders and says "not a folder" for a file on the path', async () => {
    await ensureFolder(join(dir, 'a', 'b'));
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    await expect(ensureFolder(file)).rejects.toThrow(new NotAFolderError(file));
    await expect(ensureFolder(join(file, 'sub'))).rejects.toThrow(`${file} is not a folder`);
    await expect(ensureFolder('/dev/full')).rejects.toThrow('/dev/full is not a folder');
  });
});
