/**
 * How many nodes Redis's rax holds for a set of stream node keys (XINFO STREAM's
 * radix-tree-nodes, rax->numnodes). Stream node keys are 16 bytes each, so none is a prefix of
 * another and every key ends in a leaf. rax keeps such a tree compressed: a run of bytes shared by
 * all keys below a point is one compressed node, a point where keys diverge is one node with a
 * child per distinct next byte, and each key ends in an empty leaf node; the root exists even
 * when empty. Insertion (node splitting) and removal (re-compression) in rax.c keep this shape for
 * these fixed-length keys, so the count is a function of the key set: counted here by walking the
 * sorted keys once per depth.
 */

const KEY_BYTES = 16;

function commonPrefix(a: Buffer, b: Buffer, from: number): number {
  let at = from;
  while (at < KEY_BYTES && a[at] === b[at]) at++;
  return at - from;
}

/** Nodes below (and including) the node for keys[low, high) starting at byte `depth`. */
function countFrom(keys: readonly Buffer[], low: number, high: number, depth: number): number {
  if (high - low === 1) return depth < KEY_BYTES ? 2 : 1;
  const shared = commonPrefix(keys[low] as Buffer, keys[high - 1] as Buffer, depth);
  const branchDepth = depth + shared;
  let nodes = shared > 0 ? 2 : 1;
  let start = low;
  while (start < high) {
    const byte = (keys[start] as Buffer)[branchDepth];
    let end = start + 1;
    while (end < high && (keys[end] as Buffer)[branchDepth] === byte) end++;
    nodes += countFrom(keys, start, end, branchDepth + 1);
    start = end;
  }
  return nodes;
}

/** rax->numnodes for these keys (sorted ascending, 16 bytes each). */
export function raxNodeCount(keys: readonly Buffer[]): number {
  if (keys.length === 0) return 1;
  return countFrom(keys, 0, keys.length, 0);
}
