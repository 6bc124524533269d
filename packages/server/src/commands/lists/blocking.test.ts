/**
 * Blocking list commands in the simulator (keyspace/blocking.ts with blocking-generic.ts): a client
 * blocked by BLPOP, BRPOP, BLMOVE or BRPOPLPUSH is served when another client pushes, in FIFO order
 * of blocking, with the plain pop propagated after the push that woke it; timeouts fire at exactly
 * the virtual time asked for and reply a null array; a disconnected client stops waiting; chained
 * BLMOVEs are served in one go; requests pipelined behind a blocking command run only once it is
 * served; inside MULTI (`denyBlocking`) nothing blocks. Also the timeout argument's parser.
 *
 * Method: one sim server and several client hosts. The tests wait on the node's blocked-client
 * count to know a command has blocked (so the order of blocking is certain), compare reply bytes,
 * and decode the node's propagation stream into argv lines.
 */
import { describe, expect, it } from 'vitest';
import type { Client } from '../../client.js';
import { propagatedArgvLines } from '../../testing/propagation-log.js';
import { clientOpener, SimClient } from '../../testing/sim-client.js';
import { runUntil, startSimServer } from '../../testing/sim-server.js';
import { parseTimeoutMs } from '../timeout.js';
import { ErrorReply } from '../types.js';

function setup(seed = 7) {
  const server = startSimServer({ seed });
  const open = clientOpener(server.world);
  const stream = propagatedArgvLines(server.node);
  /** Runs the world until exactly `count` clients are blocked. */
  const blockedBecomes = (count: number): void => {
    const reached = runUntil(server.world, () => server.node.blocking.blockedCount === count, 2000);
    expect(reached, `blocked clients reach ${count}`).toBe(true);
  };
  /** Runs the world for `ms` virtual milliseconds. */
  const idle = (ms: number): void => {
    runUntil(server.world, () => false, ms);
  };
  return { ...server, open, stream, blockedBecomes, idle };
}

