/**
 * Differential test of the stream commands: replisim must answer as Redis 7.0.15 does.
 *
 * Method: one real redis-server and one in-process replisim node; each script runs on both in
 * RESP2 and in RESP3 after a FLUSHALL (support/collection-diff.ts) and ends with DEBUG DIGEST-VALUE
 * of its keys. Entry IDs are given explicitly (or as `<ms>-*`), so replies are compared byte for
 * byte: ranges, exclusive bounds, COUNT, every error in Redis's order, trimming (exact and `~`,
 * where only whole nodes go: scripts lower stream-node-max-entries / -bytes so node boundaries
 * show), XINFO STREAM (radix-tree-keys and -nodes included), consumer groups (delivery, history,
 * NOACK, XACK, XCLAIM/XAUTOCLAIM with deleted entries, XPENDING summaries, lag and entries-read).
 * Replies that carry the servers' clocks (XADD `*`, delivery and seen times) are compared with
 * 13-digit times masked.
 *
 * Further tests here: blocked XREAD / XREADGROUP woken by XADD on both servers (same reply bytes),
 * woken only by entries past what they wait for, NOGROUP after XGROUP DESTROY, timeouts; DUMP of a
 * stream with groups is byte-identical once the times are the same, and each server RESTOREs the
 * other's payload to equal contents; `*` IDs follow the wall clock.
 */
import type { RespValue } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import {
  cmd,
  describeCollectionDiff,
  each,
  encoding,
  printable,
  type Script,
  text,
} from './support/collection-diff.js';
import { RawClient } from './support/raw-client.js';
import { flushBoth, useServerPair } from './support/server-pair.js';

/** A reply rendered with every 13-digit integer (a wall-clock time) masked. */
function maskedText(value: RespValue): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return /^\d{13}$/.test(String(item)) ? '<time>' : String(item);
    if (Buffer.isBuffer(item)) return item.toString('latin1');
    if (item !== null && typeof item === 'object' && 'type' in item && item.type === 'Buffer') {
      return Buffer.from((item as unknown as { data: number[] }).data).toString('latin1');
    }
    if (typeof item === 'string' && /^\d{13}(-\d+)?$/.test(item)) return '<time>';
    return item;
  });
}

/**
 * Compares the two servers' replies with clock readings masked: `each` runs its check on Redis's
 * reply, then on replisim's, so the first call records and the second compares.
 */
function sameMasked(...argv: string[]) {
  return sameRendered(maskedText, argv);
}

/**
 * XPENDING's extended form, [id, consumer, idle ms, deliveries] per entry, with the idle times
 * masked: they are the ms since delivery on each server's own clock, so they differ by the time
 * between the two servers' steps.
 */
function samePending(...argv: string[]) {
  const maskIdle = (value: RespValue): string => {
    if (value.kind !== 'array') return maskedText(value);
    const masked = value.items.map((entry) =>
      entry.kind === 'array' && entry.items.length === 4
        ? { ...entry, items: entry.items.map((item, i) => (i === 2 ? '<idle>' : item)) }
        : entry,
    );
    return maskedText({ ...value, items: masked } as RespValue);
  };
  return sameRendered(maskIdle, argv);
}

/** What a masked field reads as in both servers' renderings. */
const MASKED: RespValue = { kind: 'simple', value: '<masked>' };

/**
 * XINFO CONSUMERS with each consumer's idle time (ms since it was last seen, on each server's own
 * clock) masked, in RESP2 (a flat field list) and RESP3 (a map).
 */
function sameConsumers(...argv: string[]) {
  const isIdle = (item: RespValue | undefined) =>
    item !== undefined && item.kind === 'bulk' && item.value.toString('latin1') === 'idle';
  const maskIdle = (value: RespValue): RespValue => {
    if (value.kind === 'map') {
      return {
        ...value,
        entries: value.entries.map(([k, v]) => [k, isIdle(k) ? MASKED : maskIdle(v)]),
      } as RespValue;
    }
    if (value.kind !== 'array') return value;
    const items = value.items.map((item, i) =>
      isIdle(value.items[i - 1]) ? MASKED : maskIdle(item),
    );
    return { ...value, items } as RespValue;
  };
  return sameRendered((value) => maskedText(maskIdle(value)), argv);
}

function sameRendered(render: (value: RespValue) => string, argv: readonly string[]) {
  let expected: string | undefined;
  return each(
    (value) => {
      const rendered = render(value);
      if (expected === undefined) {
        expected = rendered;
        return;
      }
      const want = expected;
      expected = undefined;
      expect(rendered, argv.join(' ')).toBe(want);
    },
    ...argv,
  );
}

/**
 * XADD key <ms>-0 <fields> n <ms> for ms from..to: `fields` (pairs) are the same in every entry,
 * n numbers the entry so that no two entries are alike.
 */
