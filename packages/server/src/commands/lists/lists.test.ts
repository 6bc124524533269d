/**
 * The non-blocking list commands in the simulator: every command's replies (RESP2 and RESP3 where
 * they differ), Redis 7.0.15's order of checks and error strings (captured from redis-server), the
 * deletion of emptied lists, and what each write propagates.
 *
 * Method: one sim server and one client; replies are compared as raw bytes. Propagation is read by
 * subscribing to the node's propagation stream and decoding it into argv lines.
 */
import { describe, expect, it } from 'vitest';
import { propagatedArgvLines } from '../../testing/propagation-log.js';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';

const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';

function bulks(...values: string[]): string {
  return `*${values.length}\r\n${values.map((v) => `$${v.length}\r\n${v}\r\n`).join('')}`;
}

function setup(seed = 1) {
  const server = startSimServer({ seed });
  const host = server.world.addHost('client', '10.0.0.2');
  const client = SimClient.open(server.world, host);
  const stream = propagatedArgvLines(server.node);
  return { ...server, client, stream };
}

describe('pushes and pops', () => {
  it('LPUSH/RPUSH build the list in argument order and reply the length', () => {
    const { client } = setup();
    expect(client.call('LPUSH', 'l', 'a', 'b')).toBe(':2\r\n');
    expect(client.call('RPUSH', 'l', 'c', 'd')).toBe(':4\r\n');
    expect(client.call('LRANGE', 'l', '0', '-1')).toBe(bulks('b', 'a', 'c', 'd'));
    expect(client.call('SET', 's', 'x')).toBe('+OK\r\n');
    expect(client.call('LPUSH', 's', 'a')).toBe(WRONGTYPE);
    expect(client.call('RPUSH', 'l')).toBe(
      "-ERR wrong number of arguments for 'rpush' command\r\n",
    );
  });

  it('LPUSHX/RPUSHX only push to an existing list', () => {
    const { client, stream } = setup();
    expect(client.call('LPUSHX', 'l', 'a')).toBe(':0\r\n');
    expect(client.call('EXISTS', 'l')).toBe(':0\r\n');
    client.call('RPUSH', 'l', 'm');
    expect(client.call('LPUSHX', 'l', 'a', 'b')).toBe(':3\r\n');
    expect(client.call('RPUSHX', 'l', 'z')).toBe(':4\r\n');
    expect(client.call('LRANGE', 'l', '0', '-1')).toBe(bulks('b', 'a', 'm', 'z'));
    client.call('SET', 's', 'x');
    expect(client.call('RPUSHX', 's', 'a')).toBe(WRONGTYPE);
    expect(stream).toEqual(['RPUSH l m', 'LPUSHX l a b', 'RPUSHX l z', 'SET s x']);
  });

  it('LPOP/RPOP with and without a count, in RESP2 and RESP3', () => {
    const { client, stream } = setup();
    expect(client.call('LPOP', 'nokey')).toBe('$-1\r\n');
    expect(client.call('LPOP', 'nokey', '0')).toBe('*-1\r\n');
    expect(client.call('RPOP', 'nokey', '3')).toBe('*-1\r\n');
    const outOfRange = '-ERR value is out of range, must be positive\r\n';
    expect(client.call('LPOP', 'nokey', '-1')).toBe(outOfRange);
    expect(client.call('LPOP', 'nokey', 'abc')).toBe(outOfRange);
    expect(client.call('LPOP', 'l', '1', '2')).toBe(
      "-ERR wrong number of arguments for 'lpop' command\r\n",
    );
    client.call('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e');
    expect(client.call('LPOP', 'l', '0')).toBe('*0\r\n');
    expect(client.call('LPOP', 'l')).toBe('$1\r\na\r\n');
    expect(client.call('RPOP', 'l')).toBe('$1\r\ne\r\n');
    expect(client.call('RPOP', 'l', '2')).toBe(bulks('d', 'c'));
    expect(client.call('LPOP', 'l', '10')).toBe(bulks('b'));
    expect(client.call('EXISTS', 'l')).toBe(':0\r\n');
    client.call('SET', 's', 'x');
    expect(client.call('LPOP', 's', '0')).toBe(WRONGTYPE);
    client.call('HELLO', '3');
    expect(client.call('LPOP', 'nokey')).toBe('_\r\n');
    expect(client.call('LPOP', 'nokey', '2')).toBe('_\r\n');
    expect(stream).toEqual([
      'RPUSH l a b c d e',
      'LPOP l',
      'RPOP l',
      'RPOP l 2',
      'LPOP l 10',
      'SET s x',
    ]);
  });
});

