/**
 * The sorted-set commands in the simulator: exact reply bytes in RESP2 and RESP3 (doubles as
 * bulk strings or `,` values, WITHSCORES flat or as [member, score] pairs), the encoding each write
 * leaves (listpack until a threshold, skiplist for good; a listpack stores -0 as 0), what each
 * write sends to the propagation stream (ZADD, ZINCRBY, ZPOPMIN and the *STORE commands as
 * received; failed writes and no-ops send nothing), and that ZRANDMEMBER draws only from the node's
 * seeded Random. Method: a simulated node and client; the stream is read by subscribing to
 * node.propagation. The byte-for-byte comparison with real Redis is test/diff-zsets.test.ts; the
 * score parsers and range helpers are checked here directly, the helpers against a naive model.
 */
import { encodeCommand } from '@replisim/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedSet } from '../../keyspace/sorted-set.js';
import { propagatedBytes } from '../../testing/propagation-log.js';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';
import { d2string, parseLexRange, parseScore, parseScoreRange } from './score.js';
import { lexRanks, rankWindow, scoreRanks, sliceRanks } from './zset-common.js';

function setup(options: readonly string[] = [], seed = 1) {
  const server = startSimServer({ seed, options });
  const clientHost = server.world.addHost('client', '10.0.0.2');
  const client = SimClient.open(server.world, clientHost);
  const propagated = propagatedBytes(server.node);
  const db = server.node.databases[0];
  if (db === undefined) throw new Error('no db 0');
  const encodingOf = (key: string): string | undefined => {
    const value = db.peek(key);
    return value?.type === 'zset' ? value.encoding : undefined;
  };
  return { server, client, propagated, encodingOf };
}

const wire = (...argv: string[]): string => encodeCommand(argv).toString('latin1');
const bulk = (text: string): string => `$${text.length}\r\n${text}\r\n`;

