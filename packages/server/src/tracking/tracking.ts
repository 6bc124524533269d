/**
 * Client-side caching (Redis 7.0's tracking.c): which keys tracking clients have read, and the
 * invalidation messages sent when those keys change. The node owns one `Tracking`; CLIENT
 * TRACKING / CACHING switch clients in and out (commands/connection/client-tracking.ts), call()
 * reports reads, and the node's change hooks report writes, expiries, evictions and flushes.
 *
 * Two modes, as in Redis:
 * - Default: every key a tracking client reads (the keys of a read-only command, whatever its
 *   result) is remembered in the tracking table, key -> client ids. The first change of the key
 *   sends each of those clients one invalidation and forgets the key, so a client hears about a
 *   key once per read. Keys are names only: a change in any database invalidates the name.
 * - BCAST: a client names prefixes and hears about every changed key that starts with one, read
 *   or not. Changed keys are collected per prefix and sent once per event-loop iteration
 *   (Redis's beforeSleep): here at the end of the client turn that changed them
 *   (client-io.ts), or, for changes made outside a turn (the cron's expiry, a master's stream),
 *   by a 0 ms Env timer, which runs after the events already queued, so the simulator replays.
 *
 * Delivery (sendTrackingMessage): a RESP3 push `invalidate [keys]` on the client itself or on its
 * REDIRECT client; a RESP2 REDIRECT client subscribed to `__redis__:invalidate` gets a Pub/Sub
 * message instead; anything else gets nothing. A redirect client that went away sets the
 * client's broken-redirect flag and, in RESP3, pushes `tracking-redir-broken <id>`. A change the
 * tracking client itself makes while running a command is queued and sent after the command's
 * reply (Redis's tracking_pending_keys), so a transaction's or script's reply is never cut.
 *
 * The table is bounded by `tracking-table-max-keys`: past it, random keys are invalidated before
 * each command and on each cron tick, with Redis's growing effort, as trackingLimitUsedSlots
 * does. Which keys go is drawn from the node's seeded random source (Redis walks its radix tree
 * at random), so it differs from Redis but replays in the simulator.
 */
import { assert, type Random } from '@replisim/base';
import type { Client } from '../client.js';
import { declaredKeys } from '../commands/call.js';
import type { Command } from '../commands/types.js';
import type { ClientTracking } from './client-state.js';

/** The Pub/Sub channel a RESP2 redirect client receives invalidations on. */
export const INVALIDATE_CHANNEL = '__redis__:invalidate';

/** Keys invalidated per table-limit pass before the effort grows (Redis: 100 per pass). */
const LIMIT_EFFORT_PER_PASS = 100;

/** Read-only script commands whose own keys are not remembered: the script's reads are. */
const SCRIPT_RO_COMMANDS: ReadonlySet<string> = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

/** The modes CLIENT TRACKING ON sets besides the redirect and prefixes. */
export interface TrackingOptions {
  readonly bcast: boolean;
  readonly optin: boolean;
  readonly optout: boolean;
  readonly noloop: boolean;
}

/** What the tracking state needs from its node. */
export interface TrackingHost {
  readonly clients: ReadonlyMap<number, Client>;
  readonly random: Random;
  /** tracking-table-max-keys, read when needed (CONFIG SET may change it). */
  maxKeys(): number;
  /** Sends a client's pending output (client-io's flushClient). */
  flush(client: Client): void;
  /** Runs `callback` after the events already queued (the Env's 0 ms timer). */
  later(callback: () => void): void;
}

/** A prefix of BCAST clients: its clients and the keys changed since the last broadcast. */
interface PrefixState {
  readonly clients: Set<Client>;
  /** Changed key -> the client that changed it last (null for expiry, eviction), for NOLOOP. */
  keys: Map<string, Client | null>;
}

/** One call() in progress: the command and who runs it (a script's commands run as its client). */
interface CallFrame {
  readonly client: Client;
  readonly command: Command;
  readonly argv: readonly Buffer[];
}

/** What an invalidation carries: one key, or a value already encoded (BCAST arrays, a null). */
type Payload = { readonly key: string } | { readonly encoded: Buffer };

const NULL_RESP2 = Buffer.from('$-1\r\n');
const NULL_RESP3 = Buffer.from('_\r\n');

