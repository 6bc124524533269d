/**
 * Runs one generated sequence against both servers and compares every reply (model.ts says how).
 *
 * Each sequence gets fresh connections (after HELLO 3 in RESP3 runs) and starts from FLUSHALL. A
 * step is sent to both servers at once and both replies are awaited, so the two servers see each
 * command within a fraction of a millisecond of each other. Expiry is real time on both, so a
 * command that lands right at a TTL deadline could see the key alive on one server and expired on
 * the other: the runner remembers every deadline a step may have set and, before each command,
 * waits until no deadline is within DEADLINE_MARGIN_MS of now. Absolute instants (EXPIREAT, PXAT)
 * are resolved once and sent as the same bytes to both.
 *
 * Transactions: while the connection is in MULTI, each +QUEUED command's comparison is remembered,
 * and EXEC's array is split into its elements, each compared with its command's own comparison.
 *
 * At the end of a sequence an open transaction is discarded and `DEBUG DIGEST` must be identical.
 * A mismatch throws a `SequenceMismatch` naming the step, the command and both replies.
 */
import { encodeCommand, RespDecoder, type RespValue } from '@replisim/protocol';
import { RawClient, type RawReply } from '../support/raw-client.js';
import { type Arg, type CommandStep, type Compare, KEYS, type Step } from './model.js';

/** Exchanges kept for a failure report. */
const TRANSCRIPT_LINES = 8;

/** Keep commands this far (ms) from any TTL deadline a step may have set. */
const DEADLINE_MARGIN_MS = 15;

export type Protocol = 2 | 3;

export interface Ports {
  readonly redis: number;
  readonly replisim: number;
}

export class SequenceMismatch extends Error {}

/** How often each command got an error, a null or another reply from Redis (coverage check). */
export type ReplyTally = Map<string, { error: number; null: number; other: number }>;

/** One reply, or one element of an aggregate reply: its bytes and its decoded value. */
interface Reply {
  readonly bytes: Buffer;
  readonly value: RespValue;
}

function printable(bytes: Buffer): string {
  return JSON.stringify(bytes.toString('latin1'));
}

/** One step as a readable line, for failure reports. */
export function describeStep(step: Step): string {
  if (step.kind === 'sleep') return `(sleep ${step.ms} ms)`;
  return step.argv
    .map((arg) =>
      typeof arg === 'string'
        ? /^[\x21-\x7e]+$/.test(arg) && !arg.includes('"')
          ? arg
          : JSON.stringify(arg)
        : `<now${arg.offsetMs >= 0 ? '+' : ''}${arg.offsetMs}ms in ${arg.unit}>`,
    )
    .join(' ');
}

/** A value as plain data, for order-insensitive comparisons. */
function render(value: RespValue): string {
  switch (value.kind) {
    case 'bulk':
    case 'blobError':
      return `$${value.value.toString('latin1')}`;
    case 'verbatim':
      return `=${value.value.toString('latin1')}`;
    case 'integer':
    case 'bignum':
      return `:${value.value}`;
    case 'array':
    case 'set':
    case 'push':
      return `[${value.items.map(render).join(',')}]`;
    case 'map':
      return `{${value.entries.map(([k, v]) => `${render(k)}=>${render(v)}`).join(',')}}`;
    case 'attribute':
      return render(value.value);
    case 'null':
      return 'null';
    case 'double':
      return `,${value.value}`;
    default:
      return `${value.kind}:${String(value.value)}`;
  }
}

/** The elements of an aggregate, rendered and sorted (pairs kept together when `pairs`). */
function sortedElements(value: RespValue, pairs: boolean): string[] | undefined {
  let items: RespValue[];
  if (value.kind === 'map') {
    return value.entries.map(([k, v]) => `${render(k)}=>${render(v)}`).sort();
  }
  if (value.kind === 'array' || value.kind === 'set') items = value.items;
  else return undefined;
  if (!pairs) return items.map(render).sort();
  const out: string[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const [k, v] = [items[i], items[i + 1]];
    out.push(`${k === undefined ? '' : render(k)}=>${v === undefined ? '' : render(v)}`);
  }
  return out.sort();
}

function aggregateLength(value: RespValue): number | undefined {
  if (value.kind === 'array' || value.kind === 'set' || value.kind === 'push') {
    return value.items.length;
  }
  if (value.kind === 'map') return value.entries.length;
  return undefined;
}

