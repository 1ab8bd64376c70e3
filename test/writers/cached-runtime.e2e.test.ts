/**
 * The writer cache on the real runtime: tool gateway → our MCP server on the bundled data, SQLite cache and run log
 * in a temporary home, the template writer behind a spy that counts the calls reaching it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFooter } from '../../src/cli/summary.js';
import { logger } from '../../src/log.js';
import type { AnalystName, DataBundle, Findings, RunResult, SectionId } from '../../src/research/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import type { SectionContext, Writer } from '../../src/writers/types.js';
import { bundledConfig } from '../helpers/test-config.js';

/** Calls that reached the writer, across every run's writer. */
const calls = { analyze: 0, sections: 0 };

function spyWriter(): Writer {
  const inner = createTemplateWriter();
  return {
    name: 'template',
    analyze(analyst: AnalystName, bundle: DataBundle, signal?: AbortSignal): Promise<Findings> {
      calls.analyze++;
      return inner.analyze(analyst, bundle, signal);
    },
    writeSection(section: SectionId, context: SectionContext, signal?: AbortSignal): AsyncIterable<string> {
      calls.sections++;
      return inner.writeSection(section, context, signal);
    },
    usage: () => inner.usage(),
  };
}

let home: string;
let runtime: Runtime;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-writer-cache-e2e-'));
  runtime = await createRuntime(
    bundledConfig({ TICKERDESK_HOME: home, LOG_LEVEL: 'warn', CACHE_OP_TIMEOUT_MS: '10000' }),
    {
      logger: logger.child({}, { level: 'silent' }),
      writerFactory: { name: 'template', create: spyWriter },
    },
  );
}, 60_000);

afterAll(async () => {
  try {
    await runtime?.close();
  } finally {
    if (home) fs.rmSync(home, { recursive: true, force: true });
  }
});

/** One NVDA run and the writer calls it made. */
async function run(fresh = false): Promise<{ result: RunResult; spy: typeof calls }> {
  const before = { ...calls };
  const handle = runtime.research.start('NVDA', { requester: { via: 'test' }, ...(fresh ? { fresh } : {}) });
  const result = await handle.result;
  return { result, spy: { analyze: calls.analyze - before.analyze, sections: calls.sections - before.sections } };
}

describe('writer cache on the runtime', () => {
  it('a second NVDA run calls neither the tools nor the writer and gives byte-identical sections', async () => {
    const first = await run();
    expect(first.result.tools.misses).toBeGreaterThan(0);
    expect(first.spy).toEqual({ analyze: 4, sections: 6 });
    expect(first.result.writerCache).toEqual({ hits: 0, misses: 10 });

    const second = await run();
    const { tools } = second.result;
    expect(tools.misses + tools.coalesced + tools.errors).toBe(0);
    expect(tools.hits).toBe(tools.total);
    expect(second.spy).toEqual({ analyze: 0, sections: 0 });
    expect(second.result.writerCache).toEqual({ hits: 10, misses: 0 });
    expect(second.result.sections.map((s) => s.markdown)).toEqual(first.result.sections.map((s) => s.markdown));
    expect(second.result.sections.map((s) => s.degraded)).toEqual(first.result.sections.map((s) => s.degraded));
    expect(second.result.findings).toEqual(first.result.findings);
    expect(second.result.verdict).toEqual(first.result.verdict);
    expect(formatFooter(second.result)).toMatch(/Served from cache\./);
  }, 60_000);

  it('a fresh run reads neither cache, writes both, and the next run is served from them', async () => {
    const fresh = await run(true);
    expect(fresh.result.tools.hits).toBe(0);
    expect(fresh.spy).toEqual({ analyze: 4, sections: 6 });
    expect(fresh.result.writerCache).toEqual({ hits: 0, misses: 10 });

    const after = await run();
    expect(after.spy).toEqual({ analyze: 0, sections: 0 });
    expect(after.result.writerCache).toEqual({ hits: 10, misses: 0 });
    expect(after.result.sections.map((s) => s.markdown)).toEqual(fresh.result.sections.map((s) => s.markdown));
  }, 60_000);
});