export class Tracking {
  private readonly host: TrackingHost;
  /** Redis's TrackingTable: key -> ids of the clients that read it. */
  private readonly table = new Map<string, Set<number>>();
  /** TrackingTableTotalItems: the sum of the id sets' sizes. */
  private items = 0;
  /** PrefixTable: BCAST prefix -> its state. */
  private readonly prefixTable = new Map<string, PrefixState>();
  /** server.tracking_clients. */
  private clientsOn = 0;
  /** Keys (null for a flush) to send the current client after its command's reply. */
  private pending: (string | null)[] = [];
  private readonly frames: CallFrame[] = [];
  /** The limit pass's effort multiplier (Redis's static timeout_counter). */
  private limitPasses = 0;
  private broadcastScheduled = false;
  /** Redis's server.current_client: whose request the node is processing, if any. */
  currentClient: Client | undefined = undefined;

  constructor(host: TrackingHost) {
    this.host = host;
  }

  /** INFO's tracking_clients. */
  get clientCount(): number {
    return this.clientsOn;
  }

  /** INFO's tracking_total_keys. */
  get totalKeys(): number {
    return this.table.size;
  }

  /** INFO's tracking_total_items. */
  get totalItems(): number {
    return this.items;
  }

  /** INFO's tracking_total_prefixes. */
  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  /** enableTracking: the options were checked by CLIENT TRACKING. */
  enable(client: Client, redirect: number, options: TrackingOptions, prefixes: string[]): void {
    const state = client.tracking;
    if (!state.on) this.clientsOn++;
    state.on = true;
    state.brokenRedirect = false;
    state.bcast = options.bcast;
    state.redirect = redirect;
    if (options.bcast) {
      if (prefixes.length === 0) this.enablePrefix(client, '');
      for (const prefix of prefixes) this.enablePrefix(client, prefix);
    }
    state.optin = options.optin;
    state.optout = options.optout;
    state.noloop = options.noloop;
  }

  private enablePrefix(client: Client, prefix: string): void {
    let prefixState = this.prefixTable.get(prefix);
    if (prefixState === undefined) {
      prefixState = { clients: new Set(), keys: new Map() };
      this.prefixTable.set(prefix, prefixState);
    }
    if (prefixState.clients.has(client)) return;
    prefixState.clients.add(client);
    const own = client.tracking.prefixes;
    own.push(prefix);
    own.sort(compareBytes);
  }

  /** disableTracking (CLIENT TRACKING OFF, RESET, a closed connection). Ids stay in the table. */
  disable(client: Client): void {
    const state = client.tracking;
    if (state.bcast) {
      for (const prefix of state.prefixes) {
        const prefixState = this.prefixTable.get(prefix);
        assert(prefixState !== undefined, 'a client prefix is in the prefix table');
        prefixState.clients.delete(client);
        if (prefixState.clients.size === 0) this.prefixTable.delete(prefix);
      }
    }
    if (state.on) {
      this.clientsOn--;
      assert(this.clientsOn >= 0, 'tracking clients never go negative');
      state.reset();
    }
  }

  /**
   * checkPrefixCollisionsOrReply: the error when a new prefix overlaps one the client has or
   * another new one (one is a prefix of the other, or they are equal), else undefined.
   */
  prefixCollision(state: ClientTracking, prefixes: readonly string[]): string | undefined {
    for (let i = 0; i < prefixes.length; i++) {
      const prefix = prefixes[i] ?? '';
      for (const existing of state.prefixes) {
        if (overlaps(existing, prefix)) {
          return `ERR Prefix '${cString(prefix)}' overlaps with an existing prefix '${cString(existing)}'. Prefixes for a single client must not overlap.`;
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        const other = prefixes[j] ?? '';
        if (overlaps(prefix, other)) {
          return `ERR Prefix '${cString(prefix)}' overlaps with another provided prefix '${cString(other)}'. Prefixes for a single client must not overlap.`;
        }
      }
    }
    return undefined;
  }

  /**
   * Whether call() must go through runCall: some client tracks (its reads are remembered, and its
   * own changes wait for its reply), or a call that began through runCall is still running (the
   * frames must nest). With nobody tracking, call() runs the command directly: no frame, no
   * closure on the hot path.
   */
  get framing(): boolean {
    return this.clientsOn > 0 || this.frames.length > 0;
  }

  /**
   * Runs one call() of `command`, then remembers what it read (Redis's call(): keys of read-only
   * commands, except the read-only script commands, whose scripts' reads count instead).
   */
  runCall<T>(client: Client, command: Command, argv: readonly Buffer[], run: () => T): T {
    const frame: CallFrame = { client, command, argv };
    this.frames.push(frame);
    try {
      const result = run();
      const remember = this.clientsOn > 0 && command.flags.includes('readonly');
      if (remember && !SCRIPT_RO_COMMANDS.has(command.fullName)) {
        this.rememberRead();
      }
      return result;
    } finally {
      const popped = this.frames.pop();
      assert(popped === frame, 'call frames nest');
    }
  }

  /**
   * trackingRememberKeys for the innermost call. A command run by a script (its client differs
   * from the enclosing call's) counts for the script's caller, with the keys the script declared
   * (Redis takes them from the caller's argv, EVAL's numkeys keys).
   */
  private rememberRead(): void {
    const frame = this.frames[this.frames.length - 1];
    if (frame === undefined) return;
    const outer = this.frames[this.frames.length - 2];
    const source = outer !== undefined && outer.client !== frame.client ? outer : frame;
    const state = source.client.tracking;
    if (!state.on || state.bcast) return;
    if ((state.optin && !state.caching) || (state.optout && state.caching)) return;
    const id = source.client.id;
    const keys =
      source === frame ? declaredKeys(frame.command, frame.argv) : scriptKeys(source.argv);
    for (const key of keys) {
      let ids = this.table.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.table.set(key, ids);
      }
      if (!ids.has(id)) {
        ids.add(id);
        this.items++;
      }
    }
  }