/** Splits the bytes of an aggregate reply into its elements (used for EXEC's array). */
function splitAggregate(reply: Reply): Reply[] | undefined {
  const count = aggregateLength(reply.value);
  if (count === undefined || reply.value.kind === 'map') return undefined;
  const headerEnd = reply.bytes.indexOf('\r\n') + 2;
  const rest = reply.bytes.subarray(headerEnd);
  const decoder = new RespDecoder();
  decoder.feed(rest);
  const elements: Reply[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const result = decoder.next();
    if (result.kind !== 'value') return undefined;
    const end = rest.length - decoder.bufferedBytes();
    elements.push({ bytes: rest.subarray(offset, end), value: result.value });
    offset = end;
  }
  return elements;
}

const isError = (reply: Reply): boolean =>
  reply.value.kind === 'error' || reply.value.kind === 'blobError';

/**
 * Compares two replies; returns why they differ, or undefined. `encodingOf` asks Redis how it
 * stores a key (only called when the bytes differ), undefined when that cannot be asked.
 */
async function compareReplies(
  compare: Compare,
  expected: Reply,
  actual: Reply,
  encodingOf: ((key: string) => Promise<string>) | undefined,
): Promise<string | undefined> {
  const same = expected.bytes.equals(actual.bytes);
  if (same) return undefined;
  const differ = `expected ${printable(expected.bytes)}, got ${printable(actual.bytes)}`;
  if (isError(expected) || isError(actual) || expected.bytes[0] !== actual.bytes[0]) return differ;
  switch (compare.kind) {
    case 'bytes':
      return differ;
    case 'encoding': {
      const encoding = encodingOf === undefined ? 'hashtable' : await encodingOf(compare.key);
      if (encoding !== 'hashtable') return `${differ} (Redis encoding ${encoding})`;
      return compareReplies({ kind: 'sorted', pairs: compare.pairs }, expected, actual, encodingOf);
    }
    case 'sorted': {
      const a = sortedElements(expected.value, compare.pairs);
      const b = sortedElements(actual.value, compare.pairs);
      if (a === undefined || b === undefined) return differ;
      return JSON.stringify(a) === JSON.stringify(b) ? undefined : `${differ} (sorted)`;
    }
    case 'shape': {
      if ((expected.value.kind === 'null') !== (actual.value.kind === 'null')) return differ;
      if (aggregateLength(expected.value) !== aggregateLength(actual.value)) return differ;
      return undefined;
    }
    case 'ttl': {
      const [a, b] = [expected.value, actual.value];
      if (a.kind !== 'integer' || b.kind !== 'integer') return differ;
      const close = a.value > 0n && b.value > 0n;
      const gap = a.value > b.value ? a.value - b.value : b.value - a.value;
      return close && gap <= BigInt(compare.tolerance) ? undefined : differ;
    }
  }
}

function resolveArg(arg: Arg, nowMs: number): string {
  if (typeof arg === 'string') return arg;
  const atMs = nowMs + arg.offsetMs;
  return String(arg.unit === 'ms' ? atMs : Math.floor(atMs / 1000));
}

const BYTES: Compare = { kind: 'bytes' };

/** The commands that run at once inside MULTI instead of being queued. */
const RUN_IN_MULTI: ReadonlySet<string> = new Set(['EXEC', 'DISCARD', 'MULTI', 'WATCH', 'QUIT']);

class Session {
  /** Instants (ms) at which a key may expire: [earliest, latest], see noteDeadlines. */
  private readonly deadlines: [number, number][] = [];
  private readonly transcript: string[] = [];
  private inMulti = false;
  /** A queued command expires keys at random: touch every key after EXEC. */
  private settleAfterExec = false;
  private queued: CommandStep[] = [];

  private readonly redis: RawClient;
  private readonly replisim: RawClient;
  tally: ReplyTally | undefined;

  constructor(redis: RawClient, replisim: RawClient) {
    this.redis = redis;
    this.replisim = replisim;
  }

  static async open(ports: Ports, protocol: Protocol): Promise<Session> {
    const [redis, replisim] = await Promise.all([
      RawClient.connect(ports.redis),
      RawClient.connect(ports.replisim),
    ]);
    const session = new Session(redis, replisim);
    if (protocol === 3) await session.both(['HELLO', '3']);
    await session.both(['FLUSHALL']);
    return session;
  }

  close(): void {
    this.redis.close();
    this.replisim.close();
  }

