/**
 * Loading a dump into the node's databases: at start (Redis's loadDataFromDisk -> rdbLoad) and for
 * DEBUG RELOAD. Issue 5's replica full sync will feed the same applier from a socket.
 *
 * The file is read with the Env's Disk in chunks and fed to the streaming RdbReader; records are
 * applied in bounded slices with `timers.after(0)` between them, so timers (the cron, a signal's
 * shutdown) and connections keep going while a big dump loads. Client requests are held
 * (node.holdInput) and run once per 2 MB loaded, as Redis runs processEventsWhileBlocked every
 * loading-process-events-interval-bytes: commands without the `loading` flag then get `-LOADING
 * Redis is loading the dataset in memory` (dispatch.ts), and a dump under 2 MB loads before any
 * request runs. `node.loading` carries the progress INFO shows.
 *
 * What a load does, in rdbLoadRio's terms:
 * - AUX fields: logs redis-ver, ctime (as "RDB age") and used-mem as Redis does; keeps repl-id,
 *   repl-offset and repl-stream-db in the result for replication (issue 5: a restarted master puts
 *   them in replid2, a replica PSYNCs with them). Unknown fields are ignored.
 * - Keys: values are rebuilt with this node's encoding thresholds (fromRdbValue). A master
 *   (`dropExpired`) drops keys whose TTL has already passed and counts them
 *   (rdb_last_load_keys_expired); Redis also feeds a DEL for each to a backlog it creates first,
 *   which waits for issue 5's backlog. A key seen twice is corruption ("Duplicated key found in RDB
 *   file") unless `allowDuplicates` (DEBUG RELOAD MERGE), where the later one wins. Empty
 *   collections are skipped with Redis's warning.
 * - Function libraries (FUNCTION2): loaded into the node's functions (scripting/functions.ts),
 *   which a load first empties, as emptyData does, except under `allowDuplicates` (DEBUG RELOAD
 *   MERGE), where a library of the same name is replaced. A library that does not load fails the
 *   load, as rdbFunctionLoad does.
 * - The trailer: the CRC64 is computed here over the chunks as they are read (the reader's own
 *   check is off, so no byte is checksummed twice) and compared at the end, so the log can show
 *   both values as Redis does; a stored 0 means the writer had rdbchecksum off, and `rdbchecksum
 *   no` skips the check.
 *
 * A failure (corrupt or truncated bytes, a bad CRC, a read error) stops the load, logs Redis's
 * lines and our RdbError (which says at which offset and what was being read) and reports
 * `{ ok: false }`; the file is never written. What was applied before the failure stays in memory:
 * at start the caller refuses to run, so that does not matter.
 */
import type { FileHandle } from '@replisim/base';
import {
  Crc64,
  RdbError,
  RdbReader,
  type RdbRecord,
  type RdbReplicationInfo,
} from '@replisim/protocol';
import { ErrorReply } from '../commands/types.js';
import type { ServerNode } from '../node.js';
import { scriptingOf } from '../scripting/engine.js';
import type { LoadingProgress } from './loading-progress.js';
import { fromRdbValue } from './rdb-values.js';

/** Bytes asked of the disk per read. */
const CHUNK_BYTES = 1024 * 1024;
/** Records applied per slice at most; the sim clock stands still inside an event, so this bounds it. */
const RECORDS_PER_SLICE_MAX = 2048;
/** Monotonic time per slice at most (real Env), so timers and I/O events run in between. */
const SLICE_MS_MAX = 5;
/**
 * Client input is processed once per this many bytes loaded (Redis's
 * loading-process-events-interval-bytes, 2 MB): in between it waits, so a small dump loads before
 * any client notices, and a big one answers -LOADING at that rhythm.
 */
const LOADING_EVENTS_INTERVAL_BYTES = 2 * 1024 * 1024;
/** Redis logs only the first few skipped empty keys (rdbLoadRioWithLoadingCtx). */
const EMPTY_KEYS_LOGGED_MAX = 10;

export interface LoadOptions {
  /** The dump to load, as the Disk resolves it (`dir/dbfilename`). */
  readonly path: string;
  /** A master drops keys whose TTL has passed (iAmMaster() in rdbLoadRio); a replica keeps them. */
  readonly dropExpired: boolean;
  /** DEBUG RELOAD MERGE (RDBFLAGS_ALLOW_DUP): a key already present is replaced, not corruption. */
  readonly allowDuplicates?: boolean;
}

export interface LoadCounts {
  readonly keysLoaded: number;
  readonly keysExpired: number;
}

export type LoadResult =
  | {
      readonly ok: true;
      /** False when there was no file (ENOENT): the node starts empty. */
      readonly found: boolean;
      readonly counts: LoadCounts;
      /** The repl-* AUX fields, when the dump had them (issue 5 restores replication from them). */
      readonly replication: RdbReplicationInfo | undefined;
    }
  | { readonly ok: false; readonly message: string };

