/**
 * A map keyed by stream ID (128-bit bigint) that iterates in ID order: the shape of Redis's PEL
 * raxes (a group's pending entries, a consumer's). Keys live in a sorted array next to a Map, so
 * lookups are O(1) and ordered walks O(k). New keys almost always arrive at the end (entries are
 * delivered in ID order), which makes insertion an append; an insertion in the middle (XCLAIM of an
 * old ID, an out-of-order PEL in a file) costs one splice.
 */
export class SortedIdMap<V> {
  private readonly keys: bigint[] = [];
  private readonly values = new Map<bigint, V>();

  get size(): number {
    return this.keys.length;
  }

  get(id: bigint): V | undefined {
    return this.values.get(id);
  }

  has(id: bigint): boolean {
    return this.values.has(id);
  }

  set(id: bigint, value: V): void {
    if (!this.values.has(id)) {
      const keys = this.keys;
      const last = keys[keys.length - 1];
      if (last === undefined || last < id) keys.push(id);
      else keys.splice(this.lowerBound(id), 0, id);
    }
    this.values.set(id, value);
  }

  delete(id: bigint): boolean {
    if (!this.values.delete(id)) return false;
    const index = this.lowerBound(id);
    this.keys.splice(index, 1);
    return true;
  }

  /** The first and last IDs, or undefined when empty. */
  first(): bigint | undefined {
    return this.keys[0];
  }

  last(): bigint | undefined {
    return this.keys[this.keys.length - 1];
  }

  /** Index of the first key >= id. */
  lowerBound(id: bigint): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.keys[mid] as bigint) < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The key at `index` in ID order. */
  keyAt(index: number): bigint | undefined {
    return this.keys[index];
  }

  /** Entries with ID >= `from`, ascending; a snapshot of the keys, so the map may change meanwhile. */
  *from(from: bigint): Generator<[bigint, V]> {
    const keys = this.keys.slice(this.lowerBound(from));
    for (const id of keys) {
      const value = this.values.get(id);
      if (value !== undefined) yield [id, value];
    }
  }

  *[Symbol.iterator](): Generator<[bigint, V]> {
    yield* this.from(0n);
  }
}