  /** Sends argv to both servers at once; returns [redis, replisim] replies. */
  async both(argv: readonly string[]): Promise<[RawReply, RawReply]> {
    // Arguments are latin1 strings (one char per byte), as replisim's keys are.
    const bytes = encodeCommand(argv.map((arg) => Buffer.from(arg, 'latin1')));
    this.redis.send(bytes);
    this.replisim.send(bytes);
    const [[expected], [actual]] = await Promise.all([
      this.redis.read(1, 5000),
      this.replisim.read(1, 5000),
    ]);
    if (expected === undefined || actual === undefined) throw new Error('missing reply');
    this.transcript.push(
      `${JSON.stringify(argv)} -> redis ${printable(expected.bytes)}, replisim ${printable(actual.bytes)}`,
    );
    if (this.transcript.length > TRANSCRIPT_LINES) this.transcript.shift();
    return [expected, actual];
  }

  /** The last exchanges with both servers, for a failure report. */
  describeTranscript(): string {
    return this.transcript.map((line) => `    ${line}`).join('\n');
  }

  async run(step: Step, index: number): Promise<void> {
    if (step.kind === 'sleep') {
      await sleep(step.ms);
      return;
    }
    await this.keepClearOfDeadlines();
    const nowMs = Date.now();
    const argv = step.argv.map((arg) => resolveArg(arg, nowMs));
    const [expected, actual] = await this.both(argv);
    this.noteDeadlines(step, nowMs, Date.now());
    const name = (argv[0] ?? '').toUpperCase();
    if (this.tally !== undefined) {
      const counts = this.tally.get(name) ?? { error: 0, null: 0, other: 0 };
      const kind = expected.value.kind;
      counts[kind === 'error' || kind === 'null' ? kind : 'other']++;
      this.tally.set(name, counts);
    }
    const where = `step ${index} (${describeStep(step)})`;
    // Inside MULTI a queued command's reply is +QUEUED: always compared byte for byte. EXEC's
    // array is compared element by element in trackTransaction.
    const execArray = name === 'EXEC' && this.inMulti && expected.bytes[0] === 0x2a;
    const compare = this.inMulti && !RUN_IN_MULTI.has(name) ? BYTES : step.compare;
    const mismatch = execArray
      ? undefined
      : await compareReplies(compare, expected, actual, (key) => this.redisEncoding(key));
    if (mismatch !== undefined) throw new SequenceMismatch(`${where}: ${mismatch}`);
    const queuedBefore = this.inMulti;
    await this.trackTransaction(name, step, expected, actual, where, nowMs);
    const ranNow = !queuedBefore || RUN_IN_MULTI.has(name);
    if (ranNow && step.expiresAtRandom === true) await this.expireEverywhere(where);
    if (name === 'EXEC' && queuedBefore && this.settleAfterExec) await this.expireEverywhere(where);
    if (!this.inMulti) this.settleAfterExec = false;
  }

  /**
   * Lazily expires every key of the selected database on both servers (EXISTS of all of them), so
   * a command that expired keys picked at random leaves both with the same keys.
   */
  private async expireEverywhere(where: string): Promise<void> {
    await this.keepClearOfDeadlines();
    const [expected, actual] = await this.both(['EXISTS', ...KEYS]);
    if (!expected.bytes.equals(actual.bytes)) {
      throw new SequenceMismatch(
        `EXISTS of every key after ${where}: expected ${printable(expected.bytes)}, got ${printable(actual.bytes)}`,
      );
    }
  }

  /** Ends the sequence: DISCARD an open transaction, then the datasets must have equal digests. */
  async finish(digest: boolean): Promise<void> {
    if (this.inMulti) await this.run({ kind: 'command', argv: ['DISCARD'], compare: BYTES }, -1);
    if (!digest) return;
    const [expected, actual] = await this.both(['DEBUG', 'DIGEST']);
    if (!expected.bytes.equals(actual.bytes)) {
      throw new SequenceMismatch(
        `DEBUG DIGEST at the end: expected ${printable(expected.bytes)}, got ${printable(actual.bytes)}`,
      );
    }
  }

