/**
 * A differential script runner for client-side caching: three connections to a real
 * redis-server and three to replisim run the same steps, and every byte each connection receives
 * must be the same on both.
 *
 * A step sends one command on one connection and reads until its reply (or `replies` replies)
 * has come, not counting invalidation messages: RESP3 pushes and RESP2 messages on
 * `__redis__:invalidate`, which may come before the reply (a table eviction) or after it. Then
 * every connection, the sender included, is synchronised with `PING <marker>`: everything it
 * received during the step, up to the PING's answer, is compared as one byte string, so an
 * invalidation sent at the end of the event loop iteration (BCAST) is compared too.
 *
 * Client ids differ between the servers: `$id0`..`$id2` in a step's words stand for each side's
 * id of that connection, and with `ids: true` the reply's `:<id>` integers and `redir=<id>`
 * fields are written back as `$idN` before comparing. `sleep` steps wait (expiry), `counters`
 * steps compare the tracking_* INFO fields, `flags` steps compare CLIENT INFO's flags= and redir=.
 */
import { expect } from 'vitest';
import { RawClient, type RawReply } from './raw-client.js';
import type { Ports } from './server-pair.js';

export type TrackingStep =
  | {
      readonly conn: number;
      readonly argv: readonly string[];
      readonly replies: number;
      readonly ids: boolean;
    }
  | { readonly sleepMs: number }
  | { readonly counters: true }
  | { readonly flagsOf: number };

export interface TrackingScript {
  readonly name: string;
  readonly steps: readonly TrackingStep[];
}

export const on = (conn: number, ...argv: string[]): TrackingStep => ({
  conn,
  argv,
  replies: 1,
  ids: false,
});
/** A step whose reply (or words) carries client ids. */
export const withIds = (conn: number, ...argv: string[]): TrackingStep => ({
  conn,
  argv,
  replies: 1,
  ids: true,
});
export const many = (conn: number, replies: number, ...argv: string[]): TrackingStep => ({
  conn,
  argv,
  replies,
  ids: false,
});
export const hello3 = (conn: number): TrackingStep => withIds(conn, 'HELLO', '3');
export const sleep = (ms: number): TrackingStep => ({ sleepMs: ms });
export const counters: TrackingStep = { counters: true };
export const flagsOf = (conn: number): TrackingStep => ({ flagsOf: conn });

const CONNECTIONS = 3;
const READ_TIMEOUT_MS = 5000;
const SYNC_REPLIES_MAX = 200;

interface Side {
  /** Connections inside MULTI are not synchronised (a PING there would be queued). */
  readonly inMulti: Set<number>;
  readonly port: number;
  readonly clients: RawClient[];
  readonly ids: string[];
  readonly control: RawClient;
}

async function openSide(port: number): Promise<Side> {
  const clients: RawClient[] = [];
  const ids: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const client = await RawClient.connect(port);
    const reply = await client.call('CLIENT', 'ID');
    ids.push(reply.bytes.toString('latin1').slice(1, -2));
    clients.push(client);
  }
  const control = await RawClient.connect(port);
  return { port, clients, ids, control, inMulti: new Set() };
}

/** An invalidation (or broken-redirect) message rather than a command's reply. */
function isInvalidation(reply: RawReply): boolean {
  if (reply.value.kind === 'push') return true;
  return reply.bytes
    .toString('latin1')
    .startsWith('*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate');
}

/** Reads until `count` replies that are not invalidations have come; returns everything read. */
async function readReplies(client: RawClient, count: number): Promise<RawReply[]> {
  const received: RawReply[] = [];
  let replies = 0;
  while (replies < count) {
    const [reply] = await client.read(1, READ_TIMEOUT_MS);
    if (reply === undefined) throw new Error('no reply');
    received.push(reply);
    if (!isInvalidation(reply)) replies++;
  }
  return received;
}

let syncCounter = 0;

/** Everything `client` received up to and including the answer to `PING <marker>`. */
async function drain(client: RawClient, marker: string): Promise<RawReply[]> {
  client.command('PING', marker);
  const received: RawReply[] = [];
  for (let i = 0; i < SYNC_REPLIES_MAX; i++) {
    const [reply] = await client.read(1, READ_TIMEOUT_MS);
    if (reply === undefined) throw new Error('no reply');
    received.push(reply);
    if (reply.bytes.includes(marker)) return received;
  }
  throw new Error('the sync PING never came back');
}

function text(replies: readonly RawReply[]): string {
  return Buffer.concat(replies.map((reply) => reply.bytes)).toString('latin1');
}

/** The places a client id shows: HELLO's id, TRACKINGINFO's redirect, the broken-redirect push. */
const ID_CONTEXTS = ['$2\r\nid\r\n:', '$8\r\nredirect\r\n:', '$21\r\ntracking-redir-broken\r\n:'];

