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
import { encodeCommand } from '@replisim/protocol';

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

  isInCall(): boolean {
    return this.inCall;
  }

  /** Number of operations the current call has recorded so far. */
  pendingCount(): number {
    return this.pending.length;
  }

  endCall(): void {
    assert(this.inCall, 'endCall without beginCall');
    this.inCall = false;
    const operations = this.pending;
    this.pending = [];
    if (operations.length > 0) this.emit(operations);
  }

  private emit(operations: readonly PropagatedOperation[]): void {
    const parts: Buffer[] = [];
    const first = operations[0];
    assert(first !== undefined, 'emit needs at least one operation');
    const wrap = operations.length > 1;
    if (wrap) {
      this.selectIfNeeded(first.dbIndex, parts);
      parts.push(encodeCommand(['MULTI']));
    }
    for (const operation of operations) {
      this.selectIfNeeded(operation.dbIndex, parts);
      parts.push(encodeCommand([...operation.argv]));
    }
    if (wrap) parts.push(encodeCommand(['EXEC']));
    const bytes = Buffer.concat(parts);
    this.offset += bytes.length;
    const chunk = { bytes, offsetEnd: this.offset };
    for (const listener of this.listeners) listener(chunk);
  }

  private selectIfNeeded(dbIndex: number, parts: Buffer[]): void {
    if (dbIndex === this.selectedDb) return;
    parts.push(encodeCommand(['SELECT', String(dbIndex)]));
    this.selectedDb = dbIndex;
  }
}
