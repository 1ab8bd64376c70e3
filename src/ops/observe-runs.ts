/**
 * Lets operations code watch every run of a research service without the pipeline knowing: a wrapper whose
 * `start` hands each new run's handle to the observers before returning it (so they see its first event).
 */
import type { ResearchService, RunHandle } from '../research/types.js';

/**
 * `service` with each started run passed to `observers`, in order. Input `start` rejects (it throws) reaches no
 * observer. An observer that throws is skipped: it can never stop a run from starting.
 */
export function observeRuns(
  service: ResearchService,
  observers: ((handle: RunHandle) => void)[],
  onObserverError?: (err: unknown) => void,
): ResearchService {
  const wrapped: ResearchService = {
    start(ticker, options) {
      const handle = service.start(ticker, options);
      for (const observe of observers) {
        try {
          observe(handle);
        } catch (err) {
          onObserverError?.(err);
        }
      }
      return handle;
    },
  };
  const { checkTicker, knownTickers } = service;
  if (checkTicker) wrapped.checkTicker = checkTicker.bind(service);
  if (knownTickers) wrapped.knownTickers = knownTickers.bind(service);
  return wrapped;
}
