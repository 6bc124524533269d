/**
 * Differential test of transactions (MULTI EXEC DISCARD WATCH UNWATCH): replisim must answer exactly
 * as Redis 7.0.15 does, and propagate the same MULTI ... EXEC blocks.
 *
 * Method: one real redis-server (with an append-only file, `appendfsync always`, so its propagation
 * stream is on disk when a reply arrives) and one in-process replisim node, both with active expiry
 * off (keys expire lazily, when a command touches them, at the same point on both servers). Each script is a list of
 * commands for two connections per server (client 0 runs the transaction, client 1 interferes) and
 * pauses (for expiry); it runs in RESP2 and in RESP3 (both connections say HELLO 3), and every reply
 * must be byte-identical. Each command goes to both servers at once, so they see it at the same
 * moment relative to the TTLs. After each script, the bytes Redis appended to its AOF during the script
 * must equal the bytes replisim's propagation stream emitted, with PXAT instants masked (the two
 * servers' clocks differ by a few ms).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { flushBoth, type ServerPair, useServerPair } from './support/server-pair.js';

type Step =
  | { readonly kind: 'send'; readonly client: 0 | 1; readonly argv: readonly string[] }
  | { readonly kind: 'sleep'; readonly ms: number };

interface Script {
  readonly name: string;
  readonly steps: readonly Step[];
  /** Client 0's connection is closed by the server at the end (QUIT). */
  readonly closes?: boolean;
}

/** A command on client 0 (the transaction's client). */
const c = (...argv: string[]): Step => ({ kind: 'send', client: 0, argv });
/** A command on client 1 (another client changing keys). */
const other = (...argv: string[]): Step => ({ kind: 'send', client: 1, argv });
const sleep = (ms: number): Step => ({ kind: 'sleep', ms });
const tx = (...commands: string[][]): Step[] => [
  c('MULTI'),
  ...commands.map((argv) => c(...argv)),
  c('EXEC'),
];

