/**
 * The string commands in the simulator, as Redis 7.0.15 behaves (each expectation was checked
 * against redis-server 7.0.15 by hand; test/diff-strings.test.ts compares the same ground live).
 *
 * Method: a simulated server and a raw client; replies are compared as exact bytes. What a command
 * propagates is observed through `node.propagation.subscribe`, as a replica or the AOF would see
 * it, and compared as exact bytes too (the absolute PXAT/PEXPIREAT deadlines are read back from the
 * keyspace and must lie within the command's send time plus the network latency). OBJECT ENCODING
 * is checked through stringEncoding on the stored value, which is what the OBJECT command reads.
 */
import { encodeCommand } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { Deque } from '../../keyspace/deque.js';
import { propagatedDuring } from '../../testing/propagation-log.js';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';
import { stringEncoding } from './encoding.js';

const NETWORK = { latencyMsMin: 1, latencyMsMax: 1 };
const OK = '+OK\r\n';
const NULL = '$-1\r\n';
const EMPTY = '$0\r\n\r\n';
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
const NOT_FLOAT = '-ERR value is not a valid float\r\n';
const SYNTAX = '-ERR syntax error\r\n';

const int = (n: number | bigint | string): string => `:${n}\r\n`;
const bulk = (text: string): string => `$${Buffer.byteLength(text, 'latin1')}\r\n${text}\r\n`;
const err = (text: string): string => `-ERR ${text}\r\n`;

function setup(seed: number, options: readonly string[] = []) {
  const server = startSimServer({ seed, network: NETWORK, options });
  const host = server.world.addHost('client', '10.0.0.2');
  const client = SimClient.open(server.world, host);
  const db = server.node.databases[0];
  if (db === undefined) throw new Error('no db 0');
  /** Sends every command in one write and returns the reply bytes, one string per reply. */
  const run = (...commands: (readonly string[])[]): string[] => {
    client.pipeline(commands);
    return client.read(commands.length).map((reply) => reply.bytes.toString('latin1'));
  };
  const encoding = (key: string): string => {
    const value = db.peek(key);
    return value?.type === 'string' ? stringEncoding(value) : `not a string: ${value?.type}`;
  };
  /** A list at `key`, for WRONGTYPE cases (stored directly: the list commands are not ours). */
  const putList = (key: string): void => {
    db.set(key, { type: 'list', value: Deque.from([Buffer.from('x')]) });
  };
  putList('l');
  return { ...server, client, db, run, encoding };
}

const wire = (...commands: string[][]): string =>
  Buffer.concat(commands.map((argv) => encodeCommand(argv))).toString('latin1');

