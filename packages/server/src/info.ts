/**
 * The text of INFO: Redis 7.0.15's default sections and every field name, in Redis's order, so
 * scripts that parse INFO find what they look for. Fields about machinery replisim does not have
 * (jemalloc, io threads, defrag) show the value
 * a Redis that never used that machinery shows (0); docs/server-and-config.md lists them. The
 * scripting fields are live (memory/scripts-memory.ts); `all` and `everything` add Commandstats
 * and Latencystats (monitoring/command-stats-info.ts).
 *
 * used_memory is an estimate, not a measurement: what Redis 7.0 would allocate for the same keys,
 * clients and backlog (memory/used-memory.ts). It tracks the state deterministically, so
 * simulations replay; the RSS and allocator fields repeat it (fragmentation ratio 1.00), since the
 * JS heap says nothing about Redis's.
 */
import { migrateCachedSocketCount } from './commands/keys/migrate.js';
import type { Database } from './keyspace/database.js';
import { scriptsMemory } from './memory/scripts-memory.js';
import {
  backlogBytes,
  datasetBytes,
  notCountedForEvictBytes,
  USED_MEMORY_STARTUP_BYTES,
  usedMemoryBytes,
} from './memory/used-memory.js';
import { commandstatsSection, latencystatsSection } from './monitoring/command-stats-info.js';
import type { ServerNode } from './node.js';
import { REDIS_VERSION } from './node.js';
import type { LoadingProgress } from './persistence/loading-progress.js';
import { replicationFields, syncStatsFields } from './replication/master-info.js';

export const DEFAULT_SECTIONS: readonly string[] = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'modules',
  'errorstats',
  'cluster',
  'keyspace',
];

/** `all` and `everything`: the default sections plus the per-command ones, in Redis's order. */
const ALL_SECTIONS: readonly string[] = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'modules',
  'commandstats',
  'errorstats',
  'latencystats',
  'cluster',
  'keyspace',
];

type Section = (node: ServerNode) => [string, string | number][];

const SECTIONS: Readonly<Record<string, Section>> = {
  server: serverSection,
  clients: clientsSection,
  memory: memorySection,
  persistence: persistenceSection,
  stats: statsSection,
  replication: replicationSection,
  cpu: cpuSection,
  modules: () => [],
  commandstats: commandstatsSection,
  errorstats: errorstatsSection,
  latencystats: latencystatsSection,
  cluster: () => [['cluster_enabled', 0]],
  keyspace: keyspaceSection,
};

const TITLES: Readonly<Record<string, string>> = {
  server: 'Server',
  clients: 'Clients',
  memory: 'Memory',
  persistence: 'Persistence',
  stats: 'Stats',
  replication: 'Replication',
  cpu: 'CPU',
  modules: 'Modules',
  commandstats: 'Commandstats',
  errorstats: 'Errorstats',
  latencystats: 'Latencystats',
  cluster: 'Cluster',
  keyspace: 'Keyspace',
};

/** The section names `requested` selects ('default', 'all' and 'everything' expand as in Redis). */
function selectedSections(requested: readonly string[]): Set<string> {
  const names = new Set<string>();
  const wanted = requested.length === 0 ? ['default'] : requested.map((name) => name.toLowerCase());
  for (const name of wanted) {
    if (name === 'default') {
      for (const section of DEFAULT_SECTIONS) names.add(section);
    } else if (name === 'all' || name === 'everything') {
      for (const section of ALL_SECTIONS) names.add(section);
    } else if (SECTIONS[name] !== undefined) {
      names.add(name);
    }
  }
  return names;
}

/**
 * The `name:value` fields `renderInfo` would print for `requested`, as a map (a later duplicate
 * wins, as when the text is parsed line by line). For in-process readers (the harness's sim
 * backend reads a node's state after every simulated event): the same values without formatting
 * the text and splitting it again.
 */
export function infoFieldMap(node: ServerNode, requested: readonly string[]): Map<string, string> {
  const names = selectedSections(requested);
  const fields = new Map<string, string>();
  for (const name of DEFAULT_SECTIONS) {
    const section = SECTIONS[name];
    if (!names.has(name) || section === undefined) continue;
    for (const [field, value] of section(node)) fields.set(field, `${value}`);
  }
  return fields;
}

