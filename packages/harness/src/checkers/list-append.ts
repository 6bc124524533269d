/**
 * The list-append checker: judges the MULTI/EXEC transactions of the list-append workload
 * (workload/list-append.ts) against what Redis's asynchronous replication really promises.
 *
 * Why these invariants hold for Redis. Every value is appended by one RPUSH of one transaction,
 * run once by the master that received it; a replica applies the same command to the same list
 * (its data is always the master's after some prefix of the replication stream), a snapshot holds
 * the data at one point between two commands, and a failover or a restart moves the cluster onto
 * a node whose data is such a prefix, which new appends then extend. So every list any node ever
 * holds lies on a tree: a list is only truncated to a prefix (data loss) and extended. And a
 * transaction is atomic everywhere: EXEC runs it as a unit on the master, its writes go to the
 * replicas as one MULTI ... EXEC block, and a replica counts its offset only at a command boundary
 * outside MULTI, so no node, snapshot or PSYNC position ever stands inside a transaction. Hence:
 *
 * a. No duplicates and no phantoms: a read holds each value at most once, and every value it holds
 *    was appended by a transaction that was invoked before the read completed and not refused
 *    (`fail`: EXECABORT, nothing ran). `info` transactions may or may not have run.
 * b. One lineage per value: every read that holds a value holds the same value before it (or none:
 *    the list's head). Two reads thus agree on their common values, which form a prefix of both;
 *    a hole, a reorder or a value on two branches is a violation. This is stronger than comparing
 *    reads in real-time order, and it holds for any two reads, concurrent or not.
 * c. Atomicity and contiguity: a read transaction sees all or none of another transaction's appends
 *    to the keys it reads, and one transaction's appends to one key sit next to each other in its
 *    order. A read inside a transaction ends with that transaction's own earlier appends to the key.
 * d. Position: an append whose RPUSH returned length L sits at index L-1 in every read holding it
 *    (the list it extended is on its lineage, and lineages never change a position).
 * e. Durability: an acknowledged append missing from a final read (after convergence, on any
 *    node) is a lost write, judged by the lost-write ledger's own rule (checkers/lost-writes.ts):
 *    permitted after an event that may destroy it (a crash, failover, full resync, restart without
 *    a snapshot) unless a WAIT on its connection vouched for it and fewer replicas than WAIT
 *    counted lost data since; with no such event, or against WAIT's word, it is a violation.
 *    Mid-run, an append missing from a later read of the node that acknowledged it needs such an
 *    event on the way, before the read; WAIT does not vouch here (it vouches that replicas hold
 *    the write, not that the master survives: a master restarted without persistence is read
 *    empty while its replica still holds every vouched write). Reads of another node mid-run are
 *    not judged: after a failover the old master may still serve its own lineage (a stale read,
 *    as Redis allows), without the new master's appends.
 * f. Agreement: after the liveness phase (healed, converged), the final read of every list on every
 *    node is the same.
 *
 * Not checked: that an append lost once never reappears (reads go to the master of the moment, and
 * a lineage switch back is not ruled out by anything above), and reads of replicas mid-run (the
 * workload reads the master only, replicas lag by design).
 */
import type { MicroOp, NodeEvent, Op } from '../history/op.js';
import type { Finding } from './finding.js';
import { attributeLoss } from './lost-writes.js';
import type { KeyWrite } from './register-model.js';

export const LIST_APPEND = 'list-append';

/** Violations reported per invariant at most (one broken node can break thousands of reads). */
const VIOLATIONS_PER_RULE_MAX = 5;

/** One transaction, invoke to completion. */
export interface Txn {
  readonly process: number;
  readonly node: string;
  readonly invoke: Op;
  /** The completion, or undefined when none was recorded (still in flight at the end). */
  readonly end: Op | undefined;
  readonly type: 'ok' | 'fail' | 'info';
  /** The completed micro-ops on ok, else those invoked. */
  readonly ops: readonly MicroOp[];
  /**
   * Ran as one EXEC if at all: false when its MULTI was refused or EXEC replied something else
   * than its results (the commands may have run one by one).
   */
  readonly atomic: boolean;
}