describe('reading lists', () => {
  it('LLEN, LRANGE and LINDEX with negative and out-of-range indexes', () => {
    const { client } = setup();
    client.call('RPUSH', 'l', 'a', 'b', 'c');
    client.call('SET', 's', 'x');
    expect(client.call('LLEN', 'l')).toBe(':3\r\n');
    expect(client.call('LLEN', 'nokey')).toBe(':0\r\n');
    expect(client.call('LLEN', 's')).toBe(WRONGTYPE);
    expect(client.call('LRANGE', 'l', '-2', '100')).toBe(bulks('b', 'c'));
    expect(client.call('LRANGE', 'l', '-100', '0')).toBe(bulks('a'));
    expect(client.call('LRANGE', 'l', '2', '1')).toBe('*0\r\n');
    expect(client.call('LRANGE', 'l', '3', '5')).toBe('*0\r\n');
    expect(client.call('LRANGE', 'nokey', '0', '-1')).toBe('*0\r\n');
    expect(client.call('LRANGE', 'nokey', 'x', '1')).toBe(NOT_INTEGER);
    expect(client.call('LRANGE', 's', '0', '1')).toBe(WRONGTYPE);
    expect(client.call('LRANGE', 'l', '-9223372036854775808', '9223372036854775807')).toBe(
      bulks('a', 'b', 'c'),
    );
    expect(client.call('LINDEX', 'l', '-1')).toBe('$1\r\nc\r\n');
    expect(client.call('LINDEX', 'l', '3')).toBe('$-1\r\n');
    expect(client.call('LINDEX', 'l', '-4')).toBe('$-1\r\n');
    expect(client.call('LINDEX', 'nokey', 'x')).toBe('$-1\r\n');
    expect(client.call('LINDEX', 's', 'x')).toBe(WRONGTYPE);
    expect(client.call('LINDEX', 'l', 'x')).toBe(NOT_INTEGER);
  });

  it('LPOS with RANK, COUNT and MAXLEN, and its errors in parse order', () => {
    const { client } = setup();
    client.call('RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a');
    expect(client.call('LPOS', 'l', 'a')).toBe(':0\r\n');
    expect(client.call('LPOS', 'l', 'a', 'RANK', '-1')).toBe(':6\r\n');
    expect(client.call('LPOS', 'l', 'a', 'RANK', '2')).toBe(':3\r\n');
    expect(client.call('LPOS', 'l', 'a', 'COUNT', '0')).toBe('*3\r\n:0\r\n:3\r\n:6\r\n');
    expect(client.call('LPOS', 'l', 'a', 'COUNT', '2', 'RANK', '-1')).toBe('*2\r\n:6\r\n:3\r\n');
    expect(client.call('LPOS', 'l', 'a', 'MAXLEN', '3', 'COUNT', '0')).toBe('*1\r\n:0\r\n');
    expect(client.call('LPOS', 'l', 'a', 'RANK', '-9223372036854775808')).toBe(':6\r\n');
    expect(client.call('LPOS', 'l', 'z')).toBe('$-1\r\n');
    expect(client.call('LPOS', 'l', 'z', 'COUNT', '1')).toBe('*0\r\n');
    expect(client.call('LPOS', 'nokey', 'a', 'COUNT', '1')).toBe('*0\r\n');
    const rankZero =
      "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n";
    expect(client.call('LPOS', 'nokey', 'a', 'RANK', '0', 'FOO')).toBe(rankZero);
    expect(client.call('LPOS', 'l', 'a', 'FOO', 'RANK', '0')).toBe('-ERR syntax error\r\n');
    expect(client.call('LPOS', 'l', 'a', 'RANK')).toBe('-ERR syntax error\r\n');
    expect(client.call('LPOS', 'l', 'a', 'RANK', 'x')).toBe(NOT_INTEGER);
    expect(client.call('LPOS', 'l', 'a', 'COUNT', 'x')).toBe("-ERR COUNT can't be negative\r\n");
    expect(client.call('LPOS', 'l', 'a', 'MAXLEN', '-1')).toBe("-ERR MAXLEN can't be negative\r\n");
  });
});

