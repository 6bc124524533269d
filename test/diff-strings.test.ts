/**
 * Differential test of the string commands: replisim must answer exactly as Redis 7.0.15 does.
 *
 * Method: one real redis-server and one in-process replisim node, started with the same options
 * (DEBUG enabled, so DIGEST-VALUE can compare stored values). Each script below is sent to both
 * servers on fresh connections, once in RESP2 and once after HELLO 3, and the raw bytes of every
 * reply must be identical. The scripts cover every string command with its options, wrong types,
 * bad arguments and edge cases (negative and huge indexes, empty and binary values, overflow,
 * long double formatting), OBJECT ENCODING after each kind of write, and TTLs kept or cleared.
 * Each script ends with DEBUG DIGEST-VALUE of its keys, so the stored bytes match as well as the
 * replies. TTL replies are compared in whole seconds (both servers set them within milliseconds).
 * Non-string keys for WRONGTYPE cases are made with SADD.
 *
 * The propagated forms are compared too: a raw socket attaches to redis-server as a replica with
 * SYNC and reads its replication stream, while replisim's propagation log (the same stream its
 * replicas and AOF get) is observed in-process; both must carry the same commands, with absolute
 * millisecond deadlines compared within a tolerance (each server reads its own clock), and SELECT
 * and the keepalive PING left out.
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { expectSamePropagation } from './support/replication-stream.js';
import { describeScriptsPerProtocol, type Ports, useServerPair } from './support/server-pair.js';

type Protocol = 2 | 3;
type Argv = readonly (string | Buffer)[];

interface Script {
  readonly name: string;
  readonly commands: readonly Argv[];
  /** Keys whose DEBUG DIGEST-VALUE must match at the end. */
  readonly keys: readonly (string | Buffer)[];
}

const BIN = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80]);
const L44 = 'x'.repeat(44);
const L45 = 'x'.repeat(45);

/**
 * INCRBYFLOAT steps on five keys with increments of every shape strtold reads (integers, decimals
 * with up to 25 digits, exponents, hex floats, signs), from a fixed-seed generator so a failure
 * reproduces. This is what pins the long double arithmetic and `%.17Lf` printing to Redis's.
 */
function generatedIncrements(count: number): Argv[] {
  let state = 0x2545f491;
  const next = (below: number): number => {
    // xorshift32: deterministic, no dependency.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % below;
  };
  const digits = (length: number): string =>
    Array.from({ length }, () => String(next(10))).join('');
  const commands: Argv[] = [];
  for (let i = 0; i < count; i++) {
    const sign = ['', '-', '+'][next(3)] ?? '';
    let text: string;
    switch (next(5)) {
      case 0:
        text = `${sign}${next(1_000_000)}`;
        break;
      case 1:
        text = `${sign}${next(1000)}.${digits(1 + next(25))}`;
        break;
      case 2:
        text = `${sign}${1 + next(9)}.${digits(next(20))}e${next(61) - 30}`;
        break;
      case 3:
        text = `${sign}0x${next(0xffff).toString(16)}.${next(0xff).toString(16)}p${next(41) - 20}`;
        break;
      default:
        text = `${sign}0.${'0'.repeat(next(12))}${digits(1 + next(8))}`;
    }
    commands.push(['INCRBYFLOAT', `g${next(5)}`, text]);
    // Now and then a far exponent, on a key of its own: subnormals, 4000-digit results, overflow.
    if (next(8) === 0) {
      const far = `${sign}${1 + next(9)}.${digits(next(10))}e${next(9900) - 4950}`;
      commands.push(['INCRBYFLOAT', 'far', far]);
    }
  }
  return commands;
}

