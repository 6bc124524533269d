/**
 * The list-append checker on hand-written histories: for each invariant, one history where it holds
 * and one where it is broken, so every rule is shown to both pass and fire.
 */
import { describe, expect, it } from 'vitest';
import type { MicroOp, NodeEvent, Op } from '../history/op.js';
import { checkListAppend } from './list-append.js';

/** Builds a history on one timeline: transactions, WAITs and node events. */
class H {
  readonly ops: Op[] = [];
  readonly events: NodeEvent[] = [];
  private index = 0;

  /** A transaction of `process` on `node`, completed at once with `type`. */
  txn(
    process: number,
    invoked: readonly MicroOp[],
    type: 'ok' | 'fail' | 'info' = 'ok',
    completed: readonly MicroOp[] = invoked,
    node = 'master',
  ): this {
    const base = { f: 'txn' as const, process, node, time: this.index };
    this.ops.push({ ...base, index: this.index++, type: 'invoke', value: invoked });
    this.ops.push({
      ...base,
      index: this.index++,
      type,
      value: type === 'ok' ? completed : invoked,
      ...(type === 'ok' ? {} : { error: type === 'fail' ? 'EXECABORT' : 'no reply' }),
    });
    return this;
  }

  wait(process: number, replicas: number): this {
    const base = { f: 'wait' as const, process, node: 'master', time: this.index };
    this.ops.push({ ...base, index: this.index++, type: 'invoke', value: 1 });
    this.ops.push({ ...base, index: this.index++, type: 'ok', value: replicas });
    return this;
  }

  event(node: string, kind: NodeEvent['kind'], data?: NodeEvent['data']): this {
    this.events.push({
      index: this.index++,
      time: this.index,
      node,
      kind,
      text: kind,
      ...(data === undefined ? {} : { data }),
    });
    return this;
  }

  check() {
    return checkListAppend(this.ops, this.events);
  }
}

const append = (key: string, value: string, length?: number): MicroOp => ({
  f: 'append',
  key,
  value,
  ...(length === undefined ? {} : { length }),
});
const read = (key: string, value: readonly string[] | null = null): MicroOp => ({
  f: 'r',
  key,
  value,
});

function violations(h: H): string[] {
  return h
    .check()
    .filter((f) => f.severity === 'violation')
    .map((f) => f.text);
}

function holds(h: H): void {
  expect(violations(h)).toEqual([]);
  expect(h.check().some((f) => f.severity === 'held')).toBe(true);
}

/** Appends a (length 1) and b (length 2) to k, acknowledged. */
function ab(): H {
  return new H()
    .txn(1, [append('k', 'a')], 'ok', [append('k', 'a', 1)])
    .txn(1, [append('k', 'b')], 'ok', [append('k', 'b', 2)]);
}

