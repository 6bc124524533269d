/**
 * INFO replication for both roles, and the sync counters of INFO stats, in Redis 7.0.15's field
 * order (genRedisInfoString; reference §4.6). A replica shows its link (node.replicaLink's status,
 * rendered here) and then, like a master, its own sub-replicas and history.
 *
 * replisim adds one field, only while `repl-snapshot-reuse` is not `no` (so a default node's INFO
 * is field-for-field Redis's): stats' `sync_reused_snapshots`, the full syncs served by a snapshot
 * not started for them; each replica line then also says `path=` (sync-plan.ts's words).
 */
import type { ServerNode } from '../node.js';
import { REPLICA_STATE_INFO } from './replica-client.js';

type Field = [string, string | number];

/** sync_full, sync_partial_ok, sync_partial_err (and replisim's reuse count when enabled). */
export function syncStatsFields(node: ServerNode): Field[] {
  const counters = node.master.counters;
  const fields: Field[] = [
    ['sync_full', counters.full],
    ['sync_partial_ok', counters.partialOk],
    ['sync_partial_err', counters.partialErr],
  ];
  if (node.config.replSnapshotReuse !== 'no') {
    fields.push(['sync_reused_snapshots', counters.reusedSnapshots]);
  }
  return fields;
}

export function replicationFields(node: ServerNode): Field[] {
  const fields: Field[] = [];
  const link = node.replicaLink;
  if (link === undefined) {
    fields.push(['role', 'master']);
  } else {
    fields.push(['role', 'slave'], ...replicaLinkFields(node));
  }
  fields.push(...replicasFields(node));
  const repl = node.repl;
  const backlog = repl.backlog;
  fields.push(
    ['master_failover_state', node.failover.state],
    ['master_replid', repl.replid],
    ['master_replid2', repl.replid2],
    ['master_repl_offset', repl.masterReplOffset],
    ['second_repl_offset', repl.secondReplidOffset],
    ['repl_backlog_active', backlog === undefined ? 0 : 1],
    ['repl_backlog_size', node.config.replBacklogSize],
    ['repl_backlog_first_byte_offset', backlog === undefined ? 0 : backlog.firstByteOffset],
    ['repl_backlog_histlen', backlog === undefined ? 0 : backlog.histlen],
  );
  return fields;
}

/** The replica block: the link's status as Redis prints it. */
function replicaLinkFields(node: ServerNode): Field[] {
  const link = node.replicaLink;
  if (link === undefined) return [];
  const status = link.status();
  const seconds = (ms: number | undefined): number =>
    ms === undefined ? -1 : Math.floor(ms / 1000);
  const fields: Field[] = [
    ['master_host', status.masterHost],
    ['master_port', status.masterPort],
    ['master_link_status', status.linkUp ? 'up' : 'down'],
    ['master_last_io_seconds_ago', seconds(status.lastIoMsAgo)],
    ['master_sync_in_progress', status.syncInProgress ? 1 : 0],
    ['slave_read_repl_offset', status.readReplOffset],
    ['slave_repl_offset', status.replOffset],
  ];
  const transfer = status.transfer;
  if (transfer !== undefined) {
    const percent = transfer.totalBytes > 0 ? (transfer.readBytes / transfer.totalBytes) * 100 : 0;
    fields.push(
      ['master_sync_total_bytes', transfer.totalBytes],
      ['master_sync_read_bytes', transfer.readBytes],
      ['master_sync_left_bytes', transfer.totalBytes - transfer.readBytes],
      ['master_sync_perc', percent.toFixed(2)],
      ['master_sync_last_io_seconds_ago', Math.floor(transfer.lastIoMsAgo / 1000)],
    );
  }
  if (status.state !== 'connected') {
    fields.push(['master_link_down_since_seconds', seconds(status.linkDownMsAgo)]);
  }
  fields.push(
    ['slave_priority', 100],
    ['slave_read_only', node.config.replicaReadOnly ? 1 : 0],
    ['replica_announced', 1],
  );
  return fields;
}

/** connected_slaves, min_slaves_good_slaves when enabled, and one line per replica. */
function replicasFields(node: ServerNode): Field[] {
  const master = node.master;
  const config = node.config;
  const fields: Field[] = [['connected_slaves', master.replicas.length]];
  if (config.minReplicasToWrite > 0 && config.minReplicasMaxLag > 0) {
    fields.push(['min_slaves_good_slaves', master.goodReplicas()]);
  }
  const nowMs = node.env.clock.monotonicMs();
  const showPath = config.replSnapshotReuse !== 'no';
  master.replicas.forEach((replica, index) => {
    const lagSeconds = Math.floor((nowMs - replica.ackTimeMs) / 1000);
    const path = showPath && replica.syncPath !== '' ? `,path=${replica.syncPath}` : '';
    fields.push([
      `slave${index}`,
      `ip=${replica.ip()},port=${replica.listeningPort},state=${REPLICA_STATE_INFO[replica.state]},offset=${replica.ackOffset},lag=${lagSeconds}${path}`,
    ]);
  });
  return fields;
}
