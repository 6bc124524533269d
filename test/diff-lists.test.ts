/**
 * Differential test of the list commands: replisim must answer exactly as Redis 7.0.15 does.
 *
 * Method: one real redis-server and one in-process replisim node. Each script (a sequence of list
 * commands covering every command, its options, wrong types, bad arguments, negative and huge
 * indexes, empty results and binary values) is sent to both servers on fresh connections, once in
 * RESP2 and once after HELLO 3, and the raw bytes of every reply must be identical. At the end of a
 * script, DEBUG DIGEST-VALUE of the script's keys must be equal too (both servers allow DEBUG from
 * loopback). Blocking commands are covered where the outcome is deterministic: data already
 * present, short timeouts on empty keys (BLPOP k 0.05 replies a null after about 50 ms on both),
 * wrong types and bad timeouts, and scenarios with a second connection that pushes while the
 * first is blocked (FIFO order, chained BLMOVE, pipelined requests behind a blocked one), run
 * against each server in turn and compared reply by reply. Finally, fast-check generates random
 * pipelines of list commands over two keys (with elements from a small pool, so pivots, LREM and
 * LPOS find matches) and both servers must reply the same bytes and end with the same digests.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { type Ports, useServerPair } from './support/server-pair.js';

type Protocol = 2 | 3;
type Arg = string | Buffer;

interface Script {
  readonly name: string;
  readonly steps: readonly (readonly Arg[])[];
  /** Keys whose DEBUG DIGEST-VALUE must match at the end. */
  readonly keys: readonly Arg[];
}

const BIN_KEY = Buffer.from([0xfe, 0x00, 0x0d, 0x0a]);
const BIN_VALUE = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80, 0x20]);
const LONG = 'v'.repeat(300);