const SCRIPTS: readonly Script[] = [
  {
    name: 'MULTI ... EXEC runs the queue; empty EXEC; DISCARD drops it',
    steps: [
      ...tx(['SET', 'a', '1'], ['GET', 'a'], ['EXISTS', 'a', 'b'], ['DEL', 'a'], ['PING']),
      ...tx(),
      c('MULTI'),
      c('SET', 'd', '1'),
      other('EXISTS', 'd'),
      c('DISCARD'),
      c('EXISTS', 'd'),
      ...tx(['ECHO', 'x'], ['DBSIZE'], ['SET', 'e', 'v', 'PX', '100000'], ['SET', 'f', 'w']),
    ],
  },
  {
    name: 'misplaced transaction commands and their arity errors',
    steps: [
      c('EXEC'),
      c('DISCARD'),
      c('MULTI', 'x'),
      c('DISCARD', 'x'),
      c('UNWATCH', 'x'),
      c('WATCH'),
      c('MULTI'),
      c('MULTI'),
      c('WATCH', 'k'),
      c('SET', 'k', '1'),
      c('EXEC'),
      c('MULTI'),
      c('SET', 'k', '2'),
      c('EXEC', 'x'),
      c('EXEC'),
      c('EXEC', 'x'),
      c('GET', 'k'),
    ],
  },
  {
    name: 'queue-time errors abort: unknown command, arity, WATCH without keys',
    steps: [
      c('MULTI'),
      c('SET', 'a', '1'),
      c('NOSUCH', 'x', 'y'),
      c('SET', 'b', '1'),
      c('EXEC'),
      c('EXISTS', 'a', 'b'),
      c('MULTI'),
      c('GET'),
      c('EXEC'),
      c('MULTI'),
      c('WATCH'),
      c('PING'),
      c('EXEC'),
      c('MULTI'),
      c('CONFIG', 'NOSUCH'),
      c('EXEC'),
    ],
  },
  {
    name: 'errors of queued commands are elements of the EXEC array',
    steps: [
      ...tx(
        ['SET', 'k', 'v', 'EX', 'soon'],
        ['SET', 'k', 'v', 'PX', '0'],
        ['SET', 'k', 'v', 'NX', 'XX'],
        ['SELECT', '99'],
        ['SELECT', 'x'],
        ['SET', 'k', 'ok'],
        ['GET', 'k'],
      ),
    ],
  },
  {
    name: 'blocking commands inside a transaction do not block',
    steps: [
      ...tx(
        ['BLPOP', 'empty', '0'],
        ['BRPOP', 'empty', 'other', '0'],
        ['BLMOVE', 'empty', 'd', 'LEFT', 'RIGHT', '0'],
        ['BRPOPLPUSH', 'empty', 'd', '0'],
        ['RPUSH', 'l', 'x', 'y'],
        ['BLPOP', 'l', '0'],
        ['BLMOVE', 'l', 'd', 'LEFT', 'RIGHT', '0'],
      ),
      c('LRANGE', 'd', '0', '-1'),
    ],
  },
  {
    name: 'SELECT inside a transaction, and propagation across databases',
    steps: [
      ...tx(['SELECT', '1'], ['SET', 'z', '1'], ['SELECT', '2'], ['SET', 'z', '2']),
      c('GET', 'z'),
      c('SELECT', '0'),
      ...tx(['SET', 'a', '1']),
      ...tx(['SET', 'a', '2'], ['SET', 'b', '3'], ['GET', 'a']),
      ...tx(['GET', 'a']),
      c('SELECT', '3'),
      ...tx(['SET', 'x', '1'], ['SELECT', '0'], ['SET', 'x', '2']),
    ],
  },
  {
    name: 'WATCH: another client changes a key, or nothing changes',
    steps: [
      c('SET', 'k', '1'),
      c('WATCH', 'a', 'k'),
      other('SET', 'k', '2'),
      ...tx(['SET', 'k', 'mine']),
      c('GET', 'k'),
      c('WATCH', 'k', 'missing'),
      other('GET', 'k'),
      other('DEL', 'missing'),
      other('SET', 'unrelated', '1'),
      ...tx(['SET', 'k', 'mine']),
      c('WATCH', 'k'),
      other('DEL', 'k'),
      ...tx(['PING']),
      c('WATCH', 'k'),
      other('SET', 'k', 'x'),
      c('UNWATCH'),
      ...tx(['PING']),
      c('WATCH', 'k'),
      other('SET', 'k', 'y'),
      c('MULTI'),
      c('SET', 'k', 'z'),
      c('DISCARD'),
      ...tx(['PING']),
    ],
  },
  {
    name: 'WATCH: the client itself, a dirty queue, UNWATCH queued, WATCH in another database',
    steps: [
      c('WATCH', 'k'),
      c('SET', 'k', '1'),
      c('MULTI'),
      c('SET', 'k', '2'),
      c('NOSUCH'),
      c('EXEC'),
      c('WATCH', 'k'),
      c('SET', 'k', '1'),
      ...tx(['GET', 'k']),
      c('WATCH', 'k'),
      c('MULTI'),
      c('UNWATCH'),
      other('SET', 'k', '3'),
      c('EXEC'),
      c('SELECT', '1'),
      c('WATCH', 'k'),
      other('SET', 'k', '4'),
      ...tx(['PING']),
      other('SELECT', '1'),
      other('SET', 'k', '5'),
      ...tx(['PING']),
    ],
  },
  {
    name: 'WATCH and FLUSHALL / FLUSHDB',
    steps: [
      c('WATCH', 'missing'),
      other('FLUSHALL'),
      ...tx(['PING']),
      c('SET', 'k', '1'),
      c('WATCH', 'k'),
      other('FLUSHALL'),
      ...tx(['PING']),
      c('SET', 'k', '1'),
      c('WATCH', 'k'),
      other('SELECT', '1'),
      other('FLUSHDB'),
      ...tx(['PING']),
      other('SELECT', '0'),
      other('FLUSHDB'),
      ...tx(['PING']),
    ],
  },
  {
    name: 'WATCH and expiry: expired since WATCH, already expired at WATCH',
    steps: [
      c('SET', 'k', 'v', 'PX', '50'),
      c('WATCH', 'k'),
      sleep(100),
      ...tx(['PING']),
      c('SET', 'k', 'v', 'PX', '50'),
      c('WATCH', 'k'),
      sleep(100),
      other('GET', 'k'),
      ...tx(['PING']),
      c('SET', 'k', 'v', 'PX', '50'),
      sleep(100),
      c('WATCH', 'k'),
      ...tx(['PING']),
      c('SET', 'k', 'v', 'PX', '50'),
      sleep(100),
      c('WATCH', 'k'),
      other('EXISTS', 'k'),
      ...tx(['PING']),
      c('SET', 'k', 'v', 'PX', '50'),
      sleep(100),
      c('WATCH', 'k'),
      other('SET', 'k', 'new'),
      ...tx(['PING']),
      c('SET', 'k', 'v', 'PX', '50'),
      sleep(100),
      c('WATCH', 'k'),
      other('FLUSHALL'),
      ...tx(['PING']),
      c('SET', 'k', 'v', 'PX', '50'),
      c('SET', 'j', 'v', 'PX', '50'),
      sleep(100),
      ...tx(['GET', 'k'], ['SET', 'n', '1'], ['EXISTS', 'j']),
    ],
  },
  {
    name: 'QUIT inside MULTI closes and runs nothing',
    steps: [c('MULTI'), c('SET', 'q', '1'), other('EXISTS', 'q'), c('QUIT')],
    closes: true,
  },
];

/** The pipelined script: sent as one write, replies compared together. */
const PIPELINE: readonly string[][] = [
  ['MULTI'],
  ['SET', 'p', '1'],
  ['NOSUCH'],
  ['EXEC'],
  ['MULTI'],
  ['SET', 'p', '2'],
  ['GET', 'p'],
  ['EXEC'],
  ['WATCH', 'p'],
  ['SET', 'p', '3'],
  ['MULTI'],
  ['GET', 'p'],
  ['EXEC'],
];

