/**
 * A script runner for differential tests of collection commands (hashes, sets): each step is sent
 * to a real redis-server and to replisim on their own connections, in RESP2 or after HELLO 3, and
 * the two replies are compared by the step's rule:
 *
 * - `bytes`: byte for byte (deterministic replies: scalars, errors, listpack/intset orders);
 * - `sorted`: same aggregate type byte, same elements once sorted (Redis's dict order);
 * - `sortedPairs`: a flat field/value list or a RESP3 map, compared as sorted pairs;
 * - `each`: a property checked on each server's reply alone (random replies);
 * - `scan`: the whole HSCAN/SSCAN walk from cursor 0 on each server, compared as sorted contents.
 *
 * At the end of a script, `digest` keys are compared with DEBUG DIGEST-VALUE when replisim has
 * DEBUG (order-independent, so it covers hashtable collections too). `describeCollectionDiff` is the
 * whole suite: both servers started once, every script run in RESP2 and in RESP3.
 */
import type { RespValue } from '@replisim/protocol';
import type { RedisValue } from '@replisim/server';
import { describe, expect } from 'vitest';
import { RawClient, type RawReply } from './raw-client.js';
import {
  describeScriptsPerProtocol,
  type Ports,
  type Protocol,
  useServerPair,
} from './server-pair.js';

export type { Protocol } from './server-pair.js';

type Arg = string | Buffer;

export type Step =
  | { readonly kind: 'bytes' | 'sorted' | 'sortedPairs'; readonly argv: readonly Arg[] }
  | {
      readonly kind: 'each';
      readonly argv: readonly Arg[];
      readonly check: (value: RespValue, protocol: Protocol) => void;
    }
  | { readonly kind: 'scan'; readonly argv: readonly Arg[]; readonly pairs: boolean }
  | { readonly kind: 'encoding'; readonly argv: readonly Arg[] };

export interface Script {
  readonly name: string;
  readonly steps: readonly Step[];
  /** Keys whose DEBUG DIGEST-VALUE must match at the end. */
  readonly digest?: readonly string[];
}

export const cmd = (...argv: Arg[]): Step => ({ kind: 'bytes', argv });
export const sorted = (...argv: Arg[]): Step => ({ kind: 'sorted', argv });
export const sortedPairs = (...argv: Arg[]): Step => ({ kind: 'sortedPairs', argv });
export const each = (
  check: (value: RespValue, protocol: Protocol) => void,
  ...argv: Arg[]
): Step => ({ kind: 'each', argv, check });
/** A full scan: argv is [command, key, ...options without the cursor]. */
export const scanAll = (pairs: boolean, ...argv: Arg[]): Step => ({ kind: 'scan', argv, pairs });

/**
 * OBJECT ENCODING key on both servers. While replisim has no OBJECT command, its encoding is read
 * from the node directly (the value's `encoding` field is what OBJECT ENCODING will report).
 */
export const encoding = (key: string): Step => ({
  kind: 'encoding',
  argv: ['OBJECT', 'ENCODING', key],
});

/** The reply bytes as readable text (CRLF and binary escaped). */
export function printable(bytes: Buffer): string {
  return JSON.stringify(bytes.toString('latin1'));
}

/** A scalar reply as text (bulk, simple, integer); anything else as its kind. */
export function text(value: RespValue): string {
  switch (value.kind) {
    case 'bulk':
    case 'verbatim':
      return value.value.toString('latin1');
    case 'simple':
    case 'error':
      return value.value;
    case 'integer':
      return value.value.toString();
    default:
      return `<${value.kind}>`;
  }
}

/** The items of an array or set reply. */
export function items(value: RespValue): RespValue[] {
  if (value.kind === 'array' || value.kind === 'set') return value.items;
  throw new Error(`expected an aggregate, got ${value.kind}: ${text(value)}`);
}

/** Field/value pairs flattened: a RESP3 map, a flat list, or a list of 2-arrays (RESP3 WITHVALUES). */
function flatPairs(value: RespValue): string[] {
  if (value.kind === 'map') return value.entries.flat().map(text);
  return items(value)
    .flatMap((item) => (item.kind === 'array' ? item.items : [item]))
    .map(text);
}

function sortedPairsOf(value: RespValue): string[] {
  const flat = flatPairs(value);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push(JSON.stringify([flat[i], flat[i + 1]]));
  return pairs.sort();
}

const encode = (argv: readonly Arg[]): Buffer => {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const arg of argv) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'latin1') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
};

async function call(client: RawClient, argv: readonly Arg[]): Promise<RawReply> {
  client.send(encode(argv));
  const [reply] = await client.read(1, 5000);
  if (reply === undefined) throw new Error('no reply');
  return reply;
}