const SCRIPTS: readonly Script[] = [
  {
    name: 'LPUSH, RPUSH, LPUSHX, RPUSHX, LLEN',
    keys: ['l', 's', 'x', BIN_KEY],
    steps: [
      ['LPUSH', 'l', 'a', 'b', 'c'],
      ['RPUSH', 'l', 'd', '', LONG],
      ['LRANGE', 'l', '0', '-1'],
      ['LPUSHX', 'x', 'a'],
      ['RPUSHX', 'x', 'a', 'b'],
      ['EXISTS', 'x'],
      ['LPUSHX', 'l', '1', '2'],
      ['RPUSHX', 'l', '3'],
      ['LLEN', 'l'],
      ['LLEN', 'nokey'],
      ['SET', 's', 'str'],
      ['LPUSH', 's', 'a'],
      ['RPUSHX', 's', 'a'],
      ['LLEN', 's'],
      ['RPUSH', 'l'],
      ['LLEN'],
      ['RPUSH', BIN_KEY, BIN_VALUE, BIN_VALUE],
      ['LRANGE', BIN_KEY, '0', '-1'],
    ],
  },
  {
    name: 'LPOP and RPOP with counts',
    keys: ['l', 's'],
    steps: [
      ['LPOP', 'nokey'],
      ['RPOP', 'nokey'],
      ['LPOP', 'nokey', '0'],
      ['RPOP', 'nokey', '5'],
      ['LPOP', 'nokey', '-1'],
      ['LPOP', 'nokey', 'abc'],
      ['LPOP', 'nokey', '9223372036854775808'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'],
      ['LPOP', 'l', '0'],
      ['RPOP', 'l', '-5'],
      ['LPOP', 'l'],
      ['RPOP', 'l'],
      ['LPOP', 'l', '2'],
      ['RPOP', 'l', '1'],
      ['RPOP', 'l', '9223372036854775807'],
      ['EXISTS', 'l'],
      ['LPOP', 'l', '1', '2'],
      ['SET', 's', 'x'],
      ['LPOP', 's'],
      ['RPOP', 's', '0'],
      ['RPOP', 's', '-1'],
    ],
  },
  {
    name: 'LRANGE and LINDEX indexes',
    keys: ['l', 's'],
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['LRANGE', 'l', '0', '0'],
      ['LRANGE', 'l', '-2', '-1'],
      ['LRANGE', 'l', '-100', '100'],
      ['LRANGE', 'l', '3', '1'],
      ['LRANGE', 'l', '5', '10'],
      ['LRANGE', 'l', '-1', '-2'],
      ['LRANGE', 'l', '-9223372036854775808', '9223372036854775807'],
      ['LRANGE', 'l', '0', '9223372036854775808'],
      ['LRANGE', 'l', '1.5', '2'],
      ['LRANGE', 'nokey', '0', '-1'],
      ['LRANGE', 'nokey', 'x', '1'],
      ['SET', 's', 'x'],
      ['LRANGE', 's', '0', '-1'],
      ['LINDEX', 'l', '0'],
      ['LINDEX', 'l', '-1'],
      ['LINDEX', 'l', '-5'],
      ['LINDEX', 'l', '-6'],
      ['LINDEX', 'l', '5'],
      ['LINDEX', 'l', 'x'],
      ['LINDEX', 'nokey', 'x'],
      ['LINDEX', 's', 'x'],
      ['LINDEX', 'l', '99999999999999999999'],
    ],
  },
  {
    name: 'LSET and LINSERT',
    keys: ['l', 's'],
    steps: [
      ['LSET', 'nokey', '0', 'x'],
      ['LSET', 'nokey', 'x', 'x'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LSET', 'l', '3', 'x'],
      ['LSET', 'l', '-4', 'x'],
      ['LSET', 'l', '-3', 'first'],
      ['LSET', 'l', '1', BIN_VALUE],
      ['LSET', 'l', 'x', 'x'],
      ['SET', 's', 'v'],
      ['LSET', 's', 'x', 'x'],
      ['LINSERT', 'l', 'MIDDLE', 'a', 'x'],
      ['LINSERT', 'nokey', 'MIDDLE', 'a', 'x'],
      ['LINSERT', 'nokey', 'BEFORE', 'a', 'x'],
      ['LINSERT', 's', 'AFTER', 'a', 'x'],
      ['LINSERT', 'l', 'before', 'first', 'zero'],
      ['LINSERT', 'l', 'AFTER', 'c', 'last'],
      ['LINSERT', 'l', 'After', BIN_VALUE, 'mid'],
      ['LINSERT', 'l', 'BEFORE', 'nothing', 'x'],
      ['LRANGE', 'l', '0', '-1'],
    ],
  },
  {
    name: 'LREM and LTRIM',
    keys: ['l', 'm', 's'],
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'b', 'a'],
      ['LREM', 'l', 'x', 'a'],
      ['LREM', 'nokey', 'x', 'a'],
      ['LREM', 'nokey', '0', 'a'],
      ['LREM', 'l', '1', 'a'],
      ['LREM', 'l', '-2', 'a'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '0', 'b'],
      ['LREM', 'l', '-9223372036854775808', 'c'],
      ['LREM', 'l', '0', 'a'],
      ['EXISTS', 'l'],
      ['SET', 's', 'v'],
      ['LREM', 's', '0', 'a'],
      ['LTRIM', 'nokey', 'x', '1'],
      ['LTRIM', 's', '0', '1'],
      ['LTRIM', 'nokey', '0', '1'],
      ['RPUSH', 'm', '1', '2', '3', '4', '5', '6'],
      ['LTRIM', 'm', '1', '-2'],
      ['LRANGE', 'm', '0', '-1'],
      ['LTRIM', 'm', '-100', '100'],
      ['LTRIM', 'm', '-2', '-1'],
      ['LRANGE', 'm', '0', '-1'],
      ['LTRIM', 'm', '2', '1'],
      ['EXISTS', 'm'],
    ],
  },
  {
    name: 'LPOS',
    keys: ['l', 's'],
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a'],
      ['LPOS', 'l', 'a'],
      ['LPOS', 'l', 'c'],
      ['LPOS', 'l', 'z'],
      ['LPOS', 'l', 'a', 'RANK', '2'],
      ['LPOS', 'l', 'a', 'RANK', '-1'],
      ['LPOS', 'l', 'a', 'RANK', '-3'],
      ['LPOS', 'l', 'a', 'RANK', '4'],
      ['LPOS', 'l', 'a', 'RANK', '0'],
      ['LPOS', 'l', 'a', 'RANK', '9223372036854775807'],
      ['LPOS', 'l', 'a', 'RANK', '-9223372036854775808'],
      ['LPOS', 'l', 'a', 'RANK', 'x'],
      ['LPOS', 'l', 'a', 'COUNT', '0'],
      ['LPOS', 'l', 'a', 'COUNT', '2'],
      ['LPOS', 'l', 'a', 'COUNT', '2', 'RANK', '-1'],
      ['LPOS', 'l', 'a', 'COUNT', '-1'],
      ['LPOS', 'l', 'a', 'COUNT', 'x'],
      ['LPOS', 'l', 'z', 'COUNT', '1'],
      ['LPOS', 'l', 'a', 'MAXLEN', '3', 'COUNT', '0'],
      ['LPOS', 'l', 'a', 'MAXLEN', '4', 'COUNT', '0', 'RANK', '-1'],
      ['LPOS', 'l', 'a', 'MAXLEN', '-1'],
      ['LPOS', 'l', 'a', 'MAXLEN', 'x'],
      ['LPOS', 'l', 'a', 'maxlen', '0', 'count', '0', 'rank', '1'],
      ['LPOS', 'l', 'a', 'FOO'],
      ['LPOS', 'l', 'a', 'RANK'],
      ['LPOS', 'l', 'a', 'RANK', '0', 'FOO'],
      ['LPOS', 'l', 'a', 'FOO', 'RANK', '0'],
      ['LPOS', 'l', 'a', 'RANK', '0', 'RANK', '1'],
      ['LPOS', 'nokey', 'a'],
      ['LPOS', 'nokey', 'a', 'COUNT', '1'],
      ['LPOS', 'nokey', 'a', 'RANK', '0'],
      ['SET', 's', 'x'],
      ['LPOS', 's', 'a'],
      ['LPOS', 'l'],
    ],
  },
  {
    name: 'LMOVE and RPOPLPUSH',
    keys: ['a', 'b', 's', 'one'],
    steps: [
      ['LMOVE', 'a', 'b', 'UP', 'LEFT'],
      ['LMOVE', 'a', 'b', 'LEFT', 'DOWN'],
      ['LMOVE', 'a', 'b', 'left', 'right'],
      ['RPOPLPUSH', 'a', 'b'],
      ['SET', 's', 'x'],
      ['RPUSH', 'a', '1', '2', '3'],
      ['LMOVE', 'a', 's', 'LEFT', 'LEFT'],
      ['LMOVE', 's', 'a', 'LEFT', 'LEFT'],
      ['RPOPLPUSH', 'a', 's'],
      ['RPOPLPUSH', 's', 'a'],
      ['RPOPLPUSH', 'nokey', 's'],
      ['LMOVE', 'a', 'a', 'LEFT', 'RIGHT'],
      ['LRANGE', 'a', '0', '-1'],
      ['LMOVE', 'a', 'b', 'RIGHT', 'LEFT'],
      ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'a', 'b'],
      ['EXISTS', 'a'],
      ['LRANGE', 'b', '0', '-1'],
      ['RPUSH', 'one', 'x'],
      ['LMOVE', 'one', 'one', 'LEFT', 'LEFT'],
      ['RPOPLPUSH', 'one', 'one'],
      ['LLEN', 'one'],
    ],
  },
  {
    name: 'blocking commands with data present, wrong types and bad timeouts',
    keys: ['l', 'd', 's'],
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
      ['SET', 's', 'x'],
      ['BLPOP', 'l', '0'],
      ['BRPOP', 'nokey', 'l', '0'],
      ['BLPOP', 'nokey', 's', 'l', '0'],
      ['BLPOP', 'nokey', 'l', 's', '1'],
      ['BLMOVE', 'l', 'd', 'left', 'Right', '0'],
      ['BRPOPLPUSH', 'l', 'd', '0'],
      ['BLMOVE', 'l', 's', 'LEFT', 'LEFT', '0'],
      ['BLMOVE', 's', 'd', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 's', 'd', '0'],
      ['BLPOP', 'l', 'abc'],
      ['BLPOP', 'l', '-1'],
      ['BLPOP', 'l', ''],
      ['BLPOP', 'l', ' 1'],
      ['BLPOP', 'l', '1 '],
      ['BLPOP', 'l', 'nan'],
      ['BLPOP', 'l', 'inf'],
      ['BLPOP', 'l', '1e400'],
      ['BLPOP', 'l', '1e5000'],
      ['BLPOP', 'l', '9223372036854775807'],
      ['BLPOP', 's', 'x'],
      ['BLMOVE', 'l', 'd', 'UP', 'LEFT', '0'],
      ['BLMOVE', 'l', 'd', 'LEFT', 'LEFT', 'x'],
      ['BRPOPLPUSH', 'l', 'd', '-0.5'],
      ['BLPOP', 'l'],
      ['BLMOVE', 'l', 'd', 'LEFT', 'LEFT'],
      ['LRANGE', 'd', '0', '-1'],
    ],
  },
  {
    name: 'blocking commands timing out on empty keys',
    keys: ['k', 'd'],
    steps: [
      ['BLPOP', 'k', '0.05'],
      ['BRPOP', 'k', 'k2', '0.05'],
      ['BLMOVE', 'k', 'd', 'LEFT', 'RIGHT', '0.05'],
      ['BRPOPLPUSH', 'k', 'd', '0.01'],
      ['BLPOP', 'k', '0.0001'],
      ['BLPOP', 'k', '+0.02'],
      ['EXISTS', 'k', 'd'],
    ],
  },
];

