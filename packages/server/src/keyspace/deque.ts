/**
 * A double-ended queue over a growable ring buffer: O(1) push and pop at both ends and O(1) access
 * by index, which LPUSH/RPOP/LINDEX/LRANGE need on lists of any length (a plain array's unshift is
 * O(n), which would make a million LPUSHes quadratic). Inserting or removing in the middle (LINSERT,
 * LREM) shifts the shorter side.
 */
import { assert } from '@replisim/base';

const CAPACITY_MIN = 8;

export class Deque<T> {
  private items: (T | undefined)[] = new Array(CAPACITY_MIN);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  static from<T>(values: Iterable<T>): Deque<T> {
    const deque = new Deque<T>();
    for (const value of values) deque.pushBack(value);
    return deque;
  }

  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) & (this.items.length - 1)];
  }

  set(index: number, value: T): void {
    assert(index >= 0 && index < this.count, 'deque index out of range');
    this.items[(this.head + index) & (this.items.length - 1)] = value;
  }

  pushBack(value: T): void {
    this.ensureRoom();
    this.items[(this.head + this.count) & (this.items.length - 1)] = value;
    this.count++;
  }

  pushFront(value: T): void {
    this.ensureRoom();
    this.head = (this.head - 1) & (this.items.length - 1);
    this.items[this.head] = value;
    this.count++;
  }

  popFront(): T | undefined {
    if (this.count === 0) return undefined;
    const value = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return value;
  }

  popBack(): T | undefined {
    if (this.count === 0) return undefined;
    const slot = (this.head + this.count - 1) & (this.items.length - 1);
    const value = this.items[slot];
    this.items[slot] = undefined;
    this.count--;
    return value;
  }

  /** Inserts so that `value` ends up at `index` (0..length). */
  insertAt(index: number, value: T): void {
    assert(index >= 0 && index <= this.count, 'deque insert index out of range');
    if (index === 0) {
      this.pushFront(value);
      return;
    }
    if (index === this.count) {
      this.pushBack(value);
      return;
    }
    const values = this.toArray();
    values.splice(index, 0, value);
    this.replaceWith(values);
  }

  /** Removes the element at `index` and returns it. */
  removeAt(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    if (index === 0) return this.popFront();
    if (index === this.count - 1) return this.popBack();
    const values = this.toArray();
    const [removed] = values.splice(index, 1);
    this.replaceWith(values);
    return removed;
  }

  /** Keeps only the elements for which `keep` is true, in order; returns how many were removed. */
  retain(keep: (value: T, index: number) => boolean): number {
    const values = this.toArray();
    const kept = values.filter(keep);
    this.replaceWith(kept);
    return values.length - kept.length;
  }

  /** Elements from `start` to `stop` inclusive (already clamped by the caller). */
  slice(start: number, stop: number): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, start); i <= stop && i < this.count; i++) out.push(this.at(i) as T);
    return out;
  }

  toArray(): T[] {
    return this.slice(0, this.count - 1);
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.at(i) as T;
  }

  private replaceWith(values: readonly T[]): void {
    let capacity = CAPACITY_MIN;
    while (capacity < values.length + 1) capacity *= 2;
    this.items = new Array(capacity);
    for (let i = 0; i < values.length; i++) this.items[i] = values[i];
    this.head = 0;
    this.count = values.length;
  }

  private ensureRoom(): void {
    if (this.count < this.items.length) return;
    this.replaceWith(this.toArray());
  }
}