describe('list-append checker', () => {
  it('reports nothing for a history without transactions', () => {
    expect(new H().check()).toEqual([]);
  });

  it('a. no duplicates: holds for distinct values, fires on a value read twice', () => {
    holds(ab().txn(2, [read('k')], 'ok', [read('k', ['a', 'b'])]));
    expect(violations(ab().txn(2, [read('k')], 'ok', [read('k', ['a', 'a'])]))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^duplicate: .* holds a twice/)]),
    );
  });

  it('a. no phantoms: an info append may show, a refused one or an unknown value may not', () => {
    const info = new H()
      .txn(1, [append('k', 'a')], 'info')
      .txn(2, [read('k')], 'ok', [read('k', ['a'])]);
    holds(info);
    const refused = new H()
      .txn(1, [append('k', 'a')], 'fail')
      .txn(2, [read('k')], 'ok', [read('k', ['a'])]);
    expect(violations(refused)).toEqual([expect.stringMatching(/^phantom: .*refused/)]);
    const unknown = new H().txn(2, [read('k')], 'ok', [read('k', ['zz'])]);
    expect(violations(unknown)).toEqual([expect.stringMatching(/^phantom: .*no transaction/)]);
    const future = new H()
      .txn(2, [read('k')], 'ok', [read('k', ['a'])])
      .txn(1, [append('k', 'a')], 'info');
    expect(violations(future)).toEqual([expect.stringMatching(/^phantom: .*after the read/)]);
  });

  it('b. one lineage: truncation then extension holds, a hole or a reorder fires', () => {
    // a, b, c appended with unknown outcome; a lineage [a, b] then, after a loss, [a, c].
    const base = (): H =>
      new H()
        .txn(1, [append('k', 'a')], 'info')
        .txn(1, [append('k', 'b')], 'info')
        .txn(1, [append('k', 'c')], 'info');
    holds(
      base()
        .txn(2, [read('k')], 'ok', [read('k', ['a', 'b'])])
        .txn(2, [read('k')], 'ok', [read('k', ['a', 'c'])]),
    );
    const hole = base()
      .txn(2, [read('k')], 'ok', [read('k', ['a', 'b', 'c'])])
      .txn(2, [read('k')], 'ok', [read('k', ['a', 'c'])]);
    expect(violations(hole)).toEqual([
      expect.stringMatching(/^prefix: .* has b before c, .* has a/),
    ]);
    const reorder = base()
      .txn(2, [read('k')], 'ok', [read('k', ['a', 'b'])])
      .txn(2, [read('k')], 'ok', [read('k', ['b', 'a'])]);
    expect(violations(reorder).every((text) => text.startsWith('prefix: '))).toBe(true);
    expect(violations(reorder).length).toBeGreaterThan(0);
  });

  it('c. atomicity: all or none of a transaction across the keys read', () => {
    const both = (): H => new H().txn(1, [append('x', 'x1'), append('y', 'y1')], 'info');
    holds(both().txn(2, [read('x'), read('y')], 'ok', [read('x', ['x1']), read('y', ['y1'])]));
    holds(both().txn(2, [read('x'), read('y')], 'ok', [read('x', []), read('y', [])]));
    expect(
      violations(both().txn(2, [read('x'), read('y')], 'ok', [read('x', ['x1']), read('y', [])])),
    ).toEqual([expect.stringMatching(/^atomicity: .*saw part of transaction .* not y y1/)]);
  });

  it('c. a read inside a transaction ends with its own earlier appends', () => {
    const ops = [append('k', 'a'), read('k')];
    holds(new H().txn(1, ops, 'ok', [append('k', 'a', 1), read('k', ['a'])]));
    expect(violations(new H().txn(1, ops, 'ok', [append('k', 'a', 1), read('k', [])]))).toEqual([
      expect.stringMatching(/^atomicity: .*its own transaction's earlier appends a/),
    ]);
  });

  it('c. contiguity: one transaction appends to one key adjacent and in order', () => {
    const two = (): H =>
      new H()
        .txn(1, [append('k', 'a1'), append('k', 'a2')], 'info')
        .txn(3, [append('k', 'z')], 'info');
    holds(two().txn(2, [read('k')], 'ok', [read('k', ['z', 'a1', 'a2'])]));
    expect(
      violations(two().txn(2, [read('k')], 'ok', [read('k', ['a1', 'z', 'a2'])])),
    ).toContainEqual(expect.stringMatching(/^contiguity: .*not adjacent/));
  });

  it('d. position: an append sits where its RPUSH length says', () => {
    const z = new H()
      .txn(3, [append('k', 'z')], 'info')
      .txn(1, [append('k', 'a')], 'ok', [append('k', 'a', 2)]);
    holds(z.txn(2, [read('k')], 'ok', [read('k', ['z', 'a'])]));
    const misplaced = new H()
      .txn(1, [append('k', 'a')], 'ok', [append('k', 'a', 2)])
      .txn(2, [read('k')], 'ok', [read('k', ['a'])]);
    expect(violations(misplaced)).toEqual([
      expect.stringMatching(/^position: a was appended as element 2 .* at position 1/),
    ]);
  });

  it('e. durability mid-run: a loss on the acknowledging node needs a destroying event', () => {
    const lostRead = (h: H): H => h.txn(2, [read('k')], 'ok', [read('k', ['a'])]);
    expect(violations(lostRead(ab()))).toEqual([
      expect.stringMatching(/^durability: RPUSH k b .* missing .*no destroying event/),
    ]);
    // The master restarted empty, vouched or not: its replica may still hold b.
    holds(lostRead(ab().wait(1, 1).event('master', 'crash').event('master', 'restart')));
    // A destroying event after the read does not explain it.
    expect(
      violations(lostRead(ab()).event('master', 'crash').event('master', 'restart')),
    ).toHaveLength(1);
  });

  it('e. durability at the end: the ledger rule, WAIT included', () => {
    const lostRead = (h: H): H =>
      h.event('master', 'state', { final: true }).txn(2, [read('k')], 'ok', [read('k', ['a'])]);
    // b lost with no event at all: a violation.
    expect(violations(lostRead(ab()))).toEqual([
      expect.stringMatching(/^durability: RPUSH k b .* missing .*no destroying event/),
    ]);
    // b lost to the master's power loss: permitted, and listed as such.
    const crashed = lostRead(ab().event('master', 'crash').event('master', 'restart'));
    expect(violations(crashed)).toEqual([]);
    expect(crashed.check().find((f) => f.severity === 'permitted')?.text).toMatch(/RPUSH k b/);
    // b vouched for by WAIT 1 and lost to the same crash, no replica lost data: a violation.
    const vouched = lostRead(ab().wait(1, 1).event('master', 'crash').event('master', 'restart'));
    expect(violations(vouched)).toEqual([
      expect.stringMatching(/^durability: .*WAIT returned 1 .*NOT permitted/),
    ]);
    // ... unless a replica lost data afterwards too.
    holds(
      lostRead(
        ab()
          .wait(1, 1)
          .event('replica-1', 'crash')
          .event('master', 'crash')
          .event('master', 'restart'),
      ),
    );
  });

  it('e. durability: a stale read of another node mid-run is not a loss', () => {
    // b acknowledged by replica-1 (promoted), then read on the old master, still serving.
    const stale = new H()
      .txn(1, [append('k', 'a')], 'ok', [append('k', 'a', 1)])
      .event('replica-1', 'failover')
      .txn(3, [append('k', 'b')], 'ok', [append('k', 'b', 2)], 'replica-1')
      .txn(2, [read('k')], 'ok', [read('k', ['a'])], 'master');
    holds(stale);
  });

  it('f. agreement: every node ends with the same lists', () => {
    const final = (other: readonly string[]): H =>
      ab()
        .event('master', 'state', { final: true })
        .event('replica-1', 'state', { final: true })
        .txn(5, [read('k')], 'ok', [read('k', ['a', 'b'])], 'master')
        .txn(6, [read('k')], 'ok', [read('k', other)], 'replica-1');
    holds(final(['a', 'b']));
    expect(violations(final(['a']))).toContainEqual(
      expect.stringMatching(/^agreement: after convergence the nodes hold different lists/),
    );
  });
});
