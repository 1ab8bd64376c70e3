/**
 * The writers' code version: a short SHA-256 of the source files that decide what a writer derives from the data (the
 * writers, their prompts and templates, the number check, the analysts' rules, the shared figure definitions and the
 * report types). The writer cache puts it in every key, so a change to a template, a prompt or a rule is never answered
 * with text cached by the code before it (issue 10, item 9). Instances running the same code compute the same version
 * and share a Redis cache.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Source folders whose files make the writers' version, relative to `src/`. */
export const WRITER_SOURCE_DIRS: readonly string[] = ['writers', 'research', 'definitions'];

const SRC_DIR = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (/\.(ts|js|json|md)$/.test(entry.name)) files.push(full);
  }
  return files;
}

/**
 * A 16-hex-digit SHA-256 of every source file (`.ts`, `.js`, `.json`, `.md`) under `dirs`, in path order: each file's
 * path relative to `root` and its bytes. Any change to a file's content, or a file added, removed or renamed, changes it.
 * @throws when a folder cannot be read.
 */
export function sourceVersion(root: string, dirs: readonly string[]): string {
  const hash = createHash('sha256');
  const files = dirs.flatMap((dir) => sourceFiles(path.join(root, dir))).sort();
  for (const file of files) {
    hash.update(path.relative(root, file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

let cached: string | undefined;

/**
 * The running code's writer version ({@link sourceVersion} of {@link WRITER_SOURCE_DIRS} under `src/`), computed once
 * per process. Where the sources cannot be read, a random version: that process shares no cached writer output with
 * any other and never serves text written by other code.
 */
export function writerVersion(): string {
  if (cached === undefined) {
    try {
      cached = sourceVersion(SRC_DIR, WRITER_SOURCE_DIRS);
    } catch {
      cached = `p${randomUUID().replace(/-/g, '').slice(0, 15)}`;
    }
  }
  return cached;
}