// --- The runner ----------------------------------------------------------------------------------

function encode(argv: readonly Arg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`, 'latin1')];
  for (const arg of argv) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'latin1') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`, 'latin1'), bytes, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

function label(argv: readonly Arg[]): string {
  return argv.map((arg) => (typeof arg === 'string' ? arg : `<${arg.toString('hex')}>`)).join(' ');
}

function printable(bytes: Buffer): string {
  return JSON.stringify(bytes.toString('latin1'));
}

/** Sends `argv` and returns the reply bytes as printable text. */
async function call(client: RawClient, argv: readonly Arg[]): Promise<string> {
  client.send(encode(argv));
  const [reply] = await client.read(1);
  if (reply === undefined) throw new Error('no reply');
  return printable(reply.bytes);
}

async function runScript(script: Script, pair: Ports, protocol: Protocol): Promise<void> {
  const redis = await RawClient.connect(pair.redis);
  const replisim = await RawClient.connect(pair.replisim);
  try {
    for (const client of [redis, replisim]) {
      await call(client, ['FLUSHALL']);
      if (protocol === 3) await call(client, ['HELLO', '3']);
    }
    for (const [index, argv] of script.steps.entries()) {
      const [expected, actual] = await Promise.all([call(redis, argv), call(replisim, argv)]);
      expect(actual, `step ${index} (${label(argv)})`).toBe(expected);
    }
    for (const key of script.keys) {
      const argv = ['DEBUG', 'DIGEST-VALUE', key];
      const [expected, actual] = await Promise.all([call(redis, argv), call(replisim, argv)]);
      expect(actual, label(argv)).toBe(expected);
      // A real digest (40 hex digits, or 40 zeros for a missing key), not an error on both sides.
      expect(expected).toMatch(/^"\*1\\r\\n\+[0-9a-f]{40}\\r\\n"$/);
    }
  } finally {
    redis.close();
    replisim.close();
  }
}