interface Append {
  readonly txn: Txn;
  readonly key: string;
  readonly value: string;
  /** Its position among the transaction's appends to the same key. */
  readonly nth: number;
  readonly length: number | undefined;
}

interface Read {
  readonly txn: Txn;
  readonly key: string;
  readonly list: readonly string[];
  /** Its position among the transaction's micro-ops. */
  readonly at: number;
}

/** Every list-append transaction of the history, in invoke order. */
export function transactions(ops: readonly Op[]): Txn[] {
  const pending = new Map<number, Op>();
  const out: Txn[] = [];
  const microOps = (op: Op): readonly MicroOp[] =>
    Array.isArray(op.value) ? (op.value as readonly MicroOp[]) : [];
  for (const op of ops) {
    if (op.f !== 'txn') continue;
    if (op.type === 'invoke') {
      pending.set(op.process, op);
      continue;
    }
    const invoke = pending.get(op.process);
    if (invoke === undefined) continue;
    pending.delete(op.process);
    out.push({
      process: op.process,
      node: op.node,
      invoke,
      end: op,
      type: op.type,
      ops: op.type === 'ok' ? microOps(op) : microOps(invoke),
      atomic: !/^(MULTI refused|unexpected EXEC reply)/.test(op.error ?? ''),
    });
  }
  for (const invoke of pending.values()) {
    out.push({
      process: invoke.process,
      node: invoke.node,
      invoke,
      end: undefined,
      type: 'info',
      ops: microOps(invoke),
      atomic: true,
    });
  }
  return out.sort((a, b) => a.invoke.index - b.invoke.index);
}

