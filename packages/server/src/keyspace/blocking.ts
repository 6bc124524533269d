/**
 * Clients blocked on keys (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH; later BZPOPMIN and friends), as
 * Redis 7.0's blocked.c. The node owns one registry; the blocking commands register here, and the
 * client I/O layer asks it what to do after each command.
 *
 * The life of a blocked client:
 *
 *   running --block()--> blocked --served / timed out--> unblocked (queued) --resume--> running
 *                           |
 *                           +--removeClient() (disconnect, kill)--> gone (nothing replied)
 *
 * - block(): a blocking command found nothing to pop and may block (not inside MULTI, see
 *   `Client.denyBlocking`). It writes no reply; the client is marked `blocked`, and client-io stops
 *   running its further requests, which wait in its parser exactly as Redis leaves them in the
 *   query buffer.
 * - signalKeyAsReady(): a command pushed to a key someone waits on (Redis calls it from dbAdd;
 *   here list pushes call it, and so must anything else that creates a list, zset... under a key).
 * - handleReadyKeys(): called after every command (processCommand -> handleClientsBlockedOnKeys).
 *   Ready keys are taken in the order they became ready; for each, the clients blocked on it are
 *   tried in the order they blocked (FIFO). A client's `serve` callback pops what it waits for,
 *   writes its reply and propagates the plain form of its command (BLPOP -> LPOP key) as an
 *   operation of its own; it returns false if the key holds nothing for it (empty, deleted, another
 *   type), and the next client is tried. A serve may push to another key (BLMOVE's destination):
 *   that key becomes ready and is handled in the next round of the same call, so chains of BLMOVE
 *   are served at once, as in Redis.
 * - timeout: a timer from the Env (never setTimeout) replies a null array (RESP2 `*-1`, RESP3 `_`)
 *   for every blocking type, as replyToBlockedClientTimedOut does, and unblocks the client.
 * - processUnblocked(): at the end of the current event (after the pusher's replies are flushed),
 *   every unblocked client gets its reply flushed and its pipelined requests run (Redis's
 *   processUnblockedClients in beforeSleep). Those requests may block the client again.
 *
 * Invariants: a client is blocked at most once (`byClient`), every key it waits on lists it exactly
 * once, and `client.blocked` is true exactly while it is in `byClient`.
 */
import { assert, type TimerId, type Timers } from '@replisim/base';
import type { Client } from '../client.js';

/** Tries to serve a blocked client from `key`; true if it replied (it is then unblocked). */
export type ServeBlocked = (key: string) => boolean;

interface BlockedRequest {
  readonly client: Client;
  readonly dbIndex: number;
  readonly keys: readonly string[];
  readonly serve: ServeBlocked;
  readonly timer: TimerId | undefined;
}

interface ReadyKey {
  readonly dbIndex: number;
  readonly key: string;
}

export interface BlockingHooks {
  readonly timers: Timers;
  /** Flushes an unblocked client's reply, then runs the requests it pipelined while blocked. */
  readonly resume: (client: Client) => void;
}

/** Identifies a key across databases: the index cannot contain a space. */
function slotOf(dbIndex: number, key: string): string {
  return `${dbIndex} ${key}`;
}

export class BlockingRegistry {
  private readonly hooks: BlockingHooks;
  private readonly byClient = new Map<Client, BlockedRequest>();
  /** Per key, the requests waiting on it in the order they blocked. */
  private readonly byKey = new Map<string, BlockedRequest[]>();
  private readyKeys: ReadyKey[] = [];
  private readonly readySlots = new Set<string>();
  private readonly unblocked: Client[] = [];
  private serving = false;
  private draining = false;

  constructor(hooks: BlockingHooks) {
    this.hooks = hooks;
  }

  /** INFO's blocked_clients. */
  get blockedCount(): number {
    return this.byClient.size;
  }

  /**
   * Blocks `client` on `keys` of database `dbIndex` until one can serve it or `timeoutMs` passes
   * (0 = forever). The caller has checked that the client may block and writes no reply.
   */
  block(
    client: Client,
    dbIndex: number,
    keys: readonly string[],
    timeoutMs: number,
    serve: ServeBlocked,
  ): void {
    assert(!this.byClient.has(client), 'a client blocks once at a time');
    assert(!client.denyBlocking, 'a client that may not block must not reach block()');
    assert(keys.length > 0, 'a client blocks on at least one key');
    assert(timeoutMs >= 0, 'timeouts are checked before blocking');
    const timer =
      timeoutMs > 0 ? this.hooks.timers.after(timeoutMs, () => this.timedOut(client)) : undefined;
    const unique = [...new Set(keys)];
    const request: BlockedRequest = { client, dbIndex, keys: unique, serve, timer };
    this.byClient.set(client, request);
    for (const key of unique) {
      const slot = slotOf(dbIndex, key);
      const waiting = this.byKey.get(slot);
      if (waiting === undefined) this.byKey.set(slot, [request]);
      else waiting.push(request);
    }
    client.blocked = true;
  }

