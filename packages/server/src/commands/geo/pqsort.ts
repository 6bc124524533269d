/**
 * Redis's pqsort.c: a partial quicksort (BSD's Bentley-McIlroy qsort that skips the partitions
 * lying wholly outside the wanted range [lrange, rrange]). GEORADIUS/GEOSEARCH with COUNT smaller
 * than the matches use it, so the order of members at equal distances is whatever this exact
 * algorithm leaves, and has to be reproduced step for step (a stable sort gives another order).
 * Indexes here are element indexes; the C code's byte pointers become `index`, and its
 * "last byte of element" bounds become the comparisons noted below.
 */

function med3<T>(a: T[], i: number, j: number, k: number, cmp: (x: T, y: T) => number): number {
  const at = (index: number): T => a[index] as T;
  return cmp(at(i), at(j)) < 0
    ? cmp(at(j), at(k)) < 0
      ? j
      : cmp(at(i), at(k)) < 0
        ? k
        : i
    : cmp(at(j), at(k)) > 0
      ? j
      : cmp(at(i), at(k)) < 0
        ? i
        : k;
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i] as T;
  a[i] = a[j] as T;
  a[j] = t;
}

function vecswap<T>(a: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

/** Outside: the range [lrange, rrange] lies wholly before or wholly after [start, start + n). */
function outside(start: number, n: number, lrange: number, rrange: number): boolean {
  return (lrange < start && rrange < start) || (lrange >= start + n && rrange >= start + n);
}

function partialSort<T>(
  a: T[],
  first: number,
  count: number,
  cmp: (x: T, y: T) => number,
  lrange: number,
  rrange: number,
): void {
  let base = first;
  let n = count;
  for (;;) {
    if (n < 7) {
      for (let pm = base + 1; pm < base + n; pm++) {
        for (let pl = pm; pl > base && cmp(a[pl - 1] as T, a[pl] as T) > 0; pl--)
          swap(a, pl, pl - 1);
      }
      return;
    }
    let pm = base + Math.floor(n / 2);
    if (n > 7) {
      let pl = base;
      let pn = base + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(a, pm - d, pm, pm + d, cmp);
        pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(a, pl, pm, pn, cmp);
    }
    swap(a, base, pm);
    let pa = base + 1;
    let pb = pa;
    let pc = base + n - 1;
    let pd = pc;
    for (;;) {
      while (pb <= pc) {
        const result = cmp(a[pb] as T, a[base] as T);
        if (result > 0) break;
        if (result === 0) {
          swap(a, pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc) {
        const result = cmp(a[pc] as T, a[base] as T);
        if (result < 0) break;
        if (result === 0) {
          swap(a, pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb, pc);
      pb++;
      pc--;
    }
    const pn = base + n;
    let r = Math.min(pa - base, pb - pa);
    vecswap(a, base, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(a, pb, pn - r, r);
    r = pb - pa;
    if (r > 1 && !outside(base, r, lrange, rrange)) partialSort(a, base, r, cmp, lrange, rrange);
    r = pd - pc;
    if (r <= 1) return;
    base = pn - r;
    n = r;
    if (outside(base, n, lrange, rrange)) return;
  }
}

/** pqsort(a, n, cmp, lrange, rrange): sorts enough that ranks lrange..rrange are final. */
export function pqsort<T>(
  a: T[],
  cmp: (x: T, y: T) => number,
  lrange: number,
  rrange: number,
): void {
  partialSort(a, 0, a.length, cmp, lrange, rrange);
}
