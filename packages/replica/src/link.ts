/**
 * A replica's link to its master: Redis's syncWithMaster, readSyncBulkPayload and the master
 * client's read side, as one callback-driven state machine over the Env (reference §4.2-4.3).
 *
 *   connect -> connecting -> ping -> handshake -> psync -+-> preamble -> transfer -> loading -+
 *      ^                                                 +--------- +CONTINUE ---------------+-> connected
 *      +------------- any failure, a dropped link, a timeout (retried by the 1 s cron) ------+
 *
 * - The handshake sends PING, then AUTH / REPLCONF listening-port / [ip-address] / capa eof capa
 *   psync2 pipelined in one burst, reads their replies in order, then PSYNC from the host's cached
 *   master (PSYNC ? -1 without one).
 * - +FULLRESYNC: the payload ($<len> or $EOF:<mark>) goes to temp-<unixtime>.<pid>.rdb in `dir`;
 *   the old data is served meanwhile; the host installs it when complete. -NOMASTERLINK and
 *   -LOADING retry a second later; another -ERR falls back to SYNC (no ACKs then, as PRE_PSYNC).
 * - +CONTINUE [id]: the stream continues from the cached offset. A +CONTINUE to PSYNC ? -1 (no
 *   cached master: nothing to continue) is refused: the link drops, and the next attempt sends
 *   SYNC, which always gets a full sync. (Redis 7.0 dereferences its missing cached master here.)
 * - Connected: commands are applied through the host; REPLCONF GETACK is answered here with the
 *   offset applied before it (Redis replies while processing GETACK, before commandProcessed
 *   counts it); REPLCONF ACK <reploff> goes out every second.
 * - A cron every second reconnects (state connect), enforces repl-timeout in every stage, sends the
 *   ACK, and while a payload loads writes a newline to the master so it does not time us out.
 *
 * Callbacks from an old connection are ignored: each attempt has its own generation number.
 */
import type { Connection, TimerId } from '@replisim/base';
import { encodeCommand } from '@replisim/protocol';
import {
  type HandshakeStep,
  handshakeBurst,
  parsePreamble,
  parsePsyncReply,
  pingReplyAcceptable,
  psyncCommand,
} from './handshake.js';
import type { ReplicaLinkState, ReplicaLinkStatus } from './link-status.js';
import { PayloadReceiver, type PayloadSink } from './payload.js';
import type { ReplicaHost } from './replica-host.js';
import { CommandStream } from './stream.js';
import { TempFileSink } from './temp-file-sink.js';

/** replicationCron's period. */
const CRON_MS = 1000;

type Stage =
  | 'none'
  | 'connect'
  | 'connecting'
  | 'ping'
  | 'handshake'
  | 'psync'
  | 'preamble'
  | 'transfer'
  | 'loading'
  | 'connected';

const ROLE_STATE: Readonly<Record<Stage, ReplicaLinkState>> = {
  none: 'none',
  connect: 'connect',
  connecting: 'connecting',
  ping: 'handshake',
  handshake: 'handshake',
  psync: 'handshake',
  preamble: 'sync',
  transfer: 'sync',
  loading: 'sync',
  connected: 'connected',
};

const LF = 0x0a;

export class ReplicaLink {
  readonly masterHost: string;
  readonly masterPort: number;
  private readonly host: ReplicaHost;
  private stage: Stage = 'none';
  private connection: Connection | undefined;
  private generation = 0;
  private input: Buffer = Buffer.alloc(0);
  private lastIoMs = 0;
  private handshakeSteps: HandshakeStep[] = [];
  private payload: PayloadReceiver | undefined;
  private transferLastIoMs = 0;
  private initialOffset = -1;
  /** Plain SYNC (the master refused PSYNC): no ACKs are sent (Redis's CLIENT_PRE_PSYNC). */
  private preSync = false;
  /** The offset the last PSYNC asked to continue after (its argument minus one). */
  private psyncOffset = 0;
  /** The last PSYNC was `PSYNC ? -1`: a +CONTINUE to it has nothing to continue from. */
  private psyncWithoutCache = false;
  /** A master answered +CONTINUE to PSYNC ? -1: the next attempt asks for a full sync with SYNC. */
  private syncNext = false;
  /** Stream bytes that arrived while the payload was loading; applied once it is. */
  private heldStream: Buffer[] = [];
  private stream: CommandStream | undefined;
  private linkDownSinceMs: number | undefined;
  private cronTimer: TimerId | undefined;