// --- The runner ----------------------------------------------------------------------------------

type Protocol = 2 | 3;

function printable(bytes: Buffer): string {
  return JSON.stringify(bytes.toString('latin1'));
}

/** PXAT instants differ between the servers by the few ms between their clocks. */
function maskInstants(stream: string): string {
  return stream.replace(/(\$4\r\nPXAT\r\n)\$\d+\r\n\d+\r\n/gi, '$1<ms>');
}

/** Redis's AOF (multi-part, 7.0): the increment file's bytes so far. */
function aofBytes(dir: string): Buffer {
  const aofDir = join(dir, 'appendonlydir');
  const incr = readdirSync(aofDir).find((name) => name.endsWith('.incr.aof'));
  if (incr === undefined) throw new Error('no incremental AOF file');
  return readFileSync(join(aofDir, incr));
}

async function connectPair(port: number, protocol: Protocol): Promise<[RawClient, RawClient]> {
  const clients: [RawClient, RawClient] = [
    await RawClient.connect(port),
    await RawClient.connect(port),
  ];
  if (protocol === 3) for (const client of clients) await client.call('HELLO', '3');
  return clients;
}

/** Runs `action` and returns what each server propagated meanwhile. */
async function withStreams(
  servers: ServerPair,
  action: () => Promise<void>,
): Promise<{ redis: string; replisim: string }> {
  const aofBefore = aofBytes(servers.redis.dir).length;
  const chunks: Buffer[] = [];
  const unsubscribe = servers.replisim.node.propagation.subscribe((chunk) =>
    chunks.push(chunk.bytes),
  );
  try {
    await action();
  } finally {
    unsubscribe();
  }
  return {
    redis: maskInstants(aofBytes(servers.redis.dir).subarray(aofBefore).toString('latin1')),
    replisim: maskInstants(Buffer.concat(chunks).toString('latin1')),
  };
}

async function runScript(script: Script, servers: ServerPair, protocol: Protocol): Promise<void> {
  const redis = await connectPair(servers.redis.port, protocol);
  const replisim = await connectPair(servers.replisim.port, protocol);
  try {
    const streams = await withStreams(servers, async () => {
      for (const [index, step] of script.steps.entries()) {
        if (step.kind === 'sleep') {
          await new Promise((resolve) => setTimeout(resolve, step.ms));
          continue;
        }
        const label = `step ${index} (client ${step.client}: ${step.argv.join(' ')})`;
        // Both at once: a stall of this process delays both servers alike (expiry cases).
        const [expected, actual] = await Promise.all([
          redis[step.client].call(...step.argv),
          replisim[step.client].call(...step.argv),
        ]);
        expect(printable(actual.bytes), label).toBe(printable(expected.bytes));
      }
    });
    expect(streams.replisim, 'propagated stream').toBe(streams.redis);
    if (script.closes === true) {
      expect(await redis[0].waitClosed(), 'redis closes').toBe(true);
      expect(await replisim[0].waitClosed(), 'replisim closes').toBe(true);
    }
  } finally {
    for (const client of [...redis, ...replisim]) client.close();
  }
}

async function runPipeline(servers: ServerPair, protocol: Protocol): Promise<void> {
  const redis = await connectPair(servers.redis.port, protocol);
  const replisim = await connectPair(servers.replisim.port, protocol);
  try {
    const replies: string[][] = [];
    for (const [client] of [redis, replisim]) {
      for (const argv of PIPELINE) client.command(...argv);
      replies.push((await client.read(PIPELINE.length)).map((reply) => printable(reply.bytes)));
    }
    expect(replies[1]).toEqual(replies[0]);
  } finally {
    for (const client of [...redis, ...replisim]) client.close();
  }
}

describe('transactions against redis-server 7.0.15', () => {
  // Redis writes an AOF (fsync always) that withStreams reads as its propagated stream.
  const servers = useServerPair({
    both: ['--enable-debug-command', 'yes'],
    redis: ['--appendonly', 'yes', '--appendfsync', 'always'],
  });

  beforeAll(async () => {
    // Keys expire lazily only, on both servers: Redis's active expiry cycle would delete them (and
    // propagate DELs) at times of its own. replisim turns its own off too.
    for (const port of [servers().ports.redis, servers().ports.replisim]) {
      const client = await RawClient.connect(port);
      await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      client.close();
    }
  });

  for (const protocol of [2, 3] as const) {
    describe(`RESP${protocol}`, () => {
      for (const script of SCRIPTS) {
        it(script.name, async () => {
          await flushBoth(servers().ports);
          await runScript(script, servers(), protocol);
        });
      }
      it('transactions pipelined in one write', async () => {
        await flushBoth(servers().ports);
        await runPipeline(servers(), protocol);
      });
    });
  }
});
