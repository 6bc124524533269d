/**
 * The node's snapshot persistence (Redis's rdb.c state in the `server` struct): SAVE, the forkless
 * BGSAVE, save rules, the MISCONF condition and what INFO persistence reports.
 *
 * A save is a job: a Snapshot (the producer, snapshot.ts) pumped in slices into an RdbFileSink (the
 * disk, rdb-file.ts). The two differ only in who waits:
 *
 * - BGSAVE: clients keep being served between slices; the snapshot's copy-on-write keeps the file
 *   equal to the dataset at the start instant. `temp-<id>.rdb` is named after a fake child pid
 *   (node pid + n), as Redis's child names it after itself. Completion does what
 *   backgroundSaveDoneHandlerDisk does: on success `dirty -= dirty_before_bgsave` (writes made
 *   during the save stay counted), lastsave = now, status ok; on failure status err.
 * - SAVE (and the saves of FLUSHALL, SHUTDOWN and DEBUG RELOAD): the node processes no client
 *   input until the file is renamed (node.holdInput), as Redis's rdbSave blocks its event loop;
 *   replies written meanwhile are flushed when input resumes. Success sets dirty = 0.
 *
 * Jobs and the keyspace: while a snapshot runs, this controller is every Database's
 * ChangeObserver and forwards each change to the running snapshots; commands/call.ts calls
 * `beforeWrite` with a write command's keys, for changes made in place inside a collection.
 *
 * Backpressure: no slice is made while more than SINK_QUEUE_BYTES_MAX wait for the disk.
 *
 * The fork-pause teaching knob (fork-pause-ms-per-gb, replisim only, default 0): a BGSAVE start
 * holds client input for used_memory / 1 GB x that many ms, the page-table copy a real fork costs
 * (reference §7: about 10-20 ms per GB, far more on Xen), and INFO's latest_fork_usec shows it.
 */
import type { TimerId } from '@replisim/base';
import type { RdbReplicationInfo } from '@replisim/protocol';
import type { ChangeObserver, Database } from '../keyspace/database.js';
import { usedMemoryBytes } from '../memory/used-memory.js';
import { REDIS_VERSION, type ServerNode } from '../node.js';
import { scriptingOf } from '../scripting/engine.js';
import { type RdbFileResult, RdbFileSink, STRERROR } from './rdb-file.js';
import { dueSaveRule, retryAllowed, type SaveRuleState } from './save-rules.js';
import { SLICE_BUDGET_DEFAULT, type SliceBudget, Snapshot } from './snapshot.js';

export type SaveResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * How a save ended, for replication (replication/master.ts): a finished BGSAVE's file is what
 * waiting replicas receive, and `replication` says which point of the stream it holds (its repl-*
 * AUX fields; undefined when the node had no backlog then). `aborted`: killed (FLUSHALL, stop).
 */
export interface SaveOutcome {
  readonly kind: 'bgsave' | 'save';
  /** Where the bytes went: the dump file, or replica sockets (diskless sync). */
  readonly target: 'disk' | 'socket';
  readonly ok: boolean;
  readonly aborted: boolean;
  readonly replication: RdbReplicationInfo | undefined;
}

/** Slices stop while more than this waits for the disk (the producer's high-water mark). */
export const SINK_QUEUE_BYTES_MAX: number = 8 * 1024 * 1024;

/** A blocking save holds the clients anyway, so its slices may be larger. */
const SAVE_SLICE_BUDGET: SliceBudget = { keysMax: 65536, bytesMax: 1024 * 1024, msMax: 20 };

const BYTES_PER_GB = 1024 * 1024 * 1024;

/**
 * Where a save's bytes go: the disk (RdbFileSink) or, for a diskless sync, replica sockets
 * (replication/socket-sink.ts). `queuedBytes` is the backpressure the slices respect.
 */
export interface SaveSink {
  /** The temp file's name, for failure logs ('' for sockets). */
  readonly tempName: string;
  readonly queuedBytes: number;
  readonly active: boolean;
  write(chunk: Buffer): void;
  end(): void;
  abort(): void;
}

/** Builds a sink around the job's drain and completion callbacks. */
export type SaveSinkFactory = (
  onDrain: () => void,
  done: (result: RdbFileResult) => void,
) => SaveSink;

