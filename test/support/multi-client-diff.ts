/**
 * A differential script runner for commands that involve several connections (Pub/Sub, blocking
 * pops): each step sends one command on one of three connections to a real redis-server and to
 * replisim, reads the number of replies it announces there, and compares the bytes. Then every
 * other connection that is not waiting (in MULTI, blocked) is synchronised with `PING <marker>`:
 * what it received meanwhile (messages, a reply that unblocked it), up to the PING's answer, must
 * be identical too.
 *
 * A `blocks` step sends a command that blocks: nothing is read, and the runner waits until both
 * servers report one more blocked client, so the order in which clients block is the same on
 * both. A later step lists in `wakes` the connections it unblocks; their pending reply is then
 * read with the next synchronisation. `sorted` steps compare replies whose order is a hash
 * table's; `ignored` steps (a client id) compare only the reply's type.
 */
import type { RespValue } from '@replisim/protocol';
import { expect } from 'vitest';
import { RawClient, type RawReply } from './raw-client.js';
import type { Protocol } from './server-pair.js';

export type { Protocol } from './server-pair.js';

export interface Step {
  /** Which connection sends (0, 1 or 2). */
  readonly conn: number;
  readonly argv: readonly string[];
  /** Replies the sender reads (default 1; 0 for a command that blocks). */
  readonly replies: number;
  /** Compare the sender's replies as a sorted set of reply byte strings (hash-ordered walks). */
  readonly sorted: boolean;
  /** The reply carries a client id (HELLO): compare its type only. */
  readonly ignored?: boolean;
  /** The command blocks its connection (BLPOP...). */
  readonly blocks?: boolean;
  /** Connections this step unblocks. */
  readonly wakes?: readonly number[];
  /** Milliseconds to wait after the step (a short blocking timeout passing). */
  readonly pauseMs?: number;
}

export interface Script {
  readonly name: string;
  readonly steps: readonly Step[];
}

export const on = (conn: number, ...argv: string[]): Step => ({
  conn,
  argv,
  replies: 1,
  sorted: false,
});
export const many = (conn: number, replies: number, ...argv: string[]): Step => ({
  conn,
  argv,
  replies,
  sorted: false,
});
export const unordered = (conn: number, replies: number, ...argv: string[]): Step => ({
  conn,
  argv,
  replies,
  sorted: true,
});
/** PUBSUB CHANNELS-like replies: an array in Redis's dict order, compared sorted. */
export const channels = (conn: number, ...argv: string[]): Step => ({
  conn,
  argv,
  replies: 1,
  sorted: true,
});
/** A command that blocks `conn`. */
export const blocks = (conn: number, ...argv: string[]): Step => ({
  conn,
  argv,
  replies: 0,
  sorted: false,
  blocks: true,
});
/** A command on `conn` that unblocks the connections `woken`. */
export const waking = (woken: readonly number[], conn: number, ...argv: string[]): Step => ({
  conn,
  argv,
  replies: 1,
  sorted: false,
  wakes: woken,
});

const CONNECTIONS = 3;

/** One connection per index on each server. */
interface Side {
  readonly clients: RawClient[];
  /** Connections inside MULTI are not synchronised (a PING there would be queued). */
  readonly inMulti: Set<number>;
  /** Connections blocked in a command, not synchronised until a step wakes them. */
  readonly blocked: Set<number>;
}

async function openSide(port: number, protocol: Protocol): Promise<Side> {
  const clients: RawClient[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const client = await RawClient.connect(port);
    if (protocol === 3) await client.call('HELLO', '3');
    clients.push(client);
  }
  return { clients, inMulti: new Set(), blocked: new Set() };
}

function printable(replies: readonly RawReply[]): string {
  return JSON.stringify(Buffer.concat(replies.map((reply) => reply.bytes)).toString('latin1'));
}

function itemText(item: RespValue): string {
  return item.kind === 'bulk' ? item.value.toString('latin1') : item.kind;
}

/**
 * An array reply (PUBSUB CHANNELS) as its sorted items. Several confirmations (UNSUBSCRIBE
 * without arguments) as their shape, the sorted names, and the counts in order (they count down
 * whatever the order of the names).
 */