  constructor(host: ReplicaHost, masterHost: string, masterPort: number) {
    this.host = host;
    this.masterHost = masterHost;
    this.masterPort = masterPort;
  }

  /** Starts replicating: connects at once, and the cron retries every second from then on. */
  start(): void {
    if (this.stage !== 'none') return;
    this.stage = 'connect';
    this.scheduleCron();
    this.connect();
  }

  /** Stops for good (REPLICAOF NO ONE, another master, node stop): nothing is cached here. */
  stop(): void {
    if (this.cronTimer !== undefined) this.host.env.timers.cancel(this.cronTimer);
    this.cronTimer = undefined;
    this.closeConnection();
    this.stage = 'none';
  }

  /** The master client was killed (CLIENT KILL TYPE master): drop the link, reconnect later. */
  dropMasterLink(): void {
    if (this.stage === 'none' || this.stage === 'connect') return;
    this.fail('Connection with master lost.');
  }

  /** False once stopped (or before start). */
  get running(): boolean {
    return this.stage !== 'none';
  }

  get connected(): boolean {
    return this.stage === 'connected';
  }

  status(): ReplicaLinkStatus {
    const nowMs = this.host.env.clock.monotonicMs();
    const payload = this.payload;
    const stream = this.stream;
    const transferring = this.stage === 'transfer' && payload !== undefined;
    return {
      masterHost: this.masterHost,
      masterPort: this.masterPort,
      state: ROLE_STATE[this.stage],
      linkUp: this.stage === 'connected',
      lastIoMsAgo: this.stage === 'connected' ? nowMs - this.lastIoMs : undefined,
      syncInProgress:
        this.stage === 'preamble' || this.stage === 'transfer' || this.stage === 'loading',
      // Without a master client: the cached master's offset, else 1 (INFO shows 1, as Redis).
      readReplOffset: stream?.readReplOffset ?? this.host.psyncPosition()?.offset ?? 1,
      replOffset: stream?.replOffset ?? this.host.psyncPosition()?.offset ?? 1,
      transfer: transferring
        ? {
            totalBytes: payload.totalBytes,
            readBytes: payload.receivedBytes,
            lastIoMsAgo: nowMs - this.transferLastIoMs,
          }
        : undefined,
      linkDownMsAgo:
        this.stage === 'connected' || this.linkDownSinceMs === undefined
          ? undefined
          : nowMs - this.linkDownSinceMs,
    };
  }

  /** The one place the stage changes (INFO, ROLE and MASTERDOWN read it through status()). */
  private setStage(stage: Stage): void {
    this.stage = stage;
  }

  private scheduleCron(): void {
    this.cronTimer = this.host.env.timers.after(CRON_MS, () => {
      this.cronTimer = undefined;
      if (this.stage === 'none') return;
      this.cron();
      if (this.running) this.scheduleCron();
    });
  }

  /** replicationCron for the replica side. */
  private cron(): void {
    const nowMs = this.host.env.clock.monotonicMs();
    const timeoutMs = this.host.settings().replTimeoutMs;
    const idleMs = nowMs - this.lastIoMs;
    switch (this.stage) {
      case 'connect':
        this.connect();
        return;
      case 'connecting':
      case 'ping':
      case 'handshake':
      case 'psync':
        if (idleMs > timeoutMs) this.fail('Timeout connecting to the MASTER...');
        return;
      case 'preamble':
      case 'transfer':
        if (idleMs > timeoutMs) {
          this.fail(
            "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
          );
        }
        return;
      case 'loading':
        // replicationSendNewlineToMaster: we are busy, not dead.
        this.connection?.write(Buffer.from('\n'));
        return;
      case 'connected':
        if (idleMs > timeoutMs) {
          this.fail('MASTER timeout: no data nor PING received...');
          return;
        }
        this.sendAck();
        return;
      case 'none':
        return;
    }
  }

