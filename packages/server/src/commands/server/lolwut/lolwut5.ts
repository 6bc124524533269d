/**
 * LOLWUT VERSION 5 [columns [squares-per-row [squares-per-column]]]: Georg Nees's "Schotter"
 * (1968), as Redis's lolwut5.c: a grid of squares that rotate and shift more and more as the rows
 * go down, rendered with Braille characters (2x4 pixels each). Defaults 66 columns, 8 x 12
 * squares; each bound clamped to 1..1000 (columns) or 1..200 (squares). The first two rows are
 * never disturbed, so pictures of at most two rows are deterministic; further rows draw from the
 * node's Random where Redis calls rand().
 */
import type { Random } from '@replisim/base';
import { Canvas, toInt } from './canvas.js';

const RAND_MAX = 0x7fffffff;

export interface SchotterSize {
  readonly columns: number;
  readonly perRow: number;
  readonly perColumn: number;
}

/** C's rand(): 0..RAND_MAX. */
function rand(random: Random): number {
  return random.u32() & RAND_MAX;
}

function drawSchotter(size: SchotterSize, random: Random): Canvas {
  const width = size.columns * 2;
  const padding = width > 4 ? 2 : 0;
  const side = Math.fround((width - padding * 2) / size.perRow);
  const height = toInt(Math.fround(Math.fround(side * size.perColumn) + padding * 2));
  const canvas = new Canvas(width, height, 0);
  const f = Math.fround;
  for (let y = 0; y < size.perColumn; y++) {
    for (let x = 0; x < size.perRow; x++) {
      let sx = toInt(f(f(f(x * side) + f(side / 2)) + padding));
      let sy = toInt(f(f(f(y * side) + f(side / 2)) + padding));
      let angle = 0;
      if (y > 1) {
        let r1 = f(f(f(f(rand(random)) / f(RAND_MAX)) / size.perColumn) * y);
        let r2 = f(f(f(f(rand(random)) / f(RAND_MAX)) / size.perColumn) * y);
        let r3 = f(f(f(f(rand(random)) / f(RAND_MAX)) / size.perColumn) * y);
        if (rand(random) % 2) r1 = -r1;
        if (rand(random) % 2) r2 = -r2;
        if (rand(random) % 2) r3 = -r3;
        angle = r1;
        sx = toInt(f(sx + f(f(r2 * side) / 3)));
        sy = toInt(f(sy + f(f(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** renderCanvas: one Braille character per 2x4 pixels, rows of characters joined by newlines. */
function renderBraille(canvas: Canvas): Buffer {
  const parts: Buffer[] = [];
  for (let y = 0; y < canvas.height; y += 4) {
    const row: number[] = [];
    for (let x = 0; x < canvas.width; x += 2) {
      let byte = 0;
      if (canvas.get(x, y)) byte |= 1 << 0;
      if (canvas.get(x, y + 1)) byte |= 1 << 1;
      if (canvas.get(x, y + 2)) byte |= 1 << 2;
      if (canvas.get(x + 1, y)) byte |= 1 << 3;
      if (canvas.get(x + 1, y + 1)) byte |= 1 << 4;
      if (canvas.get(x + 1, y + 2)) byte |= 1 << 5;
      if (canvas.get(x, y + 3)) byte |= 1 << 6;
      if (canvas.get(x + 1, y + 3)) byte |= 1 << 7;
      const code = 0x2800 + byte;
      row.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
    parts.push(Buffer.from(row));
    if (y !== canvas.height - 1) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

export function schotter(size: SchotterSize, random: Random, version: string): Buffer {
  const art = renderBraille(drawSchotter(size, random));
  const caption = `\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${version}\n`;
  return Buffer.concat([art, Buffer.from(caption, 'latin1')]);
}