/** Walks a scan from cursor 0 to 0 (bounded) and returns the sorted, de-duplicated contents. */
async function scanContents(client: RawClient, argv: readonly Arg[], pairs: boolean) {
  const [command = '', key = '', ...options] = argv;
  const seen = new Set<string>();
  let cursor = '0';
  for (let calls = 0; calls < 10_000; calls++) {
    const reply = await call(client, [command, key, cursor, ...options]);
    const [next, batch] = items(reply.value);
    if (next === undefined || batch === undefined) throw new Error('bad scan reply');
    const elements = items(batch).map(text);
    if (pairs) {
      for (let i = 0; i + 1 < elements.length; i += 2) {
        seen.add(JSON.stringify([elements[i], elements[i + 1]]));
      }
    } else {
      for (const element of elements) seen.add(element);
    }
    cursor = text(next);
    if (cursor === '0') return [...seen].sort();
  }
  throw new Error('scan did not finish');
}

function compare(step: Step, redis: RawReply, ours: RawReply, protocol: Protocol, label: string) {
  switch (step.kind) {
    case 'bytes':
      expect(printable(ours.bytes), label).toBe(printable(redis.bytes));
      return;
    case 'sorted':
      expect(ours.bytes[0], label).toBe(redis.bytes[0]);
      if (redis.value.kind === 'error') {
        expect(printable(ours.bytes), label).toBe(printable(redis.bytes));
        return;
      }
      expect(items(ours.value).map(text).sort(), label).toEqual(
        items(redis.value).map(text).sort(),
      );
      return;
    case 'sortedPairs':
      expect(ours.bytes[0], label).toBe(redis.bytes[0]);
      if (redis.value.kind === 'error') {
        expect(printable(ours.bytes), label).toBe(printable(redis.bytes));
        return;
      }
      expect(sortedPairsOf(ours.value), label).toEqual(sortedPairsOf(redis.value));
      return;
    case 'each':
      step.check(redis.value, protocol);
      step.check(ours.value, protocol);
      return;
    case 'scan':
    case 'encoding':
      return;
  }
}

/** How a test reads a key's encoding from the replisim node itself. */
export type EncodingPeek = (key: string) => string | undefined;

export async function runScript(
  script: Script,
  ports: Ports,
  protocol: Protocol,
  peekEncoding: EncodingPeek,
): Promise<void> {
  const redis = await RawClient.connect(ports.redis);
  const ours = await RawClient.connect(ports.replisim);
  try {
    if (protocol === 3) {
      await call(redis, ['HELLO', '3']);
      await call(ours, ['HELLO', '3']);
    }
    for (const [index, step] of script.steps.entries()) {
      const label = `step ${index} (${step.argv.map((arg) => String(arg).slice(0, 40)).join(' ')})`;
      if (step.kind === 'scan') {
        const expected = await scanContents(redis, step.argv, step.pairs);
        expect(await scanContents(ours, step.argv, step.pairs), label).toEqual(expected);
        continue;
      }
      const expected = await call(redis, step.argv);
      const actual = await call(ours, step.argv);
      if (step.kind === 'encoding') {
        const key = String(step.argv[2]);
        const ourText = actual.value.kind === 'error' ? peekEncoding(key) : text(actual.value);
        expect(ourText, label).toBe(text(expected.value));
        continue;
      }
      compare(step, expected, actual, protocol, label);
    }
    for (const key of script.digest ?? []) {
      const actual = await call(ours, ['DEBUG', 'DIGEST-VALUE', key]);
      // Skipped only while replisim has no DEBUG DIGEST-VALUE; any other error fails below.
      if (actual.value.kind === 'error' && /unknown (sub)?command/.test(actual.value.value))
        continue;
      const expected = await call(redis, ['DEBUG', 'DIGEST-VALUE', key]);
      expect(printable(actual.bytes), `digest of ${key}`).toBe(printable(expected.bytes));
    }
  } finally {
    redis.close();
    ours.close();
  }
}

/** Both servers allow DEBUG (DIGEST-VALUE ends every script); persistence is off (server-pair.ts). */
const SERVER_OPTIONS = ['--enable-debug-command', 'yes'];

/**
 * The differential suite for one collection type: starts a redis-server and a replisim node, runs
 * every script on both in RESP2 and RESP3 (flushing between scripts), and reads replisim's encoding
 * of `type` keys straight from its keyspace for `encoding` steps.
 */
export function describeCollectionDiff(
  title: string,
  type: RedisValue['type'],
  scripts: readonly Script[],
): void {
  describe(title, () => {
    const servers = useServerPair({ both: SERVER_OPTIONS });
    const ports = (): Ports => servers().ports;
    const peekEncoding = (key: string): string => {
      const value = servers().replisim.node.databases[0]?.peek(key);
      if (value === undefined) return '<null>';
      return value.type === type && 'encoding' in value && value.encoding !== undefined
        ? value.encoding
        : `<${value.type}>`;
    };

    describeScriptsPerProtocol(scripts, ports, (script, protocol) =>
      runScript(script, ports(), protocol, peekEncoding),
    );
  });
}