  private async trackTransaction(
    name: string,
    step: CommandStep,
    expected: RawReply,
    actual: RawReply,
    where: string,
    sentMs: number,
  ): Promise<void> {
    const text = expected.bytes.toString('latin1');
    if (!this.inMulti) {
      if (name === 'MULTI' && text === '+OK\r\n') {
        this.inMulti = true;
        this.queued = [];
      }
      return;
    }
    if (name === 'DISCARD' || (name === 'EXEC' && isError(expected))) {
      this.inMulti = false;
      return;
    }
    if (name !== 'EXEC') {
      if (!RUN_IN_MULTI.has(name) && text === '+QUEUED\r\n') {
        this.queued.push(step);
        if (step.expiresAtRandom === true) this.settleAfterExec = true;
      }
      return;
    }
    this.inMulti = false;
    const queued = this.queued;
    // The queued commands ran somewhere between sending EXEC and now.
    for (const command of queued) this.noteDeadlines(command, sentMs, Date.now());
    if (expected.value.kind === 'null') {
      if (!expected.bytes.equals(actual.bytes)) {
        throw new SequenceMismatch(
          `${where}: expected ${printable(expected.bytes)}, got ${printable(actual.bytes)}`,
        );
      }
      return;
    }
    const [a, b] = [splitAggregate(expected), splitAggregate(actual)];
    if (a === undefined || a.length !== queued.length) {
      throw new SequenceMismatch(`${where}: unexpected EXEC reply ${printable(expected.bytes)}`);
    }
    if (b === undefined || b.length !== a.length) {
      throw new SequenceMismatch(
        `${where}: expected ${printable(expected.bytes)}, got ${printable(actual.bytes)}`,
      );
    }
    for (const [i, command] of queued.entries()) {
      const [want, got] = [a[i], b[i]];
      if (want === undefined || got === undefined) throw new SequenceMismatch(`${where}: short`);
      // Encodings may have changed since the command ran: fall back to an order-free comparison.
      const compare = command.execCompare ?? command.compare;
      const mismatch = await compareReplies(compare, want, got, undefined);
      if (mismatch !== undefined) {
        throw new SequenceMismatch(
          `${where}: element ${i} (${describeStep(command)}): ${mismatch}`,
        );
      }
    }
  }

  private async redisEncoding(key: string): Promise<string> {
    this.redis.command('OBJECT', 'ENCODING', Buffer.from(key, 'latin1'));
    const [reply] = await this.redis.read(1);
    return reply?.value.kind === 'bulk' ? reply.value.value.toString('latin1') : 'none';
  }

  /**
   * Remembers when keys the step may have given a TTL can expire. Each server ran the command at
   * some instant between sending (`sentMs`) and the last reply (`repliedMs`), which can be far apart
   * on a loaded machine, so a relative TTL gives a range of deadlines; an absolute one is exact.
   */
  private noteDeadlines(step: CommandStep, sentMs: number, repliedMs: number): void {
    const ttls = typeof step.expiresInMs === 'number' ? [step.expiresInMs] : step.expiresInMs;
    for (const ttlMs of ttls ?? []) {
      if (ttlMs > 0) this.deadlines.push([sentMs + ttlMs, repliedMs + ttlMs]);
    }
    for (const arg of step.argv) {
      if (typeof arg === 'string') continue;
      // The instant exactly as resolveArg sent it (whole seconds for 's').
      const atMs =
        arg.unit === 'ms'
          ? sentMs + arg.offsetMs
          : Math.floor((sentMs + arg.offsetMs) / 1000) * 1000;
      this.deadlines.push([atMs, atMs]);
    }
  }

  /** Waits until no remembered deadline is within the margin of now; forgets past ones. */
  private async keepClearOfDeadlines(): Promise<void> {
    for (;;) {
      const nowMs = Date.now();
      let waitUntil = 0;
      for (let i = this.deadlines.length - 1; i >= 0; i--) {
        const [earliest, latest] = this.deadlines[i] ?? [0, 0];
        if (latest < nowMs - DEADLINE_MARGIN_MS) this.deadlines.splice(i, 1);
        else if (earliest <= nowMs + DEADLINE_MARGIN_MS) {
          waitUntil = Math.max(waitUntil, latest + DEADLINE_MARGIN_MS + 1);
        }
      }
      if (waitUntil === 0) return;
      await sleep(waitUntil - nowMs);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Runs `steps` on fresh connections; throws SequenceMismatch at the first difference. */
export async function runSequence(
  steps: readonly Step[],
  ports: Ports,
  protocol: Protocol,
  digest: boolean,
  tally?: ReplyTally,
): Promise<void> {
  const session = await Session.open(ports, protocol);
  session.tally = tally;
  try {
    for (const [index, step] of steps.entries()) await session.run(step, index);
    await session.finish(digest);
  } catch (error) {
    if (!(error instanceof SequenceMismatch)) throw error;
    throw new SequenceMismatch(
      `${error.message}\n  last exchanges:\n${session.describeTranscript()}`,
    );
  } finally {
    session.close();
  }
}
