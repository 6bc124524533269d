/**
 * RdbReader: a streaming pull parser for RDB files (rdb.c:rdbLoadRioWithLoadingCtx). Bytes are
 * pushed in chunks of any size as they arrive (from disk or a replication link); next() returns
 * each top-level record (aux field, SELECTDB, RESIZEDB, key, function, EOF) once its bytes are in.
 *
 * How it streams: next() parses one record from the buffered bytes; if the bytes run out partway,
 * it rolls back to the record's start and returns undefined ("needs more"). Re-parsing a record
 * from its start on every chunk would be quadratic for a big record fed in small pieces, so after
 * a failed attempt it waits until the bytes the failed read needed have arrived and, once more
 * than RETRY_DOUBLING_BYTES_MIN bytes of the record are buffered, until they have doubled (or
 * end() was called). So a record of up to 4 KB comes out as soon as its last byte is pushed; a
 * bigger one may wait for up to as many bytes again as were buffered at the last attempt, or for
 * end() -- every producer calls end() when its input is over (file end, transfer length or EOF
 * mark), which flushes it. Consumed bytes are folded into the CRC once, in 16 KB batches.
 *
 * Errors: bad bytes throw an RdbError naming the offset, the phase and the key being read, in
 * redis-check-rdb's words; running out of input is only an error after end(), and then it is
 * "Unexpected EOF reading RDB file" with `truncated` set. A reader that threw keeps throwing the
 * same error. The CRC64 trailer (versions >= 5) is verified at EOF when `verifyChecksum` (the
 * default) is on and the stored value is not 0 (a writer with rdbchecksum off).
 *
 * Keys, fields and members come back as latin1 strings and values as Buffers the caller owns
 * (never views into the pushed chunks). Empty collections are skipped, as Redis skips them.
 * Measured (Node 20.20, the shared 2-core box under a load of 2-3): 1M string keys with 100-byte
 * values (114 MB) pushed in 64 KB chunks are read in about 0.4-0.5 s with the CRC verified
 * (~2-2.5M keys/s, ~250 MB/s; the CRC64 is ~0.15 s of it) and 0.25-0.3 s without; the throughput
 * test in reader.test.ts prints the figure (slower when other tests share the cores).
 */
import {
  isRdbObjectType,
  moduleTypeName,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_VERSION,
  RDB_VERSION_CHECKSUM_MIN,
  RDB_VERSION_MIN,
} from './constants.js';
import { Crc64 } from './crc64.js';
import { RdbCursor, ShortRead } from './rdb-cursor.js';
import { RdbError, type RdbRecord } from './types.js';
import { readRdbValue } from './value-decoding.js';

export interface RdbReaderOptions {
  /** Verify the CRC64 trailer (default true); off, `computedChecksum` of the eof record is 0. */
  readonly verifyChecksum?: boolean;
  /**
   * A key holding an empty collection: 'skip' it as the server's loader does (default), or
   * 'fail' as redis-check-rdb does (it reports "Unexpected EOF reading RDB file").
   */
  readonly emptyKeys?: 'skip' | 'fail';
}

/** Below this many buffered bytes a stalled record is retried as soon as its next read can pass. */
const RETRY_DOUBLING_BYTES_MIN = 4096;
const INITIAL_BYTES = 64 * 1024;
const CHECKSUM_BATCH_BYTES = 16 * 1024;
const MAGIC = 'REDIS';

/** Key-scoped opcodes (EXPIRETIME, IDLE, FREQ) read so far, applying to the next key. */
interface KeyPrefix {
  expireMs?: number;
  idleSeconds?: number;
  freq?: number;
}

const NO_PREFIX: KeyPrefix = Object.freeze({});

export class RdbReader {
  private readonly verifyChecksum: boolean;
  private readonly failOnEmptyKey: boolean;
  private buffer: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  /** buffer[start, limit) are the bytes not consumed yet; buffer[0] is file offset `base`. */
  private start = 0;
  private limit = 0;
  private base = 0;
  private readonly cursor = new RdbCursor(this.buffer, 0, 0);
  private readonly crc = new Crc64();
  private ended = false;
  private finished = false;
  private failure: RdbError | undefined;
  private headerRead = false;
  private version = 0;
  private db = 0;
  private prefix: KeyPrefix = NO_PREFIX;
  /** buffer[0, checksummed) has been folded into the CRC (always up to `start` or less). */
  private checksummed = 0;
  /** Buffered bytes needed before the next parse attempt (0 = try now). */
  private retryBytes = 0;