interface SaveJob {
  readonly kind: 'bgsave' | 'save';
  readonly target: 'disk' | 'socket';
  /** Why the BGSAVE runs (BGSAVE, a save rule, a replica's sync later); kept for issue 5. */
  readonly reason: string;
  readonly snapshot: Snapshot;
  readonly sink: SaveSink;
  readonly startWallMs: number;
  readonly budget: SliceBudget;
  /** The repl-* AUX fields written into this save (the snapshot point in the stream). */
  readonly replication: RdbReplicationInfo | undefined;
  timer: TimerId | undefined;
  /** Slices wait for the sink to drain below SINK_QUEUE_BYTES_MAX. */
  waitingForDrain: boolean;
  /** commandsProcessed when the last slice ran or yielded (see `slice`). */
  commandsAtLastSlice: number;
  /** The last slice yielded to pending replies instead of working; the next one must work. */
  yielded: boolean;
}

export class Persistence implements ChangeObserver {
  /** Unix seconds of the last successful save (LASTSAVE); the node's start time at first. */
  lastsaveSeconds: number;
  lastBgsaveOk = true;
  lastBgsaveTrySeconds = 0;
  dirtyBeforeBgsave = 0;
  /** SAVE and BGSAVE attempts (INFO rdb_saves). */
  rdbSaves = 0;
  /** Duration of the last BGSAVE in whole seconds, -1 before the first. */
  lastBgsaveSeconds = -1;
  /** BGSAVE inside MULTI/EXEC: started by the cron when possible. */
  bgsaveScheduled = false;
  /** INFO stats: BGSAVE starts ("forks") and how long the last start held the node, in µs. */
  totalForks = 0;
  latestForkUsec = 0;
  /** The slice size of BGSAVE; tests shrink it so a save spans many events. */
  sliceBudget: SliceBudget = SLICE_BUDGET_DEFAULT;
  private readonly node: ServerNode;
  private bgsave: SaveJob | undefined;
  private save_: SaveJob | undefined;
  private childCount = 0;
  private observing = false;
  private readonly saveListeners: ((outcome: SaveOutcome) => void)[] = [];

  constructor(node: ServerNode) {
    this.node = node;
    this.lastsaveSeconds = Math.floor(node.env.clock.wallMs() / 1000);
  }

  get bgsaveInProgress(): boolean {
    return this.bgsave !== undefined;
  }

  /** The running BGSAVE's point in the replication stream (undefined: none runs, or no backlog). */
  get bgsaveReplication(): RdbReplicationInfo | undefined {
    return this.bgsave?.replication;
  }

  /** Where the running BGSAVE writes (a socket BGSAVE can serve no replica that joins late). */
  get bgsaveTarget(): 'disk' | 'socket' | undefined {
    return this.bgsave?.target;
  }

  /** Why the running BGSAVE was started (startBgsave's reason), undefined when none runs. */
  get bgsaveReason(): string | undefined {
    return this.bgsave?.reason;
  }

  /** Calls `listener` after every save ends, successful or not (replication waits on them). */
  onSaveDone(listener: (outcome: SaveOutcome) => void): void {
    this.saveListeners.push(listener);
  }

  get hasSaveRules(): boolean {
    return this.node.config.save.length > 0;
  }

  /**
   * The MISCONF condition (writeCommandsDeniedByDiskError): stop-writes-on-bgsave-error, at least
   * one save rule, and a failed last BGSAVE.
   */
  writesRefused(): boolean {
    return this.node.config.stopWritesOnBgsaveError && this.hasSaveRules && !this.lastBgsaveOk;
  }

  /** The running BGSAVE's progress (INFO current_save_keys_*), zeros when none runs. */
  get currentSaveKeys(): { readonly processed: number; readonly total: number } {
    const snapshot = this.bgsave?.snapshot;
    return snapshot === undefined
      ? { processed: 0, total: 0 }
      : { processed: snapshot.keysProcessed, total: snapshot.keysTotal };
  }

  /** Seconds the running BGSAVE has taken so far, -1 when none runs. */
  currentBgsaveSeconds(): number {
    const job = this.bgsave;
    if (job === undefined) return -1;
    return wholeSeconds(this.node.env.clock.wallMs()) - wholeSeconds(job.startWallMs);
  }

  // --- Starting and stopping saves -----------------------------------------------------------

