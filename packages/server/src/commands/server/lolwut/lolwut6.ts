/**
 * LOLWUT VERSION 6 [columns [rows]]: a city skyline (Redis's lolwut6.c): two passes of grey
 * background skyscrapers, then black foreground ones with lit windows, rendered as one ANSI
 * coloured space per pixel. Defaults 80 x 20, each clamped to 1..1000. Every building's place,
 * size and window colours draw from the node's Random where Redis calls rand(), so the picture is
 * random (as in Redis) and only its frame and caption can be compared.
 */
import type { Random } from '@replisim/base';
import { Canvas } from './canvas.js';

const RAND_MAX = 0x7fffffff;

interface Skyscraper {
  readonly xoff: number;
  readonly width: number;
  readonly height: number;
  readonly windows: boolean;
  readonly color: number;
}

function rand(random: Random): number {
  return random.u32() & RAND_MAX;
}

function drawSkyscraper(canvas: Canvas, s: Skyscraper, random: Random): void {
  const starty = canvas.height - 1;
  const endy = starty - s.height + 1;
  for (let y = starty; y >= endy; y--) {
    for (let x = s.xoff; x < s.xoff + s.width; x++) {
      // The roof is four pixels less wide.
      if (y === endy && (x <= s.xoff + 1 || x >= s.xoff + s.width - 2)) continue;
      let color = s.color;
      if (
        s.windows &&
        x > s.xoff + 1 &&
        x < s.xoff + s.width - 2 &&
        y > endy + 1 &&
        y < starty - 1
      ) {
        const relx = x - (s.xoff + 1);
        const rely = y - (endy + 1);
        // Windows two pixels wide, one tall; both pixels of a window share its colour.
        if (Math.trunc(relx / 2) % 2 !== 0 && rely % 2 !== 0) {
          do {
            color = 1 + (rand(random) % 2);
          } while (color === s.color);
          if (relx % 2 !== 0) color = canvas.get(x - 1, y);
        }
      }
      canvas.draw(x, y, color);
    }
  }
}

function drawSkyline(canvas: Canvas, random: Random): void {
  const h = canvas.height;
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width; ) {
      offset += rand(random) % 8;
      const width = 10 + (rand(random) % 9);
      const height =
        color === 2
          ? Math.trunc(h / 2) + Math.trunc((rand(random) % h) / 2)
          : Math.trunc(h / 2) + Math.trunc((rand(random) % h) / 3);
      drawSkyscraper(canvas, { xoff: offset, width, height, windows: false, color }, random);
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < canvas.width; ) {
    offset += rand(random) % 8;
    let width = 5 + (rand(random) % 14);
    if (width % 4 !== 0) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc((rand(random) % h) / 2);
    drawSkyscraper(canvas, { xoff: offset, width, height, windows: true, color: 0 }, random);
    offset += width + 5;
  }
}

const PIXELS: readonly string[] = [
  '\x1b[0;30;40m \x1b[0m',
  '\x1b[0;90;100m \x1b[0m',
  '\x1b[0;37;47m \x1b[0m',
  '\x1b[0;97;107m \x1b[0m',
];

export function skyline(columns: number, rows: number, random: Random, version: string): Buffer {
  const canvas = new Canvas(columns, rows, 3);
  drawSkyline(canvas, random);
  let text = '';
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += PIXELS[canvas.get(x, y)] ?? PIXELS[0];
    if (y !== canvas.height - 1) text += '\n';
  }
  text +=
    '\nDedicated to the 8 bit game developers of past and present.\n' +
    `Original 8 bit image from Plaguemon by hikikomori. Redis ver. ${version}\n`;
  return Buffer.from(text, 'latin1');
}
