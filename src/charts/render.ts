/**
 * The rendering pipeline every chart shares: Vega-Lite spec → Vega → SVG (text measured by Vega's estimator, no
 * canvas, no browser) → PNG with resvg, at an exact pixel size, with the bundled font only.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY, chartFontFiles, measureText, type TextItem } from './fonts.js';

/** A rendered PNG with its pixel size. */
export interface RenderedPng {
  png: Buffer;
  /** Pixels. */
  width: number;
  /** Pixels. */
  height: number;
}

/** Render a Vega-Lite spec to an SVG string (Vega and Vega-Lite are loaded on first use). */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  // Vega's documented hook for custom text measurement (no canvas here): measure with the font resvg draws.
  // `textMetrics` is exported by vega-scenegraph but missing from vega's type declarations.
  const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } };
  textMetrics.width = (item, text) => measureText(item, text === undefined || text === null ? '' : String(text).trim());
  const compiled = vegaLite.compile(spec, { logger: vega.logger(vega.Error) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const SVG_OPEN = /^\s*<svg\b[^>]*>/;
const SIZE = /\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/;

/**
 * Fit an SVG into an exact `width` × `height` canvas: scaled to fit, centred, on white.
 * @throws Error when the SVG has no numeric width and height.
 */
export function fitSvg(svg: string, width: number, height: number): string {
  const open = SVG_OPEN.exec(svg);
  const size = open ? SIZE.exec(open[0]) : null;
  if (!open || !size) throw new Error('The chart SVG has no width and height.');
  const w = Number(size[1]);
  const h = Number(size[2]);
  const scale = Math.min(width / w, height / h);
  const dx = (width - w * scale) / 2;
  const dy = (height - h * scale) / 2;
  const body = svg.slice(open[0].length).replace(/<\/svg>\s*$/, '');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="white"/>` +
    `<g transform="translate(${dx.toFixed(3)},${dy.toFixed(3)}) scale(${scale.toFixed(6)})">${body}</g></svg>`
  );
}

/** Rasterise an SVG with resvg, using only the bundled font. */
export async function svgToPng(svg: string): Promise<RenderedPng> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background: 'white',
    font: {
      loadSystemFonts: false,
      fontFiles: chartFontFiles(),
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
    shapeRendering: 2,
    textRendering: 1,
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

/** Render a Vega-Lite spec to a PNG of exactly `width` × `height` pixels. */
export async function renderSpec(spec: TopLevelSpec, width: number, height: number): Promise<RenderedPng> {
  return svgToPng(fitSvg(await specToSvg(spec), width, height));
}