  /**
   * Starts a BGSAVE (rdbSaveBackground): 'in-progress' if one runs already. Logs "Background
   * saving started by pid N"; the outcome is logged and recorded when the file is renamed.
   */
  startBgsave(reason: string): 'started' | 'in-progress' {
    if (this.bgsave !== undefined) return 'in-progress';
    const node = this.node;
    const clock = node.env.clock;
    this.rdbSaves++;
    this.dirtyBeforeBgsave = node.dirty;
    this.lastBgsaveTrySeconds = wholeSeconds(clock.wallMs());
    const startMs = clock.monotonicMs();
    this.childCount++;
    const childPid = node.pid + this.childCount;
    const job = this.startJob('bgsave', reason, childPid, this.sliceBudget, (result) =>
      this.bgsaveDone(job, result),
    );
    this.bgsave = job;
    const pauseMs = this.forkPauseMs();
    if (pauseMs > 0) {
      const release = node.holdInput();
      node.env.timers.after(pauseMs, release);
    }
    this.totalForks++;
    this.latestForkUsec = Math.round((clock.monotonicMs() - startMs + pauseMs) * 1000);
    node.log('notice', `Background saving started by pid ${childPid}`);
    return 'started';
  }

  /**
   * A BGSAVE whose bytes go to replica sockets instead of a file (diskless sync, Redis's
   * rdbSaveToSlavesSockets): the same point-in-time snapshot with another sink. It is the running
   * BGSAVE meanwhile, so no other starts, but it changes no save status: no file, no LASTSAVE, no
   * dirty reset (backgroundSaveDoneHandlerSocket).
   */
  startSocketBgsave(makeSink: SaveSinkFactory): 'started' | 'in-progress' {
    if (this.bgsave !== undefined) return 'in-progress';
    const node = this.node;
    this.childCount++;
    const childPid = node.pid + this.childCount;
    const job = this.startJob(
      'bgsave',
      'replication',
      childPid,
      this.sliceBudget,
      (result) => this.socketBgsaveDone(job, result),
      makeSink,
    );
    this.bgsave = job;
    this.totalForks++;
    node.log('notice', `Background RDB transfer started by pid ${childPid}`);
    return 'started';
  }

  private socketBgsaveDone(job: SaveJob, result: RdbFileResult): void {
    if (this.bgsave !== job) return;
    this.bgsave = undefined;
    this.updateObserver();
    this.node.log(
      result.ok ? 'notice' : 'warning',
      result.ok ? 'Background RDB transfer terminated with success' : 'Background transfer error',
    );
    this.notifySaveDone(job, result.ok, false);
  }

  /**
   * A blocking save (rdbSave): no client input is processed until `done` runs. `done` gets an error
   * message if the file could not be written (the cause is logged as Redis logs it).
   */
  save(done: (result: SaveResult) => void): void {
    if (this.save_ !== undefined) {
      done({ ok: false, message: 'a blocking save is already running' });
      return;
    }
    const node = this.node;
    const release = node.holdInput();
    const job = this.startJob('save', 'SAVE', node.pid, SAVE_SLICE_BUDGET, (result) => {
      this.save_ = undefined;
      this.updateObserver();
      if (result.ok) {
        node.log('notice', 'DB saved on disk');
        node.dirty = 0;
        this.lastsaveSeconds = wholeSeconds(node.env.clock.wallMs());
        this.lastBgsaveOk = true;
        done({ ok: true });
      } else {
        done({ ok: false, message: this.logFailure(job, result) });
      }
      this.notifySaveDone(job, result.ok, false);
      release();
    });
    this.save_ = job;
  }

  /**
   * Stops a running BGSAVE and removes its temp file; the status stays as it was (Redis's
   * killRDBChild with SIGUSR1, which is whitelisted from setting the error status). Logs nothing:
   * Redis logs "terminated by signal" only when it reaps the child, which FLUSHALL waits for and
   * a shutdown does not (the caller logs what Redis would).
   */
  abortBgsave(): void {
    const job = this.bgsave;
    if (job === undefined) return;
    this.stopJob(job);
    this.bgsave = undefined;
    this.updateObserver();
    this.notifySaveDone(job, false, true);
  }

  private notifySaveDone(job: SaveJob, ok: boolean, aborted: boolean): void {
    const outcome = {
      kind: job.kind,
      target: job.target,
      ok,
      aborted,
      replication: job.replication,
    };
    for (const listener of this.saveListeners) listener(outcome);
  }

  /** Stops everything at node stop: timers cancelled, temp files removed, nothing reported. */
  stop(): void {
    this.abortBgsave();
    if (this.save_ !== undefined) this.stopJob(this.save_);
    this.save_ = undefined;
    this.updateObserver();
  }

