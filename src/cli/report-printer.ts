/**
 * Prints a run's report on stdout as it lands: a title, then each section (`## Title` + Markdown) in report order,
 * streaming `sectionDelta` text as it comes. Deltas of a later section that arrive early are held until the
 * sections before it are complete, so the output is always in report order.
 */
import { type DataSources, dataSources, dataSourcesMarkdown } from '../report/data-sources.js';
import type { RunHandle, Section } from '../research/types.js';
import type { TextSink } from './io.js';
import type { Progress } from './progress.js';

interface Pending {
  title?: string;
  /** Text received but not yet printed. */
  buffered: string;
  /** Whether the heading and any text were printed. */
  headed: boolean;
  printedBody: boolean;
  ready?: Section;
}

/** Options of {@link attachReportPrinter}. */
export interface ReportPrinterOptions {
  /** Erased before and redrawn after each write, so both share one terminal cleanly. */
  progress?: Pick<Progress, 'clear' | 'redraw'>;
}

/** A report printer attached to a run. */
export interface ReportPrinter {
  /** Sections printed in full so far. */
  printed(): number;
  /** True while the last text written did not end a line. */
  midLine(): boolean;
}

/**
 * Subscribe to `handle` and print its sections on `out`. Attach it before the progress display, so that a
 * section's text is out before the progress notes that it is ready.
 */
export function attachReportPrinter(
  handle: RunHandle,
  out: TextSink,
  options: ReportPrinterOptions = {},
): ReportPrinter {
  const pending = new Map<number, Pending>();
  let next = 0;
  let company: string | undefined;
  let sources: DataSources | undefined;
  let titled = false;
  let midLine = false;

  const write = (text: string) => {
    if (text === '') return;
    options.progress?.clear();
    out.write(text);
    midLine = !text.endsWith('\n');
    options.progress?.redraw();
  };
  const entry = (index: number): Pending => {
    let p = pending.get(index);
    if (!p) {
      p = { buffered: '', headed: false, printedBody: false };
      pending.set(index, p);
    }
    return p;
  };
  /** The report's first lines: its title, then where its data came from and how old it is (once known). */
  const title = (): string => {
    titled = true;
    const name = company ? `${company} (${handle.ticker})` : handle.ticker;
    return `# ${name}: research report\n\n${sources ? `${dataSourcesMarkdown(sources)}\n` : ''}`;
  };
  /** Print what can be printed of the current section, and move on while sections are complete. */
  const pump = () => {
    for (;;) {
      const p = pending.get(next);
      if (!p) return;
      let text = '';
      if (!titled) text += title();
      if (!p.headed && (p.title ?? p.ready?.title)) {
        p.headed = true;
        text += `## ${p.title ?? p.ready?.title}\n\n`;
      }
      if (p.headed && p.buffered) {
        text += p.buffered;
        p.printedBody = true;
        p.buffered = '';
      }
      if (!p.ready) {
        write(text);
        return;
      }
      const section = p.ready;
      if (!p.printedBody) text += section.markdown;
      if (section.degraded && !section.markdown.includes(section.degraded)) {
        text += `${text.endsWith('\n') ? '' : '\n'}\n_Note: ${section.degraded}_`;
      }
      text = text.replace(/\n*$/, '\n\n');
      write(text);
      pending.delete(next);
      next++;
    }
  };

  handle.on('bundleReady', ({ bundle }) => {
    sources = dataSources(bundle);
    // The data lines are the report's first lines, printed as soon as the data is in, before any section.
    if (!titled) write(title());
  });
  handle.on('companyIdentified', (e) => {
    company = e.name;
  });
  handle.on('sectionStarted', (e) => {
    entry(e.index).title = e.title;
    pump();
  });
  handle.on('sectionDelta', (e) => {
    entry(e.index).buffered += e.text;
    pump();
  });
  handle.on('sectionReady', ({ section }) => {
    const p = entry(section.index);
    p.title ??= section.title;
    p.ready = section;
    pump();
  });
  return { printed: () => next, midLine: () => midLine };
}