describe('SETNX, SETEX, PSETEX, GETSET, GETDEL', () => {
  it('SETNX sets only a missing key', () => {
    const { run } = setup(1);
    expect(run(['SETNX', 'k', 'v'], ['SETNX', 'k', 'w'], ['GET', 'k'])).toEqual([
      int(1),
      int(0),
      bulk('v'),
    ]);
  });

  it('SETEX and PSETEX validate the expiry first and name themselves in the error', () => {
    const { run } = setup(2);
    expect(
      run(
        ['SETEX', 'k', '0', 'v'],
        ['SETEX', 'k', '-1', 'v'],
        ['SETEX', 'k', 'x', 'v'],
        ['PSETEX', 'k', '0', 'v'],
        ['PSETEX', 'k', '9223372036854775807', 'v'],
        ['SETEX', 'k', '9223372036854775807', 'v'],
        ['EXISTS', 'k'],
      ),
    ).toEqual([
      err("invalid expire time in 'setex' command"),
      err("invalid expire time in 'setex' command"),
      NOT_INTEGER,
      err("invalid expire time in 'psetex' command"),
      err("invalid expire time in 'psetex' command"),
      err("invalid expire time in 'setex' command"),
      int(0),
    ]);
  });

  it('SETEX and PSETEX propagate SET key value PXAT <deadline>, and the key expires then', () => {
    const { run, node, db, world, host } = setup(3);
    const sentMs = host.env.clock.wallMs();
    const stream = propagatedDuring(node, () => {
      expect(run(['SETEX', 'a', '100', 'v'], ['PSETEX', 'b', '1500', 'w'])).toEqual([OK, OK]);
    });
    const deadlineA = db.expiryOf('a') ?? 0;
    const deadlineB = db.expiryOf('b') ?? 0;
    expect(deadlineA - sentMs).toBeGreaterThanOrEqual(100_000);
    expect(deadlineA - sentMs).toBeLessThanOrEqual(100_010);
    expect(deadlineB - sentMs).toBeGreaterThanOrEqual(1500);
    expect(deadlineB - sentMs).toBeLessThanOrEqual(1510);
    expect(stream).toBe(
      wire(
        ['SELECT', '0'],
        ['SET', 'a', 'v', 'PXAT', String(deadlineA)],
        ['SET', 'b', 'w', 'PXAT', String(deadlineB)],
      ),
    );
    world.runUntil(world.now() + 2000);
    expect(run(['GET', 'a'], ['GET', 'b'])).toEqual([bulk('v'), NULL]);
  });

  it('GETSET replies the old value, clears the TTL and propagates SET', () => {
    const { run, node, db } = setup(4);
    run(['SETEX', 'k', '100', 'old']);
    const stream = propagatedDuring(node, () => {
      expect(run(['GETSET', 'k', 'new'], ['GETSET', 'n', '1'], ['GETSET', 'l', 'v'])).toEqual([
        bulk('old'),
        NULL,
        WRONGTYPE,
      ]);
    });
    expect(db.expiryOf('k')).toBeUndefined();
    expect(stream).toBe(wire(['SET', 'k', 'new'], ['SET', 'n', '1']));
  });

  it('GETDEL replies and deletes, propagating DEL', () => {
    const { run, node } = setup(5);
    run(['SET', 'k', 'v']);
    const stream = propagatedDuring(node, () => {
      expect(run(['GETDEL', 'k'], ['GETDEL', 'k'], ['EXISTS', 'k'])).toEqual([
        bulk('v'),
        NULL,
        int(0),
      ]);
    });
    expect(stream).toBe(wire(['DEL', 'k']));
  });
});

describe('GETEX', () => {
  it('checks syntax, then the key, then the expiry value', () => {
    const { run } = setup(10);
    run(['SET', 's', 'hello']);
    expect(
      run(
        ['GETEX', 's', 'EX', '1', 'PERSIST'],
        ['GETEX', 's', 'PERSIST', 'EX', '1'],
        ['GETEX', 's', 'KEEPTTL'],
        ['GETEX', 's', 'EX'],
        ['GETEX', 's', 'EX', '1', 'PX', '1'],
        ['GETEX', 'nokey', 'EX', 'abc'],
        ['GETEX', 'l'],
        ['GETEX', 's', 'EX', 'abc'],
        ['GETEX', 's', 'EX', '0'],
        ['GETEX', 's', 'EXAT', '9223372036854776'],
        ['GETEX', 's', 'PX', '100', 'px', '200'],
        ['GETEX', 's', 'persist', 'PERSIST'],
      ),
    ).toEqual([
      SYNTAX,
      SYNTAX,
      SYNTAX,
      SYNTAX,
      SYNTAX,
      NULL,
      WRONGTYPE,
      NOT_INTEGER,
      err("invalid expire time in 'getex' command"),
      err("invalid expire time in 'getex' command"),
      bulk('hello'),
      bulk('hello'),
    ]);
  });

  it('propagates PEXPIREAT for every expiry option, PERSIST only if there was a TTL, DEL if past', () => {
    const { run, node, db } = setup(11);
    run(['SET', 'k', 'v'], ['SET', 'gone', 'x']);
    const stream = propagatedDuring(node, () => {
      expect(
        run(
          ['GETEX', 'k'],
          ['GETEX', 'k', 'PERSIST'],
          ['GETEX', 'k', 'EX', '100'],
          ['GETEX', 'k', 'PXAT', '99999999999999'],
          ['GETEX', 'k', 'EXAT', '99999999999'],
          ['GETEX', 'k', 'PERSIST'],
          ['GETEX', 'gone', 'EXAT', '1'],
          ['EXISTS', 'gone'],
        ),
      ).toEqual([
        bulk('v'),
        bulk('v'),
        bulk('v'),
        bulk('v'),
        bulk('v'),
        bulk('v'),
        bulk('x'),
        int(0),
      ]);
    });
    expect(db.expiryOf('k')).toBeUndefined();
    const match = /PEXPIREAT\r\n\$1\r\nk\r\n\$13\r\n(\d{13})\r\n/.exec(stream);
    expect(match).not.toBeNull();
    expect(stream).toBe(
      wire(
        ['PEXPIREAT', 'k', match?.[1] ?? ''],
        ['PEXPIREAT', 'k', '99999999999999'],
        ['PEXPIREAT', 'k', '99999999999000'],
        ['PERSIST', 'k'],
        ['DEL', 'gone'],
      ),
    );
  });
});

