/**
 * The scheduler's priority queue: a binary min-heap of events ordered by (time, sequence number).
 *
 * Why a heap of its own: the queue is the hottest structure of a simulation (every chunk, timer and
 * disk completion passes through it), so it is specialised to one element type with an inlined
 * comparison instead of a generic comparator. The sequence number breaks ties between events at the
 * same virtual millisecond in scheduling order, which is what makes a run reproducible.
 */

export interface HeapEvent {
  readonly timeMs: number;
  readonly seq: number;
}

export class EventHeap<T extends HeapEvent> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let index = items.length;
    items.push(item);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex];
      if (parent === undefined || !before(item, parent)) break;
      items[index] = parent;
      index = parentIndex;
    }
    items[index] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    // Sift `last` down from the root into the hole left by `top`.
    const length = items.length;
    let index = 0;
    for (;;) {
      const leftIndex = 2 * index + 1;
      if (leftIndex >= length) break;
      const rightIndex = leftIndex + 1;
      let childIndex = leftIndex;
      let child = items[leftIndex];
      const right = items[rightIndex];
      if (child === undefined) break;
      if (right !== undefined && before(right, child)) {
        childIndex = rightIndex;
        child = right;
      }
      if (!before(child, last)) break;
      items[index] = child;
      index = childIndex;
    }
    items[index] = last;
    return top;
  }
}

function before(a: HeapEvent, b: HeapEvent): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
}
