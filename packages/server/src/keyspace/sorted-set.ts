/**
 * The ordered half of a sorted set: members ordered by (score, member bytes), with rank queries.
 *
 * Redis uses a skiplist with spans, which needs random levels; here order must not depend on
 * randomness outside the Env, so the order is kept as a list of sorted chunks (at most CHUNK_MAX
 * entries each). Lookup by member goes through a Map; finding a position is a binary search over the
 * chunks' last entries then inside one chunk; a rank is the sizes of the chunks before plus the
 * position inside. For a million members that is a few thousand chunks: O(log n) search plus a short
 * linear walk for ranks, with no rebalancing beyond splitting full chunks and dropping empty ones.
 *
 * Members are latin1 strings (one char per byte), so JS string comparison is Redis's memcmp order.
 */
import { assert } from '@replisim/base';

export interface ScoredMember {
  readonly member: string;
  readonly score: number;
}

const CHUNK_MAX = 256;

/** Redis's zset order: by score, then by member bytes. */
export function compareScored(a: ScoredMember, b: ScoredMember): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  if (a.member === b.member) return 0;
  return a.member < b.member ? -1 : 1;
}

export class SortedSet {
  private readonly scores = new Map<string, number>();
  private chunks: ScoredMember[][] = [];

  get size(): number {
    return this.scores.size;
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  has(member: string): boolean {
    return this.scores.has(member);
  }

  /** Adds or moves `member` to `score`. Returns true if the member is new. */
  add(member: string, score: number): boolean {
    assert(!Number.isNaN(score), 'a sorted-set score cannot be NaN');
    const old = this.scores.get(member);
    if (old === score) return false;
    if (old !== undefined) this.removeEntry({ member, score: old });
    this.scores.set(member, score);
    this.insertEntry({ member, score });
    return old === undefined;
  }

  remove(member: string): boolean {
    const old = this.scores.get(member);
    if (old === undefined) return false;
    this.scores.delete(member);
    this.removeEntry({ member, score: old });
    return true;
  }

  /** 0-based rank in ascending order, or undefined if absent. */
  rank(member: string): number | undefined {
    const score = this.scores.get(member);
    if (score === undefined) return undefined;
    return this.firstIndex((entry) => compareScored(entry, { member, score }) < 0);
  }

  at(rank: number): ScoredMember | undefined {
    let offset = rank;
    for (const chunk of this.chunks) {
      if (offset < chunk.length) return chunk[offset];
      offset -= chunk.length;
    }
    return undefined;
  }

  /** Entries with rank in [start, stop] (inclusive, already clamped), ascending. */
  range(start: number, stop: number): ScoredMember[] {
    const out: ScoredMember[] = [];
    let index = 0;
    for (const chunk of this.chunks) {
      if (index + chunk.length <= start) {
        index += chunk.length;
        continue;
      }
      for (const entry of chunk) {
        if (index > stop) return out;
        if (index >= start) out.push(entry);
        index++;
      }
    }
    return out;
  }

  /**
   * The index of the first entry for which `before` is false. `before` must be true for a prefix of
   * the order and false after it (e.g. "score < min"): this is the lower bound every range query uses.
   */
  firstIndex(before: (entry: ScoredMember) => boolean): number {
    const lo = this.chunkIndexFor(before);
    let index = 0;
    for (let i = 0; i < lo; i++) index += this.chunks[i]?.length ?? 0;
    const chunk = this.chunks[lo];
    if (chunk === undefined) return index;
    return index + lowerBound(chunk, before);
  }

  *[Symbol.iterator](): IterableIterator<ScoredMember> {
    for (const chunk of this.chunks) yield* chunk;
  }

  private insertEntry(entry: ScoredMember): void {
    const isBefore = (other: ScoredMember) => compareScored(other, entry) < 0;
    // The first chunk whose last entry is not before the new one; past the end means the last chunk.
    const chunkIndex = Math.min(this.chunkIndexFor(isBefore), this.chunks.length - 1);
    if (chunkIndex < 0) {
      this.chunks.push([entry]);
      return;
    }
    const chunk = this.chunks[chunkIndex] ?? [];
    chunk.splice(lowerBound(chunk, isBefore), 0, entry);
    if (chunk.length > CHUNK_MAX) {
      this.chunks.splice(chunkIndex + 1, 0, chunk.splice(CHUNK_MAX / 2));
    }
  }

  private removeEntry(entry: ScoredMember): void {
    const isBefore = (other: ScoredMember) => compareScored(other, entry) < 0;
    const chunkIndex = this.chunkIndexFor(isBefore);
    const chunk = this.chunks[chunkIndex];
    assert(chunk !== undefined, 'sorted-set entry missing from the order');
    const position = lowerBound(chunk, isBefore);
    assert(compareScored(chunk[position] ?? entry, entry) === 0, 'sorted-set order out of sync');
    chunk.splice(position, 1);
    if (chunk.length === 0) this.chunks.splice(chunkIndex, 1);
  }

  private chunkIndexFor(before: (entry: ScoredMember) => boolean): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid] ?? [];
      const last = chunk[chunk.length - 1];
      if (last !== undefined && before(last)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(
  chunk: readonly ScoredMember[],
  before: (entry: ScoredMember) => boolean,
): number {
  let lo = 0;
  let hi = chunk.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const entry = chunk[mid];
    if (entry !== undefined && before(entry)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