  // --- The cron ------------------------------------------------------------------------------

  /** serverCron's part: save rules, then a scheduled BGSAVE, only while no save runs. */
  cron(): void {
    if (this.bgsave !== undefined || this.save_ !== undefined) return;
    const state: SaveRuleState = {
      nowSeconds: wholeSeconds(this.node.env.clock.wallMs()),
      dirty: this.node.dirty,
      lastSaveSeconds: this.lastsaveSeconds,
      lastBgsaveTrySeconds: this.lastBgsaveTrySeconds,
      lastBgsaveOk: this.lastBgsaveOk,
    };
    const rule = dueSaveRule(this.node.config.save, state);
    if (rule !== undefined) {
      this.node.log('notice', `${rule.changes} changes in ${rule.seconds} seconds. Saving...`);
      this.startBgsave('save rule');
      return;
    }
    if (this.bgsaveScheduled && retryAllowed(state)) {
      this.bgsaveScheduled = false;
      this.startBgsave('scheduled');
    }
  }

  // --- Copy-on-write ---------------------------------------------------------------------------

  /** Whether a snapshot is being written (call.ts checks this before `beforeWrite`). */
  get copyOnWrite(): boolean {
    return this.observing;
  }

  /** A write command is about to change `keys` of `db`, possibly in place. */
  beforeWrite(db: Database, keys: Iterable<string>): void {
    if (!this.observing) return;
    for (const key of keys) this.beforeKeyChange(db, key, false);
  }

  beforeKeyChange(db: Database, key: string, deleting: boolean): void {
    const background = this.bgsave?.snapshot;
    if (this.node.testBugs.has('bgsave-not-point-in-time')) return;
    if (background !== undefined && !background.finished) {
      background.beforeKeyChange(db, key, deleting);
    }
    const blocking = this.save_?.snapshot;
    if (blocking !== undefined && !blocking.finished) blocking.beforeKeyChange(db, key, deleting);
  }

  beforeClear(db: Database): void {
    const background = this.bgsave?.snapshot;
    if (background !== undefined && !background.finished) background.beforeClear(db);
    const blocking = this.save_?.snapshot;
    if (blocking !== undefined && !blocking.finished) blocking.beforeClear(db);
  }

  // --- Jobs ----------------------------------------------------------------------------------

  private startJob(
    kind: SaveJob['kind'],
    reason: string,
    tempId: number,
    budget: SliceBudget,
    done: (result: RdbFileResult) => void,
    makeSink?: SaveSinkFactory,
  ): SaveJob {
    const node = this.node;
    const config = node.config;
    // A node with a backlog records where in the stream this snapshot stands (rdbPopulateSaveInfo).
    const replication = node.master.snapshotReplicationInfo();
    const snapshot = new Snapshot({
      databases: node.databases,
      redisVersion: REDIS_VERSION,
      wallMs: node.env.clock.wallMs(),
      usedMemory: usedMemoryBytes(node),
      replicationOffset: node.propagation.offset,
      compression: config.rdbcompression,
      checksum: config.rdbchecksum,
      monotonicMs: () => node.env.clock.monotonicMs(),
      functionLibraries: [...scriptingOf(node).functions.libraries.values()].map((l) => l.code),
      packedThreshold: node.quicklistPackedThreshold,
      ...(replication === undefined ? {} : { replication }),
    });
    const onDrain = (): void => this.sinkDrained(job);
    const sink =
      makeSink === undefined
        ? new RdbFileSink(
            node.env.disk,
            {
              dir: config.dir,
              dbfilename: config.dbfilename,
              tempId,
              incrementalFsync: config.rdbSaveIncrementalFsync,
            },
            onDrain,
            done,
          )
        : makeSink(onDrain, done);
    const job: SaveJob = {
      kind,
      target: makeSink === undefined ? 'disk' : 'socket',
      reason,
      snapshot,
      sink,
      startWallMs: node.env.clock.wallMs(),
      budget,
      replication,
      timer: undefined,
      waitingForDrain: false,
      commandsAtLastSlice: node.stats.commandsProcessed,
      yielded: false,
    };
    this.observing = true;
    for (const db of node.databases) db.changeObserver = this;
    job.timer = node.env.timers.after(0, () => this.slice(job));
    return job;
  }