  /** Something was pushed to `key`: if a client waits on it, serve it after the current command. */
  signalKeyAsReady(dbIndex: number, key: string): void {
    const slot = slotOf(dbIndex, key);
    if (!this.byKey.has(slot) || this.readySlots.has(slot)) return;
    this.readySlots.add(slot);
    this.readyKeys.push({ dbIndex, key });
  }

  /**
   * Every key of database `dbIndex` that a client waits on and that `exists` now becomes ready
   * (Redis's scanDatabaseForReadyKeys, after SWAPDB).
   */
  signalDatabase(dbIndex: number, exists: (key: string) => boolean): void {
    const prefix = slotOf(dbIndex, '');
    for (const slot of [...this.byKey.keys()]) {
      if (!slot.startsWith(prefix)) continue;
      const key = slot.slice(prefix.length);
      if (exists(key)) this.signalKeyAsReady(dbIndex, key);
    }
  }

  /** Serves the clients blocked on ready keys (handleClientsBlockedOnKeys). Cheap when none. */
  handleReadyKeys(): void {
    if (this.readyKeys.length === 0 || this.serving) return;
    this.serving = true;
    // Every round serves at least one client or empties the list, so the blocked count bounds it.
    let roundsLeft = this.byClient.size + 1;
    while (this.readyKeys.length > 0) {
      assert(roundsLeft-- > 0, 'ready-key rounds exceed the blocked clients');
      const batch = this.readyKeys;
      this.readyKeys = [];
      for (const ready of batch) this.serveKey(ready);
    }
    this.serving = false;
  }

  /**
   * CLIENT UNBLOCK: ends `client`'s wait now with `reply` (the timeout's null array, or an error)
   * and resumes it at the end of the event. False if it is not blocked on keys.
   */
  unblock(client: Client, reply: (client: Client) => void): boolean {
    const request = this.byClient.get(client);
    if (request === undefined) return false;
    this.forget(request);
    reply(client);
    this.unblocked.push(client);
    return true;
  }

  /** The timeout's reply (replyToBlockedClientTimedOut): a null array for every blocking type. */
  static timeoutReply(client: Client): void {
    client.reply.nullArray();
  }

  /** Forgets a client that disconnected or was killed while blocked; nothing is replied. */
  removeClient(client: Client): void {
    const request = this.byClient.get(client);
    if (request !== undefined) this.forget(request);
  }

  /**
   * Resumes every client unblocked so far, in the order they were unblocked. Call it at the end of
   * an event, after the current client's replies went out.
   */
  processUnblocked(): void {
    if (this.draining) return;
    this.draining = true;
    for (
      let client = this.unblocked.shift();
      client !== undefined;
      client = this.unblocked.shift()
    ) {
      if (!client.closing) this.hooks.resume(client);
    }
    this.draining = false;
  }

  private serveKey(ready: ReadyKey): void {
    const slot = slotOf(ready.dbIndex, ready.key);
    this.readySlots.delete(slot);
    const waiting = this.byKey.get(slot);
    if (waiting === undefined) return;
    // A snapshot: serving unblocks clients, which edits the live list.
    for (const request of [...waiting]) {
      if (this.byClient.get(request.client) !== request) continue;
      if (!request.serve(ready.key)) continue;
      this.forget(request);
      this.unblocked.push(request.client);
    }
  }

  private timedOut(client: Client): void {
    const request = this.byClient.get(client);
    if (request === undefined) return;
    this.forget(request);
    BlockingRegistry.timeoutReply(client);
    this.unblocked.push(client);
    this.processUnblocked();
  }

  private forget(request: BlockedRequest): void {
    assert(
      this.byClient.get(request.client) === request,
      'forgetting a request that is not current',
    );
    this.byClient.delete(request.client);
    if (request.timer !== undefined) this.hooks.timers.cancel(request.timer);
    for (const key of request.keys) {
      const slot = slotOf(request.dbIndex, key);
      const waiting = this.byKey.get(slot);
      assert(waiting !== undefined, 'a blocked client is listed under each of its keys');
      const rest = waiting.filter((other) => other !== request);
      assert(rest.length === waiting.length - 1, 'a blocked client is listed once per key');
      if (rest.length === 0) this.byKey.delete(slot);
      else this.byKey.set(slot, rest);
    }
    request.client.blocked = false;
  }
}
