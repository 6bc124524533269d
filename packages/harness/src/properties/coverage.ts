/**
 * Coverage of the interesting paths: which of the situations replication and persistence code must
 * get right a run actually reached, read from its history. A chaos summary counts them over all runs
 * and warns about any that no run reached, so a green run shows what it exercised.
 */
import type { NodeEvent, Op } from '../history/op.js';

export const PATHS = [
  'partial resync (+CONTINUE)',
  'PSYNC refused for lack of backlog',
  'replica attached to a running BGSAVE',
  'replica waiting for the next BGSAVE',
  'diskless transfer',
  'crash during BGSAVE',
  'crash during a transfer',
  'crash between rename and directory fsync',
  'promotion with PSYNC continuing',
  'WAIT timing out',
  'min-replicas refusing writes',
  'MULTI/EXEC refused (EXECABORT)',
  'transaction with unknown outcome',
] as const;

export type CoveragePath = (typeof PATHS)[number];

const DEATHS = new Set(['crash', 'kill', 'shutdown']);

export function coverageOf(ops: readonly Op[], events: readonly NodeEvent[]): Set<CoveragePath> {
  const reached = new Set<CoveragePath>();
  const bgsaveOpen = new Set<string>();
  const transferOpen = new Set<string>();
  const renamedNotSynced = new Set<string>();
  let promotedAt = -1;
  for (const event of events) {
    switch (event.kind) {
      case 'continue':
        reached.add('partial resync (+CONTINUE)');
        if (promotedAt >= 0) reached.add('promotion with PSYNC continuing');
        break;
      case 'psync-refused':
        reached.add('PSYNC refused for lack of backlog');
        break;
      case 'sync-attach':
        reached.add('replica attached to a running BGSAVE');
        break;
      case 'sync-wait':
        reached.add('replica waiting for the next BGSAVE');
        break;
      case 'bgsave-start':
        if (event.data?.['target'] === 'socket') reached.add('diskless transfer');
        bgsaveOpen.add(event.node);
        break;
      case 'bgsave-end':
        bgsaveOpen.delete(event.node);
        break;
      case 'rename':
        renamedNotSynced.add(event.node);
        break;
      case 'fsync-dir':
        renamedNotSynced.delete(event.node);
        break;
      case 'transfer-start':
        transferOpen.add(event.node);
        break;
      case 'transfer-end':
        transferOpen.delete(event.node);
        break;
      case 'failover':
        promotedAt = event.index;
        break;
      default:
        break;
    }
    if (DEATHS.has(event.kind)) {
      if (bgsaveOpen.has(event.node)) reached.add('crash during BGSAVE');
      if (transferOpen.has(event.node) || (transferOpen.size > 0 && event.node === 'master')) {
        reached.add('crash during a transfer');
      }
      if (event.kind === 'crash' && renamedNotSynced.has(event.node)) {
        reached.add('crash between rename and directory fsync');
      }
      bgsaveOpen.delete(event.node);
      transferOpen.delete(event.node);
      renamedNotSynced.delete(event.node);
    }
  }
  const asked = new Map<number, number>();
  for (const op of ops) {
    if (op.f === 'wait' && op.type === 'invoke' && typeof op.value === 'number')
      asked.set(op.process, op.value);
    if (
      op.f === 'wait' &&
      op.type === 'ok' &&
      typeof op.value === 'number' &&
      op.value < (asked.get(op.process) ?? 0)
    ) {
      reached.add('WAIT timing out');
    }
    if (op.type === 'fail' && op.error?.startsWith('NOREPLICAS') === true)
      reached.add('min-replicas refusing writes');
    if (op.f === 'txn' && op.type === 'fail' && op.error?.startsWith('EXECABORT') === true)
      reached.add('MULTI/EXEC refused (EXECABORT)');
    if (op.f === 'txn' && op.type === 'info') reached.add('transaction with unknown outcome');
  }
  return reached;
}