function served(key: string, value: string): string {
  return `*2\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;
}

function infoBlocked(client: SimClient): string | undefined {
  return /blocked_clients:(\d+)/.exec(client.call('INFO', 'clients'))?.[1];
}

describe('blocking pops', () => {
  it('serve a blocked client when another client pushes, propagating the plain pop after the push', () => {
    const { open, stream, blockedBecomes, idle } = setup();
    const a = open();
    const b = open();
    a.pipeline([['BLPOP', 'k', '0']]);
    blockedBecomes(1);
    expect(infoBlocked(b)).toBe('1');
    idle(50);
    expect(a.unread()).toEqual([]);
    expect(b.call('RPUSH', 'k', 'v1', 'v2')).toBe(':2\r\n');
    expect(a.read(1)[0]?.bytes.toString('latin1')).toBe(served('k', 'v1'));
    expect(infoBlocked(b)).toBe('0');
    expect(b.call('LRANGE', 'k', '0', '-1')).toBe('*1\r\n$2\r\nv2\r\n');
    expect(stream).toEqual(['RPUSH k v1 v2', 'LPOP k']);
  });

  it('wake a blocked client when RENAME, MOVE or COPY puts a list at its key', () => {
    const { open, stream, blockedBecomes } = setup();
    const a = open();
    const b = open();
    a.pipeline([['BLPOP', 'k', '0']]);
    blockedBecomes(1);
    expect(b.call('RPUSH', 'other', 'x')).toBe(':1\r\n');
    expect(b.call('RENAME', 'other', 'k')).toBe('+OK\r\n');
    expect(a.read(1)[0]?.bytes.toString('latin1')).toBe(served('k', 'x'));
    a.pipeline([['BLPOP', 'k', '0']]);
    blockedBecomes(1);
    expect(b.call('SELECT', '1')).toBe('+OK\r\n');
    expect(b.call('RPUSH', 'k', 'y')).toBe(':1\r\n');
    expect(b.call('MOVE', 'k', '0')).toBe(':1\r\n');
    expect(a.read(1)[0]?.bytes.toString('latin1')).toBe(served('k', 'y'));
    expect(stream).toContain('LPOP k');
  });

  it('pop at once when a key already has data, checking the keys in order', () => {
    const { open, stream } = setup();
    const a = open();
    a.call('RPUSH', 'l', 'x', 'y');
    a.call('SET', 's', 'str');
    expect(a.call('BRPOP', 'nokey', 'l', 's', '0')).toBe(served('l', 'y'));
    expect(a.call('BLPOP', 'nokey', 's', 'l', '0')).toBe(
      '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
    );
    expect(a.call('BLMOVE', 'l', 'd', 'left', 'Right', '0')).toBe('$1\r\nx\r\n');
    a.call('RPUSH', 'l', 'z');
    expect(a.call('BRPOPLPUSH', 'l', 'd', '0')).toBe('$1\r\nz\r\n');
    expect(stream).toEqual([
      'RPUSH l x y',
      'SET s str',
      'RPOP l',
      'LMOVE l d left Right',
      'RPUSH l z',
      'RPOPLPUSH l d',
    ]);
  });

  it('serve several blocked clients in the order they blocked', () => {
    const { open, blockedBecomes, stream } = setup();
    const [a, b, c, pusher] = [open(), open(), open(), open()];
    a.pipeline([['BLPOP', 'k', '0']]);
    blockedBecomes(1);
    b.pipeline([['BRPOP', 'other', 'k', '0']]);
    blockedBecomes(2);
    c.pipeline([['BLPOP', 'k', '0']]);
    blockedBecomes(3);
    expect(pusher.call('RPUSH', 'k', '1', '2')).toBe(':2\r\n');
    expect(a.read(1)[0]?.bytes.toString('latin1')).toBe(served('k', '1'));
    expect(b.read(1)[0]?.bytes.toString('latin1')).toBe(served('k', '2'));
    blockedBecomes(1);
    expect(c.unread()).toEqual([]);
    pusher.call('LPUSH', 'k', '3');
    expect(c.read(1)[0]?.bytes.toString('latin1')).toBe(served('k', '3'));
    expect(stream).toEqual(['RPUSH k 1 2', 'LPOP k', 'RPOP k', 'LPUSH k 3', 'LPOP k']);
  });

  it('time out at exactly the virtual time asked for, with a null array', () => {
    const { open, world, node, blockedBecomes } = setup();
    const a = open();
    const resp3 = open();
    a.pipeline([['BLPOP', 'k', '0.5']]);
    blockedBecomes(1);
    const blockedAt = world.now();
    blockedBecomes(0);
    expect(world.now() - blockedAt).toBe(500);
    expect(a.read(1)[0]?.bytes.toString('latin1')).toBe('*-1\r\n');
    // BLMOVE and BRPOPLPUSH time out with a null array too; RESP3 writes it as `_`.
    a.pipeline([
      ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.01'],
      ['BRPOPLPUSH', 'k', 'd', '0.0001'],
    ]);
    expect(a.read(2).map((r) => r.bytes.toString('latin1'))).toEqual(['*-1\r\n', '*-1\r\n']);
    resp3.call('HELLO', '3');
    expect(resp3.call('BRPOP', 'k', '0.02')).toBe('_\r\n');
    expect(node.blocking.blockedCount).toBe(0);
  });

  it('forget a client that disconnects while blocked', () => {
    const { open, blockedBecomes, stream } = setup();
    const a = open();
    const b = open();
    a.pipeline([['BLPOP', 'k', '0']]);
    blockedBecomes(1);
    a.close();
    blockedBecomes(0);
    expect(b.call('RPUSH', 'k', 'v')).toBe(':1\r\n');
    expect(b.call('LLEN', 'k')).toBe(':1\r\n');
    expect(stream).toEqual(['RPUSH k v']);
  });

  it('forget a blocked client killed by the server', () => {
    const { open, node, blockedBecomes } = setup();
    const a = open();
    a.pipeline([['BLPOP', 'k', '0']]);
    blockedBecomes(1);
    const [victim] = [...node.clients.values()];
    if (victim === undefined) throw new Error('no client');
    node.closeClient(victim);
    expect(node.blocking.blockedCount).toBe(0);
  });

  it('run requests pipelined behind a blocking command only once it is served', () => {
    const { open, blockedBecomes, idle } = setup();
    const a = open();
    const b = open();
    a.pipeline([['BLPOP', 'k', '0'], ['PING'], ['LLEN', 'k']]);
    blockedBecomes(1);
    a.pipeline([['ECHO', 'later']]);
    idle(100);
    expect(a.unread()).toEqual([]);
    b.call('RPUSH', 'k', 'x', 'y');
    expect(a.read(4).map((r) => r.bytes.toString('latin1'))).toEqual([
      served('k', 'x'),
      '+PONG\r\n',
      ':1\r\n',
      '$5\r\nlater\r\n',
    ]);
  });

  it('serve chained BLMOVEs in one go, each propagated on its own', () => {
    const { open, blockedBecomes, stream } = setup();
    const [a, c, b] = [open(), open(), open()];
    a.pipeline([['BLMOVE', 'l1', 'l2', 'RIGHT', 'LEFT', '0']]);
    blockedBecomes(1);
    c.pipeline([['BLPOP', 'l2', '0']]);
    blockedBecomes(2);
    expect(b.call('RPUSH', 'l1', 'hello')).toBe(':1\r\n');
    expect(a.read(1)[0]?.bytes.toString('latin1')).toBe('$5\r\nhello\r\n');
    expect(c.read(1)[0]?.bytes.toString('latin1')).toBe(served('l2', 'hello'));
    expect(b.call('EXISTS', 'l1', 'l2')).toBe(':0\r\n');
    expect(stream).toEqual(['RPUSH l1 hello', 'LMOVE l1 l2 right left', 'LPOP l2']);
  });

  it('BRPOPLPUSH served later propagates RPOPLPUSH; a wrong-type destination replies WRONGTYPE', () => {
    const { open, blockedBecomes, stream } = setup();
    const [a, b] = [open(), open()];
    a.pipeline([['BRPOPLPUSH', 'src', 'dst', '0']]);
    blockedBecomes(1);
    b.call('RPUSH', 'src', 'v');
    expect(a.read(1)[0]?.bytes.toString('latin1')).toBe('$1\r\nv\r\n');
    a.pipeline([['BLMOVE', 'src2', 'str', 'LEFT', 'LEFT', '0'], ['PING']]);
    blockedBecomes(1);
    b.call('SET', 'str', 'x');
    b.call('RPUSH', 'src2', 'w');
    expect(a.read(2).map((r) => r.bytes.toString('latin1'))).toEqual([
      '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
      '+PONG\r\n',
    ]);
    expect(b.call('LRANGE', 'src2', '0', '-1')).toBe('*1\r\n$1\r\nw\r\n');
    expect(stream).toEqual(['RPUSH src v', 'RPOPLPUSH src dst', 'SET str x', 'RPUSH src2 w']);
  });

  it('do not block a client that may not block (inside EXEC)', () => {
    const { open, node } = setup();
    const a = open();
    a.call('PING');
    const [client] = [...node.clients.values()] as Client[];
    if (client === undefined) throw new Error('no client');
    client.denyBlocking = true;
    expect(a.call('BLPOP', 'k', '0')).toBe('*-1\r\n');
    expect(a.call('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0')).toBe('$-1\r\n');
    expect(a.call('BRPOPLPUSH', 'k', 'd', '0')).toBe('$-1\r\n');
    expect(node.blocking.blockedCount).toBe(0);
  });

  it('never close a blocked client for idleness (CONFIG timeout)', () => {
    const server = startSimServer({ seed: 3, options: ['--timeout', '1'] });
    const a = SimClient.open(server.world, server.world.addHost('idle', '10.0.0.9'));
    a.pipeline([['BLPOP', 'k', '0']]);
    runUntil(server.world, () => false, 3500);
    expect(a.closed).toBe(false);
    expect(server.node.blocking.blockedCount).toBe(1);
  });

  it('reject bad timeouts before anything else', () => {
    const { open } = setup();
    const a = open();
    a.call('SET', 's', 'x');
    expect(a.call('BLPOP', 's', 'abc')).toBe('-ERR timeout is not a float or out of range\r\n');
    expect(a.call('BLPOP', 's', '-1')).toBe('-ERR timeout is negative\r\n');
    expect(a.call('BLMOVE', 's', 'd', 'UP', 'LEFT', 'x')).toBe('-ERR syntax error\r\n');
    expect(a.call('BLMOVE', 's', 'd', 'LEFT', 'LEFT', 'x')).toBe(
      '-ERR timeout is not a float or out of range\r\n',
    );
  });
});

describe('parseTimeoutMs', () => {
  const cases: [string, number | string][] = [
    ['0', 0],
    ['1', 1000],
    ['0.05', 50],
    ['0.3', 300],
    ['+0.05', 50],
    ['.5', 500],
    ['5.', 5000],
    ['0x10', 16000],
    ['0x1p-3', 125],
    ['0.0001', 1],
    ['1e-400', 1],
    ['-0', 0],
    ['-0.0001', 0],
    ['-1e-400', 0],
    ['1e10', 1e13],
    ['-1', 'ERR timeout is negative'],
    ['inf', 'ERR timeout is negative'],
    ['-infinity', 'ERR timeout is negative'],
    ['1e400', 'ERR timeout is negative'],
    ['9223372036854775807', 'ERR timeout is negative'],
    ['', 'ERR timeout is not a float or out of range'],
    [' 1', 'ERR timeout is not a float or out of range'],
    ['1 ', 'ERR timeout is not a float or out of range'],
    ['1.5abc', 'ERR timeout is not a float or out of range'],
    ['nan', 'ERR timeout is not a float or out of range'],
    ['1e', 'ERR timeout is not a float or out of range'],
    ['1e-5000', 'ERR timeout is not a float or out of range'],
    ['1e5000', 'ERR timeout is not a float or out of range'],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)} as Redis does`, () => {
      const result = parseTimeoutMs(Buffer.from(text, 'latin1'));
      expect(result instanceof ErrorReply ? result.message : result).toBe(expected);
    });
  }
});