describe('changing lists in place', () => {
  it('LSET, LINSERT, LREM and LTRIM', () => {
    const { client, stream } = setup();
    expect(client.call('LSET', 'nokey', '0', 'x')).toBe('-ERR no such key\r\n');
    client.call('RPUSH', 'l', 'a', 'b', 'a', 'c', 'a');
    expect(client.call('LSET', 'l', '5', 'x')).toBe('-ERR index out of range\r\n');
    expect(client.call('LSET', 'l', 'x', 'x')).toBe(NOT_INTEGER);
    expect(client.call('LSET', 'l', '-1', 'z')).toBe('+OK\r\n');
    expect(client.call('LINSERT', 'l', 'MIDDLE', 'a', 'x')).toBe('-ERR syntax error\r\n');
    expect(client.call('LINSERT', 'nokey', 'before', 'a', 'x')).toBe(':0\r\n');
    expect(client.call('LINSERT', 'l', 'AFTER', 'zz', 'x')).toBe(':-1\r\n');
    expect(client.call('LINSERT', 'l', 'after', 'b', 'y')).toBe(':6\r\n');
    expect(client.call('LRANGE', 'l', '0', '-1')).toBe(bulks('a', 'b', 'y', 'a', 'c', 'z'));
    expect(client.call('LREM', 'l', '-1', 'a')).toBe(':1\r\n');
    expect(client.call('LRANGE', 'l', '0', '-1')).toBe(bulks('a', 'b', 'y', 'c', 'z'));
    expect(client.call('LREM', 'l', '0', 'nothing')).toBe(':0\r\n');
    expect(client.call('LREM', 'nokey', 'x', 'a')).toBe(NOT_INTEGER);
    expect(client.call('LTRIM', 'l', '1', '-2')).toBe('+OK\r\n');
    expect(client.call('LRANGE', 'l', '0', '-1')).toBe(bulks('b', 'y', 'c'));
    expect(client.call('LTRIM', 'l', '0', '-1')).toBe('+OK\r\n');
    expect(client.call('LTRIM', 'l', '5', '1')).toBe('+OK\r\n');
    expect(client.call('EXISTS', 'l')).toBe(':0\r\n');
    expect(client.call('LTRIM', 'nokey', '0', '1')).toBe('+OK\r\n');
    // No-ops (LREM of nothing, LTRIM keeping everything, LTRIM of a missing key) are not propagated.
    expect(stream).toEqual([
      'RPUSH l a b a c a',
      'LSET l -1 z',
      'LINSERT l after b y',
      'LREM l -1 a',
      'LTRIM l 1 -2',
      'LTRIM l 5 1',
    ]);
  });

  it('LMOVE and RPOPLPUSH, including a rotation and a wrong-type destination', () => {
    const { client, stream } = setup();
    expect(client.call('LMOVE', 'a', 'b', 'UP', 'LEFT')).toBe('-ERR syntax error\r\n');
    expect(client.call('LMOVE', 'a', 'b', 'left', 'right')).toBe('$-1\r\n');
    client.call('RPUSH', 'a', '1', '2');
    client.call('SET', 's', 'x');
    expect(client.call('LMOVE', 'a', 's', 'LEFT', 'LEFT')).toBe(WRONGTYPE);
    expect(client.call('LMOVE', 's', 'a', 'LEFT', 'LEFT')).toBe(WRONGTYPE);
    expect(client.call('LMOVE', 'a', 'a', 'LEFT', 'RIGHT')).toBe('$1\r\n1\r\n');
    expect(client.call('LRANGE', 'a', '0', '-1')).toBe(bulks('2', '1'));
    expect(client.call('RPOPLPUSH', 'a', 'b')).toBe('$1\r\n1\r\n');
    expect(client.call('LMOVE', 'a', 'b', 'Right', 'right')).toBe('$1\r\n2\r\n');
    expect(client.call('EXISTS', 'a')).toBe(':0\r\n');
    expect(client.call('LRANGE', 'b', '0', '-1')).toBe(bulks('1', '2'));
    client.call('DEL', 'b');
    client.call('RPUSH', 'one', 'x');
    expect(client.call('LMOVE', 'one', 'one', 'LEFT', 'LEFT')).toBe('$1\r\nx\r\n');
    expect(client.call('LLEN', 'one')).toBe(':1\r\n');
    expect(stream).toEqual([
      'RPUSH a 1 2',
      'SET s x',
      'LMOVE a a LEFT RIGHT',
      'RPOPLPUSH a b',
      'LMOVE a b Right right',
      'DEL b',
      'RPUSH one x',
      'LMOVE one one LEFT LEFT',
    ]);
  });

  it('keeps binary elements byte for byte', () => {
    const { client } = setup();
    const value = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80]);
    client.call('RPUSH', Buffer.from([0xfe, 0]), value, Buffer.alloc(0));
    expect(client.call('LINDEX', Buffer.from([0xfe, 0]), '0')).toBe(
      `$5\r\n${value.toString('latin1')}\r\n`,
    );
    expect(client.call('LPOS', Buffer.from([0xfe, 0]), Buffer.alloc(0))).toBe(':1\r\n');
  });
});
