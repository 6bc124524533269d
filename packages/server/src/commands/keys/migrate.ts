/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password]
 *         [AUTH2 username password] [KEYS key [key ...]]
 *
 * Moves keys to another server, as Redis 7.0's migrateCommand (cluster.c): the node connects to
 * host:port (through the Env's network, never node:net), sends in one write `AUTH` (or AUTH with a
 * username for AUTH2) when asked, `SELECT db` unless the cached connection already selected it,
 * and one `RESTORE key ttl payload [REPLACE]` per key (payload in DUMP format, ttl the remaining
 * milliseconds or 0), then reads one reply line per command sent.
 *
 * Replies:
 * - `+OK`: every key was restored on the target; without COPY each one is deleted here and the
 *   deletion propagates as one `DEL key ...` of the acknowledged keys (Redis rewrites MIGRATE as DEL).
 * - `+NOKEY`: none of the keys exists (nothing is sent).
 * - `-ERR Target instance replied with error: <error>`: the first error among the AUTH, SELECT and
 *   RESTORE replies (the keys the target did restore are still deleted here, as in Redis).
 * - `-IOERR error or timeout connecting to the client`, `-IOERR error or timeout reading to target
 *   instance`, `-IOERR error or timeout writing to target instance`: Redis's own strings.
 * - Parse errors: `-ERR syntax error`, `-ERR When using MIGRATE KEYS option, the key argument must
 *   be set to the empty string`, `-ERR value is not an integer or out of range` (timeout checked
 *   before the database, as Redis does); a timeout of 0 or less means 1000 ms.
 *
 * The connection is kept for reuse (Redis's migrate_cached_sockets): at most
 * MIGRATE_SOCKET_CACHE_ITEMS, each closed after MIGRATE_SOCKET_CACHE_TTL_MS unused, checked once a
 * second as serverCron does; a socket error closes it and, if nothing was processed yet and it was
 * not a timeout, the exchange is retried once on a new connection (a cached connection the target
 * closed meanwhile is the common case).
 *
 * Deliberate differences, because replisim never blocks its event loop:
 * - Redis blocks the whole server while it talks to the target; here only the calling client waits
 *   (suspended, see client-io.ts), the node serves everyone else. MIGRATEs of one node still never
 *   overlap: they run one after the other, in arrival order, as Redis's would.
 * - The keys are read and serialized when the command runs. A key another client changes or
 *   deletes before the target answers is not deleted here (the target has the older value): the
 *   change is never lost. Redis cannot meet the case.
 * - Inside MULTI/EXEC or a script (a client that may not wait) MIGRATE replies
 *   `-ERR MIGRATE cannot run inside MULTI/EXEC or a script in replisim`; Redis runs it there.
 * - Outside cluster mode Redis sends RESTORE, not RESTORE-ASKING; so does replisim (no cluster mode).
 */
import type { Connection, NetError, NetResult, TimerId } from '@replisim/base';
import { encodeCommand, encodeDumpPayload } from '@replisim/protocol';
import type { Client } from '../../client.js';
import { resumeSuspendedClient } from '../../client-io.js';
import type { Watcher } from '../../keyspace/watch-registry.js';
import type { ServerNode } from '../../node.js';
import { toRdbValue } from '../../persistence/rdb-values.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';

/** Redis's MIGRATE_SOCKET_CACHE_ITEMS: cached target connections at most. */
export const MIGRATE_SOCKET_CACHE_ITEMS = 64;
/** Redis's MIGRATE_SOCKET_CACHE_TTL (10 s): an unused cached connection is closed after this. */
export const MIGRATE_SOCKET_CACHE_TTL_MS = 10_000;
/** How often the cache is swept (Redis: run_with_period(1000) in serverCron). */
const MIGRATE_CACHE_SWEEP_MS = 1000;
/** The reply buffers of migrateCommand (char buf0[1024]): a line is read up to 1023 bytes. */
const MIGRATE_REPLY_LINE_BYTES_MAX = 1023;
/**
 * Unread bytes a target may leave on a connection (replies are a few short lines); a target that
 * sends more is cut off, as the kernel's buffers would stop it from flooding Redis.
 */
const MIGRATE_RECEIVED_BYTES_MAX = 64 * 1024;
/** A timeout of 0 or less means this (Redis: `if (timeout <= 0) timeout = 1000`). */
const MIGRATE_TIMEOUT_MS_DEFAULT = 1000;
/** The longest timer the Env's timers take (a 32-bit millisecond delay). */
const MIGRATE_TIMEOUT_MS_MAX = 2 ** 31 - 1;

const KEYS_NOT_EMPTY = new ErrorReply(
  'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string',
);
const INSIDE_TRANSACTION = new ErrorReply(
  'ERR MIGRATE cannot run inside MULTI/EXEC or a script in replisim',
);
const IOERR_CONNECTING = 'IOERR error or timeout connecting to the client';

export interface MigrateArgs {
  readonly host: string;
  readonly port: number;
  /** host:port as given, the cache's name for the connection (migrateGetSocket). */
  readonly cacheName: string;
  readonly dbid: bigint;
  readonly timeoutMs: number;
  readonly copy: boolean;
  readonly replace: boolean;
  readonly username: Buffer | undefined;
  readonly password: Buffer | undefined;
  readonly keys: readonly Buffer[];
}

/** C's atoi, as migrateGetSocket reads the port: leading digits, anything else stops it. */
function atoi(text: string): number {
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (match === null || match[1] === undefined) return 0;
  return Number.parseInt(match[1], 10) | 0;
}

/** The arguments, or Redis's error, checked in migrateCommand's order. */
export function parseMigrate(argv: readonly Buffer[]): MigrateArgs | ErrorReply {
  let copy = false;
  let replace = false;
  let username: Buffer | undefined;
  let password: Buffer | undefined;
  let keys: readonly Buffer[] = argv.slice(3, 4);
  for (let j = 6; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    const word = argv[j];
    if (isKeyword(word, 'copy')) copy = true;
    else if (isKeyword(word, 'replace')) replace = true;
    else if (isKeyword(word, 'auth')) {
      if (moreArgs === 0) return SYNTAX_ERROR;
      password = argv[++j];
    } else if (isKeyword(word, 'auth2')) {
      if (moreArgs < 2) return SYNTAX_ERROR;
      username = argv[++j];
      password = argv[++j];
    } else if (isKeyword(word, 'keys')) {
      if ((argv[3]?.length ?? 0) !== 0) return KEYS_NOT_EMPTY;
      keys = argv.slice(j + 1);
      break;
    } else return SYNTAX_ERROR;
  }
  const timeout = parseInt64(argv[5]);
  if (timeout === undefined) return NOT_INTEGER;
  const dbid = parseInt64(argv[4]);
  if (dbid === undefined) return NOT_INTEGER;
  const host = argv[1]?.toString('latin1') ?? '';
  const portText = argv[2]?.toString('latin1') ?? '';
  let timeoutMs = timeout <= 0n ? MIGRATE_TIMEOUT_MS_DEFAULT : Number(timeout);
  timeoutMs = Math.min(timeoutMs, MIGRATE_TIMEOUT_MS_MAX);
  return {
    host,
    port: atoi(portText),
    cacheName: `${host}:${portText}`,
    dbid,
    timeoutMs,
    copy,
    replace,
    username,
    password,
    keys,
  };
}

/** The argv indexes of the keys (migrateGetKeys): argv[3], or what follows KEYS. */
export function migrateKeyIndexes(argv: readonly Buffer[]): number[] {
  for (let j = 6; j < argv.length; j++) {
    const word = argv[j];
    if (isKeyword(word, 'auth')) j++;
    else if (isKeyword(word, 'auth2')) j += 2;
    else if (isKeyword(word, 'keys') && (argv[3]?.length ?? 0) === 0) {
      return Array.from({ length: argv.length - j - 1 }, (_, i) => j + 1 + i);
    }
  }
  return [3];
}

/* ------------------------------------------------------------------------------------------------
 * The command
 * --------------------------------------------------------------------------------------------- */

export const migrate: Command = defineCommand<MigrateArgs>({
  name: 'migrate',
  arity: -6,
  syntax:
    'host port:integer key destination-db:integer timeout:integer [COPY] [REPLACE] [AUTH password|AUTH2 username password] [KEYS key [key ...]]',
  flags: ['write', 'movablekeys'],
  aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'],
  keys: { first: 3, last: 3, step: 1 },
  keyIndexes: migrateKeyIndexes,
  keyFlags: () => ['RW', 'access', 'delete'],
  doc: {
    summary: 'Atomically transfer a key from a Redis instance to another one.',
    since: '2.6.0',
    group: 'generic',
    complexity:
      'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.',
  },
  parse: parseMigrate,
  execute(ctx, args) {
    const { node, client, db } = ctx;
    if (client.denyBlocking) return INSIDE_TRANSACTION;
    const entries: MigrateEntry[] = [];
    for (const arg of args.keys) {
      const key = arg.toString('latin1');
      // lookupKeyRead: lazy expiry and the keyspace hit/miss counters.
      const value = db.lookup(key, ctx.nowMs);
      if (value === undefined) {
        node.stats.keyspaceMisses++;
        continue;
      }
      node.stats.keyspaceHits++;
      const deadline = db.expiryOf(key);
      // The lookup used the same instant, so a deadline here is not past: at least 1 ms left.
      const ttlMs = deadline === undefined ? 0 : Math.max(1, deadline - ctx.nowMs);
      const payload = encodeDumpPayload(toRdbValue(value, node.quicklistPackedThreshold), {
        compression: node.config.rdbcompression,
      });
      const watcher: Watcher = { watchDirty: false };
      node.watches.watch(watcher, db.index, key);
      entries.push({ key, arg, ttlMs, payload, watcher });
    }
    if (entries.length === 0) {
      ctx.reply.simple('NOKEY');
      return undefined;
    }
    client.suspended = true;
    migratorOf(node).enqueue({ args, client, dbIndex: db.index, entries, mayRetry: true });
    return undefined;
  },
});

/* ------------------------------------------------------------------------------------------------
 * The migrator: one per node, runs the queued MIGRATEs one at a time over cached connections
 * --------------------------------------------------------------------------------------------- */

/** One key to send: its RESTORE arguments, and a watch that says whether it changed since. */
interface MigrateEntry {
  readonly key: string;
  readonly arg: Buffer;
  readonly ttlMs: number;
  readonly payload: Buffer;
  readonly watcher: Watcher;
}

interface MigrateJob {
  readonly args: MigrateArgs;
  readonly client: Client;
  readonly dbIndex: number;
  readonly entries: readonly MigrateEntry[];
  /** Redis's may_retry: one retry on a new connection after a socket error that is no timeout. */
  mayRetry: boolean;
}

/** A cached connection (migrateCachedSocket). */
interface CachedSocket {
  readonly name: string;
  readonly connection: Connection;
  /** The database the target has selected on it, -1n when unknown (Redis's last_dbid). */
  lastDbid: bigint;
  lastUseMs: number;
  closed: boolean;
  /** Bytes received and not yet read as reply lines. */
  received: Buffer;
  /** Told when bytes arrive or the connection closes, while an exchange waits on it. */
  wake: (() => void) | undefined;
}

/** How an exchange ended: the lines read, and why reading stopped early if it did. */
interface ExchangeResult {
  readonly lines: readonly string[];
  readonly failure: 'none' | 'closed' | 'timeout';
  readonly writing: boolean;
}

/**
 * What connecting gave. Redis's connBlockingConnect fails only when the connect call itself fails
 * (an unresolvable host: "connecting to the client"); a refused or timed-out connection is
 * "connected" and breaks on the first write.
 */
type ConnectOutcome =
  | { readonly kind: 'connected'; readonly socket: CachedSocket }
  | { readonly kind: 'broken'; readonly failure: 'closed' | 'timeout' }
  | { readonly kind: 'unreachable' };

function connectFailure(code: NetError['code']): ConnectOutcome {
  if (code === 'ETIMEDOUT') return { kind: 'broken', failure: 'timeout' };
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET')
    return { kind: 'broken', failure: 'closed' };
  return { kind: 'unreachable' };
}

const migrators = new WeakMap<ServerNode, Migrator>();

function migratorOf(node: ServerNode): Migrator {
  let migrator = migrators.get(node);
  if (migrator === undefined) {
    migrator = new Migrator(node);
    migrators.set(node, migrator);
  }
  return migrator;
}

/** INFO's migrate_cached_sockets: the connections this node keeps open for MIGRATE. */
export function migrateCachedSocketCount(node: ServerNode): number {
  return migrators.get(node)?.cachedCount() ?? 0;
}

class Migrator {
  private readonly node: ServerNode;
  private readonly queue: MigrateJob[] = [];
  private running = false;
  private readonly cache = new Map<string, CachedSocket>();
  private sweepTimer: TimerId | undefined;

  constructor(node: ServerNode) {
    this.node = node;
  }

  cachedCount(): number {
    return this.cache.size;
  }

  enqueue(job: MigrateJob): void {
    this.queue.push(job);
    if (!this.running) this.runNext();
  }

  private runNext(): void {
    const job = this.queue.shift();
    if (job === undefined) {
      this.running = false;
      return;
    }
    this.running = true;
    this.attempt(job);
  }

  /** One try: get a connection (try_again in migrateCommand), then the exchange. */
  private attempt(job: MigrateJob): void {
    this.socketFor(job.args, (outcome) => {
      if (outcome.kind === 'unreachable') {
        this.finish(job, (client) => this.node.replyError(client, IOERR_CONNECTING));
      } else if (outcome.kind === 'broken') {
        // Redis's blocking connect reports success for a refused or timed-out connect; the write
        // that follows fails (and is retried once unless it timed out), hence "writing".
        this.socketError(job, { lines: [], failure: outcome.failure, writing: true });
      } else this.exchange(job, outcome.socket);
    });
  }

  /** migrateGetSocket: the cached connection to host:port, or a new one within the timeout. */
  private socketFor(args: MigrateArgs, done: (outcome: ConnectOutcome) => void): void {
    const now = this.node.env.clock.monotonicMs();
    const cached = this.cache.get(args.cacheName);
    if (cached !== undefined && !cached.closed) {
      cached.lastUseMs = now;
      done({ kind: 'connected', socket: cached });
      return;
    }
    if (cached !== undefined) this.cache.delete(cached.name);
    if (this.cache.size >= MIGRATE_SOCKET_CACHE_ITEMS) {
      // Too many items: drop one at random, as Redis does (dictGetRandomKey).
      const names = [...this.cache.keys()];
      const victim = this.cache.get(names[this.node.env.random.int(names.length)] ?? '');
      if (victim !== undefined) this.close(victim);
    }
    // Redis prints the port for getaddrinfo: a negative one does not resolve, a larger one is
    // cut to 16 bits, and port 0 is refused (so Redis reports a failed write, see ConnectOutcome).
    // An empty host does not resolve either (node's connect would take it for localhost).
    if (args.port < 0 || args.host === '') {
      done({ kind: 'unreachable' });
      return;
    }
    const port = args.port & 0xffff;
    if (port === 0) {
      done({ kind: 'broken', failure: 'closed' });
      return;
    }
    const timers = this.node.env.timers;
    let settled = false;
    const timer = timers.after(args.timeoutMs, () => {
      if (settled) return;
      settled = true;
      done({ kind: 'broken', failure: 'timeout' });
    });
    this.node.env.network.connect(args.host, port, (result: NetResult<Connection>) => {
      if (settled) {
        // Connected after the timeout: nobody waits for it any more.
        if (result.ok) result.value.destroy();
        return;
      }
      settled = true;
      timers.cancel(timer);
      if (!result.ok) {
        done(connectFailure(result.error.code));
        return;
      }
      done({ kind: 'connected', socket: this.cacheConnection(args.cacheName, result.value) });
    });
  }

  private cacheConnection(name: string, connection: Connection): CachedSocket {
    const socket: CachedSocket = {
      name,
      connection,
      lastDbid: -1n,
      lastUseMs: this.node.env.clock.monotonicMs(),
      closed: false,
      received: Buffer.alloc(0),
      wake: undefined,
    };
    connection.onData((chunk) => {
      socket.received = Buffer.concat([socket.received, chunk]);
      if (socket.received.length > MIGRATE_RECEIVED_BYTES_MAX) {
        socket.received = Buffer.alloc(0);
        this.close(socket);
      }
      socket.wake?.();
    });
    connection.onClose(() => {
      socket.closed = true;
      if (this.cache.get(name) === socket) this.cache.delete(name);
      socket.wake?.();
    });
    this.cache.set(name, socket);
    this.scheduleSweep();
    return socket;
  }

  /** migrateCloseSocket: forgets and closes a cached connection. */
  private close(socket: CachedSocket): void {
    if (this.cache.get(socket.name) === socket) this.cache.delete(socket.name);
    socket.closed = true;
    socket.connection.destroy();
  }

  /** migrateCloseTimedoutSockets, once a second while anything is cached. */
  private scheduleSweep(): void {
    if (this.sweepTimer !== undefined) return;
    this.sweepTimer = this.node.env.timers.after(MIGRATE_CACHE_SWEEP_MS, () => {
      this.sweepTimer = undefined;
      const now = this.node.env.clock.monotonicMs();
      for (const socket of [...this.cache.values()]) {
        if (socket.wake !== undefined) continue;
        const stale = now - socket.lastUseMs > MIGRATE_SOCKET_CACHE_TTL_MS;
        if (stale || this.node.isStopped) this.close(socket);
      }
      if (this.cache.size > 0) this.scheduleSweep();
    });
  }

  /** Sends the commands in one write and reads one reply line per command sent. */
  private exchange(job: MigrateJob, socket: CachedSocket): void {
    const { args } = job;
    const select = socket.lastDbid !== args.dbid;
    const commands: (readonly (Buffer | string)[])[] = [];
    if (args.password !== undefined) {
      const auth: (Buffer | string)[] = ['AUTH'];
      if (args.username !== undefined) auth.push(args.username);
      auth.push(args.password);
      commands.push(auth);
    }
    if (select) commands.push(['SELECT', args.dbid.toString()]);
    for (const entry of job.entries) {
      const restore = ['RESTORE', entry.arg, String(entry.ttlMs), entry.payload];
      if (args.replace) restore.push('REPLACE');
      commands.push(restore);
    }
    socket.connection.write(Buffer.concat(commands.map((argv) => encodeCommand(argv))));
    readLines(this.node, socket, commands.length, args.timeoutMs, (result) => {
      this.afterExchange(job, socket, select, result);
    });
  }

  /** The reply analysis of migrateCommand, from "Read the AUTH reply if needed" on. */
  private afterExchange(
    job: MigrateJob,
    socket: CachedSocket,
    select: boolean,
    result: ExchangeResult,
  ): void {
    const { args } = job;
    const lines = [...result.lines];
    const authLine = args.password !== undefined ? lines.shift() : '';
    const selectLine = select ? lines.shift() : '';
    if (authLine === undefined || selectLine === undefined) {
      this.socketError(job, result, socket);
      return;
    }
    let targetError: string | undefined;
    const acknowledged: MigrateEntry[] = [];
    let j = 0;
    for (; j < job.entries.length; j++) {
      const line = lines[j];
      if (line === undefined) break;
      const entry = job.entries[j];
      if (entry === undefined) break;
      const failed = authLine.startsWith('-') || selectLine.startsWith('-') || line.startsWith('-');
      if (failed) {
        if (targetError === undefined) {
          socket.lastDbid = -1n;
          const source = authLine.startsWith('-')
            ? authLine
            : selectLine.startsWith('-')
              ? selectLine
              : line;
          targetError = `ERR Target instance replied with error: ${source.slice(1)}`;
        }
      } else if (!args.copy) acknowledged.push(entry);
    }
    const socketError = j < job.entries.length;
    if (targetError === undefined && socketError && j === 0 && job.mayRetry) {
      if (result.failure !== 'timeout') {
        this.socketError(job, result, socket);
        return;
      }
    }
    if (socketError) this.close(socket);
    this.deleteAcknowledged(job, acknowledged);
    if (targetError === undefined && !socketError) socket.lastDbid = args.dbid;
    this.finish(job, (client) => {
      if (targetError !== undefined) this.node.replyError(client, targetError);
      else if (socketError) this.node.replyError(client, ioError(result.writing));
      else client.reply.simple('OK');
    });
  }

  /** socket_err: close the connection, retry once unless it timed out, else reply IOERR. */
  private socketError(job: MigrateJob, result: ExchangeResult, socket?: CachedSocket): void {
    if (socket !== undefined) this.close(socket);
    if (result.failure !== 'timeout' && job.mayRetry) {
      job.mayRetry = false;
      this.attempt(job);
      return;
    }
    this.finish(job, (client) => this.node.replyError(client, ioError(result.writing)));
  }

  /**
   * Deletes the keys the target acknowledged (those not changed since they were read) and
   * propagates one DEL of them, in a propagation call of its own as a command's would be.
   */
  private deleteAcknowledged(job: MigrateJob, acknowledged: readonly MigrateEntry[]): void {
    const node = this.node;
    const db = node.databases[job.dbIndex];
    if (db === undefined || acknowledged.length === 0 || node.isStopped) return;
    const unchanged = acknowledged.filter((entry) => !entry.watcher.watchDirty);
    if (unchanged.length === 0) return;
    node.persistence.beforeWrite(
      db,
      unchanged.map((entry) => entry.key),
    );
    const propagation = node.propagation;
    propagation.beginCall();
    const argv: Buffer[] = [Buffer.from('DEL')];
    for (const entry of unchanged) {
      if (!db.delete(entry.key)) continue;
      node.keyModified(db, entry.key);
      argv.push(entry.arg);
    }
    if (argv.length > 1) propagation.add(job.dbIndex, argv);
    const offsetBefore = node.repl.masterReplOffset;
    propagation.endCall();
    if (node.repl.masterReplOffset !== offsetBefore) job.client.woff = node.repl.masterReplOffset;
  }

  /** Ends the job: watches dropped, the client's reply given (if it is still there), next job. */
  private finish(job: MigrateJob, reply: (client: Client) => void): void {
    for (const entry of job.entries) this.node.watches.unwatchAll(entry.watcher);
    resumeSuspendedClient(this.node, job.client, reply);
    this.runNext();
  }
}

function ioError(writing: boolean): string {
  return `IOERR error or timeout ${writing ? 'writing' : 'reading'} to target instance`;
}

/**
 * Reads `count` reply lines as connSyncReadLine does (up to '\n', a trailing '\r' dropped, at
 * most MIGRATE_REPLY_LINE_BYTES_MAX bytes, an empty line being an error), giving up when the
 * connection closes or nothing arrives for `timeoutMs`.
 */
function readLines(
  node: ServerNode,
  socket: CachedSocket,
  count: number,
  timeoutMs: number,
  done: (result: ExchangeResult) => void,
): void {
  const lines: string[] = [];
  const timers = node.env.timers;
  let timer: TimerId | undefined;
  const end = (failure: ExchangeResult['failure']) => {
    if (timer !== undefined) timers.cancel(timer);
    socket.wake = undefined;
    socket.lastUseMs = node.env.clock.monotonicMs();
    const writing = failure === 'timeout' && socket.connection.bufferedBytes() > 0;
    done({ lines, failure, writing });
  };
  const arm = () => {
    if (timer !== undefined) timers.cancel(timer);
    timer = timers.after(timeoutMs, () => {
      timer = undefined;
      end('timeout');
    });
  };
  const pump = () => {
    while (lines.length < count) {
      const line = takeLine(socket);
      if (line === undefined) break;
      if (line.bytesRead === 0) {
        end('closed');
        return;
      }
      lines.push(line.text);
    }
    if (lines.length === count) end('none');
    else if (socket.closed) end('closed');
    else arm();
  };
  socket.wake = pump;
  pump();
}

/**
 * One line from the received bytes (see readLines), or undefined if it is not complete yet.
 * `bytesRead` counts a dropped '\r', as syncReadLine's return value does.
 */
function takeLine(socket: CachedSocket): { text: string; bytesRead: number } | undefined {
  const bytes = socket.received;
  const limit = Math.min(bytes.length, MIGRATE_REPLY_LINE_BYTES_MAX);
  const newline = bytes.subarray(0, limit).indexOf(0x0a);
  if (newline < 0 && limit < MIGRATE_REPLY_LINE_BYTES_MAX) return undefined;
  const taken = newline < 0 ? limit : newline + 1;
  const read = bytes.subarray(0, newline < 0 ? limit : newline).toString('latin1');
  socket.received = bytes.subarray(taken);
  const text = newline >= 0 && read.endsWith('\r') ? read.slice(0, -1) : read;
  return { text, bytesRead: read.length };
}
