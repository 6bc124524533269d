/**
 * Clients blocked in WAIT (Redis's clients_waiting_acks): each waits until enough ONLINE replicas
 * have acknowledged the stream offset of its last write, or its timeout ends. Either way it is
 * answered with the number of replicas that had acknowledged then (reference §3.6).
 *
 * The blocked client uses the same `blocked` flag as BLPOP, so client-io.ts runs none of its
 * pipelined requests meanwhile; when it is answered, its queued requests run. Timeouts are Env
 * timers. The master calls `acksChanged` on every ACK and when a replica comes online.
 */
import type { TimerId } from '@replisim/base';
import type { Client } from '../client.js';
import { processClientInput } from '../client-io.js';
import type { ServerNode } from '../node.js';

/** What the registry needs from the master: acknowledged counts and a GETACK round. */
export interface AckSource {
  countAcks(offset: number): number;
  requestAcks(): void;
}

interface Waiter {
  readonly client: Client;
  readonly offset: number;
  readonly replicasWanted: number;
  timer: TimerId | undefined;
}

export class WaitRegistry {
  private readonly node: ServerNode;
  private readonly acks: AckSource;
  private readonly waiters: Waiter[] = [];

  constructor(node: ServerNode, acks: AckSource) {
    this.node = node;
    this.acks = acks;
  }

  /** Clients blocked in WAIT (INFO's blocked_clients counts them with those blocked on keys). */
  get waitingCount(): number {
    return this.waiters.length;
  }

  /** Blocks `client` until `replicasWanted` replicas acknowledged `offset`; 0 ms waits forever. */
  block(client: Client, offset: number, replicasWanted: number, timeoutMs: number): void {
    const waiter: Waiter = { client, offset, replicasWanted, timer: undefined };
    client.blocked = true;
    if (timeoutMs > 0) {
      waiter.timer = this.node.env.timers.after(timeoutMs, () => {
        waiter.timer = undefined;
        this.answer(waiter);
      });
    }
    this.waiters.push(waiter);
    this.acks.requestAcks();
  }

  /** Answers every waiter whose count is now reached (processClientsWaitingReplicas). */
  acksChanged(): void {
    for (const waiter of [...this.waiters]) {
      if (this.acks.countAcks(waiter.offset) >= waiter.replicasWanted) this.answer(waiter);
    }
  }

  /**
   * CLIENT UNBLOCK: answers `client`'s WAIT now, as its timeout would (the count so far), or with
   * `error`. False if it is not waiting.
   */
  unblock(client: Client, error: string | undefined): boolean {
    const waiter = this.waiters.find((candidate) => candidate.client === client);
    if (waiter === undefined) return false;
    this.answer(waiter, error);
    return true;
  }

  /** The client disconnected: forget its wait. */
  clientGone(client: Client): void {
    const index = this.waiters.findIndex((waiter) => waiter.client === client);
    if (index < 0) return;
    const [waiter] = this.waiters.splice(index, 1);
    if (waiter?.timer !== undefined) this.node.env.timers.cancel(waiter.timer);
  }

  private answer(waiter: Waiter, error?: string): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    if (waiter.timer !== undefined) this.node.env.timers.cancel(waiter.timer);
    const client = waiter.client;
    client.blocked = false;
    if (client.closing || this.node.clients.get(client.id) !== client) return;
    if (error === undefined) client.reply.integer(this.acks.countAcks(waiter.offset));
    else this.node.replyError(client, error);
    processClientInput(this.node, client);
  }
}
