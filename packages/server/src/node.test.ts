/**
 * ServerNode in the simulator: how it serves a connection. Requests pipelined in one write must
 * get exactly the right reply bytes however the network splits and joins them; QUIT and protocol
 * errors close the connection after their reply and run nothing that follows; start and stop
 * behave as redis-server's listen and shutdown.
 *
 * Method: a SimWorld with a server host and a client host. The network fragments heavily (a small
 * chunk size, a high cut chance). The pipelining property is checked with fast-check: random
 * scripts of SET/GET/DEL/EXISTS/DBSIZE/SELECT/ECHO/PING/HELLO/unknown commands, with random binary
 * keys and values, are sent as one write, and the reply bytes are compared with what a small model
 * of the keyspace predicts, spelled out in RESP2 and RESP3 by hand (not by the codec under test).
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerNode } from './node.js';
import { SimClient } from './testing/sim-client.js';
import { SIM_SERVER_PORT, startSimServer } from './testing/sim-server.js';

// --- Expected replies, written out by hand ------------------------------------------------------

type Protocol = 2 | 3;

const simple = (text: string): string => `+${text}\r\n`;
const integer = (n: number): string => `:${n}\r\n`;
const bulk = (bytes: Buffer): string => `$${bytes.length}\r\n${bytes.toString('latin1')}\r\n`;
const nullBulk = (protocol: Protocol): string => (protocol === 3 ? '_\r\n' : '$-1\r\n');
const error = (text: string): string => `-${text}\r\n`;

function helloReply(protocol: Protocol, clientId: number): string {
  const fields: [string, string][] = [
    ['server', bulk(Buffer.from('redis'))],
    ['version', bulk(Buffer.from('7.0.15'))],
    ['proto', integer(protocol)],
    ['id', integer(clientId)],
    ['mode', bulk(Buffer.from('standalone'))],
    ['role', bulk(Buffer.from('master'))],
    ['modules', '*0\r\n'],
  ];
  const header = protocol === 3 ? `%${fields.length}\r\n` : `*${fields.length * 2}\r\n`;
  return header + fields.map(([key, value]) => bulk(Buffer.from(key)) + value).join('');
}

// --- The model ----------------------------------------------------------------------------------

type Op =
  | { readonly kind: 'set'; readonly key: Buffer; readonly value: Buffer }
  | { readonly kind: 'get'; readonly key: Buffer }
  | { readonly kind: 'del'; readonly keys: readonly Buffer[] }
  | { readonly kind: 'exists'; readonly keys: readonly Buffer[] }
  | { readonly kind: 'dbsize' }
  | { readonly kind: 'select'; readonly db: number }
  | { readonly kind: 'echo'; readonly message: Buffer }
  | { readonly kind: 'ping' }
  | { readonly kind: 'hello'; readonly protocol: Protocol }
  | { readonly kind: 'unknown'; readonly name: string };

/** Keys from a small pool (with a CRLF and a high byte in them), so operations collide. */
const keyArb = fc.constantFrom(
  ...['a', 'b', 'key\r\n', 'k\xff\x00'].map((key) => Buffer.from(key, 'latin1')),
);
const bytesArb = (maxLength: number) =>
  fc.uint8Array({ maxLength }).map((bytes) => Buffer.from(bytes));

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: bytesArb(300) }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('get' as const), key: keyArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('del' as const),
      keys: fc.array(keyArb, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('exists' as const),
      keys: fc.array(keyArb, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'dbsize' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('select' as const),
      db: fc.integer({ min: 0, max: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('echo' as const), message: bytesArb(3000) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'ping' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('hello' as const),
      protocol: fc.constantFrom<Protocol>(2, 3),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unknown' as const),
      name: fc.constantFrom('nosuch', 'GETT'),
    }),
  },
);

