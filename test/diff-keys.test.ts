/**
 * Differential test of the generic key commands, OBJECT and DEBUG: replisim must answer exactly as
 * Redis 7.0.15 does.
 *
 * Method: one real redis-server and one in-process replisim node, both with `--enable-debug-command
 * yes`. Each script is sent to both servers on fresh connections, once in RESP2 and once after
 * HELLO 3, and the raw bytes of every reply must be identical, except where Redis's reply is random
 * or in hash order, which is compared for the property that matters:
 *   - KEYS: the same keys, sorted;
 *   - SCAN: a whole iteration from cursor 0 to cursor 0 (with the step's options) returns the same
 *     set of keys; cursor values themselves differ by design (scan.ts);
 *   - RANDOMKEY: a key that exists, or the same null;
 *   - TTL / PTTL of a key set moments earlier: equal within a tolerance (each server reads its
 *     clock);
 *   - DEBUG OBJECT: the same fields, with encoding and refcount equal (the rest are estimates).
 * Each script ends with DEBUG DIGEST-VALUE of its keys and DEBUG DIGEST, so the stored data, TTL
 * marks included, match as well as the replies. The propagated forms (EXPIRE -> PEXPIREAT, past
 * deadline -> DEL, RENAME, UNLINK, MOVE, COPY) are compared against Redis's replication stream.
 * One more pair, started with defaults, shows DEBUG refused from loopback with Redis's error
 * (enable-debug-command defaults to 'no' on both).
 */
import type { RespValue } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { startRedisServer } from './support/redis-server.js';
import { capturePropagation, expectSamePropagation } from './support/replication-stream.js';
import { startReplisimNode } from './support/replisim-node.js';
import {
  describeScriptsPerProtocol,
  flushBoth,
  type Ports,
  useServerPair,
} from './support/server-pair.js';

type Protocol = 2 | 3;
type Argv = readonly (string | Buffer)[];
type Mode = 'bytes' | 'sorted' | 'scan' | 'random' | 'ttl' | 'debugObject';

interface Step {
  readonly argv: Argv;
  readonly mode: Mode;
}

interface Script {
  readonly name: string;
  readonly steps: readonly (Argv | Step)[];
  /** Keys whose DEBUG DIGEST-VALUE must match at the end (in the database selected then). */
  readonly keys: readonly (string | Buffer)[];
}

const BIN = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80]);
const sorted = (...argv: string[]): Step => ({ argv, mode: 'sorted' });
const scanAll = (...options: string[]): Step => ({ argv: ['SCAN', '0', ...options], mode: 'scan' });
const random = (): Step => ({ argv: ['RANDOMKEY'], mode: 'random' });
const ttl = (...argv: string[]): Step => ({ argv, mode: 'ttl' });
const debugObject = (key: string): Step => ({
  argv: ['DEBUG', 'OBJECT', key],
  mode: 'debugObject',
});