describe('MGET, MSET, MSETNX', () => {
  it('MGET replies null for missing keys and other types', () => {
    const { run } = setup(20);
    run(['SET', 'a', '1']);
    expect(run(['MGET', 'a', 'l', 'nokey', 'a'])).toEqual([
      `*4\r\n${bulk('1')}${NULL}${NULL}${bulk('1')}`,
    ]);
  });

  it('MSET and MSETNX reject an odd argument count as an arity error', () => {
    const { run } = setup(21);
    expect(run(['MSET', 'a', '1', 'b'], ['MSETNX', 'a', '1', 'b'])).toEqual([
      err("wrong number of arguments for 'mset' command"),
      err("wrong number of arguments for 'msetnx' command"),
    ]);
  });

  it('MSET overwrites and clears TTLs; MSETNX writes all or nothing', () => {
    const { run, db } = setup(22);
    run(['SETEX', 'a', '100', 'old']);
    expect(
      run(
        ['MSET', 'a', '1', 'b', '2', 'a', '3'],
        ['MSETNX', 'c', '1', 'a', '9'],
        ['MSETNX', 'c', '1', 'd', '2'],
        ['MGET', 'a', 'b', 'c', 'd'],
      ),
    ).toEqual([OK, int(0), int(1), `*4\r\n${bulk('3')}${bulk('2')}${bulk('1')}${bulk('2')}`]);
    expect(db.expiryOf('a')).toBeUndefined();
  });
});