/** Renders the requested sections ('default', 'all' and 'everything' expand as in Redis). */
export function renderInfo(node: ServerNode, requested: readonly string[]): string {
  const names = selectedSections(requested);
  const blocks: string[] = [];
  for (const name of ALL_SECTIONS) {
    const section = SECTIONS[name];
    if (!names.has(name) || section === undefined) continue;
    const lines = section(node).map(([field, value]) => `${field}:${value}`);
    blocks.push([`# ${TITLES[name] ?? name}`, ...lines].join('\r\n'));
  }
  return blocks.length === 0 ? '' : `${blocks.join('\r\n\r\n')}\r\n`;
}

function serverSection(node: ServerNode): [string, string | number][] {
  const uptimeSeconds = Math.floor((node.env.clock.monotonicMs() - node.startedMonotonicMs) / 1000);
  const wallMs = node.env.clock.wallMs();
  return [
    ['redis_version', REDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', 'replisim'],
    ['redis_mode', 'standalone'],
    ['os', 'replisim'],
    ['arch_bits', 64],
    ['monotonic_clock', 'Env monotonic clock'],
    ['multiplexing_api', 'node'],
    ['atomicvar_api', 'none'],
    ['gcc_version', '0.0.0'],
    ['process_id', node.pid],
    ['process_supervised', 'no'],
    ['run_id', node.runId],
    ['tcp_port', node.port],
    ['server_time_usec', Math.floor(wallMs * 1000)],
    ['uptime_in_seconds', uptimeSeconds],
    ['uptime_in_days', Math.floor(uptimeSeconds / 86400)],
    ['hz', node.config.hz],
    ['configured_hz', node.config.hz],
    ['lru_clock', Math.floor(wallMs / 1000) & 0xffffff],
    ['executable', node.executable],
    ['config_file', node.config.configFile],
    ['io_threads_active', 0],
  ];
}

function clientsSection(node: ServerNode): [string, string | number][] {
  return [
    ['connected_clients', node.clients.size],
    ['cluster_connections', 0],
    ['maxclients', node.config.maxclients],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    [
      'blocked_clients',
      node.blocking.blockedCount + node.master.waits.waitingCount + node.clientPause.postponedCount,
    ],
    ['tracking_clients', node.tracking.clientCount],
    ['clients_in_timeout_table', 0],
  ];
}

/** Redis's bytesToHuman: B, K, M, G with two decimals. */
export function bytesToHuman(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 5, 'P'],
    [1024 ** 4, 'T'],
    [1024 ** 3, 'G'],
    [1024 ** 2, 'M'],
    [1024, 'K'],
  ];
  for (const [size, suffix] of units) {
    if (bytes >= size) return `${(bytes / size).toFixed(2)}${suffix}`;
  }
  return `${bytes}B`;
}

/** INFO's maxmemory_human: bytesToHuman, which prints plain bytes from 1024 PB up. */
function maxmemoryHuman(maxmemory: bigint): string {
  return maxmemory >= 1024n ** 6n ? `${maxmemory}B` : bytesToHuman(Number(maxmemory));
}

/** INFO's maxmemory: printed as a signed 64-bit number (ULLONG_MAX shows as -1). */
function maxmemorySigned(maxmemory: bigint): string {
  return String(maxmemory >= 2n ** 63n ? maxmemory - 2n ** 64n : maxmemory);
}

