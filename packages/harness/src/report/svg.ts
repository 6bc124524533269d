/**
 * SVG building blocks for the report, as strings. Every element placed in time carries its times in
 * data attributes, so the page's script (script.ts) can move it when the reader zooms without the
 * data being drawn twice:
 *   rect      data-t0, data-t1          -> x, width (at least 1 px)
 *   line      data-ta, data-tb          -> x1, x2
 *   g         data-t                    -> transform translate(x, 0)
 *   polyline/polygon data-p="t,y t,y"   -> points
 * Elements with `data-info` show that text in the details panel when clicked (and as a tooltip).
 */

/** The drawing's width in SVG units; it scales to the window. */
export const WIDTH = 1400;
/** Room for lane labels on the left, and a margin on the right. */
export const LEFT = 170;
export const RIGHT = 20;

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Times to x: the whole run fills [LEFT, WIDTH - RIGHT]. */
export class TimeScale {
  readonly endMs: number;

  constructor(endMs: number) {
    this.endMs = Math.max(1, endMs);
  }

  x(t: number): number {
    return round(LEFT + (t / this.endMs) * (WIDTH - LEFT - RIGHT));
  }
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

type Attrs = Readonly<Record<string, string | number | undefined>>;

function attrs(values: Attrs): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${esc(String(value))}"`)
    .join('');
}

/** Tooltip and click details for an element. */
function infoAttrs(info: string | undefined): Attrs {
  return info === undefined ? {} : { 'data-info': info };
}

function titled(info: string | undefined): string {
  return info === undefined ? '' : `<title>${esc(info)}</title>`;
}

export function el(name: string, values: Attrs, children = ''): string {
  return `<${name}${attrs(values)}>${children}</${name}>`;
}

/** A rectangle from t0 to t1. */
export function span(
  scale: TimeScale,
  t0: number,
  t1: number,
  y: number,
  height: number,
  cls: string,
  info?: string,
  extra: Attrs = {},
): string {
  const x0 = scale.x(t0);
  return el(
    'rect',
    {
      x: x0,
      y: round(y),
      width: Math.max(1, round(scale.x(t1) - x0)),
      height: round(height),
      class: cls,
      'data-t0': t0,
      'data-t1': t1,
      ...infoAttrs(info),
      ...extra,
    },
    titled(info),
  );
}

/** A line from (ta, ya) to (tb, yb). */
export function line(
  scale: TimeScale,
  ta: number,
  ya: number,
  tb: number,
  yb: number,
  cls: string,
  info?: string,
  extra: Attrs = {},
): string {
  return el(
    'line',
    {
      x1: scale.x(ta),
      y1: round(ya),
      x2: scale.x(tb),
      y2: round(yb),
      class: cls,
      'data-ta': ta,
      'data-tb': tb,
      ...infoAttrs(info),
      ...extra,
    },
    titled(info),
  );
}

/** A group placed at time t (its content drawn around x = 0). */
export function at(scale: TimeScale, t: number, content: string, cls = '', info?: string): string {
  return el(
    'g',
    {
      transform: `translate(${scale.x(t)},0)`,
      'data-t': t,
      ...(cls === '' ? {} : { class: cls }),
      ...infoAttrs(info),
    },
    titled(info) + content,
  );
}

/** A polyline (or closed polygon) through (t, y) points. */
export function poly(
  scale: TimeScale,
  points: readonly (readonly [number, number])[],
  cls: string,
  closed: boolean,
  info?: string,
): string {
  const data = points.map(([t, y]) => `${t},${round(y)}`).join(' ');
  const drawn = points.map(([t, y]) => `${scale.x(t)},${round(y)}`).join(' ');
  return el(
    closed ? 'polygon' : 'polyline',
    { points: drawn, class: cls, 'data-p': data, ...infoAttrs(info) },
    titled(info),
  );
}

/** Plain text at a fixed position (labels that do not move with zoom). */
export function text(x: number, y: number, content: string, cls = ''): string {
  return el(
    'text',
    { x: round(x), y: round(y), ...(cls === '' ? {} : { class: cls }) },
    esc(content),
  );
}

/** Seconds with up to three decimals: 12.345 s. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')} s`;
}

/** 1234567 -> "1.2 MB", in binary units as Redis's INFO does. */
export function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The first 6 hex digits of a replid, as the report names it. */
export function shortId(replid: string): string {
  return replid.slice(0, 6);
}

/** One colour per index from a fixed palette (lanes, replids). */
const PALETTE = ['#1f77b4', '#2ca02c', '#9467bd', '#d62728', '#8c564b', '#e377c2', '#17becf'];
export function colour(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#555';
}