const SCRIPTS: readonly Script[] = [
  {
    name: 'EXPIRE family: options, errors, past deadlines',
    steps: [
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', '100', 'NX', 'XX'],
      ['EXPIRE', 'k', '100', 'nx', 'gt'],
      ['EXPIRE', 'k', '100', 'lt', 'nx'],
      ['EXPIRE', 'k', '100', 'GT', 'LT'],
      ['EXPIRE', 'k', '100', 'foo'],
      ['EXPIRE', 'k', 'x', 'foo'],
      ['EXPIRE', 'k', 'x'],
      ['EXPIRE', 'k', '1.5'],
      ['EXPIRE', 'k', '9223372036854775807'],
      ['EXPIRE', 'k', '9223372036854775'],
      ['EXPIRE', 'k', '-9223372036854775808'],
      ['PEXPIRE', 'k', '9223372036854775807'],
      ['EXPIREAT', 'k', '9223372036854775807'],
      ['PEXPIREAT', 'k', '9223372036854775808'],
      ['EXPIRE', 'nokey', '100'],
      ['EXPIRE', 'k', '100', 'XX'],
      ['EXPIRE', 'k', '100', 'GT'],
      ['EXPIRE', 'k', '100', 'LT'],
      ttl('TTL', 'k'),
      ['EXPIRE', 'k', '100', 'NX'],
      ['EXPIRE', 'k', '50', 'GT'],
      ['EXPIRE', 'k', '200', 'GT'],
      ['EXPIRE', 'k', '300', 'LT'],
      ['EXPIRE', 'k', '150', 'lt', 'xx', 'LT'],
      ttl('PTTL', 'k'),
      ['PEXPIRE', 'k', '100000'],
      ['EXPIREAT', 'k', '4102444800'],
      ['EXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '4102444800123'],
      ['PEXPIRETIME', 'k'],
      ['EXPIRETIME', 'k'],
      ['TTL', 'nokey'],
      ['PTTL', 'nokey'],
      ['EXPIRETIME', 'nokey'],
      ['PEXPIRETIME', 'nokey'],
      ['SET', 'p', 'v'],
      ['TTL', 'p'],
      ['PTTL', 'p'],
      ['EXPIRETIME', 'p'],
      ['PEXPIRETIME', 'p'],
      ['PERSIST', 'p'],
      ['PERSIST', 'k'],
      ['PERSIST', 'k'],
      ['PERSIST', 'nokey'],
      ['SET', 'gone1', 'v'],
      ['SET', 'gone2', 'v'],
      ['SET', 'gone3', 'v'],
      ['EXPIRE', 'gone1', '-5'],
      ['PEXPIRE', 'gone2', '0'],
      ['EXPIREAT', 'gone3', '1', 'XX'],
      ['EXISTS', 'gone1', 'gone2', 'gone3'],
      ['SADD', 'set', 'a'],
      ['EXPIRE', 'set', '100'],
      ['TYPE', 'set'],
      ['EXPIRE', 'k'],
    ],
    keys: ['k', 'p', 'set', 'gone1'],
  },
  {
    name: 'TYPE, EXISTS, DEL, UNLINK, KEYS',
    steps: [
      ['SET', 's', '1'],
      ['RPUSH', 'l', 'a', 'b'],
      ['SADD', 'st', 'x'],
      ['ZADD', 'z', '1', 'm'],
      ['HSET', 'h', 'f', 'v'],
      ['SET', BIN, BIN],
      ['TYPE', 's'],
      ['TYPE', 'l'],
      ['TYPE', 'st'],
      ['TYPE', 'z'],
      ['TYPE', 'h'],
      ['TYPE', BIN],
      ['TYPE', 'nokey'],
      sorted('KEYS', '*'),
      sorted('KEYS', '?'),
      sorted('KEYS', '[sz]*'),
      sorted('KEYS', 'h'),
      sorted('KEYS', 'nomatch*'),
      sorted('KEYS', '\\*'),
      ['UNLINK', 's', 'l', 'nokey', 's'],
      ['UNLINK', 'nokey'],
      ['UNLINK'],
      ['TYPE', 'l'],
      sorted('KEYS', '*'),
      ['DEL', 'st', 'z'],
    ],
    keys: ['s', 'l', 'h', BIN],
  },
  {
    name: 'RENAME and RENAMENX',
    steps: [
      ['SET', 'a', '1'],
      ['SET', 'b', '2'],
      ['PEXPIRE', 'a', '100000'],
      ['RENAME', 'a', 'c'],
      ttl('PTTL', 'c'),
      ['EXISTS', 'a'],
      ['RENAME', 'nokey', 'x'],
      ['RENAME', 'nokey', 'nokey'],
      ['RENAME', 'c', 'c'],
      ['RENAMENX', 'c', 'c'],
      ['RENAMENX', 'nokey', 'x'],
      ['RENAMENX', 'c', 'b'],
      ['RENAME', 'c', 'b'],
      ttl('PTTL', 'b'),
      ['GET', 'b'],
      ['RENAMENX', 'b', 'd'],
      ['SADD', 'set', 'm'],
      ['RENAME', 'set', 'd'],
      ['TYPE', 'd'],
      ['SMEMBERS', 'd'],
      ['RENAME', BIN, 'x'],
      ['SET', BIN, 'v'],
      ['RENAME', BIN, 'bin2'],
      ['GET', 'bin2'],
      ['RENAME', 'a'],
    ],
    keys: ['a', 'b', 'c', 'd', 'bin2'],
  },
  {
    name: 'MOVE and COPY across databases',
    steps: [
      ['SET', 'a', 'v'],
      ['PEXPIRE', 'a', '100000'],
      ['MOVE', 'a', '0'],
      ['MOVE', 'nokey', '0'],
      ['MOVE', 'a', '16'],
      ['MOVE', 'a', '-1'],
      ['MOVE', 'a', 'x'],
      ['MOVE', 'a', '4294967296'],
      ['MOVE', 'nokey', '1'],
      ['MOVE', 'a', '1'],
      ['EXISTS', 'a'],
      ['SET', 'a', 'again'],
      ['MOVE', 'a', '1'],
      ['COPY', 'a', 'a'],
      ['COPY', 'a', 'a', 'DB', '0'],
      ['COPY', 'a', 'b', 'DB', '16'],
      ['COPY', 'a', 'b', 'DB', 'x'],
      ['COPY', 'a', 'b', 'DB'],
      ['COPY', 'a', 'b', 'foo'],
      ['COPY', 'nokey', 'b'],
      ['COPY', 'a', 'b'],
      ['COPY', 'a', 'b'],
      ['SET', 'a', 'changed'],
      ['COPY', 'a', 'b', 'REPLACE'],
      ['GET', 'b'],
      ['COPY', 'a', 'a', 'DB', '2', 'DB', '1'],
      ['COPY', 'a', 'a', 'DB', '1', 'REPLACE'],
      ['RPUSH', 'l', '1', '2', 'three'],
      ['HSET', 'h', 'f', 'v', 'g', 'w'],
      ['SADD', 'si', '1', '2', '3'],
      ['SADD', 'ss', 'x', 'y'],
      ['ZADD', 'z', '1', 'a', '2.5', 'b'],
      ['COPY', 'l', 'l2'],
      ['COPY', 'h', 'h2'],
      ['COPY', 'si', 'si2'],
      ['COPY', 'ss', 'ss2'],
      ['COPY', 'z', 'z2'],
      ['RPUSH', 'l2', 'more'],
      ['LRANGE', 'l', '0', '-1'],
      ['OBJECT', 'ENCODING', 'si2'],
      ['OBJECT', 'ENCODING', 'z2'],
      ['SELECT', '1'],
      ['GET', 'a'],
      ttl('PTTL', 'a'),
      ['SELECT', '0'],
    ],
    keys: ['a', 'b', 'l', 'l2', 'h2', 'si2', 'ss2', 'z2'],
  },
  {
    name: 'SCAN and RANDOMKEY',
    steps: [
      ['SCAN', '0'],
      random(),
      ['MSET', 'user:1', 'a', 'user:2', 'b', 'item:1', 'c', 'item:2', 'd'],
      ['RPUSH', 'list:1', 'x'],
      ['HSET', 'hash:1', 'f', 'v'],
      ['SADD', 'set:1', 'm'],
      ['ZADD', 'zset:1', '1', 'm'],
      scanAll(),
      scanAll('COUNT', '1'),
      scanAll('COUNT', '2', 'MATCH', 'user:*'),
      scanAll('MATCH', '*:1', 'COUNT', '1000'),
      scanAll('TYPE', 'string'),
      scanAll('TYPE', 'LIST'),
      scanAll('TYPE', 'hash', 'MATCH', 'h*'),
      scanAll('TYPE', 'zset'),
      scanAll('TYPE', 'set'),
      scanAll('TYPE', 'nosuchtype'),
      scanAll('MATCH', 'nomatch'),
      random(),
      random(),
      ['SCAN', 'x'],
      ['SCAN', '-'],
      ['SCAN', ' 1'],
      ['SCAN', '1 '],
      ['SCAN', '0x1'],
      ['SCAN', '18446744073709551616'],
      ['SCAN', '0', 'COUNT', '0'],
      ['SCAN', '0', 'COUNT', '-1'],
      ['SCAN', '0', 'COUNT', 'x'],
      ['SCAN', 'x', 'COUNT', 'x'],
      ['SCAN', '0', 'MATCH'],
      ['SCAN', '0', 'TYPE'],
      ['SCAN', '0', 'FOO', 'bar'],
      ['SCAN'],
      ['RANDOMKEY', 'x'],
    ],
    keys: ['user:1', 'list:1'],
  },
  {
    name: 'OBJECT subcommands and DEBUG OBJECT',
    steps: [
      ['SET', 'int', '123'],
      ['SET', 'shared', '9999'],
      ['SET', 'notshared', '10000'],
      ['SET', 'neg', '-1'],
      ['SET', 'big', '12345678901234567890'],
      ['SET', 'emb', 'x'.repeat(44)],
      ['SET', 'raw', 'x'.repeat(45)],
      ['SET', 'lead', '007'],
      ['RPUSH', 'l', 'a', '1', '-300', 'b'.repeat(100)],
      ['HSET', 'h', 'f', 'v', 'n', '12'],
      ['SADD', 'si', '1', '70000', '-5'],
      ['SADD', 'ss', 'a', 'b'],
      ['ZADD', 'z', '1', 'a', '2.5', 'b', '-3', 'c'],
      ['OBJECT', 'ENCODING', 'int'],
      ['OBJECT', 'ENCODING', 'big'],
      ['OBJECT', 'ENCODING', 'emb'],
      ['OBJECT', 'ENCODING', 'raw'],
      ['OBJECT', 'ENCODING', 'lead'],
      ['OBJECT', 'ENCODING', 'l'],
      ['OBJECT', 'ENCODING', 'h'],
      ['OBJECT', 'ENCODING', 'si'],
      ['OBJECT', 'ENCODING', 'ss'],
      ['OBJECT', 'ENCODING', 'z'],
      ['OBJECT', 'ENCODING', 'nokey'],
      ['OBJECT', 'REFCOUNT', 'int'],
      ['OBJECT', 'REFCOUNT', 'shared'],
      ['OBJECT', 'REFCOUNT', 'notshared'],
      ['OBJECT', 'REFCOUNT', 'neg'],
      ['OBJECT', 'REFCOUNT', 'l'],
      ['OBJECT', 'REFCOUNT', 'nokey'],
      ['OBJECT', 'FREQ', 'int'],
      ['OBJECT', 'FREQ', 'nokey'],
      // IDLETIME of a live key is seconds on a 1 s clock: the two servers' clocks may tick apart
      // between the SET and this step, so only the missing key is compared byte for byte here
      // (test/diff-maxmemory.test.ts checks IDLETIME's values).
      ['OBJECT', 'IDLETIME', 'nokey'],
      ['OBJECT', 'HELP'],
      ['OBJECT', 'help'],
      ['OBJECT', 'FOO'],
      ['OBJECT', 'ENCODING'],
      ['OBJECT', 'ENCODING', 'a', 'b'],
      ['OBJECT'],
      debugObject('int'),
      debugObject('shared'),
      debugObject('big'),
      debugObject('emb'),
      debugObject('raw'),
      debugObject('l'),
      debugObject('h'),
      debugObject('si'),
      debugObject('ss'),
      debugObject('z'),
      ['DEBUG', 'OBJECT', 'nokey'],
    ],
    keys: ['int', 'big', 'emb', 'raw', 'l', 'h', 'si', 'ss', 'z'],
  },
  {
    name: 'DEBUG subcommands and argument errors',
    steps: [
      ['DEBUG', 'DIGEST'],
      ['SET', 'a', 'v'],
      ['PEXPIRE', 'a', '100000'],
      ['SET', BIN, 'w'],
      ['DEBUG', 'DIGEST-VALUE'],
      ['DEBUG', 'DIGEST-VALUE', 'a', BIN, 'nokey', 'a'],
      ['DEBUG', 'digest'],
      ['DEBUG', 'DIGEST', 'x'],
      ['DEBUG', 'OBJECT'],
      ['DEBUG', 'OBJECT', 'a', 'b'],
      ['DEBUG', 'SLEEP'],
      ['DEBUG', 'SLEEP', '0'],
      ['DEBUG', 'SLEEP', '0.05'],
      ['DEBUG', 'SLEEP', 'abc'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1', '2'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['DEBUG', 'set-active-expire', '1'],
      ['DEBUG', 'NOSUCH'],
      ['DEBUG', 'HELP', 'x'],
      ['DEBUG'],
    ],
    keys: ['a', BIN],
  },
];

function encode(argv: Argv): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`, 'latin1')];
  for (const arg of argv) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'latin1') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`, 'latin1'), bytes, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

const printable = (bytes: Buffer): string => JSON.stringify(bytes.toString('latin1'));
const label = (argv: Argv): string =>
  argv.map((arg) => (typeof arg === 'string' ? arg : `<${arg.toString('hex')}>`)).join(' ');

async function exchange(client: RawClient, argv: Argv, where: string): Promise<RespValue & Buffer> {
  client.send(encode(argv));
  const [reply] = await client.read(1).catch((error: unknown) => {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (reply === undefined) throw new Error(`${where}: no reply`);
  return Object.assign(reply.bytes, reply.value);
}

/** The strings of an array reply (bulk or status items). */
function strings(value: RespValue): string[] {
  if (value.kind !== 'array' && value.kind !== 'set') return [];
  return value.items.map((item) =>
    item.kind === 'bulk' || item.kind === 'simple'
      ? item.value.toString('latin1')
      : `<${item.kind}>`,
  );
}

/** A whole SCAN iteration with `argv`'s options: the sorted set of keys returned. */
async function scanIteration(client: RawClient, argv: Argv, where: string): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = '0';
  for (let calls = 0; calls < 1000; calls++) {
    const reply = await exchange(client, ['SCAN', cursor, ...argv.slice(2)], where);
    if (reply.kind !== 'array') throw new Error(`${where}: ${printable(reply)}`);
    const [next, page] = reply.items;
    if (next?.kind !== 'bulk' || page === undefined) throw new Error(`${where}: bad reply`);
    for (const key of strings(page)) keys.add(key);
    cursor = next.value.toString('latin1');
    if (cursor === '0') return [...keys].sort();
  }
  throw new Error(`${where}: SCAN did not finish`);
}

/** DEBUG OBJECT's fields by name. */
function debugFields(reply: Buffer): Map<string, string> {
  const text = reply.toString('latin1').replace(/^\+/, '').trim();
  return new Map(
    text.split(' ').map((field) => {
      const at = field.indexOf(':');
      return [field.slice(0, at), field.slice(at + 1)] as const;
    }),
  );
}

async function compareStep(step: Step, redis: RawClient, ours: RawClient, where: string) {
  if (step.mode === 'scan') {
    const expected = await scanIteration(redis, step.argv, `redis, ${where}`);
    const actual = await scanIteration(ours, step.argv, `replisim, ${where}`);
    expect(actual, where).toEqual(expected);
    return;
  }
  const expected = await exchange(redis, step.argv, `redis, ${where}`);
  const actual = await exchange(ours, step.argv, `replisim, ${where}`);
  switch (step.mode) {
    case 'bytes':
      expect(printable(actual), where).toBe(printable(expected));
      break;
    case 'sorted':
      expect(strings(actual).sort(), where).toEqual(strings(expected).sort());
      expect(actual.kind, where).toBe(expected.kind);
      break;
    case 'random': {
      expect(actual.kind, where).toBe(expected.kind);
      if (actual.kind === 'bulk') {
        const exists = await exchange(ours, ['EXISTS', actual.value], where);
        expect(printable(exists), where).toBe(printable(Buffer.from(':1\r\n')));
      }
      break;
    }
    case 'ttl': {
      expect(actual.kind, where).toBe('integer');
      expect(expected.kind, where).toBe('integer');
      if (actual.kind === 'integer' && expected.kind === 'integer') {
        const tolerance = step.argv[0] === 'PTTL' ? 2000n : 2n;
        const diff = actual.value - expected.value;
        expect(diff < tolerance && diff > -tolerance, `${where}: ${diff}`).toBe(true);
      }
      break;
    }
    case 'debugObject': {
      const ourFields = debugFields(actual);
      const theirFields = debugFields(expected);
      expect([...ourFields.keys()], where).toEqual([...theirFields.keys()]);
      for (const field of ['refcount', 'encoding', 'ql_listpack_max', 'ql_compressed']) {
        expect(ourFields.get(field), `${where} ${field}`).toBe(theirFields.get(field));
      }
      break;
    }
  }
}

async function runScript(script: Script, pair: Ports, protocol: Protocol): Promise<void> {
  const redis = await RawClient.connect(pair.redis);
  const replisim = await RawClient.connect(pair.replisim);
  try {
    if (protocol === 3) {
      await redis.call('HELLO', '3');
      await replisim.call('HELLO', '3');
    }
    const steps: Step[] = [
      ...script.steps.map((step) =>
        'mode' in step ? step : { argv: step, mode: 'bytes' as const },
      ),
      { argv: ['DEBUG', 'DIGEST-VALUE', ...script.keys], mode: 'bytes' },
      { argv: ['DEBUG', 'DIGEST'], mode: 'bytes' },
    ];
    for (const [index, step] of steps.entries()) {
      await compareStep(step, redis, replisim, `step ${index} (${label(step.argv)})`);
    }
  } finally {
    redis.close();
    replisim.close();
  }
}

// --- Propagation ---------------------------------------------------------------------------------

const PROPAGATION_SCRIPT: readonly Argv[] = [
  ['SET', 'k', 'v'],
  ['EXPIRE', 'k', '100'],
  ['PEXPIRE', 'k', '100000', 'GT'],
  ['EXPIREAT', 'k', '4102444800'],
  ['PEXPIREAT', 'k', '4102444800000', 'XX'],
  ['EXPIRE', 'k', '1', 'GT'],
  ['PERSIST', 'k'],
  ['PERSIST', 'k'],
  ['SET', 'gone', 'v'],
  ['EXPIRE', 'gone', '-1'],
  ['EXPIRE', 'gone', '10'],
  ['RENAME', 'k', 'r'],
  ['RENAMENX', 'r', 'r2'],
  ['COPY', 'r2', 'c', 'DB', '2'],
  ['MOVE', 'r2', '3'],
  ['UNLINK', 'r2', 'nokey'],
  ['SET', 'u', 'v'],
  ['UNLINK', 'u', 'nokey'],
  ['DEL', 'nokey'],
  ['SET', 'done', '1'],
];

const OPTIONS = ['--enable-debug-command', 'yes'] as const;

describe('key commands, OBJECT and DEBUG against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: OPTIONS });
  const pair = (): Ports => servers().ports;

  it('propagates the same forms as Redis to replicas', async () => {
    await expectSamePropagation(servers(), PROPAGATION_SCRIPT);
  });

  it('propagates the keys RANDOMKEY and SCAN expire as bare DELs, not in MULTI/EXEC', async () => {
    const { redis, replisim } = servers();
    const clients = await Promise.all([
      RawClient.connect(redis.port),
      RawClient.connect(replisim.port),
    ]);
    const onBoth = async (...argv: string[]) => {
      const [theirs, ours] = await Promise.all(clients.map((client) => client.call(...argv)));
      expect(ours?.bytes.toString('latin1'), argv.join(' ')).toBe(theirs?.bytes.toString('latin1'));
    };
    try {
      await flushBoth(pair());
      await onBoth('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      const streams = await capturePropagation(servers(), '$4\r\ndone\r\n', async () => {
        for (const round of ['RANDOMKEY', 'SCAN']) {
          for (const key of ['a', 'b', 'c'])
            await onBoth('SET', `${round}-${key}`, 'v', 'PX', '20');
          await new Promise((resolve) => setTimeout(resolve, 60));
          if (round === 'RANDOMKEY') await onBoth('RANDOMKEY');
          else await onBoth('SCAN', '0', 'COUNT', '100');
        }
        await onBoth('SET', 'done', '1');
      });
      // The order of the DELs is each server's own walk; what matters is that none is wrapped.
      const deletes = (commands: string[][]) =>
        commands
          .filter((argv) => argv[0] === 'DEL')
          .map((argv) => argv.join(' '))
          .sort();
      expect(streams.redis.some((argv) => argv[0] === 'MULTI')).toBe(false);
      expect(streams.replisim.some((argv) => argv[0] === 'MULTI')).toBe(false);
      expect(deletes(streams.replisim)).toEqual(deletes(streams.redis));
      expect(deletes(streams.redis)).toHaveLength(6);
    } finally {
      await onBoth('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      for (const client of clients) client.close();
    }
  });

  it('refuses DEBUG from loopback by default, as Redis does (enable-debug-command no)', async () => {
    const [local, redis] = await Promise.all([startReplisimNode([]), startRedisServer([])]);
    const ours = await RawClient.connect(local.port);
    const theirs = await RawClient.connect(redis.port);
    try {
      const expected = (await theirs.call('DEBUG', 'DIGEST')).bytes.toString('latin1');
      expect(expected).toMatch(/^-ERR DEBUG command not allowed/);
      expect((await ours.call('DEBUG', 'DIGEST')).bytes.toString('latin1')).toBe(expected);
    } finally {
      ours.close();
      theirs.close();
      local.stop();
      await redis.stop();
    }
  });

  describeScriptsPerProtocol(SCRIPTS, pair, (script, protocol) =>
    runScript(script, pair(), protocol),
  );
});