function memorySection(node: ServerNode): [string, string | number][] {
  const used = usedMemoryBytes(node);
  node.usedMemoryPeak = Math.max(node.usedMemoryPeak, used);
  const peak = node.usedMemoryPeak;
  const dataset = datasetBytes(node);
  const overhead = used - dataset;
  const startup = USED_MEMORY_STARTUP_BYTES;
  const netUsed = used - startup;
  const datasetPercent = netUsed > 0 ? (dataset * 100) / netUsed : 0;
  const scripts = scriptsMemory(node);
  const vmTotal = scripts.vmEval + scripts.vmFunctions;
  const scriptsTotal = scripts.scriptsEval + scripts.functionsOverhead;
  return [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    // No allocator and no pages to measure: the RSS and allocator fields repeat the estimate, so
    // every fragmentation ratio is 1 (see docs/server-and-config.md).
    ['used_memory_rss', used],
    ['used_memory_rss_human', bytesToHuman(used)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', bytesToHuman(peak)],
    ['used_memory_peak_perc', `${((used * 100) / peak).toFixed(2)}%`],
    ['used_memory_overhead', overhead],
    ['used_memory_startup', startup],
    ['used_memory_dataset', dataset],
    ['used_memory_dataset_perc', `${datasetPercent.toFixed(2)}%`],
    ['allocator_allocated', used],
    ['allocator_active', used],
    ['allocator_resident', used],
    ['total_system_memory', 0],
    ['total_system_memory_human', '0B'],
    // Live counts, estimated bytes (memory/scripts-memory.ts).
    ['used_memory_lua', scripts.vmEval],
    ['used_memory_vm_eval', scripts.vmEval],
    ['used_memory_lua_human', bytesToHuman(scripts.vmEval)],
    ['used_memory_scripts_eval', scripts.scriptsEval],
    ['number_of_cached_scripts', scripts.cachedScripts],
    ['number_of_functions', scripts.functions],
    ['number_of_libraries', scripts.libraries],
    ['used_memory_vm_functions', scripts.vmFunctions],
    ['used_memory_vm_total', vmTotal],
    ['used_memory_vm_total_human', bytesToHuman(vmTotal)],
    ['used_memory_functions', scripts.functionsOverhead],
    ['used_memory_scripts', scriptsTotal],
    ['used_memory_scripts_human', bytesToHuman(scriptsTotal)],
    ['maxmemory', maxmemorySigned(node.config.maxmemory)],
    ['maxmemory_human', maxmemoryHuman(node.config.maxmemory)],
    ['maxmemory_policy', node.config.maxmemoryPolicy],
    ['allocator_frag_ratio', '1.00'],
    ['allocator_frag_bytes', 0],
    ['allocator_rss_ratio', '1.00'],
    ['allocator_rss_bytes', 0],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', '1.00'],
    ['mem_fragmentation_bytes', 0],
    ['mem_not_counted_for_evict', notCountedForEvictBytes(node)],
    ['mem_replication_backlog', backlogBytes(node)],
    ['mem_total_replication_buffers', backlogBytes(node)],
    ['mem_clients_slaves', node.clientsMemory.replicas],
    ['mem_clients_normal', node.clientsMemory.normal],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'estimate'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ];
}

/**
 * Redis 7.0.15's persistence fields in its order (genRedisInfoString). Copy-on-write sizes are 0:
 * a forkless snapshot copies per key, not per page. AOF is not implemented, so its fields show a
 * node with appendonly no. The loading_* block appears only while a load runs.
 */
function persistenceSection(node: ServerNode): [string, string | number][] {
  const persistence = node.persistence;
  const save = persistence.currentSaveKeys;
  const forkPercent = save.total === 0 ? 0 : (save.processed / save.total) * 100;
  const fields: [string, string | number][] = [
    ['loading', node.loading === undefined ? 0 : 1],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', forkPercent.toFixed(2)],
    ['current_save_keys_processed', save.processed],
    ['current_save_keys_total', save.total],
    ['rdb_changes_since_last_save', node.dirty],
    ['rdb_bgsave_in_progress', persistence.bgsaveInProgress ? 1 : 0],
    ['rdb_last_save_time', persistence.lastsaveSeconds],
    ['rdb_last_bgsave_status', persistence.lastBgsaveOk ? 'ok' : 'err'],
    ['rdb_last_bgsave_time_sec', persistence.lastBgsaveSeconds],
    ['rdb_current_bgsave_time_sec', persistence.currentBgsaveSeconds()],
    ['rdb_saves', persistence.rdbSaves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', node.lastLoad.keysExpired],
    ['rdb_last_load_keys_loaded', node.lastLoad.keysLoaded],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
  const loading = node.loading;
  if (loading !== undefined) fields.push(...loadingFields(node, loading));
  return fields;
}

/** The loading_* fields, with Redis's percentage and ETA arithmetic (whole seconds). */
function loadingFields(node: ServerNode, loading: LoadingProgress): [string, string | number][] {
  let percent = 0;
  let remainingBytes = 1;
  if (loading.totalBytes > 0) {
    percent = (loading.loadedBytes / loading.totalBytes) * 100;
    remainingBytes = loading.totalBytes - loading.loadedBytes;
  } else if (loading.rdbUsedMemory > 0) {
    // used-mem is only a (bad) estimate of the file size: never past 99.99%.
    percent = Math.min(99.99, (loading.loadedBytes / loading.rdbUsedMemory) * 100);
    remainingBytes = Math.max(1, loading.rdbUsedMemory - loading.loadedBytes);
  }
  const startSeconds = Math.floor(loading.startWallMs / 1000);
  const elapsedSeconds = Math.floor(node.env.clock.wallMs() / 1000) - startSeconds;
  const etaSeconds =
    elapsedSeconds === 0
      ? 1
      : Math.floor((elapsedSeconds * remainingBytes) / (loading.loadedBytes + 1));
  return [
    ['loading_start_time', startSeconds],
    ['loading_total_bytes', loading.totalBytes],
    ['loading_rdb_used_mem', loading.rdbUsedMemory],
    ['loading_loaded_bytes', loading.loadedBytes],
    ['loading_loaded_perc', percent.toFixed(2)],
    ['loading_eta_seconds', etaSeconds],
  ];
}

function statsSection(node: ServerNode): [string, string | number][] {
  const stats = node.stats;
  return [
    ['total_connections_received', stats.connectionsReceived],
    ['total_commands_processed', stats.commandsProcessed],
    ['instantaneous_ops_per_sec', stats.opsPerSecInstant],
    ['total_net_input_bytes', stats.netInputBytes],
    ['total_net_output_bytes', stats.netOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', '0.00'],
    ['instantaneous_output_kbps', '0.00'],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', stats.rejectedConnections],
    ...syncStatsFields(node),
    ['expired_keys', stats.expiredKeys],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['expire_cycle_cpu_milliseconds', 0],
    ['evicted_keys', stats.evictedKeys],
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', 0],
    ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', stats.keyspaceHits],
    ['keyspace_misses', stats.keyspaceMisses],
    ['pubsub_channels', node.pubsub.channelCount],
    ['pubsub_patterns', node.pubsub.patternCount],
    ['pubsubshard_channels', node.pubsub.shardChannelCount],
    ['latest_fork_usec', node.persistence.latestForkUsec],
    ['total_forks', node.persistence.totalForks],
    ['migrate_cached_sockets', migrateCachedSocketCount(node)],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', node.tracking.totalKeys],
    ['tracking_total_items', node.tracking.totalItems],
    ['tracking_total_prefixes', node.tracking.totalPrefixes],
    ['unexpected_error_replies', stats.unexpectedErrorReplies],
    ['total_error_replies', stats.errorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', 0],
    ['total_writes_processed', 0],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ];
}

/**
 * CPU time as Redis prints it ("%ld.%06ld" seconds), from the Env: process.cpuUsage() for a real
 * node, virtual time since boot for a simulated one. A node has no children and one main thread.
 */
function cpuSection(node: ServerNode): [string, string | number][] {
  const usage = node.env.cpuUsage?.() ?? { userSeconds: 0, systemSeconds: 0 };
  const sys = usage.systemSeconds.toFixed(6);
  const user = usage.userSeconds.toFixed(6);
  return [
    ['used_cpu_sys', sys],
    ['used_cpu_user', user],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', sys],
    ['used_cpu_user_main_thread', user],
  ];
}

/**
 * errorstat_<prefix>:count=N for each error kind sent, in byte order of the prefix (Redis keeps
 * them in a rax: INVALIDOBJ comes before WRONGTYPE whichever was sent first).
 */
function errorstatsSection(node: ServerNode): [string, string | number][] {
  const entries = Object.entries(node.stats.errorsByKind);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([kind, count]) => [`errorstat_${kind}`, `count=${count}`]);
}

/** Both roles' fields, in Redis's order (replication/master-info.ts). */
function replicationSection(node: ServerNode): [string, string | number][] {
  return replicationFields(node);
}

/**
 * Redis estimates avg_ttl from the keys its expiry cycle samples; replisim averages the remaining
 * time of the first AVG_TTL_SAMPLE_MAX keys with a TTL (in insertion order), which bounds the cost
 * of INFO on large datasets and is exact for small ones.
 */
const AVG_TTL_SAMPLE_MAX = 1000;

function averageTtlMs(db: Database, nowMs: number): number {
  let total = 0;
  let sampled = 0;
  for (const [, deadlineMs] of db.expiringKeys()) {
    if (sampled === AVG_TTL_SAMPLE_MAX) break;
    total += Math.max(0, deadlineMs - nowMs);
    sampled++;
  }
  return sampled === 0 ? 0 : Math.round(total / sampled);
}

function keyspaceSection(node: ServerNode): [string, string | number][] {
  const nowMs = node.env.clock.wallMs();
  return node.databases
    .filter((db) => db.size() > 0)
    .map((db) => [
      `db${db.index}`,
      `keys=${db.size()},expires=${db.expiringCount()},avg_ttl=${averageTtlMs(db, nowMs)}`,
    ]);
}
