/**
 * Where a point's label goes so that no line crosses it: a few candidate spots around the point (below or above,
 * right or left, near or farther) are scored by how many drawn points and horizontal rules fall inside the label's
 * box, in plot units, and the first spot with the lowest score wins. Pure; no rendering.
 */

/** The plot's size (chart units) and the data ranges its axes map. */
export interface PlotGeometry {
  width: number;
  height: number;
  /** Time range of the x axis, epoch ms. */
  t0: number;
  t1: number;
  /** Value range of the y axis (bottom, top). */
  y0: number;
  y1: number;
}

/** A label's offset from its point (Vega text `align`, `dx`, `dy`; baseline alphabetic). */
export interface LabelPlacement {
  align: 'left' | 'right';
  dx: number;
  dy: number;
}

/** What to keep clear of. */
export interface Obstacles {
  /** Drawn points (lines are dense enough that their points stand for them). */
  points: readonly { t: number; value: number }[];
  /** Values of horizontal rules across the plot. */
  rules: readonly number[];
  /** Other labels, as boxes in plot units (x to the right, y down from the top). */
  boxes?: readonly { left: number; right: number; top: number; bottom: number }[];
}

const GAP = 7;

/** Candidate spots, in order of preference, for a label above (`above`) or below its point. */
function candidates(above: boolean): LabelPlacement[] {
  const near = above ? -14 : 18;
  const far = above ? -32 : 36;
  const other = above ? 18 : -14;
  const spots: LabelPlacement[] = [];
  for (const dy of [near, far, other]) {
    spots.push({ align: 'left', dx: GAP, dy }, { align: 'right', dx: -GAP, dy });
  }
  return spots;
}

/**
 * Choose the spot for a label of `width` × `fontSize` (chart units) at `anchor`.
 * @param above whether the label prefers to sit above the point (a high) or below it (a low).
 */
export function placeLabel(
  plot: PlotGeometry,
  anchor: { t: number; value: number },
  size: { width: number; fontSize: number },
  obstacles: Obstacles,
  above: boolean,
): LabelPlacement {
  const x = (t: number) => ((t - plot.t0) / (plot.t1 - plot.t0 || 1)) * plot.width;
  const y = (v: number) => plot.height - ((v - plot.y0) / (plot.y1 - plot.y0 || 1)) * plot.height;
  const ax = x(anchor.t);
  const ay = y(anchor.value);
  const projected = obstacles.points.map((p) => ({ x: x(p.t), y: y(p.value) }));
  const rules = obstacles.rules.map(y);

  let best: { spot: LabelPlacement; score: number } | undefined;
  for (const spot of candidates(above)) {
    const left = spot.align === 'left' ? ax + spot.dx : ax + spot.dx - size.width;
    const right = left + size.width;
    // Alphabetic baseline at ay + dy: the glyphs rise ~0.8 em above it and descend ~0.2 em below.
    const top = ay + spot.dy - size.fontSize * 0.8 - 2;
    const bottom = ay + spot.dy + size.fontSize * 0.2 + 2;
    let score = 0;
    if (left < 0 || right > plot.width) score += 1000;
    if (top < -4 || bottom > plot.height + 4) score += 200;
    for (const p of projected) if (p.x >= left && p.x <= right && p.y >= top && p.y <= bottom) score += 1;
    for (const r of rules) if (r >= top && r <= bottom) score += 50;
    for (const b of obstacles.boxes ?? []) {
      if (b.left < right && b.right > left && b.top < bottom && b.bottom > top) score += 100;
    }
    if (!best || score < best.score) best = { spot, score };
    if (score === 0) break;
  }
  return (best as { spot: LabelPlacement }).spot;
}
