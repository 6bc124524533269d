/**
 * Reading what a server propagates, for differential tests of the replication stream: SyncReader
 * attaches to a real redis-server as a replica (SYNC) and collects the command stream after the RDB
 * payload; streamCommands decodes a stream into argv lines without SELECT and PING; and
 * expectSameCommands compares two of them, treating 13-digit arguments as deadlines that may differ
 * by the few seconds between the two servers' runs; capturePropagation records what both servers
 * of a differential pair propagate while a test runs its writes; expectSamePropagation runs a
 * script on both and requires the same replies and the same propagated commands.
 */
import { connect, type Socket } from 'node:net';
import { RespDecoder } from '@replisim/protocol';
import { expect } from 'vitest';
import { RawClient } from './raw-client.js';
import { flushBoth, type ServerPair } from './server-pair.js';

/** Parses a replication stream into commands, without SELECT and PING. */
export function streamCommands(bytes: Buffer): string[][] {
  const decoder = new RespDecoder();
  decoder.feed(bytes);
  const commands: string[][] = [];
  for (;;) {
    const result = decoder.next();
    if (result.kind !== 'value') break;
    const value = result.value;
    if (value.kind !== 'array') throw new Error(`stream entry is ${value.kind}`);
    const argv = value.items.map((item) =>
      item.kind === 'bulk' ? item.value.toString('latin1') : `<${item.kind}>`,
    );
    const name = argv[0]?.toUpperCase();
    if (name !== 'SELECT' && name !== 'PING') commands.push(argv);
  }
  return commands;
}

/** Attaches to redis-server as a replica (SYNC) and collects the stream after the RDB payload. */
export class SyncReader {
  private readonly socket: Socket;
  private received: Buffer = Buffer.alloc(0);

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
    });
    socket.on('error', () => {});
  }

  static async attach(port: number): Promise<SyncReader> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('error', reject);
      s.once('connect', () => resolve(s));
    });
    const reader = new SyncReader(socket);
    socket.write('SYNC\r\n');
    await reader.waitFor(() => reader.payloadEnd() !== undefined);
    return reader;
  }

  /** The offset just past the `$<len>\r\n<rdb>` payload (after any newline keepalives). */
  payloadEnd(): number | undefined {
    let start = 0;
    while (this.received[start] === 0x0a) start++;
    const header = /^\$(\d+)\r\n/.exec(
      this.received.subarray(start, start + 32).toString('latin1'),
    );
    if (header === null || header[1] === undefined) return undefined;
    const end = start + header[0].length + Number(header[1]);
    return this.received.length >= end ? end : undefined;
  }

  stream(): Buffer {
    return this.received.subarray(this.payloadEnd() ?? this.received.length);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the replication stream');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Compares two propagated command lists; 13-digit arguments are deadlines, equal within 5 s. */
export function expectSameCommands(actual: string[][], expected: string[][]): void {
  const mask = (commands: string[][]) =>
    commands.map((argv) => argv.map((arg) => (/^\d{13}$/.test(arg) ? '<deadline>' : arg)));
  expect(mask(actual)).toEqual(mask(expected));
  for (const [i, argv] of expected.entries()) {
    for (const [j, arg] of argv.entries()) {
      const ours = actual[i]?.[j];
      if (/^\d{13}$/.test(arg) && ours !== undefined) {
        expect(Math.abs(Number(ours) - Number(arg)), `${argv.join(' ')}`).toBeLessThan(5000);
      }
    }
  }
}

/** What each server of a pair propagated, as commands without SELECT and PING. */
export interface PropagatedCommands {
  readonly redis: string[][];
  readonly replisim: string[][];
}

/**
 * Attaches to Redis as a replica and subscribes to replisim's propagation log, runs `action` (the
 * writes, on both servers), then waits until Redis's stream holds `marker` (bytes of the action's
 * last write, so nothing is still on its way) and returns both streams.
 */
export async function capturePropagation(
  servers: ServerPair,
  marker: string,
  action: () => Promise<void>,
): Promise<PropagatedCommands> {
  const sync = await SyncReader.attach(servers.redis.port);
  const ours: Buffer[] = [];
  const unsubscribe = servers.replisim.node.propagation.subscribe((chunk) =>
    ours.push(chunk.bytes),
  );
  try {
    await action();
    await sync.waitFor(() => sync.stream().includes(marker));
    return {
      redis: streamCommands(sync.stream()),
      replisim: streamCommands(Buffer.concat(ours)),
    };
  } finally {
    unsubscribe();
    sync.close();
  }
}

/** The marker every propagation script ends with (`SET done 1`), as it appears in a stream. */
const DONE_MARKER = '$4\r\ndone\r\n';

/**
 * Flushes both servers, sends `script` (which must end with `SET done 1`) to each, one command at a
 * time, requires byte-identical replies, and then the same propagated commands. Returns both
 * streams for checks of their own (a rewrite really happened, not just two empty streams).
 */
export async function expectSamePropagation(
  servers: ServerPair,
  script: readonly (readonly (string | Buffer)[])[],
): Promise<PropagatedCommands> {
  const ports = { redis: servers.redis.port, replisim: servers.replisim.port };
  await flushBoth(ports);
  const [redisClient, replisimClient] = await Promise.all([
    RawClient.connect(ports.redis),
    RawClient.connect(ports.replisim),
  ]);
  try {
    const streams = await capturePropagation(servers, DONE_MARKER, async () => {
      for (const argv of script) {
        const expected = await redisClient.call(...argv);
        const actual = await replisimClient.call(...argv);
        const where = argv
          .map((arg) => (typeof arg === 'string' ? arg : `<${arg.toString('hex')}>`))
          .join(' ');
        expect(actual.bytes.toString('latin1'), where).toBe(expected.bytes.toString('latin1'));
      }
    });
    expectSameCommands(streams.replisim, streams.redis);
    return streams;
  } finally {
    redisClient.close();
    replisimClient.close();
  }
}