describe('sorted-set replies', () => {
  it('prints scores with %.17g, as bulk strings in RESP2 and doubles in RESP3', () => {
    const { client } = setup();
    expect(client.call('ZADD', 'z', '0.1', 'a', 'inf', 'b', '1e17', 'c')).toBe(':3\r\n');
    expect(client.call('ZSCORE', 'z', 'a')).toBe(bulk('0.10000000000000001'));
    expect(client.call('ZSCORE', 'z', 'nope')).toBe('$-1\r\n');
    const flat = ['a', '0.10000000000000001', 'c', '1e+17', 'b', 'inf'].map(bulk).join('');
    expect(client.call('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(`*6\r\n${flat}`);
    client.call('HELLO', '3');
    expect(client.call('ZSCORE', 'z', 'b')).toBe(',inf\r\n');
    expect(client.call('ZSCORE', 'z', 'nope')).toBe('_\r\n');
    expect(client.call('ZRANGE', 'z', '0', '1', 'WITHSCORES')).toBe(
      `*2\r\n*2\r\n${bulk('a')},0.10000000000000001\r\n*2\r\n${bulk('c')},1e+17\r\n`,
    );
    expect(client.call('ZMSCORE', 'z', 'a', 'x')).toBe('*2\r\n,0.10000000000000001\r\n_\r\n');
  });

  it('answers ZADD INCR with the new score or null, and ZPOP with flat or nested pairs', () => {
    const { client } = setup();
    expect(client.call('ZADD', 'z', 'INCR', '2.5', 'a')).toBe(bulk('2.5'));
    expect(client.call('ZADD', 'z', 'INCR', 'NX', '1', 'a')).toBe('$-1\r\n');
    expect(client.call('ZADD', 'z', '1', 'b', '3', 'c')).toBe(':2\r\n');
    expect(client.call('ZPOPMIN', 'z')).toBe(`*2\r\n${bulk('b')}${bulk('1')}`);
    client.call('HELLO', '3');
    expect(client.call('ZPOPMAX', 'z')).toBe(`*2\r\n${bulk('c')},3\r\n`);
    expect(client.call('ZPOPMAX', 'z', '5')).toBe(`*1\r\n*2\r\n${bulk('a')},2.5\r\n`);
    expect(client.call('EXISTS', 'z')).toBe(':0\r\n');
  });

  it('reports errors in Redis order', () => {
    const { client } = setup();
    expect(client.call('ZADD', 'z', 'NX', 'XX', '1', 'a')).toBe(
      '-ERR XX and NX options at the same time are not compatible\r\n',
    );
    expect(client.call('ZADD', 'z', 'GT', 'LT', 'x', 'a')).toBe(
      '-ERR GT, LT, and/or NX options at the same time are not compatible\r\n',
    );
    expect(client.call('ZADD', 'z', 'INCR', '1', 'a', '2', 'b')).toBe(
      '-ERR INCR option supports a single increment-element pair\r\n',
    );
    expect(client.call('ZADD', 'z', '1', 'a', 'nan', 'b')).toBe(
      '-ERR value is not a valid float\r\n',
    );
    expect(client.call('EXISTS', 'z')).toBe(':0\r\n');
    client.call('ZADD', 'z', 'inf', 'a');
    expect(client.call('ZINCRBY', 'z', '-inf', 'a')).toBe(
      '-ERR resulting score is not a number (NaN)\r\n',
    );
    expect(client.call('ZRANGE', 'z', '0', '1', 'LIMIT', '0', '1')).toBe(
      '-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n',
    );
    expect(client.call('ZRANGE', 'z', '-', '+', 'BYLEX', 'WITHSCORES')).toBe(
      '-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n',
    );
    client.call('SET', 's', 'x');
    expect(client.call('ZCOUNT', 's', 'a', '1')).toBe('-ERR min or max is not a float\r\n');
    expect(client.call('ZLEXCOUNT', 's', 'a', '+')).toBe(
      '-ERR min or max not valid string range item\r\n',
    );
    expect(client.call('ZUNIONSTORE', 'd', '0', 'z')).toBe(
      "-ERR at least 1 input key is needed for 'zunionstore' command\r\n",
    );
    expect(client.call('ZUNIONSTORE', 'd', '2', 'z', 's', 'WEIGHTS', 'x')).toMatch(/^-WRONGTYPE/);
  });
});

describe('sorted-set encodings', () => {
  it('converts to skiplist past either threshold and never back', () => {
    const { client, encodingOf } = setup([
      '--zset-max-listpack-entries',
      '3',
      '--zset-max-listpack-value',
      '4',
    ]);
    client.call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    expect(encodingOf('z')).toBe('listpack');
    client.call('ZADD', 'z', 'XX', '4', 'd');
    expect(encodingOf('z')).toBe('listpack');
    client.call('ZADD', 'z', '4', 'd');
    expect(encodingOf('z')).toBe('skiplist');
    client.call('ZREM', 'z', 'a', 'b', 'c');
    expect(encodingOf('z')).toBe('skiplist');
    client.call('ZADD', 'long', '1', 'abcde');
    expect(encodingOf('long')).toBe('skiplist');
    client.call('ZADD', 'short', '1', 'abcd');
    expect(encodingOf('short')).toBe('listpack');
    // A *STORE result takes the encoding its final contents call for.
    client.call('ZUNIONSTORE', 'u', '1', 'z');
    expect(encodingOf('u')).toBe('listpack');
    client.call('ZRANGESTORE', 'r', 'long', '0', '-1');
    expect(encodingOf('r')).toBe('skiplist');
  });

  it('keeps -0 in a skiplist and stores it as 0 in a listpack', () => {
    const { client } = setup(['--zset-max-listpack-entries', '1']);
    client.call('ZADD', 'lp', '-0', 'a');
    expect(client.call('ZSCORE', 'lp', 'a')).toBe(bulk('0'));
    client.call('ZADD', 'sl', '1', 'x', '-0', 'a');
    expect(client.call('ZSCORE', 'sl', 'a')).toBe(bulk('-0'));
    expect(client.call('ZSCAN', 'lp', '0')).toBe(
      `*2\r\n${bulk('0')}*2\r\n${bulk('a')}${bulk('0')}`,
    );
  });
});

describe('sorted-set propagation', () => {
  it('sends ZADD, ZINCRBY, ZPOPMIN and ZRANGESTORE as received', () => {
    const { client, propagated } = setup();
    client.call('ZADD', 'z', '1', 'a', '2', 'b');
    expect(propagated()).toBe(wire('SELECT', '0') + wire('ZADD', 'z', '1', 'a', '2', 'b'));
    client.call('ZINCRBY', 'z', '0.5', 'a');
    expect(propagated()).toBe(wire('ZINCRBY', 'z', '0.5', 'a'));
    client.call('ZRANGESTORE', 'd', 'z', '0', '-1');
    expect(propagated()).toBe(wire('ZRANGESTORE', 'd', 'z', '0', '-1'));
    client.call('ZPOPMIN', 'z', '10');
    expect(propagated()).toBe(wire('ZPOPMIN', 'z', '10'));
    client.call('ZUNIONSTORE', 'd', '1', 'nokey');
    expect(propagated()).toBe(wire('ZUNIONSTORE', 'd', '1', 'nokey'));
  });

  it('sends nothing for failed writes and no-ops', () => {
    const { client, propagated } = setup();
    client.call('ZADD', 'z', '1', 'a');
    propagated();
    expect(client.call('ZADD', 'z', '1', 'a')).toBe(':0\r\n');
    expect(client.call('ZADD', 'z', 'NX', '5', 'a')).toBe(':0\r\n');
    expect(client.call('ZADD', 'z', 'GT', '0', 'a')).toBe(':0\r\n');
    expect(client.call('ZADD', 'nokey', 'XX', '1', 'a')).toBe(':0\r\n');
    expect(client.call('ZREM', 'z', 'nope')).toBe(':0\r\n');
    expect(client.call('ZPOPMIN', 'nokey')).toBe('*0\r\n');
    expect(client.call('ZREMRANGEBYSCORE', 'z', '5', '6')).toBe(':0\r\n');
    expect(client.call('ZRANGESTORE', 'd', 'nokey', '0', '-1')).toBe(':0\r\n');
    expect(client.call('ZINTERSTORE', 'd', '2', 'z', 'nokey')).toBe(':0\r\n');
    expect(client.call('ZINCRBY', 'z', 'x', 'a')).toBe('-ERR value is not a valid float\r\n');
    expect(propagated()).toBe('');
  });
});

describe('ZRANDMEMBER randomness', () => {
  it('draws from the seeded Random: the same seed gives the same picks', () => {
    const run = (seed: number): string[] => {
      const { client } = setup([], seed);
      client.call('ZADD', 'z', ...Array.from({ length: 40 }, (_, i) => [`${i}`, `m${i}`]).flat());
      return [
        client.call('ZRANDMEMBER', 'z'),
        client.call('ZRANDMEMBER', 'z', '5'),
        client.call('ZRANDMEMBER', 'z', '-5', 'WITHSCORES'),
      ];
    };
    expect(run(7)).toEqual(run(7));
    const picks = run(7)[1] ?? '';
    const members = picks.split('\r\n').filter((line) => line.startsWith('m'));
    expect(new Set(members).size).toBe(5);
  });
});

describe('score parsing', () => {
  it('reads score arguments as getDoubleFromObject does', () => {
    const valid: [string, number][] = [
      ['1', 1],
      ['-1.5', -1.5],
      ['+5', 5],
      ['.5', 0.5],
      ['5.', 5],
      ['1E3', 1000],
      ['inf', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
      ['0x10', 16],
      ['0x1p-3', 0.125],
      ['4e-320', 4e-320],
    ];
    for (const [text, value] of valid) expect(parseScore(Buffer.from(text)), text).toBe(value);
    for (const text of ['', ' 1', '1 ', 'nan', '1e400', '1e-400', 'x', '1x', '1\0', '0x']) {
      expect(parseScore(Buffer.from(text, 'latin1')), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('reads range bounds as zslParseRange does', () => {
    const range = (min: string, max: string) =>
      parseScoreRange(Buffer.from(min, 'latin1'), Buffer.from(max, 'latin1'));
    expect(range('(1', ' 2')).toEqual({ min: 1, max: 2, minExclusive: true, maxExclusive: false });
    expect(range('', '(')).toEqual({ min: 0, max: 0, minExclusive: false, maxExclusive: true });
    expect(range('1e400', '2\0x')?.min).toBe(Number.POSITIVE_INFINITY);
    expect(range('1 ', '2')).toBeUndefined();
    expect(range('nan', '2')).toBeUndefined();
    expect(range('  ', '2')).toBeUndefined();
    const lex = (min: string, max: string) =>
      parseLexRange(Buffer.from(min, 'latin1'), Buffer.from(max, 'latin1'));
    expect(lex('-', '+')).toEqual({ min: { kind: 'min' }, max: { kind: 'max' } });
    expect(lex('+\0', '(')).toEqual({
      min: { kind: 'max' },
      max: { kind: 'value', value: '', exclusive: true },
    });
    expect(lex('', '+')).toBeUndefined();
    expect(lex('++', '+')).toBeUndefined();
  });

  it('prints listpack scores as d2string', () => {
    expect(d2string(-0)).toBe('0');
    expect(d2string(1e18)).toBe('1000000000000000000');
    expect(d2string(2 ** 62)).toBe('4611686018427387904');
    expect(d2string(2 ** 63)).toBe('9.2233720368547758e+18');
    expect(d2string(0.1)).toBe('0.10000000000000001');
    expect(d2string(Number.NEGATIVE_INFINITY)).toBe('-inf');
  });
});

describe('range helpers against a naive model', () => {
  const scoreArb = fc.constantFrom(-2, -1, 0, 0.5, 1, 2, 3, Number.POSITIVE_INFINITY);
  const memberArb = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', '', 'aa');
  const entriesArb = fc.array(fc.tuple(memberArb, scoreArb), { maxLength: 20 });

  function build(entries: readonly (readonly [string, number])[]) {
    const set = new SortedSet();
    for (const [member, score] of entries) set.add(member, score);
    return { set, sorted: [...set] };
  }

  const scoreCaseArb = fc.record({
    entries: entriesArb,
    min: scoreArb,
    max: scoreArb,
    minExclusive: fc.boolean(),
    maxExclusive: fc.boolean(),
    offset: fc.integer({ min: -1, max: 5 }),
    limit: fc.integer({ min: -2, max: 5 }),
    reverse: fc.boolean(),
  });

  it('selects score ranges with LIMIT and REV like a filter over the sorted entries', () => {
    fc.assert(
      fc.property(scoreCaseArb, ({ entries, offset, limit, reverse, ...range }) => {
        const { set, sorted } = build(entries);
        const inside = sorted.filter(
          (e) =>
            (range.minExclusive ? e.score > range.min : e.score >= range.min) &&
            (range.maxExclusive ? e.score < range.max : e.score <= range.max),
        );
        if (reverse) inside.reverse();
        const expected =
          offset < 0 ? [] : inside.slice(offset, limit < 0 ? undefined : offset + limit);
        expect(sliceRanks(set, scoreRanks(set, range), offset, limit, reverse)).toEqual(expected);
      }),
    );
  });

  const boundArb = fc.constantFrom('-', '+', '[a', '(a', '[c', '(c', '[', '(', '[aa', '(g');
  const lexCaseArb = fc.record({
    members: fc.array(memberArb, { maxLength: 12 }),
    min: boundArb,
    max: boundArb,
  });

  /** Whether `member` is on the inside of `bound`, the naive way. */
  function insideBound(member: string, bound: string, side: 'min' | 'max'): boolean {
    if (bound === '-') return side === 'min';
    if (bound === '+') return side === 'max';
    const value = bound.slice(1);
    const exclusive = bound[0] === '(';
    if (side === 'min') return exclusive ? member > value : member >= value;
    return exclusive ? member < value : member <= value;
  }

  it('selects lex ranges of equal-score members like a filter', () => {
    fc.assert(
      fc.property(lexCaseArb, ({ members, min, max }) => {
        const { set, sorted } = build(members.map((m) => [m, 0] as const));
        const range = parseLexRange(Buffer.from(min), Buffer.from(max));
        if (range === undefined) throw new Error('bad range');
        const expected = sorted.filter(
          (e) => insideBound(e.member, min, 'min') && insideBound(e.member, max, 'max'),
        );
        expect(sliceRanks(set, lexRanks(set, range), 0, -1, false)).toEqual(expected);
      }),
    );
  });

  it('normalises rank windows like Redis', () => {
    expect(rankWindow(5, 0n, -1n)).toEqual([0, 4]);
    expect(rankWindow(5, -2n, -1n)).toEqual([3, 4]);
    expect(rankWindow(5, -100n, 100n)).toEqual([0, 4]);
    expect(rankWindow(5, 3n, 1n)).toBeUndefined();
    expect(rankWindow(5, 5n, 10n)).toBeUndefined();
    expect(rankWindow(5, -(2n ** 63n), 2n ** 63n - 1n)).toEqual([0, 4]);
    expect(rankWindow(0, 0n, -1n)).toBeUndefined();
  });
});
