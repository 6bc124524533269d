/**
 * A node's place in replication history (reference §3.4): its replication id, the previous one it
 * can still continue (replid2, up to second_repl_offset), master_repl_offset, and the backlog.
 *
 * Redis's rules, kept here in one place:
 * - master_repl_offset advances only while a backlog exists: a master that never had a replica
 *   stays at offset 0 whatever it writes (observed), because nothing could ever continue from it.
 * - The first replica of a master without a backlog gets a fresh replid, replid2 cleared, and a
 *   backlog starting after the current offset.
 * - A promoted replica (REPLICAOF NO ONE) shifts: replid2 = replid, second_repl_offset = offset + 1,
 *   new replid, so its old master and its sub-replicas can still PSYNC with +CONTINUE.
 * - PSYNC <id> <offset> is accepted iff the id is replid, or replid2 with offset <=
 *   second_repl_offset, and the backlog covers offset (§3.2).
 */
import type { Random } from '@replisim/base';
import { ReplicationBacklog } from './backlog.js';

export const REPLID_LENGTH = 40;
/** replid2 when there is no previous history: 40 zeros, with second_repl_offset -1. */
export const NO_REPLID: string = '0'.repeat(REPLID_LENGTH);

export class ReplicationIds {
  replid: string;
  replid2: string = NO_REPLID;
  secondReplidOffset = -1;
  masterReplOffset = 0;
  backlog: ReplicationBacklog | undefined;
  private readonly random: Random;

  constructor(random: Random) {
    this.random = random;
    this.replid = random.hex(REPLID_LENGTH);
  }

  /** changeReplicationId: a new history starts here. */
  changeReplicationId(): void {
    this.replid = this.random.hex(REPLID_LENGTH);
  }

  clearReplicationId2(): void {
    this.replid2 = NO_REPLID;
    this.secondReplidOffset = -1;
  }

  /** shiftReplicationId (promotion): the current history becomes the one we can still continue. */
  shiftReplicationId(): void {
    this.replid2 = this.replid;
    this.secondReplidOffset = this.masterReplOffset + 1;
    this.changeReplicationId();
  }

  /** createReplicationBacklog: history is kept from the next byte on. */
  createBacklog(size: number): ReplicationBacklog {
    this.backlog = new ReplicationBacklog(size, this.masterReplOffset);
    return this.backlog;
  }

  freeBacklog(): void {
    this.backlog = undefined;
  }

  /** Stream bytes: counted and kept only while there is a backlog (feedReplicationBuffer). */
  feed(bytes: Uint8Array): void {
    if (this.backlog === undefined) return;
    this.backlog.feed(bytes);
    this.masterReplOffset += bytes.length;
  }

  /** masterTryPartialResynchronization's test: can `replid` continue from byte `offset`? */
  canContinue(replid: string, offset: number): boolean {
    const sameHistory =
      replid === this.replid || (replid === this.replid2 && offset <= this.secondReplidOffset);
    return sameHistory && this.backlog?.covers(offset) === true;
  }
}
