/**
 * A slot table: every key gets the next index of an append-only array and keeps it until deleted,
 * which leaves a hole. It gives SCAN stable cursors, and RANDOMKEY and eviction sampling O(1)
 * random picks, which a Map cannot (it has no random access).
 *
 * When holes outnumber live keys (and SLOT_HOLES_MIN) the table is compacted and `epoch` advances,
 * which SCAN encodes in its cursor so a cursor from before a compaction restarts instead of
 * skipping keys (duplicates are allowed by SCAN's contract, misses are not). While pinned (a
 * snapshot walks the keys by slot), compaction waits.
 */
import { assert, type Random } from '@replisim/base';

/** Compaction happens when holes exceed both this and the number of live keys. */
const SLOT_HOLES_MIN = 1024;
/** dictGetSomeKeys: at most this many slots are visited per key asked for. */
const SAMPLE_STEPS_PER_KEY = 10;
/** dictGetSomeKeys: a run of this many empty slots (and more than asked for) jumps elsewhere. */
const SAMPLE_EMPTY_RUN_MAX = 5;
/** Random slot draws before falling back to a linear probe for the next live slot. */
const RANDOM_DRAWS_MAX = 16;

export class SlotTable {
  private slots: (string | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private holes = 0;
  private pins = 0;
  /** Advances at every compaction (and clear); SCAN cursors carry it. */
  epoch = 0;

  /** Live keys. */
  get size(): number {
    return this.slotOf.size;
  }

  /** Gives `key` (not yet in the table) the next slot. */
  add(key: string): void {
    assert(!this.slotOf.has(key), 'slot table: key added twice');
    this.slotOf.set(key, this.slots.length);
    this.slots.push(key);
  }

  /** Frees `key`'s slot, if it has one. */
  remove(key: string): void {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return;
    this.slots[slot] = undefined;
    this.slotOf.delete(key);
    this.holes++;
    this.compactIfSparse();
  }

  clear(): void {
    this.slots = [];
    this.slotOf.clear();
    this.holes = 0;
    this.epoch++;
  }

  /** Number of slots (live keys plus holes). */
  slotCount(): number {
    return this.slots.length;
  }

  slotOfKey(key: string): number | undefined {
    return this.slotOf.get(key);
  }

  /** The key in `slot`, or undefined for a hole or past the end. */
  keyAtSlot(slot: number): string | undefined {
    return this.slots[slot];
  }

  /**
   * Up to `count` distinct live keys from around a random slot, as Redis's dictGetSomeKeys walks
   * consecutive buckets from a random one: cheap, not uniform, possibly fewer than asked (at most
   * count x 10 slots are visited) but at least one when the table holds any key.
   */
  sample(random: Random, count: number): string[] {
    const live = this.slotOf.size;
    if (live === 0 || count <= 0) return [];
    const want = Math.min(count, live);
    const slotCount = this.slots.length;
    const picked = new Set<string>();
    let slot = random.int(slotCount);
    let emptyRun = 0;
    for (let step = 0; step < want * SAMPLE_STEPS_PER_KEY && picked.size < want; step++) {
      const key = this.slots[slot];
      if (key === undefined) {
        emptyRun++;
        if (emptyRun >= SAMPLE_EMPTY_RUN_MAX && emptyRun > want) {
          slot = random.int(slotCount);
          emptyRun = 0;
          continue;
        }
      } else {
        emptyRun = 0;
        picked.add(key);
      }
      slot = (slot + 1) % slotCount;
    }
    if (picked.size === 0) picked.add(this.probeFrom(slot));
    return [...picked];
  }

  /**
   * One live key drawn at random (dictGetRandomKey's role): a few uniform slot draws, then the next
   * live slot after the last draw. The table must not be empty.
   */
  randomKey(random: Random): string {
    const slotCount = this.slots.length;
    let slot = 0;
    for (let draw = 0; draw < RANDOM_DRAWS_MAX; draw++) {
      slot = random.int(slotCount);
      const key = this.slots[slot];
      if (key !== undefined) return key;
    }
    return this.probeFrom(slot);
  }

  /** The first live key at or after `slot`, wrapping; the table must not be empty. */
  private probeFrom(slot: number): string {
    const slotCount = this.slots.length;
    for (let probe = 0; probe < slotCount; probe++) {
      const key = this.slots[(slot + probe) % slotCount];
      if (key !== undefined) return key;
    }
    // A non-empty table has a live slot, so the probe above always returns.
    assert(false, 'slot table: no live slot in a non-empty table');
  }

  pin(): void {
    this.pins++;
  }

  unpin(): void {
    assert(this.pins > 0, 'unpinSlots without pinSlots');
    this.pins--;
  }

  private compactIfSparse(): void {
    if (this.pins > 0 || this.holes < SLOT_HOLES_MIN || this.holes < this.slotOf.size) return;
    const live = this.slots.filter((key): key is string => key !== undefined);
    this.slots = live;
    this.slotOf.clear();
    for (const [slot, key] of live.entries()) this.slotOf.set(key, slot);
    this.holes = 0;
    this.epoch++;
  }
}
