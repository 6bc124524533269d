/**
 * DUMP and RESTORE on a simulated node. The differential test (test/diff-dump-restore.test.ts)
 * checks replies and payloads against a real Redis; these pin what needs the virtual clock or a
 * look inside the node: TTL arithmetic, the propagated forms (relative TTL -> absolute + ABSTTL, a
 * past deadline -> DEL or nothing), the order of the checks, the encoding a value takes from this
 * node's thresholds, WATCH and blocked clients, and a round trip of every type and encoding.
 *
 * Method: one SimWorld per test with a fixed 1 ms latency (so the server's clock at a command is
 * known), a subscriber on the node's propagation stream, and raw reply bytes.
 */
import { crc64, encodeCommand } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { propagatedBytes } from '../../testing/propagation-log.js';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';

const NETWORK = { latencyMsMin: 1, latencyMsMax: 1 };

function setup(seed: number, options: readonly string[] = []) {
  const server = startSimServer({
    seed,
    network: NETWORK,
    options: ['--enable-debug-command', 'yes', ...options],
  });
  const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
  const propagated = propagatedBytes(server.node);
  /** The DUMP payload of `key` (fails the test on a null or an error). */
  const dump = (key: string): Buffer => {
    client.pipeline([['DUMP', key]]);
    const [reply] = client.read(1);
    if (reply?.value.kind !== 'bulk') throw new Error(`DUMP ${key}: ${reply?.bytes.toString()}`);
    return reply.value.value;
  };
  return { ...server, client, propagated, dump };
}

const wire = (...argv: (string | Buffer)[]): string => encodeCommand(argv).toString('latin1');

/** A payload around `body` with a valid footer: RDB version 10 and the CRC64, little-endian. */
function withFooter(body: Buffer, version = 10): Buffer {
  const versioned = Buffer.concat([body, Buffer.from([version & 0xff, version >> 8])]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(versioned));
  return Buffer.concat([versioned, crc]);
}

/** Redis 7.0.15's DUMP of the string "hello" (captured from redis-server). */
const HELLO_PAYLOAD = Buffer.from('000568656c6c6f0a006372df766534200a', 'hex');

describe('DUMP', () => {
  it('replies the payload Redis writes, and null for a missing key in both protocols', () => {
    const { client, dump } = setup(1);
    client.call('SET', 's', 'hello');
    expect(dump('s').equals(HELLO_PAYLOAD)).toBe(true);
    expect(client.call('DUMP', 'missing')).toBe('$-1\r\n');
    client.call('HELLO', '3');
    expect(client.call('DUMP', 'missing')).toBe('_\r\n');
  });

  it('counts keyspace hits and misses and treats an expired key as missing', () => {
    const { client, node, world } = setup(2);
    client.call('SET', 'k', 'v', 'PX', '50');
    client.call('DUMP', 'k');
    client.call('DUMP', 'nope');
    expect(node.stats.keyspaceHits).toBe(1);
    expect(node.stats.keyspaceMisses).toBe(1);
    world.runFor(100);
    expect(client.call('DUMP', 'k')).toBe('$-1\r\n');
  });
});