function argvOf(op: Op): (string | Buffer)[] {
  switch (op.kind) {
    case 'set':
      return ['SET', op.key, op.value];
    case 'get':
      return ['GET', op.key];
    case 'del':
      return ['DEL', ...op.keys];
    case 'exists':
      return ['EXISTS', ...op.keys];
    case 'dbsize':
      return ['DBSIZE'];
    case 'select':
      return ['SELECT', String(op.db)];
    case 'echo':
      return ['ECHO', op.message];
    case 'ping':
      return ['PING'];
    case 'hello':
      return ['HELLO', String(op.protocol)];
    case 'unknown':
      return [op.name, 'x'];
  }
}

/** Runs `ops` against a model of databases 0-2 and returns the expected reply bytes. */
function expectedReplies(ops: readonly Op[], clientId: number): string {
  const dbs = [new Map<string, Buffer>(), new Map<string, Buffer>(), new Map<string, Buffer>()];
  let db = 0;
  let protocol: Protocol = 2;
  const current = (): Map<string, Buffer> => dbs[db] ?? new Map();
  let out = '';
  for (const op of ops) {
    switch (op.kind) {
      case 'set':
        current().set(op.key.toString('latin1'), op.value);
        out += simple('OK');
        break;
      case 'get': {
        const value = current().get(op.key.toString('latin1'));
        out += value === undefined ? nullBulk(protocol) : bulk(value);
        break;
      }
      case 'del': {
        let deleted = 0;
        for (const key of op.keys) if (current().delete(key.toString('latin1'))) deleted++;
        out += integer(deleted);
        break;
      }
      case 'exists':
        out += integer(op.keys.filter((key) => current().has(key.toString('latin1'))).length);
        break;
      case 'dbsize':
        out += integer(current().size);
        break;
      case 'select':
        db = op.db;
        out += simple('OK');
        break;
      case 'echo':
        out += bulk(op.message);
        break;
      case 'ping':
        out += simple('PONG');
        break;
      case 'hello':
        protocol = op.protocol;
        out += helloReply(protocol, clientId);
        break;
      case 'unknown':
        out += error(`ERR unknown command '${op.name}', with args beginning with: 'x' `);
        break;
    }
  }
  return out;
}

// --- The tests ----------------------------------------------------------------------------------

describe('a pipeline in one write', () => {
  it('gets exactly the modelled reply bytes, however the network splits the stream', () => {
    const details = fc.check(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        (ops, seed, chunkBytesMax, fragmentChance) => {
          const { world, node } = startSimServer({
            seed,
            options: ['--databases', '3'],
            network: { chunkBytesMax, fragmentChance },
          });
          const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
          client.pipeline(ops.map(argvOf));
          const replies = client.read(ops.length, 10_000);
          const received = Buffer.concat(replies.map((reply) => reply.bytes)).toString('latin1');
          expect(received).toBe(expectedReplies(ops, 1));
          expect(client.unread()).toEqual([]);
          expect(client.closed).toBe(false);
          expect(node.stats.commandsProcessed).toBe(
            ops.length - ops.filter((op) => op.kind === 'unknown').length,
          );
          node.stop();
        },
      ),
      { numRuns: 60 },
    );
    // The report names the seed and the shrunk counterexample, so a failure can be replayed.
    expect(details.failed, fc.defaultReportMessage(details)).toBe(false);
  });

  it('answers a request that arrives one byte at a time', () => {
    const { world } = startSimServer({ seed: 1, network: { chunkBytesMax: 1, fragmentChance: 1 } });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    client.send('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\nGET k\r\n*1\r\n$4\r\nPING\r\n');
    expect(client.read(3).map((reply) => reply.bytes.toString())).toEqual([
      '+OK\r\n',
      '$5\r\nhello\r\n',
      '+PONG\r\n',
    ]);
  });
});