describe('APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE', () => {
  it('APPEND creates or extends, and leaves a raw string on an existing key', () => {
    const { run, encoding } = setup(30);
    expect(run(['APPEND', 'n', '123'], ['APPEND', 'e', 'abc'])).toEqual([int(3), int(3)]);
    expect([encoding('n'), encoding('e')]).toEqual(['int', 'embstr']);
    expect(run(['APPEND', 'n', '4'], ['GET', 'n'], ['APPEND', 'e', ''])).toEqual([
      int(4),
      bulk('1234'),
      int(3),
    ]);
    expect([encoding('n'), encoding('e')]).toEqual(['raw', 'raw']);
    expect(run(['APPEND', 'l', 'x'], ['STRLEN', 'l'])).toEqual([WRONGTYPE, WRONGTYPE]);
  });

  it('APPEND and SETRANGE refuse to grow a string past proto-max-bulk-len', () => {
    const { run } = setup(31, ['--proto-max-bulk-len', '1mb']);
    const tooLong = err('string exceeds maximum allowed size (proto-max-bulk-len)');
    expect(
      run(
        ['SETRANGE', 'k', String(1024 * 1024 - 1), 'x'],
        ['APPEND', 'k', 'y'],
        ['SETRANGE', 'k', String(1024 * 1024), 'x'],
        ['SETRANGE', 'nk', String(1024 * 1024), 'x'],
        ['SETRANGE', 'nk', String(1024 * 1024), ''],
        ['SETRANGE', 'k', '9223372036854775807', 'x'],
        ['STRLEN', 'k'],
      ),
    ).toEqual([int(1024 * 1024), tooLong, tooLong, tooLong, int(0), tooLong, int(1024 * 1024)]);
  });

  it('STRLEN counts bytes, 0 for a missing key', () => {
    const { run, client } = setup(32);
    client.pipeline([['SET', 'k', Buffer.from('\xff\x00\r\n', 'latin1')]]);
    client.read(1);
    expect(run(['STRLEN', 'k'], ['STRLEN', 'nokey'])).toEqual([int(4), int(0)]);
  });

  it('GETRANGE clamps indexes as getrangeCommand does', () => {
    const { run } = setup(33);
    run(['SET', 's', 'hello'], ['SET', 'e', '']);
    expect(
      run(
        ['GETRANGE', 's', '0', '-1'],
        ['GETRANGE', 's', '1', '3'],
        ['GETRANGE', 's', '-3', '-1'],
        ['GETRANGE', 's', '-1', '-5'],
        ['GETRANGE', 's', '5', '3'],
        ['GETRANGE', 's', '-100', '-100'],
        ['GETRANGE', 's', '-100', '100'],
        ['GETRANGE', 's', '3', '-9223372036854775808'],
        ['GETRANGE', 's', '-9223372036854775808', '9223372036854775807'],
        ['GETRANGE', 's', '0', '9223372036854775808'],
        ['GETRANGE', 's', 'x', '1'],
        ['GETRANGE', 'e', '0', '-1'],
        ['GETRANGE', 'nokey', '0', '1'],
        ['GETRANGE', 'l', '-1', '-5'],
        ['SUBSTR', 's', '1', '2'],
      ),
    ).toEqual([
      bulk('hello'),
      bulk('ell'),
      bulk('llo'),
      EMPTY,
      EMPTY,
      bulk('h'),
      bulk('hello'),
      EMPTY,
      bulk('hello'),
      NOT_INTEGER,
      NOT_INTEGER,
      EMPTY,
      EMPTY,
      WRONGTYPE,
      bulk('el'),
    ]);
  });

  it('SETRANGE pads with zero bytes, keeps the TTL and leaves a raw string', () => {
    const { run, db, encoding } = setup(34);
    run(['SETEX', 'k', '100', '12']);
    expect(
      run(
        ['SETRANGE', 'k', '0', ''],
        ['SETRANGE', 'k', '4', 'ab'],
        ['GET', 'k'],
        ['SETRANGE', 'n', '1', 'x'],
        ['GET', 'n'],
        ['SETRANGE', 'e', '0', ''],
        ['EXISTS', 'e'],
        ['SETRANGE', 'k', '-1', 'x'],
        ['SETRANGE', 'k', '9223372036854775808', 'x'],
        ['SETRANGE', 'l', '0', ''],
        ['SETRANGE', 'l', '-1', ''],
      ),
    ).toEqual([
      int(2),
      int(6),
      bulk('12\x00\x00ab'),
      int(2),
      bulk('\x00x'),
      int(0),
      int(0),
      err('offset is out of range'),
      NOT_INTEGER,
      WRONGTYPE,
      err('offset is out of range'),
    ]);
    expect(db.expiryOf('k')).toBeDefined();
    expect([encoding('k'), encoding('n')]).toEqual(['raw', 'raw']);
  });
});

