import { describe, expect, it } from 'vitest';
import { MRKDWN_RULE, markdownToMrkdwn, renderTable, splitMrkdwn } from '../../src/slack/markdown.js';

describe('markdownToMrkdwn', () => {
  it('converts bold, links and lists with slackify-markdown', () => {
    const out = markdownToMrkdwn('**Revenue** up, see [10-K](https://sec.gov/x)\n\n- one\n- two');
    expect(out).toContain('*Revenue*');
    expect(out).toContain('<https://sec.gov/x|10-K>');
    expect(out).toMatch(/•\s+one/);
  });

  it("puts one space after a list marker (not the converter's tab-stop padding), outside code blocks only", () => {
    const out = markdownToMrkdwn('- one\n- two\n  - nested\n\n1. first\n2. second\n\n```\n1.  kept   as is\n```');
    expect(out).toMatch(/^• one$/m);
    expect(out).toMatch(/^• two$/m);
    expect(out).toMatch(/^ +• nested$/m);
    expect(out).toMatch(/^1\. first$/m);
    expect(out).toMatch(/^2\. second$/m);
    expect(out).toContain('1.  kept   as is');
  });

  it('turns a table into aligned text in a code block, inline Markdown stripped', () => {
    const out = markdownToMrkdwn(
      'Before\n\n| Metric | FY2025 |\n|---|---:|\n| **Revenue** | $130.5B |\n| Margin | 75% |\n\nAfter',
    );
    expect(out).toContain('```\nMetric    FY2025\n-------  -------\nRevenue  $130.5B\nMargin       75%\n```');
    expect(out.indexOf('Before')).toBeLessThan(out.indexOf('```'));
    expect(out.trimEnd().endsWith('After')).toBe(true);
  });

  it('turns a wide table on its side when that is narrower', () => {
    const header = '| Year | Revenue | Growth | Gross margin | Operating margin | Net income | Free cash flow |';
    const table = renderTable([
      header,
      '|---|---:|---:|---:|---:|---:|---:|',
      '| FY2026 | $215.94B | +65.5% | 71.1% | 60.4% | $120.07B | $96.68B |',
    ]);
    expect(table.split('\n')[0]).toMatch(/^Year\s+FY2026$/);
    expect(table).toMatch(/Operating margin\s+60\.4%/);
  });
});

describe('splitMrkdwn', () => {
  it('keeps every character, at line boundaries, each piece within the limit', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
    const text = lines.join('\n');
    const pieces = splitMrkdwn(text, 500);
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(500);
    expect(pieces.join('\n')).toBe(text);
  });

  it('closes and reopens a code block cut in two', () => {
    const code = `\`\`\`\n${Array.from({ length: 60 }, (_, i) => `row ${i}`).join('\n')}\n\`\`\``;
    const pieces = splitMrkdwn(code, 200);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.startsWith('```')).toBe(true);
      expect(p.endsWith('```')).toBe(true);
    }
    const rows = pieces.join('\n').match(/row \d+/g);
    expect(rows).toHaveLength(60);
  });

  it('splits a single over-long line at spaces', () => {
    const text = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const pieces = splitMrkdwn(text, 300);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(300);
    expect(pieces.join(' ')).toBe(text);
  });
});

describe('markdownToMrkdwn escaping', () => {
  it('escapes &, < and > (raw HTML included) but keeps links', () => {
    const out = markdownToMrkdwn('P/E < 20 & rising, <b>bold</b>, see [SEC](https://sec.gov)');
    expect(out).toContain('P/E &lt; 20 &amp; rising');
    expect(out).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(out).toContain('<https://sec.gov|SEC>');
  });
});

describe('markdownToMrkdwn with GitHub Markdown from an LLM writer', () => {
  it('turns a thematic break into a thin rule, not "***", and keeps a --- heading underline a heading', () => {
    const out = markdownToMrkdwn('Revenue rose.\n\n---\n\nMargins held.\n\nOutlook\n---\n\nSteady.');
    expect(out).not.toContain('***');
    expect(out).toContain(`Revenue rose.\n\n${MRKDWN_RULE}\n\nMargins held.`);
    expect(out).toMatch(/\*Outlook\*/);
    expect(out.split(MRKDWN_RULE)).toHaveLength(2);
  });

  it('turns footnotes into superscript numbers with the notes at the end, in order of first reference', () => {
    const md = [
      'Revenue rose 114%[^rev] while margins held[^1].',
      '',
      '[^1]: Gross margin, FY2025 10-K.',
      '[^rev]: SEC companyfacts,',
      '  fiscal year 2025.',
    ].join('\n');
    const out = markdownToMrkdwn(md);
    expect(out).not.toContain('[^');
    expect(out).toContain('Revenue rose 114%¹ while margins held².');
    expect(out).toMatch(/¹ SEC companyfacts, fiscal year 2025\.\n\n² Gross margin, FY2025 10-K\.$/);
  });

  it('leaves --- and [^1] inside code blocks alone', () => {
    const out = markdownToMrkdwn('```\n---\nx[^1]\n```');
    expect(out).toContain('---\nx[^1]');
  });
});