/** A scenario with several connections, run against one server; it returns what it observed. */
type Scenario = (port: number) => Promise<string[]>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens `count` connections, runs `body`, closes them. The first one flushes the server. */
async function withClients(
  port: number,
  count: number,
  body: (clients: RawClient[]) => Promise<string[]>,
): Promise<string[]> {
  const clients = await Promise.all(Array.from({ length: count }, () => RawClient.connect(port)));
  try {
    const [first] = clients;
    if (first !== undefined) await call(first, ['FLUSHALL']);
    return await body(clients);
  } finally {
    for (const client of clients) client.close();
  }
}

/** Replies that are already there or arrive within `ms`, as printable text. */
async function readAll(client: RawClient, count: number): Promise<string[]> {
  return (await client.read(count)).map((reply) => printable(reply.bytes));
}

/** Waits until `port` reports `count` blocked clients, so the order of blocking is certain. */
async function blockedBecomes(control: RawClient, count: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const info = await call(control, ['INFO', 'clients']);
    if (info.includes(`blocked_clients:${count}\\r\\n`)) return;
    await sleep(5);
  }
  throw new Error(`blocked_clients never reached ${count}`);
}

const SCENARIOS: readonly { readonly name: string; readonly run: Scenario }[] = [
  {
    name: 'a push serves the clients blocked on a key in FIFO order',
    run: (port) =>
      withClients(port, 4, async ([control, a, b, c]) => {
        if (control === undefined || a === undefined || b === undefined || c === undefined) {
          throw new Error('clients');
        }
        a.send(encode(['BLPOP', 'k', '0']));
        await blockedBecomes(control, 1);
        b.send(encode(['BRPOP', 'other', 'k', '0']));
        await blockedBecomes(control, 2);
        c.send(encode(['BLPOP', 'k', '0']));
        await blockedBecomes(control, 3);
        const out = [await call(control, ['RPUSH', 'k', '1', '2'])];
        out.push(...(await readAll(a, 1)), ...(await readAll(b, 1)));
        await blockedBecomes(control, 1);
        out.push(await call(control, ['LPUSH', 'k', '3', '4']));
        out.push(...(await readAll(c, 1)));
        out.push(await call(control, ['LRANGE', 'k', '0', '-1']));
        return out;
      }),
  },
  {
    name: 'chained BLMOVE, wrong-type destination and pipelined requests behind a blocked one',
    run: (port) =>
      withClients(port, 3, async ([control, a, c]) => {
        if (control === undefined || a === undefined || c === undefined) throw new Error('clients');
        a.send(
          Buffer.concat([encode(['BLMOVE', 'l1', 'l2', 'RIGHT', 'LEFT', '0']), encode(['PING'])]),
        );
        await blockedBecomes(control, 1);
        c.send(encode(['BLPOP', 'l2', '0']));
        await blockedBecomes(control, 2);
        const out = [await call(control, ['RPUSH', 'l1', 'hello'])];
        out.push(...(await readAll(a, 2)), ...(await readAll(c, 1)));
        out.push(await call(control, ['EXISTS', 'l1', 'l2']));
        a.send(encode(['BRPOPLPUSH', 'src', 'str', '0']));
        await blockedBecomes(control, 1);
        out.push(await call(control, ['SET', 'str', 'x']));
        out.push(await call(control, ['RPUSH', 'src', 'v']));
        out.push(...(await readAll(a, 1)));
        out.push(await call(control, ['LRANGE', 'src', '0', '-1']));
        return out;
      }),
  },
];

