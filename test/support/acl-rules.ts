/**
 * ACL rule text made comparable across servers: Redis 7.0 emits the single `+cmd`/`-cmd` fixes of
 * a user's command rules (ACL LIST, ACL GETUSER) in its command dict's order, which a random hash
 * seed decides at start, so two redis-servers list them differently. `canonicalRules` sorts those
 * tokens within each line (and within each `(...)` selector), keeping every other token in place;
 * the text keeps its length, so RESP framing around it stays valid.
 */

/** A single-command rule token: +get, -hset, +config|get, +select|0 (not +@cat, not ~ & %). */
const SINGLE_RULE = /^[+-][^@]/;

/** Sorts the single-command rule tokens of each line in place, keeping every other token. */
export function canonicalRules(text: string): string {
  return text
    .split('\r\n')
    .map((line) => {
      if (!line.includes(' ')) return line;
      const canonSegment = (segment: string) => {
        const tokens = segment.split(' ');
        const positions = tokens.flatMap((t, i) => (SINGLE_RULE.test(t) ? [i] : []));
        const values = positions.map((i) => tokens[i] ?? '').sort();
        for (const [k, i] of positions.entries()) tokens[i] = values[k] ?? '';
        return tokens.join(' ');
      };
      // Each (...) selector is its own group; the text outside selectors is another.
      const selectors: string[] = [];
      const outside = line.replace(/\(([^)]*)\)/g, (_, inner: string) => {
        selectors.push(`(${canonSegment(inner)})`);
        return `{{selector${selectors.length - 1}}}`;
      });
      return canonSegment(outside).replace(
        /\{\{selector(\d+)\}\}/g,
        (_, n: string) => selectors[Number(n)] ?? '',
      );
    })
    .join('\r\n');
}

/**
 * The ACL categories both ACL differential suites draw their inputs from: replisim's own list, which
 * `ACL CAT` (no argument) is compared with redis-server's in diff-acl.test.ts, so a wrong or missing
 * category fails there rather than hiding in a second copy.
 */
export { ACL_CATEGORIES } from '@replisim/server';
