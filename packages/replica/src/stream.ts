/**
 * The replication stream as a replica reads it (Redis's master client): bytes in, whole commands
 * out, with the two offsets of reference §4.3.
 *
 * - readReplOffset (read_reploff) counts every byte received.
 * - replOffset (reploff) advances only after a whole command has been applied and never inside a
 *   MULTI: a transaction counts when its EXEC (or DISCARD) is done, as networking.c's
 *   commandProcessed does. The bytes between two positions of replOffset are exactly what the
 *   replica re-feeds to its own backlog and sub-replicas, so those bytes are kept until then.
 *
 * Bytes the parser skips (an empty inline line) count like a command's: they lie before the next
 * command's end, as they do in Redis's query buffer arithmetic.
 */
import { RequestParser } from '@replisim/protocol';

/** What the stream asks its owner to do with each command. */
export interface StreamSink {
  /**
   * Runs a command. REPLCONF GETACK is given here too: the owner answers it. False means the
   * command was postponed (a CLIENT PAUSE on this replica): the stream keeps it, stops, and runs
   * it first when `resume` is called.
   */
  command(argv: readonly Buffer[]): boolean;
  /** Whole commands were applied: `bytes` (outside MULTI) moved replOffset forward. */
  applied(bytes: Buffer): void;
}

/** The master is trusted: its commands may be as big as a client's bulk limit allows. */
const BULK_BYTES_MAX = 512 * 1024 * 1024;
const QUERY_BUFFER_BYTES_MAX = 1024 * 1024 * 1024;

export class CommandStream {
  readReplOffset: number;
  replOffset: number;
  private readonly parser = new RequestParser({
    bulkBytesMax: BULK_BYTES_MAX,
    queryBufferBytesMax: QUERY_BUFFER_BYTES_MAX,
  });
  /** Bytes received and not yet counted in replOffset, oldest first. */
  private unapplied: Buffer[] = [];
  /** Bytes fed to the parser so far (to tell how far it consumed). */
  private fedBytes = 0;
  /** The offset the parser's first byte has in the stream. */
  private readonly baseOffset: number;
  private inMulti = false;
  /** A command the sink postponed: it runs first on `resume`, before anything parsed after it. */
  private pending: readonly Buffer[] | undefined = undefined;
  private readonly sink: StreamSink;

  /** A stream whose next byte has offset `offset + 1`. */
  constructor(offset: number, sink: StreamSink) {
    this.readReplOffset = offset;
    this.replOffset = offset;
    this.baseOffset = offset;
    this.sink = sink;
  }

  /** Whether a MULTI from the master is open (its commands are not counted yet). */
  get insideMulti(): boolean {
    return this.inMulti;
  }

  /**
   * Feeds received bytes and applies every complete command. Returns a protocol error message if
   * the master sent something that is not a command (the link must then be dropped).
   */
  feed(chunk: Buffer): string | undefined {
    this.readReplOffset += chunk.length;
    this.fedBytes += chunk.length;
    this.unapplied.push(chunk);
    this.parser.feed(chunk);
    return this.drain();
  }

  /** Whether a postponed command waits for `resume`. */
  get held(): boolean {
    return this.pending !== undefined;
  }

  /**
   * Runs the postponed command, then every complete command received meanwhile (the master's
   * stream waited in the query buffer, as Redis leaves it while the master client is blocked).
   */
  resume(): string | undefined {
    return this.drain();
  }

  private drain(): string | undefined {
    for (;;) {
      let argv = this.pending;
      if (argv === undefined) {
        const request = this.parser.next();
        if (request.kind === 'incomplete') return undefined;
        if (request.kind === 'error') return request.message;
        argv = request.argv;
      }
      if (!this.sink.command(argv)) {
        this.pending = argv;
        return undefined;
      }
      this.pending = undefined;
      const name = (argv[0] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
      if (name === 'multi') this.inMulti = true;
      else if (name === 'exec' || name === 'discard') this.inMulti = false;
      if (!this.inMulti) this.advance();
    }
  }

  /** The offset of the last byte the parser consumed. */
  private consumedOffset(): number {
    return this.baseOffset + this.fedBytes - this.parser.bufferedBytes();
  }

  private advance(): void {
    const target = this.consumedOffset();
    const count = target - this.replOffset;
    if (count <= 0) return;
    this.replOffset = target;
    this.sink.applied(this.take(count));
  }

  /** Removes and returns the oldest `count` unapplied bytes. */
  private take(count: number): Buffer {
    const parts: Buffer[] = [];
    let left = count;
    while (left > 0) {
      const head = this.unapplied[0];
      if (head === undefined) break;
      if (head.length <= left) {
        parts.push(head);
        this.unapplied.shift();
        left -= head.length;
      } else {
        parts.push(head.subarray(0, left));
        this.unapplied[0] = head.subarray(left);
        left = 0;
      }
    }
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts, count);
  }
}