// --- Random pipelines ----------------------------------------------------------------------------

const keyArb = fc.constantFrom('a', 'b');
const elementArb = fc.constantFrom('x', 'y', 'z', '', '\x00\xff');
const indexArb = fc.integer({ min: -6, max: 6 }).map(String);
const endArb = fc.constantFrom('LEFT', 'RIGHT', 'left');
const plainOpArb: fc.Arbitrary<Arg[]> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'),
      keyArb,
      fc.array(elementArb, { minLength: 1, maxLength: 4 }),
    )
    .map(([name, key, values]) => [name, key, ...values]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), keyArb).map(([name, key]) => [name, key]),
  fc
    .tuple(fc.constantFrom('LPOP', 'RPOP'), keyArb, fc.integer({ min: 0, max: 4 }))
    .map(([name, key, count]) => [name, key, String(count)]),
  fc.tuple(keyArb, indexArb, indexArb).map(([key, start, stop]) => ['LRANGE', key, start, stop]),
  fc.tuple(keyArb, indexArb, indexArb).map(([key, start, stop]) => ['LTRIM', key, start, stop]),
  fc.tuple(keyArb, indexArb).map(([key, index]) => ['LINDEX', key, index]),
  fc.tuple(keyArb, indexArb, elementArb).map(([key, index, value]) => ['LSET', key, index, value]),
  fc
    .tuple(keyArb, fc.constantFrom('BEFORE', 'AFTER'), elementArb, elementArb)
    .map(([key, where, pivot, value]) => ['LINSERT', key, where, pivot, value]),
  fc
    .tuple(keyArb, fc.integer({ min: -3, max: 3 }), elementArb)
    .map(([key, count, value]) => ['LREM', key, String(count), value]),
  fc
    .tuple(
      keyArb,
      elementArb,
      fc.integer({ min: -3, max: 3 }).filter((rank) => rank !== 0),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 5 }),
    )
    .map(([key, value, rank, count, maxlen]) => [
      'LPOS',
      key,
      value,
      'RANK',
      String(rank),
      'COUNT',
      String(count),
      'MAXLEN',
      String(maxlen),
    ]),
  fc
    .tuple(keyArb, keyArb, endArb, endArb)
    .map(([source, target, from, to]) => ['LMOVE', source, target, from, to]),
  fc.tuple(keyArb, keyArb).map(([source, target]) => ['RPOPLPUSH', source, target]),
  keyArb.map((key) => ['LLEN', key]),
);