  private connect(): void {
    const generation = ++this.generation;
    this.host.log('notice', `Connecting to MASTER ${this.masterHost}:${this.masterPort}`);
    this.lastIoMs = this.host.env.clock.monotonicMs();
    this.setStage('connecting');
    this.host.log('notice', 'MASTER <-> REPLICA sync started');
    this.host.env.network.connect(this.masterHost, this.masterPort, (result) => {
      if (generation !== this.generation) {
        if (result.ok) result.value.destroy();
        return;
      }
      if (!result.ok) {
        this.host.log('warning', `Error condition on socket for SYNC: ${result.error.message}`);
        this.toConnectState();
        return;
      }
      this.attach(result.value, generation);
    });
  }

  private attach(connection: Connection, generation: number): void {
    this.connection = connection;
    this.input = Buffer.alloc(0);
    connection.onData((chunk) => {
      if (generation === this.generation) this.onData(chunk);
    });
    connection.onClose(() => {
      if (generation === this.generation) this.onClosed();
    });
    this.host.log('notice', 'Non blocking connect for SYNC fired the event.');
    this.lastIoMs = this.host.env.clock.monotonicMs();
    this.setStage('ping');
    connection.write(encodeCommand(['PING']));
  }

  private onClosed(): void {
    this.connection = undefined;
    if (this.stage === 'loading') return; // noticed when the load ends, as Redis would
    this.fail('Connection with master lost.');
  }

  private onData(chunk: Buffer): void {
    const nowMs = this.host.env.clock.monotonicMs();
    this.lastIoMs = nowMs;
    switch (this.stage) {
      case 'connected':
        this.feedStream(chunk);
        return;
      case 'transfer':
        this.transferLastIoMs = nowMs;
        this.receivePayload(chunk);
        return;
      case 'loading':
        this.heldStream.push(chunk);
        return;
      default:
        this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
        this.readLines();
    }
  }

  /** Handles the one-line replies of the handshake stages, as long as whole lines are buffered. */
  private readLines(): void {
    for (;;) {
      if (!this.isLineStage()) return;
      const end = this.input.indexOf(LF);
      if (end < 0) return;
      const raw = this.input.subarray(0, end);
      const line = (raw[raw.length - 1] === 0x0d ? raw.subarray(0, -1) : raw).toString('latin1');
      this.input = this.input.subarray(end + 1);
      this.onLine(line);
    }
  }

  private isLineStage(): boolean {
    return (
      this.stage === 'ping' ||
      this.stage === 'handshake' ||
      this.stage === 'psync' ||
      this.stage === 'preamble'
    );
  }

  private onLine(line: string): void {
    switch (this.stage) {
      case 'ping':
        this.onPingReply(line);
        return;
      case 'handshake':
        this.onHandshakeReply(line);
        return;
      case 'psync':
        this.onPsyncReply(line);
        return;
      case 'preamble':
        this.onPreamble(line);
        return;
      default:
        return;
    }
  }

  private onPingReply(line: string): void {
    if (line === '') return;
    if (!pingReplyAcceptable(line)) {
      this.fail(`Error reply to PING from master: '${line}'`);
      return;
    }
    this.host.log('notice', 'Master replied to PING, replication can continue...');
    const burst = handshakeBurst(this.host.settings());
    this.handshakeSteps = burst.steps;
    this.setStage('handshake');
    this.connection?.write(burst.bytes);
  }

  private onHandshakeReply(line: string): void {
    if (line === '') return;
    const step = this.handshakeSteps.shift();
    if (step === 'auth' && line.startsWith('-')) {
      this.fail(`Unable to AUTH to MASTER: ${line}`);
      return;
    }
    if (step === 'port' && line.startsWith('-')) {
      this.host.log(
        'notice',
        `(Non critical) Master does not understand REPLCONF listening-port: ${line}`,
      );
    }
    if (step === 'ip' && line.startsWith('-')) {
      this.host.log(
        'notice',
        `(Non critical) Master does not understand REPLCONF ip-address: ${line}`,
      );
    }
    if (step === 'capa' && line.startsWith('-')) {
      this.host.log('notice', `(Non critical) Master does not understand REPLCONF capa: ${line}`);
    }
    if (this.handshakeSteps.length > 0) return;
    this.sendPsync();
  }