describe('RESTORE', () => {
  it('round-trips every type and encoding, with the same digest and encoding', () => {
    const { client, dump } = setup(3);
    client.pipeline([
      ['SET', 'int', '12345'],
      ['SET', 'embstr', 'short'],
      ['SET', 'raw', 'r'.repeat(100)],
      ['RPUSH', 'list', 'a', 'b', '1', '2'],
      ['SADD', 'intset', '1', '2', '-3'],
      ['SADD', 'hset', 'a', 'b', 'c'],
      ['HSET', 'lphash', 'f', 'v', 'g', 'w'],
      ['HSET', 'hthash', 'f', 'x'.repeat(100)],
      ['ZADD', 'lpzset', '1', 'a', '2.5', 'b', '-inf', 'c'],
      ['ZADD', 'slzset', '1', 'y'.repeat(100), '2', 'z'],
    ]);
    client.read(10);
    const keys = ['int', 'embstr', 'raw', 'list', 'intset', 'hset'];
    keys.push('lphash', 'hthash', 'lpzset', 'slzset');
    for (const key of keys) {
      const digest = client.call('DEBUG', 'DIGEST-VALUE', key);
      const encoding = client.call('OBJECT', 'ENCODING', key);
      expect(client.call('RESTORE', `${key}-copy`, '0', dump(key))).toBe('+OK\r\n');
      expect(client.call('DEBUG', 'DIGEST-VALUE', `${key}-copy`), key).toBe(digest);
      expect(client.call('OBJECT', 'ENCODING', `${key}-copy`), key).toBe(encoding);
      expect(dump(`${key}-copy`).equals(dump(key)), key).toBe(true);
    }
  });

  it("gives the loaded value the encoding of this node's thresholds, as rdbLoadObject does", () => {
    const { client, dump } = setup(4);
    client.call('HSET', 'h', 'f', 'x'.repeat(100));
    client.call('SADD', 's', 'a');
    expect(client.call('OBJECT', 'ENCODING', 'h')).toBe('$9\r\nhashtable\r\n');
    const hash = dump('h');
    client.call('CONFIG', 'SET', 'hash-max-listpack-value', '200');
    expect(client.call('RESTORE', 'h2', '0', hash)).toBe('+OK\r\n');
    expect(client.call('OBJECT', 'ENCODING', 'h2')).toBe('$8\r\nlistpack\r\n');
    // A listpack payload is checked on its entries only (rdbLoadObject): a long element stays.
    client.call('HSET', 'lp', 'f', 'x'.repeat(150));
    const listpack = dump('lp');
    client.call('CONFIG', 'SET', 'hash-max-listpack-value', '64');
    expect(client.call('RESTORE', 'lp2', '0', listpack)).toBe('+OK\r\n');
    expect(client.call('OBJECT', 'ENCODING', 'lp2')).toBe('$8\r\nlistpack\r\n');
    client.call('CONFIG', 'SET', 'hash-max-listpack-entries', '0');
    expect(client.call('RESTORE', 'lp3', '0', listpack)).toBe('+OK\r\n');
    expect(client.call('OBJECT', 'ENCODING', 'lp3')).toBe('$9\r\nhashtable\r\n');
    // A hashtable set of integers loads as an intset when it fits.
    client.call('SADD', 'n', '1', '2');
    client.call('CONFIG', 'SET', 'set-max-intset-entries', '1');
    client.call('SADD', 'n', '3');
    expect(client.call('OBJECT', 'ENCODING', 'n')).toBe('$9\r\nhashtable\r\n');
    const set = dump('n');
    client.call('CONFIG', 'SET', 'set-max-intset-entries', '512');
    expect(client.call('RESTORE', 'n2', '0', set)).toBe('+OK\r\n');
    expect(client.call('OBJECT', 'ENCODING', 'n2')).toBe('$6\r\nintset\r\n');
  });

  it('checks options, then BUSYKEY, then the TTL, then the payload, as Redis does', () => {
    const { client } = setup(5);
    client.call('SET', 'k', 'v');
    const p = HELLO_PAYLOAD;
    const cases: [readonly (string | Buffer)[], string][] = [
      [['k', 'x', 'junk', 'NOPE'], '-ERR syntax error\r\n'],
      [['k', 'x', 'junk', 'IDLETIME'], '-ERR syntax error\r\n'],
      [['k', 'x', 'junk', 'IDLETIME', '1', 'FREQ', '1'], '-ERR syntax error\r\n'],
      [['k', 'x', 'junk', 'FREQ', '1', 'IDLETIME', '1'], '-ERR syntax error\r\n'],
      [['k', 'x', 'junk', 'IDLETIME', '-1'], '-ERR Invalid IDLETIME value, must be >= 0\r\n'],
      [['k', 'x', 'junk', 'IDLETIME', '1.5'], '-ERR value is not an integer or out of range\r\n'],
      [['k', 'x', 'junk', 'FREQ', '256'], '-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n'],
      [['k', 'x', 'junk', 'FREQ', '-1'], '-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n'],
      [['k', 'x', 'junk'], '-BUSYKEY Target key name already exists.\r\n'],
      [['n', 'x', 'junk'], '-ERR value is not an integer or out of range\r\n'],
      [['n', '+1', p], '-ERR value is not an integer or out of range\r\n'],
      [['n', '-1', 'junk'], '-ERR Invalid TTL value, must be >= 0\r\n'],
      [['n', '0', 'junk'], '-ERR DUMP payload version or checksum are wrong\r\n'],
      [['n', '0', ''], '-ERR DUMP payload version or checksum are wrong\r\n'],
      [
        ['n', '0', p.subarray(0, p.length - 1)],
        '-ERR DUMP payload version or checksum are wrong\r\n',
      ],
      [
        ['n', '0', withFooter(HELLO_PAYLOAD.subarray(0, 7), 11)],
        '-ERR DUMP payload version or checksum are wrong\r\n',
      ],
      [['n', '0', withFooter(Buffer.from([99, 0]))], '-ERR Bad data format\r\n'],
      [['k', '0', p, 'replace', 'absttl', 'REPLACE', 'idletime', '5', 'IDLETIME', '0'], '+OK\r\n'],
      [['k', '0', p, 'REPLACE', 'FREQ', '0', 'freq', '255'], '+OK\r\n'],
    ];
    for (const [args, reply] of cases) {
      expect(client.call('RESTORE', ...args), args.join(' ')).toBe(reply);
    }
    expect(client.call('EXISTS', 'n')).toBe(':0\r\n');
    expect(client.call('GET', 'k')).toBe('$5\r\nhello\r\n');
  });

  it('replaces a key of another type and clears its TTL', () => {
    const { client } = setup(6);
    client.call('RPUSH', 'k', 'a');
    client.call('EXPIRE', 'k', '100');
    expect(client.call('RESTORE', 'k', '0', HELLO_PAYLOAD, 'REPLACE')).toBe('+OK\r\n');
    expect(client.call('TYPE', 'k')).toBe('+string\r\n');
    expect(client.call('TTL', 'k')).toBe(':-1\r\n');
  });

  it('propagates a relative TTL as the absolute deadline with ABSTTL appended', () => {
    const { client, node, propagated } = setup(7);
    client.call('SET', 'other', 'v');
    propagated();
    const nowMs = node.env.clock.wallMs() + 1;
    expect(client.call('restore', 'k', '5000', HELLO_PAYLOAD, 'IDLETIME', '3')).toBe('+OK\r\n');
    const deadline = String(nowMs + 5000);
    expect(propagated()).toBe(
      wire('restore', 'k', deadline, HELLO_PAYLOAD, 'IDLETIME', '3', 'ABSTTL'),
    );
    expect(client.call('PEXPIRETIME', 'k')).toBe(`:${deadline}\r\n`);
    // ABSTTL and TTL 0 go out as received.
    const abs = String(nowMs + 60_000);
    expect(client.call('RESTORE', 'a', abs, HELLO_PAYLOAD, 'ABSTTL')).toBe('+OK\r\n');
    expect(propagated()).toBe(wire('RESTORE', 'a', abs, HELLO_PAYLOAD, 'ABSTTL'));
    expect(client.call('RESTORE', 'b', '0', HELLO_PAYLOAD)).toBe('+OK\r\n');
    expect(propagated()).toBe(wire('RESTORE', 'b', '0', HELLO_PAYLOAD));
    expect(client.call('PTTL', 'b')).toBe(':-1\r\n');
  });

  it('creates nothing for a deadline in the past; DEL propagates only if REPLACE deleted a key', () => {
    const { client, node, propagated } = setup(8);
    client.call('SET', 'old', 'v');
    propagated();
    const dirty = node.dirty;
    // No key was there: nothing changes, nothing propagates.
    expect(client.call('RESTORE', 'new', '1', HELLO_PAYLOAD, 'ABSTTL')).toBe('+OK\r\n');
    expect(client.call('RESTORE', 'new', '1', HELLO_PAYLOAD, 'ABSTTL', 'REPLACE')).toBe('+OK\r\n');
    // A relative TTL that overflows int64 wraps into the past, as in Redis's C arithmetic.
    expect(client.call('RESTORE', 'new', '9223372036854775807', HELLO_PAYLOAD)).toBe('+OK\r\n');
    expect(client.call('EXISTS', 'new')).toBe(':0\r\n');
    expect(node.dirty).toBe(dirty);
    expect(propagated()).toBe('');
    // REPLACE deleted the old key: the deletion is the change.
    const now = String(node.env.clock.wallMs() + 1);
    expect(client.call('RESTORE', 'old', now, HELLO_PAYLOAD, 'ABSTTL', 'REPLACE')).toBe('+OK\r\n');
    expect(client.call('EXISTS', 'old')).toBe(':0\r\n');
    expect(propagated()).toBe(wire('DEL', 'old'));
  });

  it('invalidates WATCH on the restored key', () => {
    const { client, world } = setup(9);
    const other = SimClient.open(world, world.addHost('other', '10.0.0.3'));
    client.call('WATCH', 'k');
    expect(other.call('RESTORE', 'k', '0', HELLO_PAYLOAD)).toBe('+OK\r\n');
    client.call('MULTI');
    client.call('GET', 'k');
    expect(client.call('EXEC')).toBe('*-1\r\n');
  });

  it('wakes a client blocked on the restored list, as dbAdd does', () => {
    const { client, world, dump } = setup(10);
    client.call('RPUSH', 'src', 'a', 'b');
    const payload = dump('src');
    const blocked = SimClient.open(world, world.addHost('blocked', '10.0.0.3'));
    blocked.pipeline([['BLPOP', 'dst', '0']]);
    world.runFor(10);
    expect(blocked.unread()).toEqual([]);
    expect(client.call('RESTORE', 'dst', '0', payload)).toBe('+OK\r\n');
    const [reply] = blocked.read(1);
    expect(reply?.bytes.toString('latin1')).toBe('*2\r\n$3\r\ndst\r\n$1\r\na\r\n');
    expect(client.call('LRANGE', 'dst', '0', '-1')).toBe('*1\r\n$1\r\nb\r\n');
  });
});
