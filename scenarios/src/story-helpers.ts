/**
 * Small helpers the stories share: INFO counters, WAIT summaries, and finding events in the history
 * between two marks. They use only the harness's public API.
 */
import type { Cluster, NodeEvent, ScenarioContext, WaitOutcome } from '@replisim/harness';

type Random = ScenarioContext['random'];

import { infoField } from '@replisim/harness';

export interface SyncCounts {
  readonly full: number;
  readonly partialOk: number;
  readonly partialErr: number;
}

/** The master's sync_full / sync_partial_ok / sync_partial_err. */
export async function syncCounts(cluster: Cluster, node: string): Promise<SyncCounts> {
  const reply = await cluster.call(node, ['INFO', 'stats']);
  return {
    full: Number(infoField(reply, 'sync_full') ?? '-1'),
    partialOk: Number(infoField(reply, 'sync_partial_ok') ?? '-1'),
    partialErr: Number(infoField(reply, 'sync_partial_err') ?? '-1'),
  };
}

export function describeSyncs(syncs: SyncCounts): string {
  return `sync_full:${syncs.full} sync_partial_ok:${syncs.partialOk} sync_partial_err:${syncs.partialErr}`;
}

/** "WAIT returned 2 x12, 1 x3" (by replica count, highest first). */
export function describeWaits(waits: readonly WaitOutcome[]): string {
  if (waits.length === 0) return 'no WAIT';
  const counts = new Map<number, number>();
  for (const wait of waits) counts.set(wait.replicas, (counts.get(wait.replicas) ?? 0) + 1);
  const parts = [...counts.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([replicas, times]) => `${replicas} x${times}`);
  return `WAIT returned ${parts.join(', ')}`;
}

/** The events of `node` and `kind` recorded since history index `from`. */
export function eventsSince(
  cluster: Cluster,
  from: number,
  node: string,
  kind: NodeEvent['kind'],
): NodeEvent[] {
  return cluster.history.events.filter(
    (event) => event.index >= from && event.node === node && event.kind === kind,
  );
}

/** A number parameter, or a clear error naming it. */
export function numberParam(params: Readonly<Record<string, string>>, name: string): number {
  const value = Number(params[name]);
  if (!Number.isFinite(value))
    throw new Error(`parameter ${name} must be a number, not ${params[name]}`);
  return value;
}

/**
 * A parameter that may be drawn from the seed: `6000..9000` draws an integer in that range, `a|b`
 * picks one of the words; anything else is taken as given (a `--set` pins it).
 */
export function drawnParam(
  params: Readonly<Record<string, string>>,
  name: string,
  random: Random,
): string {
  const value = params[name] ?? '';
  const range = /^(\d+)\.\.(\d+)$/.exec(value);
  if (range !== null) {
    const low = Number(range[1]);
    const high = Number(range[2]);
    if (high < low) throw new Error(`parameter ${name}: ${value} is an empty range`);
    return String(low + random.int(high - low + 1));
  }
  if (value.includes('|')) {
    const words = value.split('|');
    return words[random.int(words.length)] ?? '';
  }
  return value;
}