function sortedOf(replies: readonly RawReply[]): string[] {
  if (replies.length === 1 && replies[0]?.value.kind === 'array') {
    const value = replies[0].value as Extract<RespValue, { kind: 'array' }>;
    return value.items.map(itemText).sort();
  }
  const parts = replies.map((reply) => {
    const value = reply.value;
    if (value.kind !== 'array' && value.kind !== 'push') return [reply.bytes.toString('latin1')];
    return value.items.map(itemText);
  });
  return [
    ...replies.map((reply) => String.fromCharCode(reply.bytes[0] ?? 0)),
    ...parts.map((part) => part[1] ?? '').sort(),
    ...parts.map((part) => `${part[0]} ${part[2] ?? ''}`),
  ];
}

let syncCounter = 0;

/** Everything `client` received before and including the answer to `PING <marker>`. */
async function drain(client: RawClient, marker: string): Promise<RawReply[]> {
  client.command('PING', marker);
  const received: RawReply[] = [];
  for (let i = 0; i < 100; i++) {
    const [reply] = await client.read(1, 5000);
    if (reply === undefined) throw new Error('no reply');
    received.push(reply);
    if (reply.bytes.includes(marker)) return received;
  }
  throw new Error('the sync PING never came back');
}

function track(side: Side, step: Step): void {
  const name = step.argv[0]?.toUpperCase();
  if (name === 'MULTI') side.inMulti.add(step.conn);
  if (name === 'EXEC' || name === 'DISCARD') side.inMulti.delete(step.conn);
  if (step.blocks === true) side.blocked.add(step.conn);
  for (const woken of step.wakes ?? []) side.blocked.delete(woken);
}

/** Waits until the server on `port` reports `count` blocked clients. */
async function blockedClients(port: number, count: number): Promise<void> {
  const control = await RawClient.connect(port);
  try {
    for (let i = 0; i < 500; i++) {
      const info = (await control.call('INFO', 'clients')).bytes.toString('latin1');
      if (info.includes(`blocked_clients:${count}\r\n`)) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`blocked_clients never reached ${count}`);
  } finally {
    control.close();
  }
}

export async function runMultiClientScript(
  script: Script,
  ports: { redis: number; replisim: number },
  protocol: Protocol,
) {
  const redis = await openSide(ports.redis, protocol);
  const ours = await openSide(ports.replisim, protocol);
  try {
    for (const [index, step] of script.steps.entries()) {
      const label = `step ${index} (conn ${step.conn}: ${step.argv.join(' ')})`;
      const results: RawReply[][] = [];
      for (const side of [redis, ours]) {
        const client = side.clients[step.conn];
        if (client === undefined) throw new Error('no such connection');
        client.command(...step.argv);
        results.push(await client.read(step.replies, 5000));
        track(side, step);
        if (step.blocks === true) {
          await blockedClients(side === redis ? ports.redis : ports.replisim, side.blocked.size);
        }
      }
      if (step.pauseMs !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, step.pauseMs));
      }
      const [expected = [], actual = []] = results;
      if (step.ignored) {
        // A reply that differs by nature (a client id): only its type byte must agree.
        expect(actual[0]?.bytes[0], label).toBe(expected[0]?.bytes[0]);
      } else if (step.sorted) expect(sortedOf(actual), label).toEqual(sortedOf(expected));
      else expect(printable(actual), label).toBe(printable(expected));
      if (step.argv[0]?.toUpperCase() === 'QUIT') {
        expect(await redis.clients[step.conn]?.waitClosed()).toBe(true);
        expect(await ours.clients[step.conn]?.waitClosed()).toBe(true);
      }
      // What every other open connection received meanwhile.
      for (let conn = 0; conn < CONNECTIONS; conn++) {
        const theirs = redis.clients[conn];
        const mine = ours.clients[conn];
        if (theirs === undefined || mine === undefined) continue;
        if (theirs.closed || redis.inMulti.has(conn) || redis.blocked.has(conn)) continue;
        const marker = `sync-${++syncCounter}`;
        const expectedOther = await drain(theirs, marker);
        const actualOther = await drain(mine, marker);
        expect(printable(actualOther), `${label}, then on conn ${conn}`).toBe(
          printable(expectedOther),
        );
      }
    }
    const [expectedDigest, actualDigest] = await Promise.all([
      digest(ports.redis),
      digest(ports.replisim),
    ]);
    expect(actualDigest, 'DEBUG DIGEST').toBe(expectedDigest);
  } finally {
    for (const client of [...redis.clients, ...ours.clients]) client.close();
  }
}

async function digest(port: number): Promise<string> {
  const client = await RawClient.connect(port);
  try {
    return (await client.call('DEBUG', 'DIGEST')).bytes.toString('latin1');
  } finally {
    client.close();
  }
}