  /** One slice: serialize within the budget, hand the bytes to the sink, schedule the next. */
  private slice(job: SaveJob): void {
    job.timer = undefined;
    if (!job.sink.active) return;
    // Replies to commands run since the last slice are flushed by a callback queued behind this
    // one (real-connection.ts writes once per event-loop turn): yield once so they go out now
    // instead of after a slice. Never twice in a row, so a stream of requests cannot starve the
    // save; a lone client's next request usually arrives during the following slice.
    const commands = this.node.stats.commandsProcessed;
    if (commands !== job.commandsAtLastSlice && !job.yielded) {
      job.commandsAtLastSlice = commands;
      job.yielded = true;
      job.timer = this.node.env.timers.after(0, () => this.slice(job));
      return;
    }
    job.commandsAtLastSlice = commands;
    job.yielded = false;
    const snapshot = job.snapshot;
    snapshot.step(job.budget);
    // Bytes go out in chunks of about bytesMax, not one small chunk per (sub-millisecond) slice:
    // fewer, larger writes to the disk or the sockets.
    if (snapshot.finished || snapshot.pendingBytes >= job.budget.bytesMax) {
      job.sink.write(snapshot.take());
    }
    if (snapshot.finished) {
      this.updateObserver();
      job.sink.end();
      return;
    }
    if (job.sink.queuedBytes > SINK_QUEUE_BYTES_MAX) {
      job.waitingForDrain = true;
      return;
    }
    job.timer = this.node.env.timers.after(0, () => this.slice(job));
  }

  private sinkDrained(job: SaveJob): void {
    if (!job.waitingForDrain || job.sink.queuedBytes > SINK_QUEUE_BYTES_MAX) return;
    job.waitingForDrain = false;
    job.timer = this.node.env.timers.after(0, () => this.slice(job));
  }

  private stopJob(job: SaveJob): void {
    if (job.timer !== undefined) this.node.env.timers.cancel(job.timer);
    job.timer = undefined;
    job.snapshot.release();
    job.sink.abort();
  }

  /** Observes the keyspace exactly while some snapshot still has keys to write. */
  private updateObserver(): void {
    const running = [this.bgsave, this.save_].some(
      (job) => job !== undefined && !job.snapshot.finished,
    );
    if (running === this.observing) return;
    this.observing = running;
    for (const db of this.node.databases) db.changeObserver = running ? this : undefined;
  }

  /** backgroundSaveDoneHandlerDisk. */
  private bgsaveDone(job: SaveJob, result: RdbFileResult): void {
    if (this.bgsave !== job) return;
    const node = this.node;
    this.bgsave = undefined;
    this.updateObserver();
    const nowMs = node.env.clock.wallMs();
    this.lastBgsaveSeconds = wholeSeconds(nowMs) - wholeSeconds(job.startWallMs);
    if (result.ok) {
      node.log('notice', 'DB saved on disk');
      node.log('notice', 'Background saving terminated with success');
      // Writes made while the snapshot was written are not in the file: they stay counted.
      node.dirty = Math.max(0, node.dirty - this.dirtyBeforeBgsave);
      this.lastsaveSeconds = wholeSeconds(nowMs);
      this.lastBgsaveOk = true;
      this.notifySaveDone(job, true, false);
      return;
    }
    this.logFailure(job, result);
    node.log('warning', 'Background saving error');
    this.lastBgsaveOk = false;
    this.notifySaveDone(job, false, false);
  }

  /** Logs a failed save in rdbSave's words and returns the line. */
  private logFailure(job: SaveJob, result: Extract<RdbFileResult, { ok: false }>): string {
    const config = this.node.config;
    const reason = STRERROR[result.error.code];
    const line =
      result.step === 'open'
        ? `Failed opening the temp RDB file ${job.sink.tempName} (in server root dir ${config.dir}) for saving: ${reason}`
        : result.step === 'rename'
          ? `Error moving temp DB file ${job.sink.tempName} on the final destination ${config.dbfilename} (in server root dir ${config.dir}): ${reason}`
          : `Write error saving DB on disk(${result.step}): ${reason}`;
    this.node.log('warning', line);
    return line;
  }

  private forkPauseMs(): number {
    const perGb = this.node.config.forkPauseMsPerGb;
    if (perGb <= 0) return 0;
    return Math.round((usedMemoryBytes(this.node) / BYTES_PER_GB) * perGb);
  }
}

function wholeSeconds(wallMs: number): number {
  return Math.floor(wallMs / 1000);
}
