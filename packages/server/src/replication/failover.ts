/**
 * The coordinated failover of Redis 7.0's FAILOVER command (replication.c), on the master's side:
 *
 *   no-failover --FAILOVER--> waiting-for-sync --a replica acked every byte--> failover-in-progress
 *        ^                        |  (timeout: abort, or with FORCE go on anyway)       |
 *        |                        +--FAILOVER ABORT / timeout--------------------------+|
 *        +--the target answered the PSYNC FAILOVER (+CONTINUE / +FULLRESYNC)-----------+
 *        +--the target refused it: abort, and this node is a master again (a new replid)
 *
 * - FAILOVER pauses writes (client-pause.ts, purpose 'failover') so the stream stops growing, then
 *   waits until the target (or, without TO, any replica) has acknowledged the whole stream. ACKs
 *   arrive every second from each replica; the status is re-examined after each ACK and by the
 *   cron, as Redis's beforeSleep does.
 * - Then this node becomes a replica of the target (becomeReplica), and its link sends
 *   `PSYNC <replid> <offset> FAILOVER`: the target promotes itself (sync.ts) and answers
 *   +CONTINUE. The pause ends; writes postponed meanwhile now meet a replica and get READONLY.
 * - While a failover runs, REPLICAOF and SYNC/PSYNC from other replicas are refused, and with a
 *   timeout the master sends its replicas no PINGs (they would move the offset).
 * INFO replication's master_failover_state shows the state.
 */
import type { ServerNode } from '../node.js';
import type { ReplicaClient } from './replica-client.js';
import { becomeMaster, becomeReplica } from './replica-host.js';

export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

export interface FailoverRequest {
  /** TO host port: the replica to hand over to; undefined = the first one that catches up. */
  readonly target: { readonly host: string; readonly port: number } | undefined;
  /** TIMEOUT in ms (0 = none): past it, abort, or with FORCE fail over anyway. */
  readonly timeoutMs: number;
  readonly force: boolean;
}

export class Failover {
  private readonly node: ServerNode;
  private stateNow: FailoverState = 'no-failover';
  private target: { host: string; port: number } | undefined;
  /** Wall-clock ms after which the wait gives up (0 = never). */
  private endMs = 0;
  private force = false;
  private checkScheduled = false;

  constructor(node: ServerNode) {
    this.node = node;
  }

  get state(): FailoverState {
    return this.stateNow;
  }

  /** With a timeout, replicationCron sends no PINGs while the pause holds (manual failover). */
  get holdsPings(): boolean {
    return this.endMs !== 0 && this.node.clientPause.active;
  }

  /** The connected replica announced as host:port (findReplica), if any. */
  findReplica(host: string, port: number): ReplicaClient | undefined {
    const wanted = host.toLowerCase();
    return this.node.master.replicas.find(
      (replica) => replica.ip().toLowerCase() === wanted && replica.listeningPort === port,
    );
  }

  /** FAILOVER's request, already validated by the command: pause writes and wait for a replica. */
  start(request: FailoverRequest): void {
    const node = this.node;
    if (request.target !== undefined) {
      this.target = { ...request.target };
      node.log('notice', `FAILOVER requested to ${request.target.host}:${request.target.port}.`);
    } else {
      node.log('notice', 'FAILOVER requested to any replica.');
    }
    if (request.timeoutMs > 0) this.endMs = node.env.clock.wallMs() + request.timeoutMs;
    this.force = request.force;
    this.stateNow = 'waiting-for-sync';
    node.clientPause.pause('failover', Number.MAX_SAFE_INTEGER, 'write');
  }

  /** A replica acknowledged: look again at the end of this event (beforeSleep). */
  scheduleCheck(): void {
    if (this.stateNow !== 'waiting-for-sync' || this.checkScheduled) return;
    this.checkScheduled = true;
    this.node.env.timers.after(0, () => {
      this.checkScheduled = false;
      if (!this.node.isStopped) this.update();
    });
  }

  /** updateFailoverStatus: time out, or hand over to a replica that has every byte. */
  update(): void {
    if (this.stateNow !== 'waiting-for-sync') return;
    const node = this.node;
    if (this.endMs !== 0 && this.endMs <= node.env.clock.wallMs()) {
      const target = this.target;
      if (this.force && target !== undefined) {
        node.log(
          'notice',
          `FAILOVER to ${target.host}:${target.port} time out exceeded, failing over.`,
        );
        this.handOver(target);
      } else {
        this.abort('Replica never caught up before timeout');
      }
      return;
    }
    const offset = node.repl.masterReplOffset;
    let replica: ReplicaClient | undefined;
    if (this.target !== undefined) {
      replica = this.findReplica(this.target.host, this.target.port);
    } else {
      replica = node.master.replicas.find((candidate) => candidate.ackOffset === offset);
      if (replica !== undefined) {
        this.target = { host: replica.ip(), port: replica.listeningPort };
      }
    }
    const target = this.target;
    if (replica !== undefined && target !== undefined && replica.ackOffset === offset) {
      node.log('notice', `Failover target ${target.host}:${target.port} is synced, failing over.`);
      this.handOver(target);
    }
  }

  /** FAILOVER ABORT, a timeout, or a refused PSYNC FAILOVER (abortFailover). */
  abort(reason: string): void {
    if (this.stateNow === 'no-failover') return;
    const node = this.node;
    const target = this.target;
    node.log(
      'notice',
      target === undefined
        ? `FAILOVER to any replica aborted: ${reason}`
        : `FAILOVER to ${target.host}:${target.port} aborted: ${reason}`,
    );
    if (this.stateNow === 'failover-in-progress') {
      becomeMaster(node);
      node.config.replicaof = undefined;
    }
    this.clear();
  }

  /** The target answered the PSYNC FAILOVER: accepted ends the failover, refused aborts it. */
  psyncAnswered(accepted: boolean): void {
    if (this.stateNow !== 'failover-in-progress') return;
    if (accepted) this.clear();
    else this.abort('Failover target rejected psync request');
  }

  private handOver(target: { host: string; port: number }): void {
    this.stateNow = 'failover-in-progress';
    becomeReplica(this.node, target.host, target.port);
    this.node.config.replicaof = { ...target };
  }

  /** clearFailoverState: back to no-failover, and the writes paused for it run. */
  private clear(): void {
    this.endMs = 0;
    this.force = false;
    this.target = undefined;
    this.stateNow = 'no-failover';
    this.node.clientPause.unpause('failover');
  }
}