/** The C library's wording, as Redis's "Fatal error loading the DB: %s. Exiting." uses it. */
const STRERROR: Readonly<Record<string, string>> = {
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  EIO: 'Input/output error',
  ENOTDIR: 'Not a directory',
};

/**
 * Loads the dump at `options.path` into `node.databases` (which the caller has emptied, unless
 * merging), setting `node.loading` while it runs. `done` runs once, in a later event.
 */
export function loadSnapshotFile(
  node: ServerNode,
  options: LoadOptions,
  done: (result: LoadResult) => void,
): void {
  const disk = node.env.disk;
  // Until the file is open and sized, no client input runs: Redis does not run its event loop
  // before rdbLoad has decided between "no file" (serve at once) and "loading" (-LOADING).
  const release = node.holdInput();
  disk.open(options.path, 'read', (opened) => {
    if (!opened.ok) {
      release();
      if (opened.error.code === 'ENOENT') {
        done({
          ok: true,
          found: false,
          counts: { keysLoaded: 0, keysExpired: 0 },
          replication: undefined,
        });
        return;
      }
      done(fatal(node, STRERROR[opened.error.code] ?? opened.error.message));
      return;
    }
    const file = opened.value;
    disk.size(options.path, (size) => {
      if (!size.ok) {
        release();
        disk.close(file, () => done(fatal(node, STRERROR[size.error.code] ?? size.error.message)));
        return;
      }
      // Redis's startLoadingFile: from here clients get -LOADING (every 2 MB, see LoadRun).
      const progress = startProgress(node, size.value);
      const run = new LoadRun(node, options, file, progress, release, (result) => {
        disk.close(file, () => done(result));
      });
      run.readNextChunk();
    });
  });
}

function startProgress(node: ServerNode, totalBytes: number): LoadingProgress {
  const progress: LoadingProgress = {
    startWallMs: node.env.clock.wallMs(),
    startMonotonicMs: node.env.clock.monotonicMs(),
    totalBytes,
    loadedBytes: 0,
    rdbUsedMemory: 0,
  };
  node.loading = progress;
  return progress;
}

function fatal(node: ServerNode, reason: string): LoadResult {
  const message = `Fatal error loading the DB: ${reason}. Exiting.`;
  node.log('warning', message);
  return { ok: false, message };
}

/** One load in progress: the reader, the read position and the counters. */
class LoadRun {
  private readonly node: ServerNode;
  private readonly options: LoadOptions;
  private readonly file: FileHandle;
  private readonly reader: RdbReader = new RdbReader({ verifyChecksum: false });
  /** The CRC64 of the bytes before the 8-byte trailer, folded as chunks arrive (rdbchecksum). */
  private readonly crc: Crc64 | undefined;
  private readonly crcEnd: number;
  private readonly progress: LoadingProgress;
  private readonly finish: (result: LoadResult) => void;
  /** Ends the current hold on client input (node.holdInput); renewed every 2 MB. */
  private releaseInput: () => void;
  private eventsOffset = 0;
  private position = 0;
  private inputEnded = false;
  private keysLoaded = 0;
  private keysExpired = 0;
  private emptyKeysSkipped = 0;
  private readonly replication: { streamDb?: number; replid?: string; offset?: number } = {};
  private finished = false;

  constructor(
    node: ServerNode,
    options: LoadOptions,
    file: FileHandle,
    progress: LoadingProgress,
    releaseInput: () => void,
    finish: (result: LoadResult) => void,
  ) {
    this.releaseInput = releaseInput;
    this.node = node;
    this.options = options;
    this.file = file;
    this.finish = finish;
    this.crc = node.config.rdbchecksum && !node.skipChecksumValidation ? new Crc64() : undefined;
    this.crcEnd = progress.totalBytes - 8;
    this.progress = progress;
    // emptyData empties the functions with the keys; MERGE keeps both.
    if (options.allowDuplicates !== true) scriptingOf(node).functions.flush();
  }

  readNextChunk(): void {
    this.node.env.disk.read(this.file, this.position, CHUNK_BYTES, (result) => {
      if (this.finished) return;
      if (!result.ok) {
        this.fail(`Short read or OOM loading DB. Unrecoverable error, aborting now.`, [
          `Read error loading the DB: ${result.error.message}`,
        ]);
        return;
      }
      if (result.value.length === 0) {
        this.inputEnded = true;
        this.reader.end();
      } else {
        const foldEnd = Math.min(result.value.length, this.crcEnd - this.position);
        if (this.crc !== undefined && foldEnd > 0) this.crc.update(result.value, 0, foldEnd);
        this.position += result.value.length;
        this.reader.push(result.value);
      }
      this.slice();
    });
  }

