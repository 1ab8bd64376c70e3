import { getEventListeners } from 'node:events';
import Keyv from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { createResearchService } from '../../src/research/index.js';
import { SECTIONS } from '../../src/research/types.js';
import { KeyvToolCache } from '../../src/tools/cache.js';
import { cachedWriter } from '../../src/writers/cached.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import { FakeGateway } from '../helpers/fake-gateway.js';

const quiet = logger.child({}, { level: 'silent' });

/** Every AbortSignal that got an 'abort' listener while installed, and the most any one of them held at once. */
function watchAbortListeners() {
  const signals = new Set<AbortSignal>();
  let peak = 0;
  const original = AbortSignal.prototype.addEventListener;
  AbortSignal.prototype.addEventListener = function (this: AbortSignal, ...args: Parameters<typeof original>) {
    original.apply(this, args);
    if (args[0] === 'abort') {
      signals.add(this);
      peak = Math.max(peak, getEventListeners(this, 'abort').length);
    }
  };
  return {
    signals,
    peak: () => peak,
    restore: () => {
      AbortSignal.prototype.addEventListener = original;
    },
  };
}

describe('the run signal', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('collects no listener per wait: a run with every tool, analyst and section waiting at once warns nothing and leaves none behind', async () => {
    const gateway = new FakeGateway({ hold: true });
    // The cached writer over a template writer that waits (as a model would): every analyst and every section has
    // several waits on the run's signal at the same moment, the case that printed MaxListenersExceededWarning.
    const cache = new KeyvToolCache(() => new Keyv(), { logger: quiet });
    const research = createResearchService({
      gateway,
      logger: quiet,
      createWriter: () =>
        cachedWriter(createTemplateWriter({ analystDelayMs: () => 5, sectionDelayMs: () => 5 }), cache, {
          logger: quiet,
        }),
    });
    // Watched only around the run: vitest's own test signal keeps a listener of its own.
    const watched = watchAbortListeners();
    const run = research.start('NVDA');
    await gateway.waitForCalls(8);
    gateway.release();
    const result = await run.result.finally(watched.restore);
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick

    expect(result.sections.map((s) => s.id)).toEqual(SECTIONS.map((s) => s.id));
    expect(watched.signals.size).toBeGreaterThan(0);
    expect(watched.peak()).toBeLessThanOrEqual(3);
    for (const signal of watched.signals) expect(getEventListeners(signal, 'abort').map(String)).toEqual([]);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    await cache.close();
  });
});