const SCRIPTS: readonly Script[] = [
  {
    name: 'SETNX, SETEX, PSETEX',
    commands: [
      ['SETNX', 'a', 'v'],
      ['SETNX', 'a', 'w'],
      ['GET', 'a'],
      ['SETNX', BIN, BIN],
      ['GET', BIN],
      ['SETEX', 'e', '100', '7'],
      ['TTL', 'e'],
      ['OBJECT', 'ENCODING', 'e'],
      ['PSETEX', 'p', '100000', L44],
      ['TTL', 'p'],
      ['OBJECT', 'ENCODING', 'p'],
      ['SETEX', 'e', '0', 'v'],
      ['SETEX', 'e', '-1', 'v'],
      ['SETEX', 'e', 'x', 'v'],
      ['SETEX', 'e', '1.5', 'v'],
      ['PSETEX', 'e', '0', 'v'],
      ['PSETEX', 'e', '9223372036854775807', 'v'],
      ['SETEX', 'e', '9223372036854775807', 'v'],
      ['SETEX', 'e', '9223372036854775808', 'v'],
      ['SADD', 'set', 'm'],
      ['SETEX', 'set', '10', 'v'],
      ['TYPE', 'set'],
      ['SETNX', 'set', 'v'],
      ['SETEX', 'a', '50', 'new'],
      ['SETNX', 'a', 'x'],
      ['GET', 'a'],
      ['TTL', 'a'],
    ],
    keys: ['a', BIN, 'e', 'p', 'set'],
  },
  {
    name: 'GETSET and GETDEL',
    commands: [
      ['GETSET', 'k', '1'],
      ['GETSET', 'k', '2'],
      ['OBJECT', 'ENCODING', 'k'],
      ['SETEX', 't', '100', 'v'],
      ['GETSET', 't', 'w'],
      ['TTL', 't'],
      ['SADD', 'set', 'm'],
      ['GETSET', 'set', 'v'],
      ['GETDEL', 'set'],
      ['GETDEL', 'k'],
      ['GETDEL', 'k'],
      ['EXISTS', 'k'],
      ['GETDEL', 'nokey'],
      ['SET', BIN, ''],
      ['GETDEL', BIN],
    ],
    keys: ['k', 't', 'set', BIN],
  },
  {
    name: 'GETEX options and errors',
    commands: [
      ['SET', 's', 'hello'],
      ['SADD', 'set', 'm'],
      ['GETEX', 's'],
      ['GETEX', 's', 'EX', '1', 'PERSIST'],
      ['GETEX', 's', 'PERSIST', 'EX', '1'],
      ['GETEX', 's', 'KEEPTTL'],
      ['GETEX', 's', 'NX'],
      ['GETEX', 's', 'GET'],
      ['GETEX', 's', 'EX'],
      ['GETEX', 's', 'EX', '1', 'PX', '1'],
      ['GETEX', 's', 'FOO'],
      ['GETEX', 'nokey', 'EX', 'abc'],
      ['GETEX', 'nokey', 'PERSIST'],
      ['GETEX', 'set'],
      ['GETEX', 'set', 'EX', 'abc'],
      ['GETEX', 's', 'EX', 'abc'],
      ['GETEX', 's', 'EX', '0'],
      ['GETEX', 's', 'PX', '-5'],
      ['GETEX', 's', 'EXAT', '9223372036854776'],
      ['GETEX', 's', 'PX', '9223372036854775807'],
      ['TTL', 's'],
      ['GETEX', 's', 'ex', '100'],
      ['TTL', 's'],
      ['GETEX', 's', 'PX', '100', 'px', '200000'],
      ['TTL', 's'],
      ['GETEX', 's', 'EXAT', '99999999999'],
      ['TTL', 's'],
      ['GETEX', 's', 'persist', 'PERSIST'],
      ['TTL', 's'],
      ['GETEX', 's', 'PERSIST'],
      ['GETEX', 's', 'PXAT', '1'],
      ['EXISTS', 's'],
      ['SET', 's2', '5'],
      ['GETEX', 's2', 'EXAT', '1'],
      ['GET', 's2'],
    ],
    keys: ['s', 's2', 'set'],
  },
  {
    name: 'MGET, MSET, MSETNX',
    commands: [
      ['MSET', 'a', '1', 'b', 'abc', 'c', L45],
      ['OBJECT', 'ENCODING', 'a'],
      ['OBJECT', 'ENCODING', 'b'],
      ['OBJECT', 'ENCODING', 'c'],
      ['SADD', 'set', 'm'],
      ['MGET', 'a', 'set', 'nokey', 'b', 'a'],
      ['MGET', 'nokey'],
      ['MSET', 'a'],
      ['MSET', 'a', '1', 'b'],
      ['MSETNX', 'a', '1', 'b'],
      ['MSETNX', 'x', '1', 'a', '2'],
      ['EXISTS', 'x'],
      ['MSETNX', 'x', '1', 'y', '2'],
      ['MSETNX', 'x', '1'],
      ['SETEX', 't', '100', 'v'],
      ['MSET', 't', 'w', 'set', 'now-a-string', 'a', '2', 'a', '3'],
      ['TTL', 't'],
      ['TYPE', 'set'],
      ['MGET', 'a', 'b', 'c', 'x', 'y', 't', 'set'],
      ['MSET', BIN, BIN, '', ''],
      ['MGET', BIN, ''],
    ],
    keys: ['a', 'b', 'c', 'x', 'y', 't', 'set', BIN, ''],
  },
  {
    name: 'APPEND and STRLEN',
    commands: [
      ['APPEND', 'n', '123'],
      ['OBJECT', 'ENCODING', 'n'],
      ['APPEND', 'n', '4'],
      ['OBJECT', 'ENCODING', 'n'],
      ['GET', 'n'],
      ['APPEND', 'e', 'abc'],
      ['OBJECT', 'ENCODING', 'e'],
      ['APPEND', 'e', ''],
      ['OBJECT', 'ENCODING', 'e'],
      ['APPEND', 'empty', ''],
      ['EXISTS', 'empty'],
      ['OBJECT', 'ENCODING', 'empty'],
      ['SETEX', 't', '100', 'v'],
      ['APPEND', 't', BIN],
      ['TTL', 't'],
      ['STRLEN', 't'],
      ['STRLEN', 'nokey'],
      ['STRLEN', 'n'],
      ['SADD', 'set', 'm'],
      ['APPEND', 'set', 'x'],
      ['STRLEN', 'set'],
      ['SET', 'i', '12'],
      ['STRLEN', 'i'],
      ['APPEND', 'i', '3'],
      ['INCR', 'i'],
      ['OBJECT', 'ENCODING', 'i'],
    ],
    keys: ['n', 'e', 'empty', 't', 'set', 'i'],
  },
  {
    name: 'GETRANGE and SUBSTR',
    commands: [
      ['SET', 's', 'hello'],
      ['SET', 'e', ''],
      ['SET', 'i', '-12345'],
      ['SADD', 'set', 'm'],
      ['GETRANGE', 's', '0', '-1'],
      ['GETRANGE', 's', '1', '3'],
      ['GETRANGE', 's', '-3', '-1'],
      ['GETRANGE', 's', '-1', '-5'],
      ['GETRANGE', 's', '5', '3'],
      ['GETRANGE', 's', '4', '4'],
      ['GETRANGE', 's', '5', '10'],
      ['GETRANGE', 's', '-100', '-100'],
      ['GETRANGE', 's', '-100', '100'],
      ['GETRANGE', 's', '3', '-9223372036854775808'],
      ['GETRANGE', 's', '-9223372036854775808', '9223372036854775807'],
      ['GETRANGE', 's', '0', '9223372036854775808'],
      ['GETRANGE', 's', 'x', '1'],
      ['GETRANGE', 's', '1', ''],
      ['GETRANGE', 'e', '0', '-1'],
      ['GETRANGE', 'e', '-1', '0'],
      ['GETRANGE', 'i', '1', '2'],
      ['GETRANGE', 'nokey', '0', '1'],
      ['GETRANGE', 'nokey', 'x', '1'],
      ['GETRANGE', 'set', '-1', '-5'],
      ['GETRANGE', 'set', '0', '1'],
      ['SUBSTR', 's', '1', '2'],
      ['SUBSTR', 's', '-2', '-1'],
      ['SUBSTR', 'set', '0', '1'],
      ['SUBSTR', 's', '0'],
      ['SET', BIN, BIN],
      ['GETRANGE', BIN, '1', '3'],
    ],
    keys: ['s', 'e', 'i', 'set', BIN],
  },
  {
    name: 'SETRANGE',
    commands: [
      ['SETEX', 'k', '100', '12'],
      ['SETRANGE', 'k', '0', ''],
      ['OBJECT', 'ENCODING', 'k'],
      ['SETRANGE', 'k', '4', 'ab'],
      ['GET', 'k'],
      ['TTL', 'k'],
      ['OBJECT', 'ENCODING', 'k'],
      ['SETRANGE', 'k', '1', 'Z'],
      ['GET', 'k'],
      ['SETRANGE', 'n', '1', 'x'],
      ['GET', 'n'],
      ['OBJECT', 'ENCODING', 'n'],
      ['SETRANGE', 'e', '0', ''],
      ['SETRANGE', 'e', '536870912', ''],
      ['EXISTS', 'e'],
      ['SETRANGE', 'k', '-1', 'x'],
      ['SETRANGE', 'k', 'x', 'x'],
      ['SETRANGE', 'k', '9223372036854775808', 'x'],
      ['SETRANGE', 'k', '9223372036854775807', 'x'],
      ['SETRANGE', 'k', '536870911', 'xx'],
      ['SETRANGE', 'nk', '536870912', 'x'],
      ['SADD', 'set', 'm'],
      ['SETRANGE', 'set', '0', ''],
      ['SETRANGE', 'set', '0', 'x'],
      ['SETRANGE', 'set', '-1', ''],
      ['SET', 'b', 'abc'],
      ['SETRANGE', 'b', '1', BIN],
      ['GET', 'b'],
      ['STRLEN', 'b'],
    ],
    keys: ['k', 'n', 'e', 'nk', 'set', 'b'],
  },
  {
    name: 'INCR, DECR, INCRBY, DECRBY',
    commands: [
      ['INCR', 'c'],
      ['INCRBY', 'c', '10'],
      ['DECR', 'c'],
      ['DECRBY', 'c', '-5'],
      ['DECRBY', 'c', '20'],
      ['OBJECT', 'ENCODING', 'c'],
      ['SETEX', 't', '100', '10'],
      ['INCR', 't'],
      ['TTL', 't'],
      ['SET', 'max', '9223372036854775807'],
      ['INCR', 'max'],
      ['INCRBY', 'max', '1'],
      ['DECRBY', 'max', '-1'],
      ['DECRBY', 'max', '9223372036854775807'],
      ['DECR', 'max'],
      ['DECR', 'max'],
      ['SET', 'min', '-9223372036854775808'],
      ['DECR', 'min'],
      ['INCRBY', 'min', '-1'],
      ['INCRBY', 'k', '-0'],
      ['INCRBY', 'k', '01'],
      ['INCRBY', 'k', '+1'],
      ['INCRBY', 'k', '1.5'],
      ['INCRBY', 'k', ' 1'],
      ['INCRBY', 'k', ''],
      ['INCRBY', 'k', '9223372036854775808'],
      ['DECRBY', 'k', '-9223372036854775808'],
      ['DECRBY', 'k', 'x'],
      ['SET', 's', 'abc'],
      ['INCR', 's'],
      ['SET', 'z', '-0'],
      ['INCR', 'z'],
      ['SET', 'big', '12345678901234567890'],
      ['INCR', 'big'],
      ['SET', 'sp', '1 '],
      ['DECR', 'sp'],
      ['SADD', 'set', 'm'],
      ['INCR', 'set'],
      ['DECRBY', 'set', '1'],
      ['INCRBY', 'set', 'x'],
      ['INCRBYFLOAT', 'f', '1.5'],
      ['INCR', 'f'],
      ['INCRBYFLOAT', 'g', '2'],
      ['INCR', 'g'],
      ['OBJECT', 'ENCODING', 'g'],
    ],
    keys: ['c', 't', 'max', 'min', 'k', 's', 'z', 'big', 'sp', 'set', 'f', 'g'],
  },
  {
    name: 'INCRBYFLOAT formatting',
    commands: [
      ['INCRBYFLOAT', 'a', '0.1'],
      ['INCRBYFLOAT', 'a', '0.2'],
      ['INCRBYFLOAT', 'a', '-0.3'],
      ['INCRBYFLOAT', 'b', '10.5'],
      ['INCRBYFLOAT', 'b', '251.35'],
      ['INCRBYFLOAT', 'c', '3.0e3'],
      ['INCRBYFLOAT', 'c', '5.0e3'],
      ['OBJECT', 'ENCODING', 'c'],
      ['INCRBYFLOAT', 'd', '1e30'],
      ['OBJECT', 'ENCODING', 'd'],
      ['INCRBYFLOAT', 'd2', '1e50'],
      ['OBJECT', 'ENCODING', 'd2'],
      ['INCRBYFLOAT', 'e', '1e400'],
      ['INCRBYFLOAT', 'f', '-1e-20'],
      ['INCRBYFLOAT', 'g', '1.23456789012345678901234567890e-5'],
      ['INCRBYFLOAT', 'h', '123456789.123456789'],
      ['INCRBYFLOAT', 'h', '987654321.987654321'],
      ['INCRBYFLOAT', 'i', '18446744073709551615'],
      ['INCRBYFLOAT', 'i', '1'],
      ['INCRBYFLOAT', 'j', '+.5'],
      ['INCRBYFLOAT', 'j', '1.'],
      ['INCRBYFLOAT', 'j', '-7'],
      ['INCRBYFLOAT', 'k', '0x1p-3'],
      ['INCRBYFLOAT', 'k', '0X.8P1'],
      ['INCRBYFLOAT', 'l', '1e-4940'],
      ['INCRBYFLOAT', 'm', '3.14159265358979323846264338'],
      ['SET', 'n', '00'],
      ['INCRBYFLOAT', 'n', '1'],
      ['SET', 'o', '12345678901234567890'],
      ['INCRBYFLOAT', 'o', '1'],
      ['SET', 'p', '3000'],
      ['INCRBYFLOAT', 'p', '0'],
      ['OBJECT', 'ENCODING', 'p'],
      ['SETEX', 't', '100', '1'],
      ['INCRBYFLOAT', 't', '1'],
      ['TTL', 't'],
      ['INCRBYFLOAT', 'q', '1.18e4932'],
      ['INCRBYFLOAT', 'q', '1.18e4932'],
    ],
    keys: [
      'a',
      'b',
      'c',
      'd',
      'd2',
      'e',
      'f',
      'g',
      'h',
      'i',
      'j',
      'k',
      'l',
      'm',
      'n',
      'o',
      'p',
      't',
    ],
  },
  {
    name: 'INCRBYFLOAT on generated numbers',
    commands: generatedIncrements(300),
    keys: ['g0', 'g1', 'g2', 'g3', 'g4', 'far'],
  },
  {
    name: 'INCRBYFLOAT errors',
    commands: [
      ['SET', 's', 'abc'],
      ['INCRBYFLOAT', 's', '1'],
      ['INCRBYFLOAT', 'x', ' 1'],
      ['INCRBYFLOAT', 'x', '1 '],
      ['INCRBYFLOAT', 'x', ''],
      ['INCRBYFLOAT', 'x', '.'],
      ['INCRBYFLOAT', 'x', '1e'],
      ['INCRBYFLOAT', 'x', 'nan'],
      ['INCRBYFLOAT', 'x', 'inf'],
      ['INCRBYFLOAT', 'x', '-INFINITY'],
      ['INCRBYFLOAT', 'x', '1e5000'],
      ['INCRBYFLOAT', 'x', '1e-5000'],
      ['INCRBYFLOAT', 'x', Buffer.from('1\x002', 'latin1')],
      ['EXISTS', 'x'],
      ['SET', 'inf', 'inf'],
      ['INCRBYFLOAT', 'inf', '1'],
      ['SET', 'sp', ' 1'],
      ['INCRBYFLOAT', 'sp', '1'],
      ['SADD', 'set', 'm'],
      ['INCRBYFLOAT', 'set', '1'],
      ['INCRBYFLOAT', 'set', 'x'],
    ],
    keys: ['s', 'x', 'inf', 'sp', 'set'],
  },
  {
    name: 'arity errors',
    commands: [
      ['SETNX', 'k'],
      ['SETEX', 'k', '1'],
      ['PSETEX', 'k', '1', 'v', 'x'],
      ['GETSET', 'k'],
      ['GETDEL'],
      ['GETDEL', 'a', 'b'],
      ['GETEX'],
      ['MGET'],
      ['MSET'],
      ['MSET', 'k'],
      ['MSETNX', 'k'],
      ['APPEND', 'k'],
      ['STRLEN'],
      ['GETRANGE', 'k', '0'],
      ['SETRANGE', 'k', '0'],
      ['INCR'],
      ['DECR', 'a', 'b'],
      ['INCRBY', 'k'],
      ['DECRBY', 'k', '1', '2'],
      ['INCRBYFLOAT', 'k'],
    ],
    keys: ['k'],
  },
];