  /** Applies records until the budget is spent, more input is needed, or the dump ends. */
  private slice(): void {
    const clock = this.node.env.clock;
    const deadlineMs = clock.monotonicMs() + SLICE_MS_MAX;
    for (let applied = 0; applied < RECORDS_PER_SLICE_MAX; applied++) {
      let record: RdbRecord | undefined;
      try {
        record = this.reader.next();
      } catch (error) {
        if (error instanceof RdbError) {
          this.failCorrupt(error);
          return;
        }
        throw error;
      }
      this.progress.loadedBytes = this.reader.offset;
      if (record === undefined) {
        // The reader wants more bytes; after end() it throws instead of returning undefined.
        if (this.inputEnded) {
          this.failCorrupt(
            new RdbError('Unexpected EOF reading RDB file', {
              offset: this.reader.offset,
              phase: 'read-type',
              truncated: true,
            }),
          );
          return;
        }
        this.readNextChunk();
        return;
      }
      if (!this.apply(record)) return;
      if (record.kind === 'eof') {
        this.succeed();
        return;
      }
      if (this.reader.offset - this.eventsOffset >= LOADING_EVENTS_INTERVAL_BYTES) {
        // processEventsWhileBlocked: what clients sent meanwhile runs now (and meets -LOADING).
        this.eventsOffset = this.reader.offset;
        this.releaseInput();
        this.releaseInput = this.node.holdInput();
      }
      if (clock.monotonicMs() >= deadlineMs) break;
    }
    this.node.env.timers.after(0, () => {
      if (!this.finished) this.slice();
    });
  }

  /** Applies one record; false if the load failed on it (already reported). */
  private apply(record: RdbRecord): boolean {
    switch (record.kind) {
      case 'aux':
        this.applyAux(record.name, record.value);
        return true;
      case 'selectdb':
        if (record.db >= this.node.databases.length) {
          this.fail(
            `FATAL: Data file was created with a Redis server configured to handle more than ${this.node.databases.length} databases. Exiting`,
            [],
          );
          return false;
        }
        return true;
      case 'resizedb':
        return true;
      case 'function': {
        const functions = scriptingOf(this.node).functions;
        const loaded = functions.load(
          Buffer.from(record.code, 'latin1'),
          this.options.allowDuplicates === true,
        );
        if (loaded instanceof ErrorReply) {
          this.fail(`Failed loading library, ${loaded.message.replace(/^ERR /, '')}`, []);
          return false;
        }
        return true;
      }
      case 'key':
        return this.applyKey(record);
      case 'eof':
        return this.checkChecksum(record.storedChecksum);
    }
  }

  private applyAux(name: string, value: string): void {
    const node = this.node;
    switch (name) {
      case 'redis-ver':
        node.log('notice', `Loading RDB produced by version ${value}`);
        return;
      case 'ctime': {
        const ageSeconds = Math.floor(node.env.clock.wallMs() / 1000) - Number.parseInt(value, 10);
        node.log('notice', `RDB age ${Math.max(0, ageSeconds)} seconds`);
        return;
      }
      case 'used-mem': {
        const bytes = Number.parseInt(value, 10);
        this.progress.rdbUsedMemory = Number.isFinite(bytes) ? bytes : 0;
        node.log(
          'notice',
          `RDB memory usage when created ${(this.progress.rdbUsedMemory / 1024 / 1024).toFixed(2)} Mb`,
        );
        return;
      }
      case 'aof-base':
        if (Number.parseInt(value, 10) !== 0) node.log('notice', 'RDB has an AOF tail');
        return;
      // Replication state (rdbSaveInfoAuxFields): kept for issue 5, which restores it.
      case 'repl-stream-db':
        this.replication.streamDb = Number.parseInt(value, 10);
        return;
      case 'repl-id':
        this.replication.replid = value;
        return;
      case 'repl-offset':
        this.replication.offset = Number.parseInt(value, 10);
        return;
      default:
        node.log('debug', `Unrecognized RDB AUX field: '${name}'`);
    }
  }

  private applyKey(record: Extract<RdbRecord, { kind: 'key' }>): boolean {
    const node = this.node;
    const db = node.databases[record.db];
    if (db === undefined) {
      this.fail(`Key '${record.key}' in DB ${record.db}, which this server does not have.`, []);
      return false;
    }
    if (isEmptyCollection(record.value)) {
      if (this.emptyKeysSkipped++ < EMPTY_KEYS_LOGGED_MAX) {
        node.log('warning', `rdbLoadObject skipping empty key: ${record.key}`);
      }
      return true;
    }
    const expireMs = record.expireMs;
    if (this.options.dropExpired && expireMs !== undefined && expireMs < node.env.clock.wallMs()) {
      this.keysExpired++;
      return true;
    }
    // A key already present shows as an unchanged size; set() replaced it (and its TTL), which is
    // MERGE's behaviour, and one Map lookup per key less than checking first.
    const sizeBefore = db.size();
    db.set(record.key, fromRdbValue(record.value, node.config));
    if (db.size() === sizeBefore && this.options.allowDuplicates !== true) {
      node.log('warning', `RDB has duplicated key '${record.key}' in DB ${record.db}`);
      this.fail('Duplicated key found in RDB file', []);
      return false;
    }
    if (expireMs !== undefined) db.setExpiry(record.key, expireMs);
    this.keysLoaded++;
    return true;
  }