/** Blocking commands on possibly empty keys, with 1 ms timeouts: rarer, as each may wait. */
const blockingOpArb: fc.Arbitrary<Arg[]> = fc.oneof(
  fc
    .tuple(fc.constantFrom('BLPOP', 'BRPOP'), keyArb, keyArb)
    .map(([name, k1, k2]) => [name, k1, k2, '0.001']),
  fc
    .tuple(keyArb, keyArb, endArb, endArb)
    .map(([source, target, from, to]) => ['BLMOVE', source, target, from, to, '0.001']),
);
const opArb: fc.Arbitrary<Arg[]> = fc.oneof(
  { arbitrary: plainOpArb, weight: 15 },
  { arbitrary: blockingOpArb, weight: 1 },
);

/** Sends the whole script as one pipeline and returns every reply as printable text. */
async function pipeline(client: RawClient, script: readonly (readonly Arg[])[]): Promise<string[]> {
  client.send(Buffer.concat(script.map(encode)));
  return (await client.read(script.length)).map((reply) => printable(reply.bytes));
}

// --- The tests -----------------------------------------------------------------------------------

describe('list commands against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'local'] });
  const pair = (): Ports => servers().ports;

  for (const protocol of [2, 3] as const) {
    describe(`RESP${protocol}`, () => {
      for (const script of SCRIPTS) {
        it(script.name, async () => {
          await runScript(script, pair(), protocol);
        });
      }
    });
  }

  it('random pipelines of list commands reply and end the same', async () => {
    const redisClient = await RawClient.connect(pair().redis);
    const replisimClient = await RawClient.connect(pair().replisim);
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
          const script = [['FLUSHALL'], ...ops, ['DEBUG', 'DIGEST-VALUE', 'a', 'b']];
          const [expected, actual] = await Promise.all([
            pipeline(redisClient, script),
            pipeline(replisimClient, script),
          ]);
          expect(actual).toEqual(expected);
        }),
        { numRuns: 40, seed: 20261125 },
      );
    } finally {
      redisClient.close();
      replisimClient.close();
    }
  });

  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const expected = await scenario.run(pair().redis);
      const actual = await scenario.run(pair().replisim);
      expect(actual).toEqual(expected);
    });
  }
});
