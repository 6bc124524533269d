/**
 * Client pauses, as Redis 7.0's networking.c keeps them: CLIENT PAUSE takes one, SHUTDOWN another
 * while it waits for lagging replicas, and FAILOVER a third while it waits for its target (one per
 * purpose, so CLIENT UNPAUSE cannot end a failover's). The pause in force is the most restrictive live one, `all` over `write`, and it
 * lasts until the furthest end among the pauses of that type.
 *
 * While a pause is in force:
 * - dispatch.ts postpones a command that must wait (any command under `all`; under `write`, one
 *   that may replicate: writes, EVAL/FCALL/PUBLISH..., and EXEC of a transaction holding one), the
 *   master client's included; a replica's own connection is never paused. A postponed client
 *   shows `b` in CLIENT LIST and counts in INFO's blocked_clients, and runs none of its further
 *   requests until it is released;
 * - keys are not expired: a lookup reports an expired key missing without deleting it, and the
 *   cron runs no active expiry (expireIfNeeded and activeExpireCycle's pause checks), so the
 *   dataset stands still, as a failover needs it to.
 *
 * A pause ends at CLIENT UNPAUSE, at the end of a FAILOVER, or when its time is up. Redis notices
 * the time in its cron and in expireIfNeeded (checkClientPauseTimeoutAndReturnIfPaused), and so
 * does replisim: the node's cron calls `checkTimeout`, and so does a lookup that meets an expired
 * key. Whenever the pause in force becomes less restrictive, every postponed client is released
 * (unblockPostponedClients): they run again after the current event, in the order they were
 * postponed, and those that must still wait are postponed again.
 */
import { assert } from '@replisim/base';
import type { Client } from './client.js';

/** What a pause holds back: every command, or the commands that may replicate. */
export type PauseType = 'write' | 'all';

/** Why a pause was taken (Redis's pause_purpose); each purpose holds at most one pause. */
export type PausePurpose = 'client-command' | 'shutdown' | 'failover';

const RESTRICTIVENESS: Readonly<Record<PauseType | 'off', number>> = { off: 0, write: 1, all: 2 };

interface PauseEvent {
  type: PauseType;
  /** Wall-clock ms after which this pause is over (Redis compares with mstime()). */
  endMs: number;
}

export interface ClientPauseHooks {
  /** The wall clock the ends are measured against (Redis's server.mstime). */
  readonly nowMs: () => number;
  /** Runs `release` after the current event (Redis: the unblocked list, served in beforeSleep). */
  readonly afterEvent: (release: () => void) => void;
  /** Tells the databases whether lazy expiry deletes (false while any pause is in force). */
  readonly expiryPaused: (paused: boolean) => void;
  /** Runs a released client's postponed command and then its pipeline. */
  readonly resume: (client: Client) => void;
}

export class ClientPause {
  private readonly hooks: ClientPauseHooks;
  private readonly byPurpose = new Map<PausePurpose, PauseEvent>();
  private typeInForce: PauseType | 'off' = 'off';
  private endInForceMs = 0;
  /** Postponed clients in the order they were postponed (Redis's server.postponed_clients). */
  private readonly postponed = new Set<Client>();

  constructor(hooks: ClientPauseHooks) {
    this.hooks = hooks;
  }

  /** The pause in force: 'off', 'write' or 'all' (Redis's client_pause_type). */
  get type(): PauseType | 'off' {
    return this.typeInForce;
  }

  /** Whether any pause is in force (areClientsPaused). */
  get active(): boolean {
    return this.typeInForce !== 'off';
  }

  /** Clients waiting for the pause to end (they count in INFO's blocked_clients). */
  get postponedCount(): number {
    return this.postponed.size;
  }

  /**
   * Takes (or extends) the pause of `purpose` until `endMs` (wall clock): a pause can only grow in
   * type and in length, as pauseClients merges them.
   */
  pause(purpose: PausePurpose, endMs: number, type: PauseType): void {
    const event = this.byPurpose.get(purpose);
    if (event === undefined) {
      this.byPurpose.set(purpose, { type, endMs });
    } else {
      if (RESTRICTIVENESS[type] > RESTRICTIVENESS[event.type]) event.type = type;
      event.endMs = Math.max(event.endMs, endMs);
    }
    this.update();
  }

  /** Drops the pause of `purpose` (CLIENT UNPAUSE, the end of a failover). */
  unpause(purpose: PausePurpose): void {
    this.byPurpose.delete(purpose);
    this.update();
  }

  /**
   * Ends the pauses whose time is up, and says whether one is still in force
   * (checkClientPauseTimeoutAndReturnIfPaused).
   */
  checkTimeout(): boolean {
    if (!this.active) return false;
    if (this.endInForceMs < this.hooks.nowMs()) this.update();
    return this.active;
  }

  /** Holds `client`'s current command back until the pause in force changes. */
  postpone(client: Client): void {
    assert(this.active, 'a client is postponed only while a pause is in force');
    assert(!client.postponed, 'a client is postponed once at a time');
    client.postponed = true;
    this.postponed.add(client);
  }

  /** Forgets a postponed client that went away (disconnected, killed, its link dropped). */
  removeClient(client: Client): void {
    if (this.postponed.delete(client)) client.postponed = false;
  }

  /** updateClientPauseTypeAndEndTime: recomputes the pause in force from the live ones. */
  private update(): void {
    const before = this.typeInForce;
    const nowMs = this.hooks.nowMs();
    let type: PauseType | 'off' = 'off';
    for (const [purpose, event] of [...this.byPurpose]) {
      if (event.endMs < nowMs) this.byPurpose.delete(purpose);
      else if (RESTRICTIVENESS[event.type] > RESTRICTIVENESS[type]) type = event.type;
    }
    let endMs = 0;
    for (const event of this.byPurpose.values()) {
      if (event.type === type && event.endMs > endMs) endMs = event.endMs;
    }
    this.typeInForce = type;
    this.endInForceMs = endMs;
    if ((before === 'off') !== (type === 'off')) this.hooks.expiryPaused(type !== 'off');
    if (RESTRICTIVENESS[type] < RESTRICTIVENESS[before]) this.releaseAll();
  }

  /** unblockPostponedClients: every postponed client runs again after the current event. */
  private releaseAll(): void {
    if (this.postponed.size === 0) return;
    const released = [...this.postponed];
    this.postponed.clear();
    for (const client of released) client.postponed = false;
    this.hooks.afterEvent(() => {
      for (const client of released) this.hooks.resume(client);
    });
  }
}