  /** The client of the innermost call() (Redis's `c` in signalModifiedKey), if any. */
  get executingClient(): Client | null {
    return this.frames[this.frames.length - 1]?.client ?? null;
  }

  /**
   * trackingInvalidateKey: `key` changed. Every default-mode client that read it is told (NOLOOP
   * skips the current client's own changes) and the key is forgotten; with `bcast`, the key is
   * also collected for the BCAST prefixes it starts with, noting `modifier` for NOLOOP.
   */
  invalidateKey(key: string, bcast: boolean, modifier: Client | null): void {
    if (bcast && this.prefixTable.size > 0) this.rememberForBroadcast(key, modifier);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    const current = this.currentClient;
    for (const id of ids) {
      const target = this.host.clients.get(id);
      if (target === undefined || !target.tracking.on || target.tracking.bcast) continue;
      if (target.tracking.noloop && target === current) continue;
      if (target === current && this.frames.length > 0) this.pending.push(key);
      else this.send(target, { key });
    }
    this.items -= ids.size;
    this.table.delete(key);
  }

  private rememberForBroadcast(key: string, modifier: Client | null): void {
    for (const [prefix, state] of this.prefixTable) {
      if (!key.startsWith(prefix)) continue;
      state.keys.set(key, modifier);
      if (!this.broadcastScheduled) {
        this.broadcastScheduled = true;
        this.host.later(() => this.broadcast());
      }
    }
  }

  /**
   * trackingInvalidateKeysOnFlush (FLUSHALL, FLUSHDB, a full sync, DEBUG RELOAD): every tracking
   * client gets a null invalidation, in its own protocol's null, and the table is emptied.
   */
  invalidateAllOnFlush(): void {
    if (this.clientsOn > 0) {
      for (const client of this.host.clients.values()) {
        if (!client.tracking.on) continue;
        if (client === this.currentClient) this.pending.push(null);
        else this.send(client, { encoded: nullOf(client) });
      }
    }
    this.table.clear();
    this.items = 0;
  }

  /**
   * After a request (processCommand and call's afterCommand): the invalidations the current
   * client caused to itself follow its reply; CLIENT CACHING lasts one command, or the
   * transaction it precedes, and any CLIENT subcommand keeps it (Redis's resetClient).
   */
  afterRequest(client: Client, commandName: () => string): void {
    const pending = this.pending;
    if (pending.length > 0) {
      this.pending = [];
      for (const key of pending) {
        this.send(client, key === null ? { encoded: nullOf(client) } : { key });
      }
    }
    // The name is looked up only when there is a CACHING to keep or drop (every command runs this).
    if (!client.tracking.caching || client.transaction !== undefined) return;
    const name = commandName();
    if (name !== 'client' && !name.startsWith('client|')) client.tracking.caching = false;
  }

  /**
   * trackingBroadcastInvalidationMessages (Redis's beforeSleep): for each prefix in byte order,
   * the keys changed since the last call, in byte order, go to its clients as one array; a
   * NOLOOP client's array leaves out the keys it changed last itself.
   */
  broadcast(): void {
    // Nothing was collected since the last broadcast (the common case, after every turn).
    if (!this.broadcastScheduled) return;
    this.broadcastScheduled = false;
    if (this.clientsOn === 0) {
      for (const state of this.prefixTable.values()) state.keys.clear();
      return;
    }
    const prefixes = [...this.prefixTable.keys()].sort(compareBytes);
    for (const prefix of prefixes) {
      const state = this.prefixTable.get(prefix);
      if (state === undefined || state.keys.size === 0) continue;
      const keys = [...state.keys].sort((a, b) => compareBytes(a[0], b[0]));
      state.keys = new Map();
      const shared = encodeKeys(keys, undefined);
      for (const client of state.clients) {
        const encoded = client.tracking.noloop ? encodeKeys(keys, client) : shared;
        if (encoded !== undefined) this.send(client, { encoded });
      }
    }
  }