export function checkListAppend(ops: readonly Op[], events: readonly NodeEvent[]): Finding[] {
  const txns = transactions(ops);
  if (txns.length === 0) return [];
  const appends = new Map<string, Append>();
  const reads: Read[] = [];
  for (const txn of txns) {
    const perKey = new Map<string, number>();
    txn.ops.forEach((op, at) => {
      if (op.f === 'append') {
        const nth = perKey.get(op.key) ?? 0;
        perKey.set(op.key, nth + 1);
        appends.set(op.value, { txn, key: op.key, value: op.value, nth, length: op.length });
      } else if (txn.type === 'ok' && op.value !== null) {
        reads.push({ txn, key: op.key, list: op.value, at });
      }
    });
  }
  const violations: Finding[] = [];
  const counts = new Map<string, number>();
  const violate = (rule: string, text: string, opIndexes: readonly number[]): void => {
    const count = (counts.get(rule) ?? 0) + 1;
    counts.set(rule, count);
    if (count > VIOLATIONS_PER_RULE_MAX) return;
    violations.push({
      checker: LIST_APPEND,
      severity: 'violation',
      phase: rule === 'agreement' ? 'liveness' : 'safety',
      text: `${rule}: ${text}`,
      ops: opIndexes,
    });
  };
  const where = (read: Read): string =>
    `the read of ${read.key} by process ${read.txn.process} on ${read.txn.node} (op ${read.txn.invoke.index})`;
  const endOf = (txn: Txn): number => txn.end?.index ?? Number.POSITIVE_INFINITY;

  // a. No duplicates, no phantoms.
  for (const read of reads) {
    const seen = new Set<string>();
    for (const value of read.list) {
      if (seen.has(value))
        violate('duplicate', `${where(read)} holds ${value} twice`, [read.txn.invoke.index]);
      seen.add(value);
      const append = appends.get(value);
      if (append === undefined || append.key !== read.key) {
        violate(
          'phantom',
          `${where(read)} holds ${value}, which no transaction appended to ${read.key}`,
          [read.txn.invoke.index],
        );
      } else if (append.txn.type === 'fail') {
        violate(
          'phantom',
          `${where(read)} holds ${value}, appended by a transaction refused with ${append.txn.end?.error ?? 'an error'}`,
          [read.txn.invoke.index, append.txn.invoke.index],
        );
      } else if (append.txn.invoke.index > endOf(read.txn)) {
        violate(
          'phantom',
          `${where(read)} holds ${value}, appended only after the read completed`,
          [read.txn.invoke.index, append.txn.invoke.index],
        );
      }
    }
  }

  // b. One lineage: the same predecessor in every read; d. position: the index RPUSH returned.
  const before = new Map<string, { readonly prev: string | null; readonly read: Read }>();
  for (const read of reads) {
    read.list.forEach((value, index) => {
      const prev = index === 0 ? null : (read.list[index - 1] ?? null);
      const known = before.get(value);
      if (known === undefined) before.set(value, { prev, read });
      else if (known.prev !== prev) {
        violate(
          'prefix',
          `${where(known.read)} has ${known.prev ?? 'the head of the list'} before ${value}, but ${where(read)} has ${prev ?? 'the head of the list'} (a hole, a reorder or two lineages)`,
          [known.read.txn.invoke.index, read.txn.invoke.index],
        );
      }
      const length = appends.get(value)?.length;
      if (length !== undefined && length - 1 !== index) {
        violate(
          'position',
          `${value} was appended as element ${length} (RPUSH replied ${length}) but ${where(read)} holds it at position ${index + 1}`,
          [read.txn.invoke.index],
        );
      }
    });
  }

  // c. Atomicity and contiguity.
  for (const read of reads) {
    const own = read.txn.ops
      .slice(0, read.at)
      .filter((op) => op.f === 'append' && op.key === read.key)
      .map((op) => op.value as string);
    const tail = read.list.slice(read.list.length - own.length);
    if (own.length > 0 && tail.join('\u0000') !== own.join('\u0000')) {
      violate(
        'atomicity',
        `${where(read)} does not end with its own transaction's earlier appends ${own.join(', ')}`,
        [read.txn.invoke.index],
      );
    }
  }
  const readsByTxn = new Map<Txn, Read[]>();
  for (const read of reads) {
    const list = readsByTxn.get(read.txn) ?? [];
    list.push(read);
    readsByTxn.set(read.txn, list);
  }
  for (const [txn, txnReads] of readsByTxn) {
    const sets = new Map<string, Set<string>>();
    for (const read of txnReads) sets.set(read.key, new Set(read.list));
    const writers = new Set<Txn>();
    for (const read of txnReads) {
      for (const value of read.list) {
        const writer = appends.get(value)?.txn;
        if (writer !== undefined && writer !== txn) writers.add(writer);
      }
    }
    for (const writer of writers) {
      if (!writer.atomic) continue;
      const mine = writer.ops.filter(
        (op): op is Extract<MicroOp, { f: 'append' }> => op.f === 'append' && sets.has(op.key),
      );
      const missing = mine.filter((op) => !(sets.get(op.key)?.has(op.value) ?? false));
      if (missing.length > 0) {
        violate(
          'atomicity',
          `the transaction of process ${txn.process} (op ${txn.invoke.index}) saw part of transaction op ${writer.invoke.index}: not ${missing.map((op) => `${op.key} ${op.value}`).join(', ')}`,
          [txn.invoke.index, writer.invoke.index],
        );
      }
    }
  }
  for (const read of reads) {
    const positions = new Map<Txn, number[]>();
    read.list.forEach((value, index) => {
      const append = appends.get(value);
      if (append === undefined) return;
      const list = positions.get(append.txn) ?? [];
      list[append.nth] = index;
      positions.set(append.txn, list);
    });
    for (const [writer, at] of positions) {
      if (!writer.atomic) continue;
      const first = at[0];
      const contiguous =
        first !== undefined && at.every((position, nth) => position === first + nth);
      if (!contiguous) {
        violate(
          'contiguity',
          `transaction op ${writer.invoke.index}'s appends to ${read.key} are not adjacent and in order in ${where(read)} (positions ${at.join(', ')})`,
          [read.txn.invoke.index, writer.invoke.index],
        );
      }
    }
  }

  // e. Durability, by the lost-write ledger's rule.
  const lostReported = new Set<string>();
  const permitted: string[] = [];
  const ackedByKey = new Map<string, Append[]>();
  for (const append of appends.values()) {
    if (append.txn.type !== 'ok') continue;
    const list = ackedByKey.get(append.key) ?? [];
    list.push(append);
    ackedByKey.set(append.key, list);
  }
  const finalIndex = lastFinalState(events)?.index ?? Number.POSITIVE_INFINITY;
  for (const read of reads) {
    const acked = ackedByKey.get(read.key) ?? [];
    const final = read.txn.invoke.index > finalIndex;
    let present: Set<string> | undefined;
    for (const append of acked) {
      if (endOf(append.txn) >= read.txn.invoke.index || lostReported.has(append.value)) continue;
      if (!final && append.txn.node !== read.txn.node) continue;
      present ??= new Set(read.list);
      if (present.has(append.value)) continue;
      lostReported.add(append.value);
      const end = append.txn.end as Op;
      const write: KeyWrite = {
        key: append.key,
        invokeIndex: append.txn.invoke.index,
        okIndex: end.index,
        acknowledged: true,
        kind: 'set',
        value: append.value,
        op: end,
      };
      // Mid-run: the ledger's destroyers up to the read, without WAIT's vouching (see e. above).
      const judged = final
        ? attributeLoss(write, ops, events)
        : attributeLoss(
            write,
            ops.filter((op) => op.f !== 'wait'),
            events.filter((event) => event.index < read.txn.invoke.index),
          );
      const text = `RPUSH ${append.key} ${append.value} (acknowledged by ${append.txn.node}, op ${end.index}) is missing from ${where(read)}: lost ${judged.why}`;
      if (judged.permitted) permitted.push(text);
      else violate('durability', text, [end.index, read.txn.invoke.index]);
    }
  }

  // f. Agreement: the final reads of every node.
  const lastFinal = lastFinalState(events);
  if (lastFinal !== undefined) {
    const finals = reads.filter((read) => read.txn.invoke.index > lastFinal.index);
    const byKey = new Map<string, Read[]>();
    for (const read of finals) byKey.set(read.key, [...(byKey.get(read.key) ?? []), read]);
    for (const [key, keyReads] of byKey) {
      const shown = new Set(keyReads.map((read) => read.list.join(' ')));
      if (shown.size > 1) {
        violate(
          'agreement',
          `after convergence the nodes hold different lists under ${key}: ${keyReads.map((read) => `${read.txn.node} [${read.list.length}: ..${read.list.slice(-2).join(' ')}]`).join(', ')}`,
          keyReads.map((read) => read.txn.invoke.index),
        );
      }
    }
  }

  const findings: Finding[] = [...violations];
  for (const [rule, count] of counts) {
    if (count > VIOLATIONS_PER_RULE_MAX) {
      findings.push({
        checker: LIST_APPEND,
        severity: 'violation',
        phase: 'safety',
        text: `${rule}: ${count - VIOLATIONS_PER_RULE_MAX} more violation(s) not listed`,
      });
    }
  }
  if (permitted.length > 0) {
    findings.push({
      checker: LIST_APPEND,
      severity: 'permitted',
      phase: 'safety',
      text: `${permitted.length} acknowledged append(s) lost in ways the configuration permits; the first: ${permitted[0]}`,
    });
  }
  if (violations.length === 0) {
    const byType = (type: string): number => txns.filter((txn) => txn.type === type).length;
    findings.push({
      checker: LIST_APPEND,
      severity: 'held',
      phase: 'safety',
      text: `${txns.length} transactions (${byType('ok')} ok, ${byType('fail')} failed, ${byType('info')} unknown), ${reads.length} reads of ${appends.size} appends: no duplicate, phantom, hole, reorder, torn transaction, misplaced or unpermitted lost append${lastFinal === undefined ? '' : ', and every node ends with the same lists'}`,
    });
  }
  return findings;
}

/** The liveness phase's last final sample: reads after it are the final reads. */
function lastFinalState(events: readonly NodeEvent[]): NodeEvent | undefined {
  return events.findLast((e) => e.kind === 'state' && e.data?.['final'] === true);
}