describe('INCR, DECR, INCRBY, DECRBY', () => {
  it('counts from 0, keeps the TTL and stores an int', () => {
    const { run, db, encoding } = setup(40);
    run(['SETEX', 't', '100', '10']);
    expect(
      run(
        ['INCR', 'c'],
        ['INCRBY', 'c', '10'],
        ['DECR', 'c'],
        ['DECRBY', 'c', '-5'],
        ['INCR', 't'],
      ),
    ).toEqual([int(1), int(11), int(10), int(15), int(11)]);
    expect(db.expiryOf('t')).toBeDefined();
    expect(encoding('c')).toBe('int');
  });

  it('answers Redis errors for bad values, bad increments and overflow', () => {
    const { run } = setup(41);
    run(['SET', 'max', '9223372036854775807'], ['SET', 's', 'abc'], ['SET', 'z', '-0']);
    run(['SET', 'big', '12345678901234567890']);
    expect(
      run(
        ['INCR', 'max'],
        ['DECRBY', 'max', '-1'],
        ['INCRBY', 'k', '-0'],
        ['INCRBY', 'k', '01'],
        ['INCRBY', 'k', '+1'],
        ['INCRBY', 'k', '1.5'],
        ['DECRBY', 'k', '-9223372036854775808'],
        ['INCR', 's'],
        ['INCR', 'z'],
        ['INCR', 'big'],
        ['INCR', 'l'],
        ['DECRBY', 'max', '9223372036854775807'],
        ['DECR', 'max'],
      ),
    ).toEqual([
      err('increment or decrement would overflow'),
      err('increment or decrement would overflow'),
      NOT_INTEGER,
      NOT_INTEGER,
      NOT_INTEGER,
      NOT_INTEGER,
      err('decrement would overflow'),
      NOT_INTEGER,
      NOT_INTEGER,
      NOT_INTEGER,
      WRONGTYPE,
      int(0),
      int(-1),
    ]);
  });
});

describe('INCRBYFLOAT', () => {
  it('prints as Redis, stores embstr, keeps the TTL and propagates SET ... KEEPTTL', () => {
    const { run, node, db, encoding } = setup(50);
    run(['SETEX', 'f', '100', '10'], ['SET', 'i', '3000']);
    const stream = propagatedDuring(node, () => {
      expect(
        run(
          ['INCRBYFLOAT', 'f', '0.5'],
          ['INCRBYFLOAT', 'n', '3.0e3'],
          ['INCRBYFLOAT', 'i', '0'],
          ['INCRBYFLOAT', 'x', '1e30'],
        ),
      ).toEqual([
        bulk('10.5'),
        bulk('3000'),
        bulk('3000'),
        bulk('1000000000000000000024696061952'),
      ]);
    });
    expect(stream).toBe(
      wire(
        ['SET', 'f', '10.5', 'KEEPTTL'],
        ['SET', 'n', '3000', 'KEEPTTL'],
        ['SET', 'i', '3000', 'KEEPTTL'],
        ['SET', 'x', '1000000000000000000024696061952', 'KEEPTTL'],
      ),
    );
    expect(db.expiryOf('f')).toBeDefined();
    expect([encoding('n'), encoding('i')]).toEqual(['embstr', 'embstr']);
    expect(run(['INCRBYFLOAT', 'y', '1e50'])).toHaveLength(1);
    expect(encoding('y')).toBe('raw');
  });

  it('answers Redis errors', () => {
    const { run } = setup(51);
    run(['SET', 's', 'abc'], ['SET', 'inf', 'inf']);
    const nanOrInf = err('increment would produce NaN or Infinity');
    expect(
      run(
        ['INCRBYFLOAT', 's', '1'],
        ['INCRBYFLOAT', 'k', ' 1'],
        ['INCRBYFLOAT', 'k', 'nan'],
        ['INCRBYFLOAT', 'k', '1e5000'],
        ['INCRBYFLOAT', 'k', 'inf'],
        ['INCRBYFLOAT', 'inf', '1'],
        ['INCRBYFLOAT', 'l', 'x'],
        ['INCRBYFLOAT', 'k', '1.18e4932'],
        ['INCRBYFLOAT', 'k', '1.18e4932'],
      ),
    ).toEqual([
      NOT_FLOAT,
      NOT_FLOAT,
      NOT_FLOAT,
      NOT_FLOAT,
      nanOrInf,
      nanOrInf,
      WRONGTYPE,
      expect.stringMatching(/^\$4933\r\n118/),
      nanOrInf,
    ]);
  });
});
