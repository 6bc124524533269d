/**
 * The propagation stream: every change to the dataset, as the deterministic commands Redis 7.0 would
 * send to its replicas and append to its AOF (reference §3.3). This is the producer; the replication
 * backlog, replica feeds and the AOF subscribe to it.
 *
 * A top-level command runs inside `beginCall`/`endCall`. What it changed is recorded with `add`
 * (the dispatcher adds the command itself, or the form the command rewrote itself into; lazy expiry
 * adds a DEL). At `endCall` the operations go out: one alone, or several wrapped in MULTI ... EXEC
 * with the first operation's database selected before MULTI, as propagatePendingCommands does. A
 * SELECT is emitted whenever the database differs from the last one sent. Offsets count every byte
 * of the stream, so a subscriber can tell exactly where an entry starts and ends.
 */
import { assert } from '@replisim/base';
import { encodeCommand, encodedCommandBytes } from '@replisim/protocol';

export type Argv = readonly (Buffer | string)[];

export interface PropagatedOperation {
  readonly dbIndex: number;
  readonly argv: Argv;
}

/** One chunk of the stream and where it ends (the offset of its last byte). */
export interface StreamChunk {
  readonly bytes: Buffer;
  readonly offsetEnd: number;
}

export type StreamListener = (chunk: StreamChunk) => void;

export class PropagationLog {
  /** Bytes emitted so far: the offset of the last byte of the stream. */
  offset = 0;
  /** The database the stream last selected, or -1 before the first SELECT. */
  private selectedDb = -1;
  private readonly listeners = new Set<StreamListener>();
  private pending: PropagatedOperation[] = [];
  private inCall = false;

  /** Subscribes to the stream; returns the unsubscribe function. */
  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The database the stream has selected, -1 when the next entry starts with SELECT. */
  get streamDb(): number {
    return this.selectedDb;
  }

  /** Forgets the selected database so the next entry starts with SELECT (a new replica, an AOF). */
  forceSelect(): void {
    this.selectedDb = -1;
  }

  beginCall(): void {
    assert(!this.inCall, 'propagation calls do not nest');
    assert(this.pending.length === 0, 'operations left over from a previous call');
    this.inCall = true;
  }

  /** Records an operation of the current call, or emits it at once outside a call (active expiry). */
  add(dbIndex: number, argv: Argv): void {
    assert(argv.length > 0, 'an empty command cannot be propagated');
    if (!this.inCall) {
      this.emit([{ dbIndex, argv }]);
      return;
    }
    this.pending.push({ dbIndex, argv });
  }

  /**
   * Emits an operation on its own, not wrapped with the current call's (an eviction's DEL, which
   * Redis sends through propagatePendingCommands at once, even from inside CONFIG SET). If the call
   * already recorded operations (CONFIG SET maxmemory inside EXEC), it joins them instead.
   */
  addAlone(dbIndex: number, argv: Argv): void {
    assert(argv.length > 0, 'an empty command cannot be propagated');
    if (this.inCall && this.pending.length > 0) {
      this.pending.push({ dbIndex, argv });
      return;
    }
    this.emit([{ dbIndex, argv }]);
  }

  /**
   * The database the stream last selected (0 before the first SELECT): DEBUG REPLICATE sends into
   * it, as Redis feeds replicas with server.slaveseldb.
   */
  lastSelectedDb(): number {
    return Math.max(this.selectedDb, 0);
  }

  isInCall(): boolean {
    return this.inCall;
  }

  /** Number of operations the current call has recorded so far. */
  pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Drops the operations recorded after the first `count` of the current call: what a script
   * wrote while redis.set_repl(redis.REPL_NONE) was in force is not propagated.
   */
  discardFrom(count: number): void {
    assert(this.inCall, 'discardFrom outside a call');
    assert(count <= this.pending.length, 'discardFrom past the recorded operations');
    this.pending.length = count;
  }

  /**
   * Removes and returns the current call's operations: a script that yields to the event loop
   * (busy-reply-threshold) keeps its writes and adds them back in the call that continues it, so
   * they still go out as one MULTI ... EXEC when it ends.
   */
  takePending(): PropagatedOperation[] {
    assert(this.inCall, 'takePending outside a call');
    const operations = this.pending;
    this.pending = [];
    return operations;
  }

  /**
   * Ends the call and emits its operations, wrapped in MULTI/EXEC when there are several. With
   * `wrap` false each goes out on its own (Redis's propagate_no_multi: the DELs of keys that
   * RANDOMKEY or SCAN found expired are not one atomic change).
   */
  endCall(wrap = true): void {
    assert(this.inCall, 'endCall without beginCall');
    this.inCall = false;
    const operations = this.pending;
    if (operations.length === 0) return;
    this.pending = [];
    if (wrap) this.emit(operations);
    else for (const operation of operations) this.emit([operation]);
  }

  private emit(operations: readonly PropagatedOperation[]): void {
    const first = operations[0];
    assert(first !== undefined, 'emit needs at least one operation');
    // With no subscriber (no replica, no AOF) only the offset moves: count the bytes, skip encoding.
    const parts: Buffer[] | null = this.listeners.size === 0 ? null : [];
    let bytes = 0;
    const wrap = operations.length > 1;
    if (wrap) {
      bytes += this.selectIfNeeded(first.dbIndex, parts);
      bytes += put(parts, MULTI);
    }
    for (const operation of operations) {
      bytes += this.selectIfNeeded(operation.dbIndex, parts);
      bytes += put(parts, operation.argv);
    }
    if (wrap) bytes += put(parts, EXEC);
    this.offset += bytes;
    if (parts === null) return;
    const chunk = { bytes: Buffer.concat(parts, bytes), offsetEnd: this.offset };
    for (const listener of this.listeners) listener(chunk);
  }

  /** Adds a SELECT when `dbIndex` is not the stream's database; returns its length (or 0). */
  private selectIfNeeded(dbIndex: number, parts: Buffer[] | null): number {
    if (dbIndex === this.selectedDb) return 0;
    this.selectedDb = dbIndex;
    return put(parts, ['SELECT', String(dbIndex)]);
  }
}

const MULTI: Argv = ['MULTI'];
const EXEC: Argv = ['EXEC'];

/** Appends the encoded command to `parts` (or only counts it when null); returns its length. */
function put(parts: Buffer[] | null, argv: Argv): number {
  if (parts === null) return encodedCommandBytes(argv);
  const encoded = encodeCommand(argv);
  parts.push(encoded);
  return encoded.length;
}