describe('closing replies', () => {
  it('QUIT replies +OK, closes, and ignores pipelined commands after it', () => {
    const { world, node } = startSimServer({
      seed: 2,
      network: { fragmentChance: 0.9, chunkBytesMax: 5 },
    });
    const clientHost = world.addHost('client', '10.0.0.2');
    const client = SimClient.open(world, clientHost);
    client.pipeline([['PING'], ['QUIT'], ['SET', 'after', 'quit'], ['PING']]);
    expect(client.read(2).map((reply) => reply.bytes.toString())).toEqual(['+PONG\r\n', '+OK\r\n']);
    expect(client.waitClosed()).toBe(true);
    expect(client.closeError).toBeUndefined();
    expect(client.unread()).toEqual([]);
    const other = SimClient.open(world, clientHost);
    expect(other.call('EXISTS', 'after')).toBe(':0\r\n');
    expect(node.clients.size).toBe(1);
  });

  const protocolErrors: [string, string][] = [
    ['*abc\r\n', 'ERR Protocol error: invalid multibulk length'],
    ['*1\r\n$-5\r\n', 'ERR Protocol error: invalid bulk length'],
    ['*1\r\nfoo\r\n', "ERR Protocol error: expected '$', got 'f'"],
    ['ECHO "abc\r\n', 'ERR Protocol error: unbalanced quotes in request'],
    [`PING ${'a'.repeat(70 * 1024)}`, 'ERR Protocol error: too big inline request'],
    ['*1\r\n$536870913\r\n', 'ERR Protocol error: invalid bulk length'],
  ];
  for (const [input, message] of protocolErrors) {
    it(`a protocol error replies and closes: ${message}`, () => {
      const { world, node, logs } = startSimServer({
        seed: 3,
        network: { fragmentChance: 0.9, chunkBytesMax: 7 },
      });
      const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
      client.send(`PING\r\n${input}PING\r\n`);
      expect(client.read(2).map((reply) => reply.bytes.toString())).toEqual([
        '+PONG\r\n',
        `-${message}\r\n`,
      ]);
      expect(client.waitClosed()).toBe(true);
      expect(client.unread()).toEqual([]);
      expect(node.clients.size).toBe(0);
      expect(node.stats.errorReplies).toBe(1);
      // Redis logs protocol errors at verbose level, which the default loglevel hides.
      expect(logs.some((line) => line.includes('Protocol error'))).toBe(false);
    });
  }
});

describe('lifecycle', () => {
  it('stop() closes every client and the listener', () => {
    const { world, node } = startSimServer({ seed: 4 });
    const clientHost = world.addHost('client', '10.0.0.2');
    const clients = [SimClient.open(world, clientHost), SimClient.open(world, clientHost)];
    expect(clients[0]?.call('PING')).toBe('+PONG\r\n');
    expect(node.clients.size).toBe(2);
    node.stop();
    for (const client of clients) expect(client.waitClosed()).toBe(true);
    expect(node.clients.size).toBe(0);
    let refused = '';
    clientHost.env.network.connect('10.0.0.1', SIM_SERVER_PORT, (result) => {
      refused = result.ok ? 'connected' : result.error.code;
    });
    world.runFor(100);
    expect(refused).toBe('ECONNREFUSED');
  });

  it('fails to start on a port in use, with redis-server messages', () => {
    const { world, host, node } = startSimServer({ seed: 5 });
    const logs: string[] = [];
    const second = new ServerNode({
      env: host.env,
      config: { ...node.config, bind: ['0.0.0.0'] },
      logSink: (line) => logs.push(line),
      pid: 1,
    });
    let message = '';
    second.start((result) => {
      message = result.ok ? 'started' : result.message;
    });
    world.runFor(10);
    expect(message).toBe(`Failed listening on port ${SIM_SERVER_PORT} (TCP), aborting.`);
    expect(
      logs.some((line) =>
        line.endsWith(
          `# Warning: Could not create server TCP listening socket 0.0.0.0:${SIM_SERVER_PORT}: bind: Address already in use`,
        ),
      ),
    ).toBe(true);
  });
});