function addRange(
  key: string,
  from: number,
  to: number,
  fields = ['f', 'v'],
): ReturnType<typeof cmd>[] {
  if (fields.length % 2 !== 0) throw new Error('addRange: fields come in field/value pairs');
  const steps: ReturnType<typeof cmd>[] = [];
  for (let ms = from; ms <= to; ms++)
    steps.push(cmd('XADD', key, `${ms}-0`, ...fields, 'n', String(ms)));
  return steps;
}

const SCRIPTS: readonly Script[] = [
  {
    name: 'XADD IDs and errors',
    steps: [
      cmd('XADD', 's', '1-1', 'a', '1', 'b', '2'),
      cmd('XADD', 's', '1-*', 'a', '1'),
      cmd('XADD', 's', '1-*', 'b', '1'),
      cmd('XADD', 's', '5', 'c', '3'),
      cmd('XADD', 's', '5-0', 'c', '3'),
      cmd('XADD', 's', '4-9', 'c', '3'),
      cmd('XADD', 's', '0-0', 'c', '3'),
      cmd('XADD', 'new', '0-*', 'c', '3'),
      cmd('XADD', 's', '6-1', 'odd'),
      cmd('XADD', 's', '6-1'),
      cmd('XADD', 's', '-', 'a', '1'),
      cmd('XADD', 's', '+', 'a', '1'),
      cmd('XADD', 's', 'x-1', 'a', '1'),
      cmd('XADD', 's', '007-01', 'a', '1'),
      cmd('XADD', 's', ' 8-+2', 'a', '1'),
      cmd('XADD', 's', '9--1', 'a', '1'),
      cmd('XADD', 's', '18446744073709551616-0', 'a', '1'),
      cmd('XADD', 's', '18446744073709551615-18446744073709551615', 'a', '1'),
      cmd('XADD', 's', '18446744073709551615-*', 'a', '1'),
      cmd('XADD', 's', 'NOMKSTREAM', '1-1', 'a', '1'),
      cmd('XADD', 'nokey', 'NOMKSTREAM', '1-1', 'a', '1'),
      cmd('EXISTS', 'nokey'),
      cmd('XADD', 'big', '18446744073709551615-18446744073709551614', 'a', '1'),
      cmd('XADD', 'big', '18446744073709551615-*', 'a', '1'),
      cmd('XADD', 'big', '18446744073709551615-*', 'a', '1'),
      cmd('SET', 'str', 'x'),
      cmd('XADD', 'str', '1-1', 'a', '1'),
      cmd('XLEN', 'str'),
      cmd('XLEN', 's'),
      cmd('XLEN', 'nokey'),
      cmd('XRANGE', 's', '-', '+'),
      cmd('TYPE', 's'),
      encoding('s'),
    ],
    digest: ['s', 'new', 'big'],
  },
  {
    name: 'XADD and XTRIM trimming options',
    steps: [
      cmd('XADD', 's', 'MAXLEN', '-1', '1-1', 'a', '1'),
      cmd('XADD', 's', 'MAXLEN', 'x', '1-1', 'a', '1'),
      cmd('XADD', 's', 'MAXLEN', '1', 'MINID', '1', '1-1', 'a', '1'),
      cmd('XADD', 's', 'LIMIT', '5', '1-1', 'a', '1'),
      cmd('XADD', 's', 'LIMIT', '0', '1-1', 'a', '1'),
      cmd('XADD', 's', 'MAXLEN', '1', 'LIMIT', '5', '1-1', 'a', '1'),
      cmd('XADD', 's', 'MAXLEN', '~', '1', 'LIMIT', '-1', '1-1', 'a', '1'),
      cmd('XADD', 's', 'MINID', '-', '1-1', 'a', '1'),
      cmd('XTRIM', 's', 'LIMIT', '5'),
      cmd('XTRIM', 's', 'FOO', '1'),
      cmd('XTRIM', 's', 'MAXLEN'),
      cmd('XTRIM', 'nokey', 'MAXLEN', '1'),
      ...addRange('s', 1, 10),
      cmd('XTRIM', 's', 'MAXLEN', '=', '7'),
      cmd('XTRIM', 's', 'maxlen', '7'),
      cmd('XADD', 's', 'MAXLEN', '5', '11-0', 'f', 'v'),
      cmd('XTRIM', 's', 'MINID', '8'),
      cmd('XTRIM', 's', 'MINID', '=', '8-1'),
      cmd('XADD', 's', 'MINID', '10', '12-0', 'f', 'v'),
      cmd('XRANGE', 's', '-', '+'),
      cmd('XTRIM', 's', 'MAXLEN', '0'),
      cmd('XLEN', 's'),
      cmd('EXISTS', 's'),
      cmd('XINFO', 'STREAM', 's'),
    ],
    digest: ['s'],
  },
  {
    name: 'approximate trimming removes whole nodes',
    steps: [
      cmd('CONFIG', 'SET', 'stream-node-max-entries', '3'),
      ...addRange('s', 1, 11),
      cmd('XINFO', 'STREAM', 's'),
      cmd('XTRIM', 's', 'MAXLEN', '~', '9'),
      cmd('XTRIM', 's', 'MAXLEN', '~', '7'),
      cmd('XLEN', 's'),
      cmd('XTRIM', 's', 'MAXLEN', '~', '2', 'LIMIT', '3'),
      cmd('XTRIM', 's', 'MAXLEN', '~', '2', 'LIMIT', '2'),
      cmd('XTRIM', 's', 'MINID', '~', '9'),
      cmd('XTRIM', 's', 'MINID', '~', '11'),
      cmd('XRANGE', 's', '-', '+'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('XADD', 's', 'MAXLEN', '~', '1', '20-0', 'f', 'v'),
      cmd('XADD', 's', 'MINID', '~', '30', '21-0', 'f', 'v'),
      cmd('XDEL', 's', '10-0'),
      cmd('XINFO', 'STREAM', 's'),
      ...addRange('t', 1, 7),
      cmd('XDEL', 't', '4-0', '5-0'),
      cmd('XTRIM', 't', 'MINID', '~', '6'),
      cmd('XTRIM', 't', 'MINID', '6'),
      cmd('XINFO', 'STREAM', 't'),
      cmd('XTRIM', 't', 'MAXLEN', '0'),
      cmd('XINFO', 'STREAM', 't'),
      cmd('CONFIG', 'SET', 'stream-node-max-entries', '100'),
    ],
    digest: ['s', 't'],
  },
  {
    name: 'node byte limit',
    steps: [
      cmd('CONFIG', 'SET', 'stream-node-max-bytes', '200'),
      ...addRange('s', 1, 12, ['field', 'x'.repeat(30)]),
      cmd('XADD', 's', '13-0', 'other', 'y'.repeat(150)),
      cmd('XADD', 's', '14-0', 'other', 'y'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('XTRIM', 's', 'MAXLEN', '~', '5'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('CONFIG', 'SET', 'stream-node-max-bytes', '0'),
      ...addRange('u', 1, 5),
      cmd('CONFIG', 'SET', 'stream-node-max-entries', '0'),
      ...addRange('u', 6, 150),
      cmd('XINFO', 'STREAM', 'u'),
      cmd('CONFIG', 'SET', 'stream-node-max-entries', '100'),
      cmd('CONFIG', 'SET', 'stream-node-max-bytes', '4096'),
      ...addRange('v', 1, 250),
      cmd('XINFO', 'STREAM', 'v'),
      cmd('XTRIM', 'v', 'MAXLEN', '~', '120'),
      cmd('XINFO', 'STREAM', 'v'),
    ],
    digest: ['s', 'u', 'v'],
  },
  {
    name: 'radix tree counts as nodes come and go',
    steps: [
      cmd('CONFIG', 'SET', 'stream-node-max-entries', '2'),
      ...[
        '1-0',
        '1-1',
        '5-0',
        '300-0',
        '301-0',
        '70000-0',
        '70000-5',
        '16777216-0',
        '16777216-1',
        '1099511627776-0',
        '1099511627777-0',
        '1099511627777-9',
      ].map((id) => cmd('XADD', 's', id, 'f', 'v')),
      cmd('XINFO', 'STREAM', 's'),
      cmd('XDEL', 's', '300-0', '301-0'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('XDEL', 's', '16777216-0', '16777216-1'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('XDEL', 's', '1-0', '1-1'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('XADD', 's', '1099511627778-0', 'f', 'v'),
      cmd('XTRIM', 's', 'MAXLEN', '1'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('CONFIG', 'SET', 'stream-node-max-entries', '100'),
    ],
    digest: ['s'],
  },
  {
    name: 'XRANGE and XREVRANGE',
    steps: [
      ...addRange('s', 1, 5),
      cmd('XADD', 's', '5-1', 'g', 'w', 'h', ''),
      cmd('XRANGE', 's', '-', '+'),
      cmd('XRANGE', 's', '2', '4'),
      cmd('XRANGE', 's', '(2', '(4'),
      cmd('XRANGE', 's', '(2-0', '+', 'COUNT', '2'),
      cmd('XRANGE', 's', '-', '+', 'COUNT', '0'),
      cmd('XRANGE', 's', '-', '+', 'COUNT', '-5'),
      cmd('XRANGE', 's', '-', '+', 'COUNT', '1', 'COUNT', '3'),
      cmd('XRANGE', 's', '-', '+', 'COUNT'),
      cmd('XRANGE', 's', '-', '+', 'LIMIT', '1'),
      cmd('XRANGE', 's', '-', '+', 'COUNT', 'x'),
      cmd('XRANGE', 's', '(-', '+'),
      cmd('XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'),
      cmd('XRANGE', 's', '-', '(0-0'),
      cmd('XRANGE', 's', 'x', '+'),
      cmd('XRANGE', 's', '5', '3'),
      cmd('XRANGE', 'nokey', '-', '+'),
      cmd('XRANGE', 'nokey', '-', '+', 'COUNT', '0'),
      cmd('XREVRANGE', 's', '+', '-'),
      cmd('XREVRANGE', 's', '4', '2'),
      cmd('XREVRANGE', 's', '(5', '(1', 'COUNT', '2'),
      cmd('XREVRANGE', 's', '+', '-', 'COUNT', '0'),
      cmd('SET', 'str', 'x'),
      cmd('XRANGE', 'str', '-', '+'),
      cmd('XRANGE', 'str', 'x', '+'),
    ],
    digest: ['s'],
  },
  {
    name: 'XDEL, tombstones and XSETID',
    steps: [
      ...addRange('s', 1, 5),
      cmd('XDEL', 's', '1-0', '3-0', '9-0'),
      cmd('XDEL', 's', '1-0'),
      cmd('XDEL', 's', 'x'),
      cmd('XDEL', 's', '2-0', 'x'),
      cmd('XDEL', 'nokey', 'x'),
      cmd('XDEL', 's', '-'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('XRANGE', 's', '-', '+'),
      cmd('XREVRANGE', 's', '+', '-', 'COUNT', '1'),
      cmd('XDEL', 's', '5-0'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('XADD', 's', '5-0', 'f', 'v'),
      cmd('XSETID', 's', '4-0'),
      cmd('XSETID', 's', '4-1'),
      cmd('XSETID', 's', '3-0'),
      cmd('XSETID', 's', '10-0', 'ENTRIESADDED', '1'),
      cmd('XSETID', 's', '10-0', 'ENTRIESADDED', '-1'),
      cmd('XSETID', 's', '10-0', 'MAXDELETEDID', '11-0'),
      cmd('XSETID', 's', '10-0', 'MAXDELETEDID', '5-0'),
      cmd('XSETID', 's', '10-0', 'ENTRIESADDED', '9', 'MAXDELETEDID', '6-0'),
      cmd('XSETID', 's', '10-0', 'FOO', '1'),
      cmd('XSETID', 's', '+'),
      cmd('XSETID', 'nokey', '1-0'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('XADD', 's', '10-0', 'f', 'v'),
      cmd('XADD', 's', '10-*', 'f', 'v'),
      cmd('XDEL', 's', '2-0', '4-0', '10-1'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('EXISTS', 's'),
      cmd('XSETID', 's', '5-0'),
    ],
    digest: ['s'],
  },
  {
    name: 'XREAD without blocking',
    steps: [
      ...addRange('s', 1, 3),
      ...addRange('t', 5, 6),
      cmd('XREAD', 'STREAMS', 's', '0'),
      cmd('XREAD', 'COUNT', '2', 'STREAMS', 's', 't', '0', '5'),
      cmd('XREAD', 'STREAMS', 's', 't', 'nokey', '1', '0', '0'),
      cmd('XREAD', 'STREAMS', 's', '$'),
      cmd('XREAD', 'STREAMS', 's', '3-0'),
      cmd('XREAD', 'STREAMS', 's', '>'),
      cmd('XREAD', 'STREAMS', 's', '+'),
      cmd('XREAD', 'STREAMS', 's', 't', '0'),
      cmd('XREAD', 'COUNT', 'x', 'STREAMS', 's', '0'),
      cmd('XREAD', 'COUNT', '-1', 'STREAMS', 's', '0'),
      cmd('XREAD', 'BLOCK', 'x', 'STREAMS', 's', '0'),
      cmd('XREAD', 'BLOCK', '-1', 'STREAMS', 's', '0'),
      cmd('XREAD', 'BLOCK', '10', 'STREAMS', 's', '0'),
      cmd('XREAD', 'GROUP', 'g', 'c', 'STREAMS', 's', '0'),
      cmd('XREAD', 'NOACK', 'STREAMS', 's', '0'),
      cmd('XREAD', 'STREAMS'),
      cmd('XREAD', 'COUNT', '1', 's', '0'),
      cmd('XREAD', 'FOO', 'STREAMS', 's', '0'),
      cmd('SET', 'str', 'x'),
      cmd('XREAD', 'STREAMS', 's', 'str', '0', '0'),
      cmd('XREAD', 'STREAMS', 'str', 's', '0', 'x'),
      cmd('MULTI'),
      cmd('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'),
      cmd('XREAD', 'BLOCK', '0', 'STREAMS', 's', '0'),
      cmd('EXEC'),
    ],
    digest: ['s', 't'],
  },
  {
    name: 'XGROUP',
    steps: [
      cmd('XGROUP', 'CREATE', 's', 'g', '$'),
      cmd('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'),
      cmd('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'),
      cmd('XGROUP', 'CREATE', 's', 'g2', '-'),
      cmd('XGROUP', 'CREATE', 's', 'g2', '5', 'ENTRIESREAD', '3'),
      cmd('XGROUP', 'CREATE', 's', 'g3', '0', 'ENTRIESREAD', '-2'),
      cmd('XGROUP', 'CREATE', 's', 'g3', '0', 'ENTRIESREAD', 'x'),
      cmd('XGROUP', 'CREATE', 's', 'g3', '0', 'FOO'),
      cmd('XGROUP', 'create', 's', 'g3', '0', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM'),
      cmd('XGROUP', 'CREATE', 's', 'g3', 'x'),
      cmd('XGROUP', 'CREATE', 's'),
      cmd('XGROUP', 'SETID', 's', 'nog', '0'),
      cmd('XGROUP', 'SETID', 's', 'g', '+'),
      cmd('XGROUP', 'SETID', 's', 'g', '$', 'ENTRIESREAD', '4'),
      cmd('XGROUP', 'SETID', 's', 'g', '1', 'MKSTREAM'),
      cmd('XGROUP', 'SETID', 's', 'g', '1', 'ENTRIESREAD'),
      cmd('XGROUP', 'SETID', 'nokey', 'g', '1'),
      cmd('XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'),
      cmd('XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'),
      cmd('XGROUP', 'CREATECONSUMER', 's', 'nog', 'alice'),
      cmd('XGROUP', 'DELCONSUMER', 's', 'g', 'bob'),
      cmd('XGROUP', 'DELCONSUMER', 's', 'g', 'alice'),
      cmd('XGROUP', 'DESTROY', 's', 'g2'),
      cmd('XGROUP', 'DESTROY', 's', 'g2'),
      cmd('XGROUP', 'DESTROY', 'nokey', 'g2'),
      cmd('XGROUP', 'FOO'),
      cmd('XGROUP', 'HELP'),
      cmd('XGROUP', 'HELP', 'x'),
      cmd('SET', 'str', 'x'),
      cmd('XGROUP', 'CREATE', 'str', 'g', '$', 'MKSTREAM'),
      cmd('XINFO', 'GROUPS', 's'),
      cmd('XINFO', 'STREAM', 's'),
      cmd('TYPE', 's'),
    ],
    digest: ['s'],
  },
  {
    name: 'XREADGROUP, XACK, XPENDING and lag',
    steps: [
      ...addRange('s', 1, 5),
      cmd('XGROUP', 'CREATE', 's', 'g', '0'),
      cmd('XGROUP', 'CREATE', 's', 'h', '$'),
      cmd('XINFO', 'GROUPS', 's'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '2', 'STREAMS', 's', '>'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '>'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '>'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '1', 'STREAMS', 's', '1-0'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c9', 'STREAMS', 's', '0'),
      cmd('XINFO', 'GROUPS', 's'),
      cmd('XPENDING', 's', 'g'),
      cmd('XPENDING', 's', 'h'),
      cmd('XPENDING', 's', 'nog'),
      cmd('XPENDING', 's', 'g', '-', '+'),
      cmd('XPENDING', 's', 'g', 'IDLE', '5', '-', '+'),
      cmd('XPENDING', 's', 'g', '-', '+', 'x'),
      cmd('XPENDING', 's', 'g', '(9', '+', '10'),
      cmd('XPENDING', 's', 'g', '-', '+', '10', 'nobody'),
      cmd('XPENDING', 's', 'g', 'IDLE', '100000000', '-', '+', '10'),
      samePending('XPENDING', 's', 'g', '-', '+', '10'),
      samePending('XPENDING', 's', 'g', '-', '+', '2', 'c2'),
      cmd('XACK', 's', 'g', '1-0', '3-0', '9-0'),
      cmd('XACK', 's', 'g', '1-0'),
      cmd('XACK', 's', 'g', 'x'),
      cmd('XACK', 's', 'nog', 'x'),
      cmd('XACK', 'nokey', 'g', 'x'),
      cmd('XPENDING', 's', 'g'),
      cmd('XREADGROUP', 'GROUP', 'h', 'c1', 'NOACK', 'STREAMS', 's', '>'),
      cmd('XADD', 's', '6-0', 'f', 'v'),
      cmd('XREADGROUP', 'GROUP', 'h', 'c1', 'NOACK', 'STREAMS', 's', '>'),
      cmd('XPENDING', 's', 'h'),
      cmd('XINFO', 'GROUPS', 's'),
      cmd('XDEL', 's', '6-0'),
      cmd('XINFO', 'GROUPS', 's'),
      cmd('XADD', 's', '7-0', 'f', 'v'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>'),
      cmd('XINFO', 'GROUPS', 's'),
      cmd('XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '0'),
      cmd('XINFO', 'GROUPS', 's'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '>'),
      cmd('XINFO', 'GROUPS', 's'),
      cmd('XPENDING', 's', 'g'),
      cmd('XGROUP', 'DELCONSUMER', 's', 'g', 'c3'),
      cmd('XPENDING', 's', 'g'),
      sameConsumers('XINFO', 'CONSUMERS', 's', 'g'),
      cmd('XINFO', 'CONSUMERS', 's', 'nog'),
      sameMasked('XINFO', 'STREAM', 's', 'FULL'),
      sameMasked('XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1'),
      sameMasked('XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'),
      cmd('XINFO', 'STREAM', 's', 'FULL', 'COUNT'),
      cmd('XINFO', 'STREAM', 's', 'FOO'),
      cmd('XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'),
      cmd('XINFO', 'STREAM', 'nokey'),
      cmd('XINFO', 'GROUPS', 'nokey'),
      cmd('XINFO', 'FOO', 's'),
      cmd('XINFO', 'HELP'),
    ],
    digest: ['s'],
  },
  {
    name: 'XREADGROUP errors',
    steps: [
      ...addRange('s', 1, 2),
      cmd('XGROUP', 'CREATE', 's', 'g', '0'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '$'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'x'),
      cmd('XREADGROUP', 'GROUP', 'nog', 'c', 'STREAMS', 's', '>'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'nokey', '>'),
      cmd('XREADGROUP', 'COUNT', '1', 'STREAMS', 's', '>', 'x', 'y'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 't', '>'),
      cmd('XREADGROUP', 'GROUP', 'g', 'STREAMS', 's', '>'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '-5', 'STREAMS', 's', '>'),
      cmd('SET', 'str', 'x'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'str', '>'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'str', '>', '>'),
      cmd('XINFO', 'GROUPS', 's'),
    ],
    digest: ['s'],
  },
  {
    name: 'XCLAIM and XAUTOCLAIM',
    steps: [
      ...addRange('s', 1, 6),
      cmd('XGROUP', 'CREATE', 's', 'g', '0'),
      cmd('XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>'),
      cmd('XCLAIM', 's', 'g', 'c2', '0', '1-0', '2-0'),
      cmd('XCLAIM', 's', 'g', 'c2', '0', '3-0', 'JUSTID'),
      cmd('XCLAIM', 's', 'g', 'c2', '100000000', '4-0'),
      cmd('XCLAIM', 's', 'g', 'c3', '0', '4-0', 'RETRYCOUNT', '7', 'TIME', '1000', 'JUSTID'),
      cmd('XCLAIM', 's', 'g', 'c3', '0', '9-0', 'FORCE'),
      cmd('XCLAIM', 's', 'g', 'c3', '0', '9-0', '5-0', 'IDLE', 'x'),
      cmd('XCLAIM', 's', 'g', 'c3', '0', '5-0', 'BOGUS'),
      cmd('XCLAIM', 's', 'g', 'c3', 'x', '5-0'),
      cmd('XCLAIM', 's', 'nog', 'c3', '0', '5-0'),
      cmd('XCLAIM', 'nokey', 'g', 'c3', '0', '5-0'),
      cmd('XCLAIM', 's', 'g', 'c3', '0', '5-0', 'LASTID', 'x'),
      cmd('XCLAIM', 's', 'g', 'c4', '0', '5', 'LASTID', '20-0', 'TIME', '2000', 'JUSTID'),
      cmd('XGROUP', 'CREATE', 's', 'h', '0'),
      cmd('XCLAIM', 's', 'h', 'c5', '0', '6-0', 'FORCE', 'TIME', '3000', 'RETRYCOUNT', '2'),
      cmd('XCLAIM', 's', 'h', 'c5', '0', '99-0', 'LASTID', '3-0'),
      cmd('XINFO', 'GROUPS', 's'),
      cmd('XDEL', 's', '1-0', '2-0'),
      cmd('XCLAIM', 's', 'g', 'c6', '0', '1-0', '3-0', 'JUSTID'),
      cmd('XPENDING', 's', 'g'),
      cmd('XAUTOCLAIM', 's', 'g', 'c7', '0', '0', 'COUNT', '1'),
      cmd('XDEL', 's', '4-0'),
      cmd('XAUTOCLAIM', 's', 'g', 'c7', '0', '0', 'COUNT', '1'),
      cmd('XAUTOCLAIM', 's', 'g', 'c7', '0', '(3-0'),
      cmd('XAUTOCLAIM', 's', 'g', 'c8', '100000000', '-', 'JUSTID'),
      cmd('XAUTOCLAIM', 's', 'g', 'c8', '0', '-', 'JUSTID'),
      cmd('XAUTOCLAIM', 's', 'g', 'c8', '0', '-', 'COUNT', '0'),
      cmd('XAUTOCLAIM', 's', 'g', 'c8', '0', '-', 'COUNT', 'x'),
      cmd('XAUTOCLAIM', 's', 'g', 'c8', 'x', '-'),
      cmd('XAUTOCLAIM', 's', 'g', 'c8', '0', 'x'),
      cmd('XAUTOCLAIM', 's', 'g', 'c8', '0', '(+'),
      cmd('XAUTOCLAIM', 's', 'g', 'c8', '0', '-', 'FOO'),
      cmd('XAUTOCLAIM', 's', 'nog', 'c8', '0', '-'),
      cmd('XPENDING', 's', 'g'),
      sameMasked('XINFO', 'STREAM', 's', 'FULL'),
    ],
    digest: ['s'],
  },
];

describeCollectionDiff('stream commands against redis-server 7.0.15', 'stream', SCRIPTS);

/** Runs `argv` on both servers with a fresh client each; returns both replies. */
async function both(
  ports: { redis: number; replisim: number },
  argv: readonly (string | Buffer)[],
): Promise<[Buffer, Buffer]> {
  const clients = await Promise.all([
    RawClient.connect(ports.redis),
    RawClient.connect(ports.replisim),
  ]);
  try {
    const replies = await Promise.all(clients.map((client) => client.call(...argv)));
    return [replies[0]?.bytes ?? Buffer.alloc(0), replies[1]?.bytes ?? Buffer.alloc(0)];
  } finally {
    for (const client of clients) client.close();
  }
}

describe('streams: blocking, DUMP/RESTORE and clock IDs against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });
  const ports = () => servers().ports;

  /**
   * Blocks a reader on each server, runs the writer steps on each, and returns the readers' reply
   * bytes (undefined if still blocked after `waitMs`).
   */
  async function blockedReply(
    protocol: 2 | 3,
    setup: readonly (readonly string[])[],
    blocking: readonly string[],
    writes: readonly (readonly string[])[],
    waitMs = 1000,
  ): Promise<[string | undefined, string | undefined]> {
    await flushBoth(ports());
    const results: (string | undefined)[] = [];
    for (const port of [ports().redis, ports().replisim]) {
      const reader = await RawClient.connect(port);
      const writer = await RawClient.connect(port);
      try {
        if (protocol === 3) await reader.call('HELLO', '3');
        for (const argv of setup) await writer.call(...argv);
        reader.command(...blocking);
        // The reader must be blocked before the writes: a PING on the writer after a round trip.
        await writer.call('PING');
        await new Promise((resolve) => setTimeout(resolve, 50));
        for (const argv of writes) await writer.call(...argv);
        try {
          const [reply] = await reader.read(1, waitMs);
          results.push(reply === undefined ? undefined : printable(reply.bytes));
        } catch {
          results.push(undefined);
        }
      } finally {
        reader.close();
        writer.close();
      }
    }
    return [results[0], results[1]];
  }

  for (const protocol of [2, 3] as const) {
    it(`XREAD BLOCK is woken by XADD (RESP${protocol})`, async () => {
      const [redis, ours] = await blockedReply(
        protocol,
        [['XADD', 's', '1-0', 'f', 'v']],
        ['XREAD', 'BLOCK', '0', 'STREAMS', 'nokey', 's', '$', '$'],
        [
          ['XADD', 'other', '1-0', 'f', 'v'],
          ['XADD', 's', '2-0', 'f', 'w'],
        ],
      );
      expect(redis).toBeDefined();
      expect(ours).toBe(redis);
    });

    it(`XREADGROUP BLOCK is served with the group's new entries (RESP${protocol})`, async () => {
      const [redis, ours] = await blockedReply(
        protocol,
        [['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']],
        ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '5', 'BLOCK', '0', 'STREAMS', 's', '>'],
        [
          ['XADD', 's', '1-0', 'a', '1'],
          ['XADD', 's', '2-0', 'b', '2'],
        ],
      );
      expect(redis).toContain('1-0');
      expect(ours).toBe(redis);
    });
  }

  it('a blocked XREAD stays blocked until an entry past its ID arrives', async () => {
    const [redis, ours] = await blockedReply(
      2,
      [['XADD', 's', '5-0', 'f', 'v']],
      ['XREAD', 'BLOCK', '300', 'STREAMS', 's', '5-0'],
      [
        ['XDEL', 's', '5-0'],
        ['XGROUP', 'CREATE', 's', 'g', '0'],
      ],
      1500,
    );
    // Both time out with a null array: nothing past 5-0 ever arrived.
    expect(redis).toBe(printable(Buffer.from('*-1\r\n')));
    expect(ours).toBe(redis);
  });

  it('XGROUP DESTROY answers a blocked XREADGROUP with NOGROUP', async () => {
    const [redis, ours] = await blockedReply(
      2,
      [['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'],
      [['XGROUP', 'DESTROY', 's', 'g']],
    );
    expect(redis).toContain('NOGROUP');
    expect(ours).toBe(redis);
  });

  it('XREAD BLOCK times out with a null array (RESP3)', async () => {
    const [redis, ours] = await blockedReply(
      3,
      [],
      ['XREAD', 'BLOCK', '100', 'STREAMS', 's', '$'],
      [],
    );
    expect(redis).toBe(printable(Buffer.from('_\r\n')));
    expect(ours).toBe(redis);
  });

  it('DUMP payloads of streams with groups are identical and RESTORE both ways', async () => {
    const setup: string[][] = [
      ['CONFIG', 'SET', 'stream-node-max-entries', '3'],
      ...Array.from({ length: 8 }, (_, i) => [
        'XADD',
        's',
        `${i + 1}-0`,
        'f',
        'v'.repeat(i * 5),
        'n',
        String(i),
      ]),
      ['XADD', 's', '9-0', 'other', 'x'],
      ['XDEL', 's', '2-0', '7-0'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XGROUP', 'CREATE', 's', 'h', '$', 'ENTRIESREAD', '3'],
      ['XGROUP', 'CREATECONSUMER', 's', 'h', 'idle'],
      ['XCLAIM', 's', 'g', 'c1', '0', '1-0', '3-0', 'FORCE', 'TIME', '1000', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'c2', '0', '4-0', 'FORCE', 'TIME', '2000', 'RETRYCOUNT', '3', 'JUSTID'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
    ];
    await flushBoth(ports());
    for (const argv of setup) await both(ports(), argv);
    // Consumers' seen-times come from the clocks; RESTORE the same payload everywhere first.
    const [redisDump] = await both(ports(), ['DUMP', 's']);
    const payload = (await decodeBulk(redisDump)) as Buffer;
    await both(ports(), ['RESTORE', 'r', '0', payload]);
    const [redisAgain, oursAgain] = await both(ports(), ['DUMP', 'r']);
    expect(printable(oursAgain)).toBe(printable(redisAgain));
    const [ourDumpOfS] = await both(ports(), ['DUMP', 's']).then(([, ours]) => [ours]);
    const ourPayload = (await decodeBulk(ourDumpOfS as Buffer)) as Buffer;
    const [restoredInRedis] = await both(ports(), ['RESTORE', 'fromours', '0', ourPayload]);
    expect(printable(restoredInRedis)).toBe(printable(Buffer.from('+OK\r\n')));
    for (const argv of [
      ['DEBUG', 'DIGEST-VALUE', 'r'],
      ['XINFO', 'STREAM', 'r', 'FULL'],
      ['XINFO', 'STREAM', 'fromours'],
      ['XRANGE', 'fromours', '-', '+'],
      ['XINFO', 'GROUPS', 'fromours'],
      ['OBJECT', 'ENCODING', 'r'],
    ]) {
      const [redis, ours] = await both(ports(), argv);
      expect(printable(ours), argv.join(' ')).toBe(printable(redis));
    }
  });

  it('XADD * takes the wall clock, and <ms>-* continues a sequence', async () => {
    await flushBoth(ports());
    const before = Date.now();
    const [, ours] = await both(ports(), ['XADD', 's', '*', 'f', 'v']);
    const id = text(await decodeValue(ours));
    const [ms, seq] = id.split('-').map(Number);
    expect(seq).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(before - 1);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1);
    // An ID in the future: `*` then continues from it rather than going back to the clock.
    await both(ports(), ['XADD', 'f', '99999999999999-5', 'f', 'v']);
    const [redis, again] = await both(ports(), ['XADD', 'f', '*', 'f', 'v']);
    expect(printable(again)).toBe(printable(redis));
    expect(text(await decodeValue(again))).toBe('99999999999999-6');
  });
});

async function decodeValue(bytes: Buffer): Promise<RespValue> {
  const { RespDecoder } = await import('@replisim/protocol');
  const decoder = new RespDecoder();
  decoder.feed(bytes);
  const result = decoder.next();
  if (result.kind !== 'value') throw new Error('not a complete reply');
  return result.value;
}

async function decodeBulk(bytes: Buffer): Promise<Buffer | undefined> {
  const value = await decodeValue(bytes);
  return value.kind === 'bulk' ? value.value : undefined;
}
