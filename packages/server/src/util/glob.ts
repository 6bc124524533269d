/**
 * Glob matching as Redis's `stringmatchlen` (util.c) does it, for KEYS, SCAN MATCH, CONFIG GET and
 * CLIENT KILL patterns: `*`, `?`, `[abc]`, `[^a-z]`, and `\` to escape. Works on latin1 strings, so
 * binary keys (one char per byte) match byte for byte. Iterative, with a bounded backtrack.
 */

export function globMatch(pattern: string, text: string, noCase = false): boolean {
  const p = noCase ? pattern.toLowerCase() : pattern;
  const s = noCase ? text.toLowerCase() : text;
  return matchFrom(p, 0, s, 0);
}

/**
 * The classic two-pointer glob walk: on a mismatch, go back to just after the last `*` and let it
 * swallow one more character. Only the last star needs remembering, so the work is O(pattern x text)
 * even for hostile patterns such as "*a*a*a*...b" (Redis fixed the exponential case in 7.0.9).
 */
function matchFrom(p: string, pStart: number, s: string, sStart: number): boolean {
  let pi = pStart;
  let si = sStart;
  let starPi = -1;
  let starSi = 0;
  while (si < s.length) {
    const step = matchOne(p, pi, s, si);
    if (step > 0) {
      pi = step;
      si++;
    } else if (p[pi] === '*') {
      while (p[pi] === '*') pi++;
      if (pi === p.length) return true;
      starPi = pi;
      starSi = si;
    } else if (starPi >= 0) {
      pi = starPi;
      starSi++;
      si = starSi;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/** If the pattern element at `pi` matches `s[si]`, where the pattern continues; else 0. */
function matchOne(p: string, pi: number, s: string, si: number): number {
  const c = p[pi];
  if (c === undefined || c === '*') return 0;
  if (c === '?') return pi + 1;
  if (c === '[') {
    const result = matchClass(p, pi + 1, s.charCodeAt(si));
    return result.matched ? result.next : 0;
  }
  if (c === '\\' && pi + 1 < p.length) return p[pi + 1] === s[si] ? pi + 2 : 0;
  return c === s[si] ? pi + 1 : 0;
}

/** Matches one `[...]` class starting after the `[`; returns where the pattern continues. */
function matchClass(p: string, start: number, ch: number): { matched: boolean; next: number } {
  let i = start;
  const negate = p[i] === '^';
  if (negate) i++;
  let matched = false;
  while (i < p.length && p[i] !== ']') {
    if (p[i] === '\\' && i + 1 < p.length) {
      i++;
      if (p.charCodeAt(i) === ch) matched = true;
    } else if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== ']') {
      let lo = p.charCodeAt(i);
      let hi = p.charCodeAt(i + 2);
      if (lo > hi) [lo, hi] = [hi, lo];
      if (ch >= lo && ch <= hi) matched = true;
      i += 2;
    } else if (p.charCodeAt(i) === ch) {
      matched = true;
    }
    i++;
  }
  // Redis treats an unterminated class as ending at the pattern's end.
  const next = i < p.length ? i + 1 : i;
  return { matched: negate ? !matched : matched, next };
}
