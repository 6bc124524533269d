/**
 * Diskless load (repl-diskless-load on-empty-db | swapdb; reference §4.3): the full-sync payload
 * is parsed as it arrives from the socket, with no temp file and no rename over dbfilename, so
 * the replica's own dump.rdb is left as it was.
 *
 * - on-empty-db (chosen only when the replica holds no key): records go straight into the node's
 *   databases. A failed load empties them again.
 * - swapdb: records go into a second set of databases while the old ones stay; when the payload
 *   is complete and valid, the old data is flushed and the new keys take its place. A failed load
 *   keeps the old data. (Redis's async loading, which serves the old data during the load when
 *   the replid is unchanged, is not reproduced: clients get -LOADING for the whole transfer, as in
 *   Redis's ordinary swapdb load.)
 *
 * Either way the node is loading (`node.loading`, -LOADING for commands without the loading flag)
 * from the first payload byte to the end. Expired keys are kept, as every replica load keeps them.
 */
import { RdbError, RdbReader, type RdbRecord } from '@replisim/protocol';
import type { InstallResult, PayloadSink } from '@replisim/replica';
import { Database } from '../keyspace/database.js';
import type { ServerNode } from '../node.js';
import type { LoadingProgress } from '../persistence/loading-progress.js';
import { fromRdbValue } from '../persistence/rdb-values.js';
import { scriptingOf } from '../scripting/engine.js';
import { emptyData } from './replica-host.js';

export type DisklessLoadResult =
  | { readonly ok: true; readonly streamDb: number }
  | { readonly ok: false; readonly message: string };

export class DisklessLoad implements PayloadSink {
  private readonly node: ServerNode;
  private readonly mode: 'on-empty-db' | 'swapdb';
  private readonly reader: RdbReader;
  /** Where keys go: the node's databases (on-empty-db) or fresh ones (swapdb). */
  private readonly target: Database[];
  private readonly progress: LoadingProgress;
  private readonly loaded: (
    result: DisklessLoadResult,
    done: (result: InstallResult) => void,
  ) => void;
  private streamDb = 0;
  private keysLoaded = 0;
  private sawEof = false;
  /** The function libraries the payload carried (FUNCTION2 records). */
  private readonly libraries: Buffer[] = [];
  private failure: string | undefined;
  private ended = false;
  /** The first payload byte arrived (and the load was logged). */
  private started = false;

  constructor(
    node: ServerNode,
    mode: 'on-empty-db' | 'swapdb',
    loaded: (result: DisklessLoadResult, done: (result: InstallResult) => void) => void,
  ) {
    this.node = node;
    this.mode = mode;
    this.loaded = loaded;
    this.reader = new RdbReader({ verifyChecksum: node.config.rdbchecksum });
    this.target =
      mode === 'swapdb'
        ? node.databases.map((db) => {
            const fresh = new Database(db.index, { onExpired: () => {} });
            fresh.deleteExpired = false;
            return fresh;
          })
        : node.databases;
    this.progress = {
      startWallMs: node.env.clock.wallMs(),
      startMonotonicMs: node.env.clock.monotonicMs(),
      totalBytes: 0,
      loadedBytes: 0,
      rdbUsedMemory: 0,
    };
    node.loading = this.progress;
  }

  write(bytes: Buffer): void {
    if (this.failure !== undefined || this.ended) return;
    if (!this.started) {
      this.started = true;
      this.node.log('notice', 'MASTER <-> REPLICA sync: Loading DB in memory');
    }
    this.reader.push(bytes);
    this.drain();
  }

  finish(done: (result: InstallResult) => void): void {
    this.ended = true;
    if (this.failure === undefined) {
      this.reader.end();
      this.drain();
    }
    if (this.failure === undefined && !this.sawEof)
      this.failure = 'Unexpected EOF reading RDB file';
    this.node.env.timers.after(0, () => {
      this.endLoading();
      const failure = this.failure;
      if (failure !== undefined) {
        this.discard();
        this.node.log(
          'warning',
          `Failed trying to load the MASTER synchronization DB from socket: ${failure}`,
        );
        this.loaded({ ok: false, message: failure }, done);
        return;
      }
      if (this.mode === 'swapdb') this.swapIn();
      const restored = scriptingOf(this.node).functions.restore(this.libraries, 'FLUSH');
      if (restored !== undefined) {
        this.node.log('warning', `Failed loading library, ${restored.message}`);
      }
      this.node.lastLoad = { keysLoaded: this.keysLoaded, keysExpired: 0 };
      this.node.log(
        'notice',
        `Done loading RDB, keys loaded: ${this.keysLoaded}, keys expired: 0.`,
      );
      this.loaded({ ok: true, streamDb: this.streamDb }, done);
    });
  }

  abort(): void {
    if (this.ended) return;
    this.ended = true;
    this.endLoading();
    this.discard();
  }

  private endLoading(): void {
    if (this.node.loading === this.progress) this.node.loading = undefined;
  }

  /** A failed or abandoned load: on-empty-db empties what it loaded, swapdb drops its copy. */
  private discard(): void {
    if (this.mode === 'on-empty-db') emptyData(this.node);
    else for (const db of this.target) db.clear();
  }

  /** swapdb's swap: the old data goes, the loaded keys take its place. */
  private swapIn(): void {
    emptyData(this.node);
    for (const fresh of this.target) {
      const db = this.node.databases[fresh.index];
      if (db === undefined) continue;
      for (const key of fresh.keys()) {
        const value = fresh.peek(key);
        if (value === undefined) continue;
        db.set(key, value);
        const expireMs = fresh.expiryOf(key);
        if (expireMs !== undefined) db.setExpiry(key, expireMs);
      }
      fresh.clear();
    }
  }

  private drain(): void {
    for (;;) {
      let record: RdbRecord | undefined;
      try {
        record = this.reader.next();
      } catch (error) {
        if (!(error instanceof RdbError)) throw error;
        this.failure = error.message;
        return;
      }
      this.progress.loadedBytes = this.reader.offset;
      if (record === undefined) return;
      const failure = this.apply(record);
      if (failure !== undefined) {
        this.failure = failure;
        return;
      }
    }
  }

  /** Applies one record; returns why the load fails, if it does. */
  private apply(record: RdbRecord): string | undefined {
    switch (record.kind) {
      case 'aux':
        if (record.name === 'repl-stream-db') this.streamDb = Number.parseInt(record.value, 10);
        return undefined;
      case 'selectdb':
        return record.db < this.target.length
          ? undefined
          : `Data file was created with a Redis server configured to handle more than ${this.target.length} databases.`;
      case 'key': {
        const db = this.target[record.db];
        if (db === undefined) return `Key in DB ${record.db}, which this server does not have.`;
        if (db.peek(record.key) !== undefined) return 'Duplicated key found in RDB file';
        db.set(record.key, fromRdbValue(record.value, this.node.config));
        if (record.expireMs !== undefined) db.setExpiry(record.key, record.expireMs);
        this.keysLoaded++;
        return undefined;
      }
      case 'function':
        // Applied once the load succeeds (swapdb keeps the old functions until then).
        this.libraries.push(Buffer.from(record.code, 'latin1'));
        return undefined;
      case 'eof':
        this.sawEof = true;
        return undefined;
      default:
        return undefined;
    }
  }
}
