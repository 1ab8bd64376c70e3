/**
 * The font every chart is drawn with: DejaVu Sans from the `dejavu-fonts-ttf` package, loaded by file so that a
 * chart looks the same on every machine (system fonts are never consulted). Text widths for Vega's layout are
 * measured from the same font files with `opentype.js`, so titles, legends and labels are placed for the glyphs
 * resvg will draw (Vega's own fallback, without a canvas, guesses 0.8 em per character).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import opentype from 'opentype.js';

/** Font family name used in chart specs and as the renderer's default family. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

interface FontFiles {
  regular: string;
  bold: string;
}

let files: FontFiles | undefined;
let faces: { regular: opentype.Font; bold: opentype.Font } | undefined;

function fontFiles(): FontFiles {
  if (!files) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    files = { regular: join(dir, 'DejaVuSans.ttf'), bold: join(dir, 'DejaVuSans-Bold.ttf') };
  }
  return files;
}

/**
 * Absolute paths of the TrueType files charts use (regular and bold DejaVu Sans).
 * @throws Error when the `dejavu-fonts-ttf` package is not installed.
 */
export function chartFontFiles(): string[] {
  const { regular, bold } = fontFiles();
  return [regular, bold];
}

/** A Vega text item, as far as measuring goes. */
export interface TextItem {
  fontSize?: number | string | null;
  fontWeight?: number | string | null;
}

function isBold(weight: TextItem['fontWeight']): boolean {
  if (weight === null || weight === undefined) return false;
  if (typeof weight === 'number') return weight >= 600;
  return weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
}

/**
 * Width in px of `text` set in the chart font at the item's size (default 11, Vega's default) and weight,
 * with kerning, as resvg will draw it.
 */
export function measureText(item: TextItem, text: string): number {
  if (!faces) {
    const { regular, bold } = fontFiles();
    faces = { regular: opentype.loadSync(regular), bold: opentype.loadSync(bold) };
  }
  const size = item.fontSize === null || item.fontSize === undefined ? 11 : Number(item.fontSize) || 0;
  if (size <= 0 || text.length === 0) return 0;
  const face = isBold(item.fontWeight) ? faces.bold : faces.regular;
  return face.getAdvanceWidth(text, size, { kerning: true });
}
