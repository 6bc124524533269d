/**
 * The state of each directed link between two hosts: which faults block it and its latency.
 *
 * Faults follow turmoil's vocabulary. A partition and a hold both stop bytes on a link; neither drops
 * them, because TCP retransmits: what was sent during the fault arrives after it ends (see
 * sim-connection.ts). They are kept apart only so that `repair` lifts partitions and `release` lifts
 * holds, each without touching the other. Every installed fault is a token in a set and installing one
 * returns a handle whose `remove()` takes out that token alone, so a test can scope a fault to one phase.
 * When the last fault of a link goes, the network is told so it can resume the stalled streams.
 */
import { assert } from '../assert.js';

/** An installed fault; `remove()` uninstalls it and is a no-op the second time. */
export interface FaultHandle {
  remove(): void;
}

export interface LatencyRange {
  readonly latencyMsMin: number;
  readonly latencyMsMax: number;
}

export type LinkFaultKind = 'partition' | 'hold';

export class Link {
  readonly source: string;
  readonly target: string;
  readonly partitions: Set<object> = new Set();
  readonly holds: Set<object> = new Set();
  /** A per-link latency overriding the network's default range. */
  latency: LatencyRange | undefined;
  /** A rate limit in bytes per second (Toxiproxy's bandwidth toxic); undefined for none. */
  bandwidthBytesPerSec: number | undefined;

  constructor(source: string, target: string) {
    this.source = source;
    this.target = target;
  }

  get blocked(): boolean {
    return this.partitions.size > 0 || this.holds.size > 0;
  }

  faults(kind: LinkFaultKind): Set<object> {
    return kind === 'partition' ? this.partitions : this.holds;
  }
}

export class LinkTable {
  /** Keyed by `source>target` host names; entries are created by deterministic harness calls. */
  private readonly links = new Map<string, Link>();
  private readonly onOpen: (link: Link) => void;

  /** `onOpen` runs whenever a link goes from blocked to unblocked. */
  constructor(onOpen: (link: Link) => void) {
    this.onOpen = onOpen;
  }

  link(source: string, target: string): Link {
    const key = `${source}>${target}`;
    let link = this.links.get(key);
    if (link === undefined) {
      link = new Link(source, target);
      this.links.set(key, link);
    }
    return link;
  }

  isBlocked(source: string, target: string): boolean {
    return this.links.get(`${source}>${target}`)?.blocked ?? false;
  }

  latency(source: string, target: string): LatencyRange | undefined {
    return this.links.get(`${source}>${target}`)?.latency;
  }

  bandwidth(source: string, target: string): number | undefined {
    return this.links.get(`${source}>${target}`)?.bandwidthBytesPerSec;
  }

  /** Blocks source -> target until the handle is removed or the fault kind is cleared. */
  install(source: string, target: string, kind: LinkFaultKind): FaultHandle {
    assert(source !== target, 'a host cannot be cut off from itself (loopback skips faults)');
    const link = this.link(source, target);
    const token = {};
    link.faults(kind).add(token);
    return {
      remove: () => {
        const blockedBefore = link.blocked;
        if (!link.faults(kind).delete(token)) return;
        if (blockedBefore && !link.blocked) this.onOpen(link);
      },
    };
  }

  /** Removes every fault of `kind` from source -> target. */
  clear(source: string, target: string, kind: LinkFaultKind): void {
    const link = this.links.get(`${source}>${target}`);
    if (link === undefined) return;
    const blockedBefore = link.blocked;
    link.faults(kind).clear();
    if (blockedBefore && !link.blocked) this.onOpen(link);
  }
}

/** Combines several handles into one that removes them all. */
export function combineFaults(handles: readonly FaultHandle[]): FaultHandle {
  return {
    remove: () => {
      for (const handle of handles) handle.remove();
    },
  };
}