  constructor(options: RdbReaderOptions = {}) {
    this.verifyChecksum = options.verifyChecksum ?? true;
    this.failOnEmptyKey = options.emptyKeys === 'fail';
  }

  /** Adds input; the chunk is copied, so the caller may reuse it. */
  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('RdbReader.push after end()');
    if (this.limit + chunk.length > this.buffer.length) this.makeRoom(chunk.length);
    this.buffer.set(chunk, this.limit);
    this.limit += chunk.length;
  }

  /** No more input will come: a record still incomplete is now a truncation. */
  end(): void {
    this.ended = true;
  }

  /** The next record, or undefined when more input is needed or the eof record was returned. */
  next(): RdbRecord | undefined {
    if (this.failure !== undefined) throw this.failure;
    for (;;) {
      if (this.finished) return undefined;
      if (!this.ended && this.limit - this.start < this.retryBytes) return undefined;
      const cursor = this.cursor;
      cursor.data = this.buffer;
      cursor.pos = this.start;
      cursor.end = this.limit;
      cursor.base = this.base;
      let record: RdbRecord | undefined;
      try {
        record = this.parseRecord(cursor);
      } catch (error) {
        if (!(error instanceof ShortRead)) {
          if (error instanceof RdbError) this.failure = error;
          throw error;
        }
        if (this.ended) {
          this.failure = this.truncation(cursor, error);
          throw this.failure;
        }
        const buffered = this.limit - this.start;
        const doubled = buffered >= RETRY_DOUBLING_BYTES_MIN ? buffered * 2 : 0;
        this.retryBytes = Math.max(error.needed - this.start, doubled);
        return undefined;
      }
      this.consume(cursor.pos);
      if (record !== undefined) return record;
    }
  }

  /** True once the eof record has been returned. */
  get done(): boolean {
    return this.finished;
  }

  /** Bytes consumed: the file offset just past the last record returned. */
  get offset(): number {
    return this.base + this.start;
  }

  /** The RDB version from the magic (0 before it was read). */
  get rdbVersion(): number {
    return this.version;
  }

  private consume(pos: number): void {
    this.start = pos;
    this.retryBytes = 0;
    if (pos - this.checksummed >= CHECKSUM_BATCH_BYTES) this.foldChecksum(pos);
    if (this.start === this.limit) {
      this.foldChecksum(pos);
      this.base += this.start;
      this.start = 0;
      this.limit = 0;
      this.checksummed = 0;
    }
  }

  /** Folds consumed bytes [checksummed, upTo) into the CRC: in batches, not per record. */
  private foldChecksum(upTo: number): void {
    if (this.verifyChecksum && !this.finished) this.crc.update(this.buffer, this.checksummed, upTo);
    this.checksummed = upTo;
  }

  private makeRoom(incoming: number): void {
    this.foldChecksum(this.start);
    this.checksummed = 0;
    const live = this.limit - this.start;
    const needed = live + incoming;
    const target =
      needed <= this.buffer.length
        ? this.buffer
        : Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(target, 0, this.start, this.limit);
    this.buffer = target;
    this.base += this.start;
    this.start = 0;
    this.limit = live;
  }

  private truncation(cursor: RdbCursor, short: ShortRead): RdbError {
    return new RdbError('Unexpected EOF reading RDB file', {
      offset: cursor.base + short.start,
      phase: cursor.phase,
      ...(cursor.key === undefined ? {} : { key: cursor.key }),
      ...(cursor.valueType === undefined ? {} : { valueType: cursor.valueType }),
      truncated: true,
    });
  }

  /** One record from the cursor; undefined for the magic and for skipped (empty) keys. */
  private parseRecord(cursor: RdbCursor): RdbRecord | undefined {
    cursor.key = undefined;
    cursor.valueType = undefined;
    if (!this.headerRead) {
      this.readMagic(cursor);
      return undefined;
    }
    // Copied on first write, so a key without EXPIRETIME/IDLE/FREQ allocates nothing for them.
    let prefix: KeyPrefix = this.prefix;
    for (;;) {
      cursor.phase = 'read-type';
      const type = cursor.readByte();
      switch (type) {
        case RDB_OPCODE_EXPIRETIME_MS:
          cursor.phase = 'read-expire';
          prefix = { ...prefix, expireMs: cursor.readInt64LE() };
          continue;
        case RDB_OPCODE_EXPIRETIME:
          cursor.phase = 'read-expire';
          prefix = { ...prefix, expireMs: cursor.readInt32LE() * 1000 };
          continue;
        case RDB_OPCODE_IDLE:
          prefix = { ...prefix, idleSeconds: cursor.readLength() };
          continue;
        case RDB_OPCODE_FREQ:
          prefix = { ...prefix, freq: cursor.readByte() };
          continue;
        case RDB_OPCODE_SELECTDB: {
          cursor.phase = 'read-len';
          const db = cursor.readLength();
          this.db = db;
          this.prefix = prefix;
          return { kind: 'selectdb', db };
        }
        case RDB_OPCODE_RESIZEDB: {
          cursor.phase = 'read-len';
          const size = cursor.readLength();
          const expires = cursor.readLength();
          this.prefix = prefix;
          return { kind: 'resizedb', size, expires };
        }
        case RDB_OPCODE_AUX: {
          cursor.phase = 'read-aux';
          const name = cursor.readLatin1();
          const value = cursor.readLatin1();
          this.prefix = prefix;
          return { kind: 'aux', name, value };
        }
        case RDB_OPCODE_MODULE_AUX: {
          cursor.phase = 'read-module-aux';
          const name = moduleTypeName(cursor.readLength64());
          cursor.readLength();
          cursor.readLength();
          throw cursor.corrupt(
            `The RDB file contains AUX module data I can't load: no matching module '${name}'`,
          );
        }
        case RDB_OPCODE_FUNCTION:
          cursor.phase = 'read-functions';
          throw cursor.corrupt('Pre-release function format not supported.');
        case RDB_OPCODE_FUNCTION2: {
          cursor.phase = 'read-functions';
          const code = cursor.readLatin1();
          this.prefix = prefix;
          return { kind: 'function', code };
        }
        case RDB_OPCODE_EOF:
          return this.readTrailer(cursor);
        default:
          return this.readKey(cursor, type, prefix);
      }
    }
  }

  /** "REDIS" and a 4-digit version in 1..10 (rdbLoadRioWithLoadingCtx's first checks). */
  private readMagic(cursor: RdbCursor): void {
    cursor.phase = 'start';
    const magic = cursor.readView(9).toString('latin1');
    if (magic.slice(0, 5) !== MAGIC) {
      throw cursor.corrupt('Wrong signature trying to load DB from file');
    }
    // Redis reads the version with atoi (leading digits, 0 when none), so "001x" would load as a
    // version 1 file with no CRC; we require four digits, so a damaged magic is never accepted.
    const digits = magic.slice(5);
    if (!/^\d{4}$/.test(digits)) throw cursor.corrupt(`Can't handle RDB format version ${digits}`);
    const version = Number(digits);
    if (version < RDB_VERSION_MIN || version > RDB_VERSION) {
      throw cursor.corrupt(`Can't handle RDB format version ${version}`);
    }
    this.version = version;
    this.headerRead = true;
  }

  private readKey(cursor: RdbCursor, type: number, prefix: KeyPrefix): RdbRecord | undefined {
    if (!isRdbObjectType(type)) throw cursor.corrupt(`Invalid object type: ${type}`);
    cursor.valueType = type;
    cursor.phase = 'read-key';
    const key = cursor.readLatin1();
    cursor.key = key;
    cursor.phase = 'read-object-value';
    const start = cursor.offset;
    const value = readRdbValue(cursor, type);
    if (value === undefined && this.failOnEmptyKey) {
      throw cursor.corrupt('Unexpected EOF reading RDB file', start);
    }
    if (prefix !== NO_PREFIX) this.prefix = NO_PREFIX;
    if (value === undefined) return undefined;
    if (prefix === NO_PREFIX) return { kind: 'key', db: this.db, key, value };
    return { kind: 'key', db: this.db, key, value, ...prefix };
  }

  /** EOF, then (version >= 5) the CRC64 of every byte up to and including the EOF opcode. */
  private readTrailer(cursor: RdbCursor): RdbRecord {
    cursor.phase = 'check-sum';
    if (this.version < RDB_VERSION_CHECKSUM_MIN) {
      this.finished = true;
      return { kind: 'eof', storedChecksum: 0n, computedChecksum: 0n };
    }
    // All 8 bytes must be here before the CRC is folded, so a retry never folds twice.
    cursor.need(8);
    this.foldChecksum(cursor.pos);
    const storedChecksum = cursor.readUInt64LE();
    const computedChecksum = this.verifyChecksum ? this.crc.value : 0n;
    this.finished = true;
    if (this.verifyChecksum && storedChecksum !== 0n && storedChecksum !== computedChecksum) {
      throw cursor.corrupt('RDB CRC error');
    }
    return { kind: 'eof', storedChecksum, computedChecksum };
  }
}