  /**
   * trackingLimitUsedSlots: while the table holds more than tracking-table-max-keys keys,
   * invalidates random ones, at most LIMIT_EFFORT_PER_PASS times the passes that ended over the
   * limit in a row.
   */
  limitTableKeys(): void {
    const maxKeys = this.host.maxKeys();
    if (maxKeys === 0) return;
    if (this.table.size <= maxKeys) {
      this.limitPasses = 0;
      return;
    }
    let effort = LIMIT_EFFORT_PER_PASS * (this.limitPasses + 1);
    const keys = [...this.table.keys()];
    while (effort > 0 && keys.length > 0) {
      effort--;
      const index = this.host.random.int(keys.length);
      const key = keys[index] ?? '';
      keys[index] = keys[keys.length - 1] ?? '';
      keys.pop();
      this.invalidateKey(key, false, null);
      if (this.table.size <= maxKeys) {
        this.limitPasses = 0;
        return;
      }
    }
    this.limitPasses++;
  }

  /** sendTrackingMessage: to the client, or to its redirect client (see the module doc). */
  private send(client: Client, payload: Payload): void {
    let target = client;
    const state = client.tracking;
    const redirected = state.redirect !== 0;
    if (redirected) {
      const redirect = this.host.clients.get(state.redirect);
      if (redirect === undefined) {
        state.brokenRedirect = true;
        if (client.protocol === 3) {
          client.reply.pushHeader(2);
          client.reply.bulk('tracking-redir-broken');
          client.reply.integer(state.redirect);
          this.flushUnlessCurrent(client);
        }
        return;
      }
      target = redirect;
    }
    const reply = target.reply;
    if (target.protocol === 3) {
      reply.pushHeader(2);
      reply.bulk('invalidate');
    } else if (redirected && target.subscriptions.total > 0) {
      reply.arrayHeader(3);
      reply.bulk('message');
      reply.bulk(INVALIDATE_CHANNEL);
    } else {
      return;
    }
    if ('key' in payload) {
      reply.arrayHeader(1);
      reply.bulk(Buffer.from(payload.key, 'latin1'));
    } else {
      reply.raw(payload.encoded);
    }
    this.flushUnlessCurrent(target);
  }

  /** Another client's output goes out now; the current client's with its own replies. */
  private flushUnlessCurrent(client: Client): void {
    if (client !== this.currentClient) this.host.flush(client);
  }
}

/**
 * The keys a script command declared (EVAL* and FCALL*: `numkeys` keys after the script or
 * function name), which Redis's getKeysFromCommand gives for the script's caller.
 */
function scriptKeys(argv: readonly Buffer[]): string[] {
  const count = Number(argv[2]?.toString('latin1') ?? '0');
  if (!Number.isSafeInteger(count) || count <= 0) return [];
  return argv.slice(3, 3 + count).map((key) => key.toString('latin1'));
}

/** Byte order of latin1 strings (one char per byte), as a radix tree walks its keys. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** stringCheckPrefix: whether the shorter of the two is a prefix of the longer. */
function overlaps(a: string, b: string): boolean {
  const length = Math.min(a.length, b.length);
  return a.slice(0, length) === b.slice(0, length);
}

/** A prefix as Redis's %s prints it into an error: up to its first NUL byte. */
function cString(text: string): string {
  const nul = text.indexOf('\u0000');
  return nul < 0 ? text : text.slice(0, nul);
}

function nullOf(client: Client): Buffer {
  return client.protocol === 3 ? NULL_RESP3 : NULL_RESP2;
}

/**
 * trackingBuildBroadcastReply: the keys as a RESP array, leaving out those `excluded` changed
 * last; undefined when that leaves nothing.
 */
function encodeKeys(
  keys: readonly (readonly [string, Client | null])[],
  excluded: Client | undefined,
): Buffer | undefined {
  const kept = excluded === undefined ? keys : keys.filter(([, modifier]) => modifier !== excluded);
  if (excluded !== undefined && kept.length === 0) return undefined;
  const parts: Buffer[] = [Buffer.from(`*${kept.length}\r\n`)];
  for (const [key] of kept) {
    const bytes = Buffer.from(key, 'latin1');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}