/**
 * Writes each connection's id back as `$idN` where ids show (see ID_CONTEXTS, CLIENT LIST's
 * redir=), and, for a step with `whole`, in a reply that is just the id (CLIENT ID, GETREDIR).
 */
function withIdNames(output: string, ids: readonly string[], whole = false): string {
  let result = output;
  ids.forEach((id, index) => {
    for (const context of ID_CONTEXTS) {
      result = result.split(`${context}${id}\r\n`).join(`${context}$id${index}\r\n`);
    }
    result = result.split(`redir=${id} `).join(`redir=$id${index} `);
    if (whole && result.startsWith(`:${id}\r\n`)) {
      result = `:$id${index}\r\n${result.slice(id.length + 3)}`;
    }
  });
  return result;
}

function substitute(argv: readonly string[], ids: readonly string[]): string[] {
  return argv.map((word) => word.replace(/\$id(\d)/g, (_, n: string) => ids[Number(n)] ?? word));
}

/** The tracking_* fields of INFO. */
async function trackingCounters(side: Side): Promise<string> {
  const info = (await side.control.call('INFO', 'everything')).bytes.toString('latin1');
  return info
    .split('\r\n')
    .filter((line) => line.startsWith('tracking_'))
    .join(' ');
}

/** CLIENT INFO's flags= and redir= of one connection, asked on the control connection. */
async function clientFlags(side: Side, conn: number): Promise<string> {
  const line = (await side.control.call('CLIENT', 'LIST', 'ID', side.ids[conn] ?? '0')).bytes;
  const fields = line.toString('latin1').split(' ');
  const picked = fields.filter((field) => field.startsWith('flags=') || field.startsWith('redir='));
  return withIdNames(`${picked.join(' ')} `, side.ids);
}

async function runStep(step: TrackingStep, sides: readonly Side[], label: string): Promise<void> {
  if ('sleepMs' in step) {
    await new Promise((resolve) => setTimeout(resolve, step.sleepMs));
  } else if ('counters' in step) {
    const [expected, actual] = await Promise.all(sides.map(trackingCounters));
    expect(actual, `${label}: tracking counters`).toBe(expected);
    return;
  } else if ('flagsOf' in step) {
    const [expected, actual] = await Promise.all(
      sides.map((side) => clientFlags(side, step.flagsOf)),
    );
    expect(actual, `${label}: CLIENT LIST flags`).toBe(expected);
    return;
  }
  const outputs: string[][] = [];
  for (const side of sides) {
    const received: string[] = [];
    if ('conn' in step) {
      const client = side.clients[step.conn];
      if (client === undefined) throw new Error('no such connection');
      client.command(...substitute(step.argv, side.ids));
      const sender = text(await readReplies(client, step.replies));
      received[step.conn] = sender;
      const name = step.argv[0]?.toUpperCase();
      if (name === 'MULTI') side.inMulti.add(step.conn);
      if (name === 'EXEC' || name === 'DISCARD' || name === 'RESET') side.inMulti.delete(step.conn);
      if (name === 'QUIT' && !(await client.waitClosed())) throw new Error('QUIT did not close');
    }
    for (let conn = 0; conn < CONNECTIONS; conn++) {
      const client = side.clients[conn];
      if (client === undefined || client.closed || side.inMulti.has(conn)) continue;
      // Markers of one length, so the PING's answer differs between the sides only in digits.
      const marker = `sync-${String(++syncCounter).padStart(8, '0')}`;
      const synced = text(await drain(client, marker)).replace(marker, 'sync-marker');
      received[conn] = (received[conn] ?? '') + synced;
    }
    outputs.push(
      received.map((output, conn) =>
        withIdNames(output, side.ids, 'conn' in step && conn === step.conn && step.ids),
      ),
    );
  }
  const [expected = [], actual = []] = outputs;
  for (let conn = 0; conn < CONNECTIONS; conn++) {
    expect(JSON.stringify(actual[conn] ?? ''), `${label}, on conn ${conn}`).toBe(
      JSON.stringify(expected[conn] ?? ''),
    );
  }
}

export async function runTrackingScript(script: TrackingScript, ports: Ports): Promise<void> {
  const sides = [await openSide(ports.redis), await openSide(ports.replisim)];
  try {
    for (const [index, step] of script.steps.entries()) {
      const label =
        'conn' in step
          ? `step ${index} (conn ${step.conn}: ${step.argv.join(' ')})`
          : `step ${index}`;
      await runStep(step, sides, label);
    }
  } finally {
    for (const side of sides) {
      for (const client of side.clients) client.close();
      side.control.close();
    }
  }
}