  private sendPsync(): void {
    if (this.syncNext) {
      this.syncNext = false;
      this.host.log('notice', 'Asking the master for a full resynchronization with SYNC.');
      this.connection?.write(encodeCommand(['SYNC']));
      this.preSync = true;
      this.startFullSync(undefined, -1);
      return;
    }
    const position = this.host.psyncPosition();
    this.psyncWithoutCache = position === undefined;
    if (position === undefined) {
      this.host.log('notice', 'Partial resynchronization not possible (no cached master)');
    } else {
      this.host.log(
        'notice',
        `Trying a partial resynchronization (request ${position.replid}:${position.offset + 1}).`,
      );
    }
    this.psyncOffset = position?.offset ?? 0;
    this.setStage('psync');
    this.connection?.write(psyncCommand(position, this.host.failingOver?.() ?? false));
  }

  private onPsyncReply(line: string): void {
    const reply = parsePsyncReply(line);
    if (reply.kind === 'keepalive') return;
    // A FAILOVER hand-over: the target's answer ends it or aborts it (the host then stops us).
    if (this.host.failingOver?.()) {
      const accepted = reply.kind === 'fullresync' || reply.kind === 'continue';
      this.host.failoverAnswered?.(accepted);
      if (!accepted) return;
    }
    switch (reply.kind) {
      case 'fullresync':
        this.host.log('notice', `Full resync from master: ${reply.replid}:${reply.offset}`);
        this.preSync = false;
        this.startFullSync(reply.replid, reply.offset);
        return;
      case 'continue':
        if (this.psyncWithoutCache) {
          this.syncNext = true;
          this.fail(
            `Master accepted a partial resynchronization (${line}) of PSYNC ? -1, but there is no cached master to continue from: refusing it, the next attempt uses SYNC for a full resynchronization.`,
          );
          return;
        }
        this.continueStream(reply.replid);
        return;
      case 'retry-later':
        this.fail(`Master is currently unable to PSYNC but should be in the future: ${line}`);
        return;
      case 'not-supported':
        this.host.log(
          'notice',
          `Unexpected reply to PSYNC from master: ${line}. Retrying with SYNC...`,
        );
        this.connection?.write(encodeCommand(['SYNC']));
        this.preSync = true;
        this.startFullSync(undefined, -1);
        return;
      case 'bad':
        this.fail(`Unexpected reply to PSYNC from master: ${line}`);
        return;
    }
  }

  private startFullSync(replid: string | undefined, offset: number): void {
    this.host.fullSyncStarting(replid, offset);
    this.initialOffset = offset;
    this.stream = undefined;
    this.setStage('preamble');
  }

  private continueStream(newReplid: string | undefined): void {
    this.host.log(
      'notice',
      'Successful partial resynchronization with master.\nMASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.',
    );
    this.host.continued(newReplid);
    this.stream = this.newStream(this.psyncOffset);
    this.preSync = false;
    this.setStage('connected');
    const rest = this.input;
    this.input = Buffer.alloc(0);
    if (rest.length > 0) this.feedStream(rest);
  }

  private onPreamble(line: string): void {
    const preamble = parsePreamble(line);
    switch (preamble.kind) {
      case 'keepalive':
        return;
      case 'error':
        this.fail(`MASTER aborted replication with an error: ${line.slice(1)}`);
        return;
      case 'bad':
        this.fail(
          `Bad protocol from MASTER, the first byte is not '$' (we received '${line}'), are you sure the host and port are right?`,
        );
        return;
      case 'payload': {
        const framing = preamble.framing;
        this.payload = new PayloadReceiver(framing, this.openSink(framing));
        this.transferLastIoMs = this.host.env.clock.monotonicMs();
        this.setStage('transfer');
        const rest = this.input;
        this.input = Buffer.alloc(0);
        this.receivePayload(rest);
        return;
      }
    }
  }