  private checkChecksum(stored: bigint): boolean {
    if (this.crc === undefined) return true;
    if (stored === 0n) {
      this.node.log('warning', 'RDB file was saved with checksum disabled: no check performed.');
      return true;
    }
    const computed = this.crc.value;
    if (stored === computed) return true;
    // Redis prints its own computation as "expected" and the file's value as "got".
    this.node.log(
      'warning',
      `Wrong RDB checksum expected: (${computed.toString(16)}) but got (${stored.toString(16)}). Aborting now.`,
    );
    this.fail(
      `Internal error in RDB reading offset ${this.reader.offset}, function at rdb.c -> RDB CRC error`,
      [],
    );
    return false;
  }

  private failCorrupt(error: RdbError): void {
    if (error.truncated) {
      this.node.log('warning', 'Short read or OOM loading DB. Unrecoverable error, aborting now.');
    }
    const reason = error.truncated ? 'Unexpected EOF reading RDB file' : 'RDB is corrupt';
    this.fail(
      `Internal error in RDB reading offset ${error.offset}, function at rdb.c -> ${reason}`,
      [`RDB error: ${error.message}`],
    );
  }

  /** Logs `message` and then `details`, and reports the failure with `message`. */
  private fail(message: string, details: readonly string[]): void {
    this.node.log('warning', message);
    for (const line of details) this.node.log('warning', line);
    this.end({ ok: false, message });
  }

  private succeed(): void {
    const node = this.node;
    node.log(
      'notice',
      `Done loading RDB, keys loaded: ${this.keysLoaded}, keys expired: ${this.keysExpired}.`,
    );
    const { streamDb, replid, offset } = this.replication;
    const replication =
      streamDb !== undefined && replid !== undefined && offset !== undefined
        ? { streamDb, replid, offset }
        : undefined;
    this.end({
      ok: true,
      found: true,
      counts: { keysLoaded: this.keysLoaded, keysExpired: this.keysExpired },
      replication,
    });
  }

  /**
   * Ends the load. Waiting clients then run: after a success on the loaded dataset, after a failure
   * still under -LOADING (the node stops next and must not serve a partial dataset).
   */
  private end(result: LoadResult): void {
    this.finished = true;
    if (!result.ok) this.releaseInput();
    if (this.node.loading === this.progress) this.node.loading = undefined;
    if (result.ok) this.releaseInput();
    this.finish(result);
  }
}

function isEmptyCollection(value: Extract<RdbRecord, { kind: 'key' }>['value']): boolean {
  switch (value.type) {
    case 'string':
      return false;
    case 'list':
      return value.elements.length === 0;
    case 'set':
      return value.members.length === 0;
    case 'hash':
    case 'zset':
      return value.entries.length === 0;
    case 'stream':
      return false;
  }
}

/** Where the dump lives: `dir/dbfilename` (Redis chdir()s into dir; the Disk takes the path). */
export function dumpPath(config: { readonly dir: string; readonly dbfilename: string }): string {
  return config.dir.endsWith('/')
    ? `${config.dir}${config.dbfilename}`
    : `${config.dir}/${config.dbfilename}`;
}

/**
 * The load at start (Redis's loadDataFromDisk for a node without AOF): no file means an empty
 * node; a loaded file logs "DB loaded from disk: <s> seconds" (the benchmark parses this line for
 * both servers) and sets the counters INFO persistence shows. The node is always a master at start
 * today, so expired keys are dropped; issue 5 keeps them on a replica.
 */
export function loadDataFromDisk(
  node: ServerNode,
  done: (result: { readonly ok: true } | { readonly ok: false; readonly message: string }) => void,
): void {
  const startMs = node.env.clock.monotonicMs();
  // A replica keeps expired keys (rdbLoad with iAmMaster() false): its master's DELs will come.
  const dropExpired = node.config.replicaof === undefined;
  loadSnapshotFile(node, { path: dumpPath(node.config), dropExpired }, (result) => {
    if (!result.ok) {
      done(result);
      return;
    }
    node.lastLoad = result.counts;
    node.loadedReplication = result.replication;
    if (result.found) {
      const seconds = (node.env.clock.monotonicMs() - startMs) / 1000;
      node.log('notice', `DB loaded from disk: ${seconds.toFixed(3)} seconds`);
    }
    done({ ok: true });
  });
}