// --- The runner ----------------------------------------------------------------------------------

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

async function exchange(client: RawClient, argv: Argv, where: string): Promise<Buffer> {
  client.send(encode(argv));
  try {
    const [reply] = await client.read(1);
    if (reply === undefined) throw new Error('no reply');
    return reply.bytes;
  } catch (error) {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
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
    const steps: Argv[] = [
      ...script.commands,
      ...(script.keys.length > 0 ? [['DEBUG', 'DIGEST-VALUE', ...script.keys]] : []),
    ];
    for (const [index, argv] of steps.entries()) {
      const where = `step ${index} (${label(argv)})`;
      const expected = await exchange(redis, argv, `redis, ${where}`);
      const actual = await exchange(replisim, argv, `replisim, ${where}`);
      expect(printable(actual), where).toBe(printable(expected));
      // The digests must be real digests, not the same error from both servers.
      if (argv[0] === 'DEBUG') expect(expected[0], where).toBe(0x2a);
    }
  } finally {
    redis.close();
    replisim.close();
  }
}

// --- Propagation ----------------------------------------------------------------------------------

/** Writes whose propagated forms are compared: every write command, in every form it rewrites to. */
const PROPAGATION_SCRIPT: readonly Argv[] = [
  ['SET', 'k', 'v'],
  // An absolute PXAT is rewritten too: upper case, without NX/XX/GET.
  ['SET', 'p1', 'v', 'pxat', '99999999999999'],
  ['SET', 'p2', 'v', 'PXAT', '99999999999999', 'NX', 'GET'],
  ['SET', 'p3', 'v', 'exat', '99999999999'],
  ['SET', 'p4', 'v', 'pXaT', '99999999999999', 'XX'],
  ['SET', 'p1', 'w', 'keepttl'],
  ['SETNX', 'k', 'w'],
  ['SETNX', 'k2', 'w'],
  ['SETEX', 'k', '100', 'v'],
  ['PSETEX', 'k', '100000', 'v'],
  ['SETEX', 'k', '0', 'v'],
  ['GETSET', 'k2', 'x'],
  ['GETEX', 'k2'],
  ['GETEX', 'k2', 'EX', '100'],
  ['GETEX', 'k2', 'PX', '100000'],
  ['GETEX', 'k2', 'EXAT', '99999999999'],
  ['GETEX', 'k2', 'PXAT', '99999999999999'],
  ['GETEX', 'k2', 'PERSIST'],
  ['GETEX', 'k2', 'PERSIST'],
  ['GETEX', 'k2', 'EXAT', '1'],
  ['GETEX', 'nokey', 'EX', '100'],
  ['SET', 'f', '1'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['INCRBYFLOAT', 'f', '3.0e3'],
  ['INCRBYFLOAT', 'f', 'x'],
  ['GETDEL', 'f'],
  ['GETDEL', 'f'],
  ['MSET', 'a', '1', 'b', '2'],
  ['MSETNX', 'a', '1', 'c', '2'],
  ['MSETNX', 'c', '1', 'd', '2'],
  ['APPEND', 'a', 'x'],
  ['APPEND', 'a', ''],
  ['SETRANGE', 'a', '0', 'y'],
  ['SETRANGE', 'a', '0', ''],
  ['SETRANGE', 'zz', '0', ''],
  ['INCR', 'i'],
  ['DECR', 'i'],
  ['INCRBY', 'i', '5'],
  ['DECRBY', 'i', '5'],
  ['INCR', 'a'],
  ['SET', 'done', '1'],
];

const OPTIONS = ['--enable-debug-command', 'yes'] as const;

describe('string commands against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: OPTIONS });
  const pair = (): Ports => servers().ports;

  it('propagates the same forms as Redis to replicas', async () => {
    await expectSamePropagation(servers(), PROPAGATION_SCRIPT);
  });

  describeScriptsPerProtocol(SCRIPTS, pair, (script, protocol) =>
    runScript(script, pair(), protocol),
  );
});
