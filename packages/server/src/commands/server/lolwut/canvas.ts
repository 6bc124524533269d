/**
 * LOLWUT's drawing surface, as Redis's lolwut.c: a width x height grid of small colour numbers,
 * pixels outside it ignored on write and read as 0, Bresenham lines and rotated squares. The
 * arithmetic follows the C code's float/double/int conversions (Math.fround where C stores a
 * float, truncation where it stores an int, round() halves away from zero), so that the same
 * random draws give Redis's picture.
 */

export class Canvas {
  readonly width: number;
  readonly height: number;
  private readonly pixels: Uint8Array;

  constructor(width: number, height: number, background: number) {
    this.width = width;
    this.height = height;
    this.pixels = new Uint8Array(width * height).fill(background);
  }

  draw(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }

  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width] ?? 0;
  }

  /** lwDrawLine: Bresenham from (x1, y1) to (x2, y2), both ends included. */
  line(fromX: number, fromY: number, x2: number, y2: number, color: number): void {
    let x1 = fromX;
    let y1 = fromY;
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.draw(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }

  /** lwDrawSquare: a square of side `side` (a C float) centred on (x, y), rotated by `angle`. */
  square(x: number, y: number, side: number, angle: number, color: number): void {
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: Redis divides by this literal.
    let size = Math.fround(side / 1.4142135623);
    size = Math.fround(roundHalfAway(size));
    let k = Math.fround(Math.PI / 4 + angle);
    const px: number[] = [];
    const py: number[] = [];
    for (let j = 0; j < 4; j++) {
      px.push(roundHalfAway(Math.sin(k) * size + x));
      py.push(roundHalfAway(Math.cos(k) * size + y));
      k = Math.fround(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) {
      this.line(px[j] ?? 0, py[j] ?? 0, px[(j + 1) % 4] ?? 0, py[(j + 1) % 4] ?? 0, color);
    }
  }
}

/** C's round(): halves away from zero. */
export function roundHalfAway(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

/** C's conversion of a float to int: truncation toward zero. */
export function toInt(value: number): number {
  return Math.trunc(value);
}