  /** The host's diskless loader if repl-diskless-load allows it now, else a temp file. */
  private openSink(framing: PayloadReceiver['framing']): PayloadSink {
    const diskless = this.host.disklessLoad();
    const target = diskless === undefined ? 'to disk' : 'to parser';
    this.host.log(
      'notice',
      framing.kind === 'length'
        ? `MASTER <-> REPLICA sync: receiving ${framing.bytes} bytes from master ${target}`
        : `MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ${target}`,
    );
    if (diskless !== undefined) return diskless;
    const settings = this.host.settings();
    const unixtime = Math.floor(this.host.env.clock.wallMs() / 1000);
    const name = `temp-${unixtime}.${settings.pid}.rdb`;
    const path = settings.dir.endsWith('/') ? `${settings.dir}${name}` : `${settings.dir}/${name}`;
    return new TempFileSink(this.host, path);
  }

  private receivePayload(chunk: Buffer): void {
    const payload = this.payload;
    if (payload === undefined) return;
    const progress = payload.push(chunk);
    if (progress.kind === 'more') return;
    if (progress.rest.length > 0) this.heldStream.push(progress.rest);
    this.setStage('loading');
    const generation = this.generation;
    this.payload = undefined;
    payload.finish((result) => {
      if (generation !== this.generation) return;
      if (!result.ok) {
        this.host.log(
          'warning',
          'Failed trying to load the MASTER synchronization DB from disk, check server logs.',
        );
        this.fail(result.message);
        return;
      }
      this.loaded(payload.framing.kind === 'mark');
    });
  }

  /** The payload is installed: the master client exists from here on. */
  private loaded(markMode: boolean): void {
    this.host.log('notice', 'MASTER <-> REPLICA sync: Finished with success');
    this.stream = this.newStream(this.initialOffset);
    this.setStage('connected');
    if (this.connection === undefined) {
      this.fail('Connection with master lost.');
      return;
    }
    // After a diskless transfer the master waits for this ACK before it streams (§3.3).
    if (markMode) this.sendAck();
    const held = this.heldStream;
    this.heldStream = [];
    for (const chunk of held) {
      if (this.stage !== 'connected') return;
      this.feedStream(chunk);
    }
  }

  private newStream(offset: number): CommandStream {
    return new CommandStream(offset, {
      command: (argv) => this.runCommand(argv),
      applied: (bytes) => this.host.applied(bytes),
    });
  }

  private runCommand(argv: readonly Buffer[]): boolean {
    const name = (argv[0] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
    if (name === 'replconf') {
      const option = (argv[1] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
      // GETACK is answered with the offset before this command; other options need no reply.
      if (option === 'getack') this.sendAck();
      return true;
    }
    return this.host.apply(argv);
  }

  /**
   * The host ended a CLIENT PAUSE that postponed a command of the stream: run it and what came
   * after it.
   */
  resumeStream(): void {
    const stream = this.stream;
    if (stream === undefined || !stream.held) return;
    const error = stream.resume();
    if (error !== undefined) this.fail(`Protocol error from MASTER: ${error}`, false);
  }

  private feedStream(chunk: Buffer): void {
    const stream = this.stream;
    if (stream === undefined) return;
    const error = stream.feed(chunk);
    // A master that sent garbage is not cached (freeClient skips CLIENT_PROTOCOL_ERROR masters):
    // the next sync is a full one.
    if (error !== undefined) this.fail(`Protocol error from MASTER: ${error}`, false);
  }

  private sendAck(): void {
    const stream = this.stream;
    if (this.preSync || stream === undefined || this.connection === undefined) return;
    this.connection.write(encodeCommand(['REPLCONF', 'ACK', String(stream.replOffset)]));
  }

  /** Any failure: log it, drop the connection and wait for the cron to reconnect. */
  private fail(reason: string, cacheable = true): void {
    this.host.log('warning', reason);
    this.toConnectState(cacheable);
  }

  private toConnectState(cacheable = true): void {
    const wasConnected = this.stage === 'connected';
    this.closeConnection();
    if (wasConnected) {
      if (cacheable) this.host.log('notice', 'Caching the disconnected master state.');
      this.host.masterLost(cacheable);
    }
    if (wasConnected) this.linkDownSinceMs = this.host.env.clock.monotonicMs();
    this.setStage('connect');
  }

  private closeConnection(): void {
    this.generation++;
    this.payload?.abort();
    this.payload = undefined;
    this.heldStream = [];
    this.stream = undefined;
    this.input = Buffer.alloc(0);
    const connection = this.connection;
    this.connection = undefined;
    connection?.destroy();
  }
}
