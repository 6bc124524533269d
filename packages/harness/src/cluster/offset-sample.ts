/**
 * Offset samples: a node's place in the replication stream, recorded often enough to plot (the
 * report's offset panel) without a line per write. A backend samples every node every
 * OFFSET_SAMPLE_EVERY_MS and records an `offset` event only when the sample differs from the
 * node's previous one, so a quiet cluster adds nothing to the history.
 *
 * The fields come from INFO replication (NodeState), so a backend of real processes can sample the
 * same way. Data of an `offset` event:
 * - role (`master` | `replica`), replid, offset (master_repl_offset);
 * - a master's backlog window: `backlogFirst` and `backlogHistlen` (repl_backlog_first_byte_offset
 *   and repl_backlog_histlen; histlen 0 = no backlog yet): a replica asking PSYNC for an offset in
 *   [backlogFirst, backlogFirst + histlen] gets +CONTINUE;
 * - a master's view of each replica's acknowledged offset (REPLCONF ACK) as `ack:<node>`;
 * - a replica's master (`master`, a node name when known) and link status (`link`: up/down/sync).
 */
import type { EventData } from '../history/op.js';
import type { NodeState } from './node-state.js';

/** How often a backend samples every node's offset (virtual ms in the simulator). */
export const OFFSET_SAMPLE_EVERY_MS = 250;

/**
 * The `offset` event data for one node's state. `nodeOfHost` maps a host address (without port)
 * to a node name, so acknowledgements and masters are named by node.
 */
export function offsetSampleOf(
  state: NodeState,
  nodeOfHost: (host: string) => string | undefined,
): EventData {
  const data: Record<string, string | number | boolean> = {
    role: state.role,
    replid: state.replid,
    offset: state.offset,
  };
  if (state.role === 'master') {
    data['backlogFirst'] = state.backlogFirst;
    data['backlogHistlen'] = state.backlogHistlen;
    for (const replica of state.replicas) {
      const host = replica.address.slice(0, replica.address.lastIndexOf(':'));
      data[`ack:${nodeOfHost(host) ?? replica.address}`] = replica.offset;
    }
  } else {
    data['master'] = nodeOfHost(state.masterHost) ?? state.masterHost;
    data['link'] = state.linkUp ? 'up' : state.syncInProgress ? 'sync' : 'down';
  }
  return data;
}

/** A key equal for equal samples (the data's fields in a fixed order). */
export function offsetSampleKey(data: EventData): string {
  return JSON.stringify(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
