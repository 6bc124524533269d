/**
 * Differential test of TOUCH and LOLWUT against redis-server 7.0.15, RESP2 and RESP3, byte for
 * byte: TOUCH's count (keys named twice, missing and expired keys), its keyspace hits and misses
 * and the idle time it resets; LOLWUT's version dispatch (plain, VERSION 5, 6, 7, 4.9, 5.9 via
 * the integer, bad integers), Schotter pictures of one and two rows of squares at several sizes
 * (those draw nothing at random, so they must equal Redis's to the byte), and for the random
 * pictures (more Schotter rows, the VERSION 6 skyline) the frame: line count, line widths and the
 * caption.
 */
import type { RespValue } from '@replisim/protocol';
import { expect } from 'vitest';
import {
  cmd,
  describeCollectionDiff,
  each,
  type Protocol,
  type Script,
} from './support/collection-diff.js';

function textOf(value: RespValue): string {
  if (value.kind === 'verbatim') return value.value.toString('utf8');
  if (value.kind === 'bulk' && value.value !== null) return value.value.toString('utf8');
  throw new Error(`not text: ${value.kind}`);
}

/** A Schotter picture with random rows: `rows` Braille lines of `columns` characters, then the caption. */
function schotterFrame(columns: number, rows: number) {
  return (value: RespValue, protocol: Protocol): void => {
    expect(value.kind).toBe(protocol === 3 ? 'verbatim' : 'bulk');
    const lines = textOf(value).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toBe('Georg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15');
    const art = lines.slice(0, rows);
    for (const line of art) {
      expect([...line].length).toBe(columns);
      expect(/^[\u2800-\u28ff]+$/u.test(line)).toBe(true);
    }
  };
}

const ESC = String.fromCharCode(27);

function skylineFrame(columns: number, rows: number) {
  return (value: RespValue): void => {
    const lines = textOf(value).split('\n');
    expect(lines.length).toBe(rows + 3);
    expect(lines.slice(rows)).toEqual([
      'Dedicated to the 8 bit game developers of past and present.',
      'Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15',
      '',
    ]);
    for (const line of lines.slice(0, rows)) {
      expect(line.replaceAll(ESC, '^')).toMatch(/^(\^\[0;(30;40|90;100|37;47|97;107)m \^\[0m)+$/);
      expect(line.split('\x1b[0m').length - 1).toBe(columns);
    }
  };
}

const SCRIPTS: readonly Script[] = [
  {
    name: 'TOUCH',
    steps: [
      cmd('SET', 'a', '1'),
      cmd('RPUSH', 'l', 'x'),
      cmd('TOUCH', 'a'),
      cmd('TOUCH', 'a', 'a', 'l', 'nokey'),
      cmd('TOUCH', 'nokey'),
      cmd('SET', 'gone', 'x', 'PX', '1'),
      cmd('DEBUG', 'SLEEP', '0.01'),
      cmd('TOUCH', 'gone', 'a'),
      cmd('EXISTS', 'gone'),
      cmd('TOUCH'),
      cmd('OBJECT', 'IDLETIME', 'a'),
      cmd('INFO', 'keyspace'),
    ],
  },
  {
    name: 'LOLWUT versions and deterministic pictures',
    steps: [
      cmd('LOLWUT'),
      cmd('lolwut', 'foo', 'bar'),
      cmd('LOLWUT', 'VERSION', '7'),
      cmd('LOLWUT', 'VERSION', '7', 'x'),
      cmd('LOLWUT', 'VERSION', 'x'),
      cmd('LOLWUT', 'VERSION'),
      cmd('LOLWUT', 'VERSION', '5', 'x'),
      cmd('LOLWUT', 'VERSION', '6', '10', 'y'),
      cmd('LOLWUT', 'VERSION', '4294967301', '1', '1', '1'),
      cmd('LOLWUT', 'VERSION', '-1'),
      cmd('LOLWUT', 'VERSION', '5', '1', '1', '1'),
      cmd('LOLWUT', 'VERSION', '5', '0', '0', '0'),
      cmd('LOLWUT', 'VERSION', '5', '2', '1', '1'),
      cmd('LOLWUT', 'VERSION', '5', '3', '2', '2'),
      cmd('LOLWUT', 'VERSION', '5', '10', '2', '2'),
      cmd('LOLWUT', 'VERSION', '5', '40', '4', '2'),
      cmd('LOLWUT', 'VERSION', '5', '66', '8', '2'),
      cmd('LOLWUT', 'VERSION', '5', '33', '7', '1'),
      cmd('LOLWUT', 'VERSION', '5', '100', '13', '2'),
      cmd('LOLWUT', 'VERSION', '5', '5000', '300', '1'),
      cmd('LOLWUT', 'VERSION', '5', '17', '3', '2', 'extra'),
      cmd('LOLWUT', 'VERSION', '6', '1', '1'),
      cmd('LOLWUT', 'VERSION', '6', '0', '-5'),
    ],
  },
  {
    name: 'LOLWUT random pictures (frame only)',
    steps: [
      each(schotterFrame(66, 1), 'LOLWUT', 'VERSION', '5'),
      each(schotterFrame(20, 1), 'LOLWUT', 'VERSION', '5', '20', '3', '5'),
      each(skylineFrame(80, 20), 'LOLWUT', 'VERSION', '6'),
      each(skylineFrame(30, 7), 'LOLWUT', 'VERSION', '6', '30', '7'),
    ],
  },
];

describeCollectionDiff('TOUCH and LOLWUT against redis-server 7.0.15', 'string', SCRIPTS);
