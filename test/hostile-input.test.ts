/**
 * Hostile input on real processes (issue 9 items 1 and 5), replisim-server next to redis-server.
 *
 * - Item 1: a client's large bulk is half sent when another client's DEBUG SLEEP pauses the
 *   node; the rest of the bulk, a PING and another PING arrive during the sleep. The process used
 *   to exit with "window must be empty during a fill"; both servers must answer +OK, +PONG, +PONG.
 * - Item 5: peers that send a protocol error and then stay connected (they never close their
 *   side). Both servers answer the error and close; the server's open descriptors must come back
 *   to what they were, which /proc/<pid>/fd shows.
 *
 * Method: the built binary (`npx tsc -b` first) and a real redis-server on OS-picked loopback
 * ports, both with `--enable-debug-command yes`; raw sockets (allowHalfOpen, so a FIN from the
 * server does not close them) send the bytes.
 */
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { type ReplisimProcess, spawnReplisimServer } from './support/replisim-binary.js';

interface Target {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
}

let replisim: ReplisimProcess | undefined;
let redis: RedisServer | undefined;
const targets: Target[] = [];

beforeAll(async () => {
  replisim = await spawnReplisimServer([
    '--port',
    '0',
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--enable-debug-command',
    'yes',
  ]);
  redis = await startRedisServer(['--enable-debug-command', 'yes']);
  targets.push({ name: 'replisim', port: replisim.port, pid: replisim.process.pid });
  targets.push({ name: 'redis', port: redis.port, pid: redis.pid });
});

afterAll(async () => {
  await replisim?.stop('SIGKILL');
  await redis?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` every 20 ms for up to 5 s. */
async function waitFor(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate() && Date.now() < deadline) await sleep(20);
}

function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** A peer that never closes its side: it reads until the server's FIN and keeps the socket. */
interface StubbornPeer {
  readonly socket: Socket;
  readonly received: () => string;
  readonly ended: Promise<void>;
}

function stubbornPeer(port: number): Promise<StubbornPeer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let text = '';
    const ended = new Promise<void>((done) => {
      socket.on('end', () => done());
      socket.on('close', () => done());
    });
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => text, ended }));
    socket.once('error', reject);
  });
}

describe('a bulk completed while the node sleeps (issue 9 item 1)', () => {
  it('both servers answer +OK, +PONG, +PONG and stay up', async () => {
    for (const target of targets) {
      const writer = await RawClient.connect(target.port);
      const sleeper = await RawClient.connect(target.port);
      try {
        writer.send(
          Buffer.concat([
            Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n'),
            Buffer.alloc(1000, 0x76),
          ]),
        );
        await sleep(50);
        sleeper.command('DEBUG', 'SLEEP', '1');
        await sleep(100);
        writer.send(Buffer.concat([Buffer.alloc(99_000, 0x76), Buffer.from('\r\nPING\r\n')]));
        await sleep(100);
        writer.send('PING\r\n');
        const replies = await writer.read(3, 5000);
        expect(
          replies.map((reply) => reply.bytes.toString()),
          target.name,
        ).toEqual(['+OK\r\n', '+PONG\r\n', '+PONG\r\n']);
        expect((await sleeper.read(1, 5000))[0]?.bytes.toString()).toBe('+OK\r\n');
        expect((await writer.call('STRLEN', 'k')).bytes.toString()).toBe(':100000\r\n');
      } finally {
        writer.close();
        sleeper.close();
      }
    }
  });
});

describe('peers that stay connected after a protocol error (issue 9 item 5)', () => {
  it('both servers answer the error, close, and release the descriptors', async () => {
    const replies = new Map<string, string[]>();
    for (const target of targets) {
      const before = openDescriptors(target.pid);
      const peers: StubbornPeer[] = [];
      try {
        for (let i = 0; i < 50; i++) peers.push(await stubbornPeer(target.port));
        // The server accepts asynchronously: wait until it holds all 50.
        await waitFor(() => openDescriptors(target.pid) >= before + 50);
        expect(openDescriptors(target.pid)).toBeGreaterThanOrEqual(before + 50);
        for (const peer of peers) peer.socket.write('*1\r\nx\r\n');
        await Promise.all(peers.map((peer) => peer.ended));
        // The server closed: its descriptors are back to what they were, the peers still open.
        await waitFor(() => openDescriptors(target.pid) <= before);
        expect(openDescriptors(target.pid), target.name).toBeLessThanOrEqual(before);
        expect(peers.every((peer) => !peer.socket.destroyed)).toBe(true);
        replies.set(target.name, [...new Set(peers.map((peer) => peer.received()))]);
        const client = await RawClient.connect(target.port);
        const list = (await client.call('CLIENT', 'LIST')).value;
        client.close();
        expect(list.kind === 'bulk' && list.value.toString().trim().split('\n')).toHaveLength(1);
      } finally {
        for (const peer of peers) peer.socket.destroy();
      }
    }
    expect(replies.get('replisim')).toEqual(["-ERR Protocol error: expected '$', got 'x'\r\n"]);
    expect(replies.get('replisim')).toEqual(replies.get('redis'));
  });
});
