/**
 * The flagship replication scenario: a master, two replicas, a client writing without pause, and a
 * network that twice cuts replica B off. What does B do when it comes back, and is anything lost?
 *
 * Redis's answer, and replisim's: B asks to continue where it stopped (PSYNC <replid> <offset+1>).
 * If the master's backlog still holds every byte since that offset, it replies +CONTINUE and sends
 * just those bytes (a partial resync). If the backlog has wrapped past it, it replies +FULLRESYNC
 * and B loads a whole new snapshot. Either way, once the link is quiet B holds exactly the master's
 * dataset, and no write the master acknowledged is missing on any replica.
 *
 * The settings make both outcomes happen on purpose: repl-timeout is 5 s (default 60), so a cut of a
 * few seconds drops the link on both sides; repl-backlog-size is 64 KB (default 1 MB), so the first,
 * short cut fits in the backlog and the second, longer one overflows it. Everything else is Redis
 * 7.0's default, so full syncs are diskless and start repl-diskless-sync-delay (5 s) after the first
 * replica asks, which is why both replicas share the first snapshot.
 *
 * The writer's acknowledged writes are the model (sim/model-writer.ts). Every 50 writes it sends
 * WAIT 2 100: while B is cut off, WAIT can count only A. The verdict compares DEBUG DIGEST on all
 * three nodes and every key of the model on each of them, and checks that the master's sync
 * counters (INFO stats) match the story: 3 full syncs (A, B, B again), 1 partial ok, 1 partial err.
 */
import { SimWorld } from '@replisim/base';
import type { RespValue } from '@replisim/protocol';
import { ScenarioDriver, type ScenarioResult, type WriterScenarioOptions } from '../scenario.js';
import { ModelWriter, type WaitOutcome } from '../sim/model-writer.js';
import { infoField, type RespClient, replyText } from '../sim/resp-client.js';
import { NODE_PORT, SimNode } from '../sim/sim-node.js';
import { Timeline } from '../timeline.js';

export type ReplicaPartitionOptions = WriterScenarioOptions;

const MASTER_ADDRESS = '10.0.0.1';
const REPLICA_A_ADDRESS = '10.0.0.2';
const REPLICA_B_ADDRESS = '10.0.0.3';
const CLIENT_ADDRESS = '10.0.0.9';
const KEYS_DEFAULT = 2000;
const WRITE_INTERVAL_MS_DEFAULT = 5;
const LOAD_BATCH = 500;
/** repl-timeout for the story, in seconds (Redis's default is 60). */
const REPL_TIMEOUT_S = 5;
/** repl-backlog-size for the story (Redis's default is 1 MB). */
const BACKLOG_BYTES = 64 * 1024;
/** Longer than repl-timeout plus a cron tick, short enough for the backlog to cover it. */
const SHORT_PARTITION_MS = 8_000;
/** Long enough for the writes to wrap the backlog. */
const LONG_PARTITION_MS = 45_000;
const HEALTHY_MS = 3_000;
const QUIET_MS = 2_000;
const WAIT_EVERY = 50;
const WAIT_REPLICAS = 2;
const WAIT_TIMEOUT_MS = 100;

/** Log lines worth a line on the timeline, by node (the rest stays in SimNode.logs). */
const MASTER_LOG_LINES = [
  /^Starting BGSAVE for SYNC/,
  /^Synchronization with replica .* succeeded/,
  /^Disconnecting timedout replica/,
  /^Partial resynchronization request from .* accepted/,
  /^Unable to partial resync/,
];
const REPLICA_LOG_LINES = [
  /^Full resync from master/,
  /^MASTER timeout/,
  /^Trying a partial resynchronization/,
  /^Successful partial resynchronization/,
  /^MASTER <-> REPLICA sync: Finished with success/,
];
/** `<pid>:<role> <dd Mon yyyy hh:mm:ss.mmm> <mark> ` before the message of a log line. */
const LOG_PREFIX = /^\d+:[A-Z] \d\d \w{3} \d{4} [\d:.]+ . /;

/** One partition of B from the master, measured. */
interface PartitionRecord {
  readonly label: string;
  readonly durationMs: number;
  /** Writes the master acknowledged while B was cut off. */
  readonly writes: number;
  /** B's offset when cut, and the master's when repaired: the stream B missed lies between. */
  readonly replicaOffsetAtCut: number;
  readonly masterOffsetAtRepair: number;
  /** WAITs for writes made during the cut, answered before the repair: B cannot have acked them. */
  readonly waits: readonly WaitOutcome[];
  /** The master's log from the cut until B caught up. */
  readonly masterLog: readonly string[];
  /** replica-b's log over the same time. */
  readonly replicaLog: readonly string[];
  /** The master's INFO stats counters once B caught up again. */
  readonly syncs: SyncCounts;
}

interface Cluster {
  readonly master: SimNode;
  readonly replicaA: SimNode;
  readonly replicaB: SimNode;
  /** Each node's name on the timeline. */
  readonly names: ReadonlyMap<SimNode, string>;
}

interface SyncCounts {
  readonly full: number;
  readonly partialOk: number;
  readonly partialErr: number;
}

export function runReplicaPartition(options: ReplicaPartitionOptions): ScenarioResult {
  const keys = options.keys ?? KEYS_DEFAULT;
  const world = new SimWorld({ seed: options.seed });
  const timeline = new Timeline(world.now());
  const { master, replicaA, replicaB, names } = createCluster(world, timeline);
  const clientHost = world.addHost('client', CLIENT_ADDRESS);
  const driver = new ScenarioDriver(world, clientHost);
  const random = clientHost.env.random.fork();
  const offsetOf = (node: SimNode): number => node.node?.repl.masterReplOffset ?? -1;
  const caughtUp = (replica: SimNode): boolean =>
    replica.node?.replicaLink?.connected === true && offsetOf(replica) === offsetOf(master);

  // 1. The master boots and loads the dataset; the replicas boot with --replicaof and full-sync.
  master.boot();
  driver.waitFor(() => master.serving, 'the master booting');
  const observer = driver.connect(MASTER_ADDRESS);
  const writerClient = driver.connect(MASTER_ADDRESS);
  const writer = new ModelWriter(clientHost.env, writerClient, random, {
    keys,
    intervalMs: options.writeIntervalMs ?? WRITE_INTERVAL_MS_DEFAULT,
    waitEvery: WAIT_EVERY,
    waitReplicas: WAIT_REPLICAS,
    waitTimeoutMs: WAIT_TIMEOUT_MS,
  });
  for (const argv of writer.initialLoad(LOAD_BATCH)) driver.request(observer, argv);
  timeline.add(
    world.now(),
    'master',
    `boots with repl-timeout ${REPL_TIMEOUT_S} s and repl-backlog-size ${BACKLOG_BYTES} bytes; a client loads ${keys} keys (MSET)`,
  );
  replicaA.boot();
  replicaB.boot();
  timeline.add(
    world.now(),
    'replicas',
    `replica-a and replica-b boot with --replicaof ${MASTER_ADDRESS} ${NODE_PORT}`,
  );
  driver.waitFor(() => caughtUp(replicaA) && caughtUp(replicaB), 'both replicas syncing');
  const attached = syncCounts(driver, observer);
  const replicationInfo = replyText(driver.request(observer, ['INFO', 'replication'])) ?? '';
  const replicaLines = replicationInfo.split('\r\n').filter((line) => /^slave\d+:/.test(line));
  timeline.add(
    world.now(),
    'master',
    [
      `both replicas online at offset ${offsetOf(master)} (INFO stats: ${describeSyncs(attached)})`,
      ...replicaLines.map((line) => `INFO replication ${line}`),
    ].join('\n'),
  );

  // 2. The writer starts; then the short partition, which the backlog covers.
  writer.start();
  world.runFor(HEALTHY_MS);
  timeline.add(
    world.now(),
    'writer',
    `writes continuously (SET, INCR, DEL), WAIT ${WAIT_REPLICAS} ${WAIT_TIMEOUT_MS} after every ${WAIT_EVERY}: ${writer.acked} acknowledged, ${describeWaits(writer.waits)}`,
  );
  const partition = (label: string, durationMs: number): PartitionRecord => {
    const cutMs = world.now();
    const ackedAtCut = writer.acked;
    const logMark = master.logs.length;
    const replicaLogMark = replicaB.logs.length;
    const replicaOffsetAtCut = offsetOf(replicaB);
    world.partition(master.host, replicaB.host);
    timeline.add(
      cutMs,
      'faults',
      `${label}: cuts replica-b off the master for ${durationMs / 1000} s (replica-b at offset ${replicaOffsetAtCut})\n${describeLastConfirmed(writer.waits)}`,
    );
    world.runFor(durationMs);
    const masterOffsetAtRepair = offsetOf(master);
    const waits = writer.waits.filter((wait) => wait.afterWrite > ackedAtCut);
    const writes = writer.acked - ackedAtCut;
    world.repair(master.host, replicaB.host);
    timeline.add(
      world.now(),
      'faults',
      `${label} repaired: ${writes} writes (#${ackedAtCut + 1}-#${writer.acked}), ${masterOffsetAtRepair - replicaOffsetAtCut} stream bytes went by (master at offset ${masterOffsetAtRepair})\nduring it ${describeWaits(waits)}: only replica-a acknowledged those writes`,
    );
    driver.waitFor(() => caughtUp(replicaB), `replica-b catching up after ${label}`);
    const syncs = syncCounts(driver, observer);
    timeline.add(
      world.now(),
      'master',
      `replica-b caught up at offset ${offsetOf(master)} (INFO stats: ${describeSyncs(syncs)})`,
    );
    return {
      label,
      durationMs,
      writes,
      replicaOffsetAtCut,
      masterOffsetAtRepair,
      waits,
      masterLog: master.logs.slice(logMark),
      replicaLog: replicaB.logs.slice(replicaLogMark),
      syncs,
    };
  };
  const short = partition('partition #1', SHORT_PARTITION_MS);

  // 3. The long partition, which overflows the backlog.
  world.runFor(HEALTHY_MS);
  const long = partition('partition #2', LONG_PARTITION_MS);

  // 4. Quiet: the writer stops, every replica catches up, nothing moves for a while.
  world.runFor(HEALTHY_MS);
  writer.stop();
  driver.waitFor(() => writer.idle, 'the last write');
  driver.waitFor(() => caughtUp(replicaA) && caughtUp(replicaB), 'the replicas catching up');
  world.runFor(QUIET_MS);
  timeline.add(
    world.now(),
    'writer',
    `stops after ${writer.acked} acknowledged writes (${writer.unacknowledged} without an acknowledgement); the link is quiet for ${QUIET_MS / 1000} s`,
  );

  // 5. The verdict.
  const check = new Verdict();
  const finalWait = driver.call(writerClient, ['WAIT', String(WAIT_REPLICAS), '1000']);
  check.expect(
    finalWait === String(WAIT_REPLICAS),
    `WAIT ${WAIT_REPLICAS} 1000 after the last write (#${writer.acked}) returned ${finalWait ?? 'nothing'}: both replicas acknowledged every write`,
  );
  const readers = [master, replicaA, replicaB].map((node) => ({
    name: names.get(node) ?? '?',
    client: driver.connect(node.host.address),
  }));
  checkDatasets(check, driver, readers, writer, keys);
  checkResyncPath(check, attached, short, long, syncCounts(driver, observer));
  const cutWaits = [...short.waits, ...long.waits];
  check.expect(
    cutWaits.length > 0 && cutWaits.every((wait) => wait.replicas < WAIT_REPLICAS),
    `while replica-b was cut off, all ${cutWaits.length} WAIT ${WAIT_REPLICAS} ${WAIT_TIMEOUT_MS} returned fewer than ${WAIT_REPLICAS} (${describeWaits(cutWaits)})`,
  );
  const syncsOfA = replicaA.logs.filter((line) => line.includes('MASTER <-> REPLICA sync started'));
  check.expect(
    syncsOfA.length === 1,
    `replica-a synced once and never lost its link (${syncsOfA.length} sync${syncsOfA.length === 1 ? '' : 's'})`,
  );
  for (const reader of readers) reader.client.close();
  observer.close();
  writerClient.close();
  for (const node of [master, replicaA, replicaB]) node.node?.stop();
  return {
    name: 'replica-partition',
    seed: options.seed,
    timeline,
    passed: check.passed,
    verdict: check.lines,
  };
}

/** The three nodes (not booted yet), each putting its chosen log lines on the timeline. */
function createCluster(world: SimWorld, timeline: Timeline): Cluster {
  const common = [
    '--save',
    '',
    '--repl-timeout',
    String(REPL_TIMEOUT_S),
    '--repl-backlog-size',
    String(BACKLOG_BYTES),
    // DEBUG DIGEST for the verdict; Redis allows DEBUG only when this says so.
    '--enable-debug-command',
    'yes',
  ];
  const replicaOf = ['--replicaof', MASTER_ADDRESS, String(NODE_PORT)];
  const master = new SimNode(world.addHost('master', MASTER_ADDRESS), { options: common });
  const replicaA = new SimNode(world.addHost('replica-a', REPLICA_A_ADDRESS), {
    options: [...common, ...replicaOf],
  });
  const replicaB = new SimNode(world.addHost('replica-b', REPLICA_B_ADDRESS), {
    options: [...common, ...replicaOf],
  });
  const names = new Map([
    [master, 'master'],
    [replicaA, 'replica-a'],
    [replicaB, 'replica-b'],
  ]);
  for (const [node, name] of names) {
    const wanted = node === master ? MASTER_LOG_LINES : REPLICA_LOG_LINES;
    node.onLog = (line) => {
      const message = line.replace(LOG_PREFIX, '').split('\n')[0] ?? '';
      if (wanted.some((pattern) => pattern.test(message))) {
        timeline.add(world.now(), name, `log: ${message}`);
      }
    };
  }
  return { master, replicaA, replicaB, names };
}

/** DEBUG DIGEST equal everywhere, and every node equal to the model key for key. */
function checkDatasets(
  check: Verdict,
  driver: ScenarioDriver,
  readers: readonly { readonly name: string; readonly client: RespClient }[],
  writer: ModelWriter,
  keysLoaded: number,
): void {
  const digests = readers.map((reader) => driver.call(reader.client, ['DEBUG', 'DIGEST']) ?? '');
  const first = digests[0] ?? '';
  check.expect(
    /^[0-9a-f]{40}$/.test(first) && digests.every((digest) => digest === first),
    `DEBUG DIGEST is the same on all three nodes: ${readers.map((reader, i) => `${reader.name} ${(digests[i] ?? '').slice(0, 12)}`).join(', ')}`,
  );
  const model = writer.model;
  for (const reader of readers) {
    const differences = compareWithModel(driver, reader.client, model);
    check.expect(
      differences.length === 0,
      `${reader.name} holds the model key for key: ${model.size} keys, the result of the ${keysLoaded}-key load and all ${writer.acked} acknowledged writes${differences.length > 0 ? `; differs in ${differences.length}: ${differences.slice(0, 3).join('; ')}` : ''}`,
    );
  }
}

/**
 * The resync path the story predicts, from the master's counters and both sides' log lines: the
 * short cut continued from the backlog, the long one was refused and synced in full.
 */
function checkResyncPath(
  check: Verdict,
  attached: SyncCounts,
  short: PartitionRecord,
  long: PartitionRecord,
  final: SyncCounts,
): void {
  const sent = lastMatch(
    short.masterLog,
    /Sending (\d+) bytes of backlog starting from offset (\d+)/,
  );
  const sentBytes = Number(sent?.[1] ?? '-1');
  check.expect(
    short.syncs.partialOk - attached.partialOk === 1 &&
      short.syncs.full === attached.full &&
      sentBytes > 0 &&
      sentBytes <= BACKLOG_BYTES,
    `${short.label} (${short.durationMs / 1000} s, ${short.writes} writes, ${versusBacklog(short)}) ended in a partial resync: +CONTINUE, ${sent === undefined ? 'no backlog line in the log' : `${sent[1]} bytes sent from the backlog starting at offset ${sent[2]}`}`,
  );
  const refused = lastMatch(long.masterLog, /for lack of backlog \(Replica request was: (\d+)\)/);
  const fullResync = lastMatch(long.replicaLog, /Full resync from master: \w+:(\d+)/);
  check.expect(
    long.masterOffsetAtRepair - long.replicaOffsetAtCut > BACKLOG_BYTES &&
      refused !== undefined &&
      fullResync !== undefined &&
      long.syncs.partialErr - short.syncs.partialErr === 1 &&
      long.syncs.full - short.syncs.full === 1,
    `${long.label} (${long.durationMs / 1000} s, ${long.writes} writes, ${versusBacklog(long)}) overflowed the backlog: PSYNC from offset ${refused?.[1] ?? '?'} refused for lack of backlog, then +FULLRESYNC at offset ${fullResync?.[1] ?? '?'}`,
  );
  check.expect(
    final.full === 3 && final.partialOk === 1 && final.partialErr === 1,
    `the master's INFO stats are what the story predicts: ${describeSyncs(final)} (expected sync_full:3 sync_partial_ok:1 sync_partial_err:1)`,
  );
}

/** PASS/FAIL lines, all kept: a failed check does not hide the others. */
class Verdict {
  readonly lines: string[] = [];
  passed = true;

  expect(ok: boolean, line: string): void {
    if (!ok) this.passed = false;
    this.lines.push(`${ok ? 'PASS' : 'FAIL'}: ${line}`);
  }
}

function syncCounts(driver: ScenarioDriver, client: RespClient): SyncCounts {
  const reply = driver.request(client, ['INFO', 'stats']);
  return {
    full: Number(infoField(reply, 'sync_full') ?? '-1'),
    partialOk: Number(infoField(reply, 'sync_partial_ok') ?? '-1'),
    partialErr: Number(infoField(reply, 'sync_partial_err') ?? '-1'),
  };
}

function describeSyncs(syncs: SyncCounts): string {
  return `sync_full:${syncs.full} sync_partial_ok:${syncs.partialOk} sync_partial_err:${syncs.partialErr}`;
}

/** "WAIT returned 2 x12, 1 x3" (by replica count, highest first). */
function describeWaits(waits: readonly WaitOutcome[]): string {
  if (waits.length === 0) return 'no WAIT';
  const counts = new Map<number, number>();
  for (const wait of waits) counts.set(wait.replicas, (counts.get(wait.replicas) ?? 0) + 1);
  const parts = [...counts.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([replicas, times]) => `${replicas} x${times}`);
  return `WAIT returned ${parts.join(', ')}`;
}

/** "18057 bytes < 65536": what a partition's missed stream was next to the backlog's size. */
function versusBacklog(partition: PartitionRecord): string {
  const bytes = partition.masterOffsetAtRepair - partition.replicaOffsetAtCut;
  return `${bytes} bytes ${bytes > BACKLOG_BYTES ? '>' : '<='} backlog ${BACKLOG_BYTES}`;
}

/** Which writes the master has vouched for: the last WAIT that counted both replicas. */
function describeLastConfirmed(waits: readonly WaitOutcome[]): string {
  const last = waits.findLast((wait) => wait.replicas >= WAIT_REPLICAS);
  return last === undefined
    ? 'no WAIT has counted both replicas yet'
    : `the last WAIT to count both replicas vouched for writes #1-#${last.afterWrite}`;
}

/** The last log line matching `pattern`, as its match. */
function lastMatch(logs: readonly string[], pattern: RegExp): RegExpExecArray | undefined {
  for (let i = logs.length - 1; i >= 0; i--) {
    const match = pattern.exec(logs[i] ?? '');
    if (match !== null) return match;
  }
  return undefined;
}

/** The keys whose value on the node differs from the model, as "key: expected x, got y". */
function compareWithModel(
  driver: ScenarioDriver,
  client: RespClient,
  model: ReadonlyMap<string, string>,
): string[] {
  const differences: string[] = [];
  const keys = [...model.keys()];
  for (let i = 0; i < keys.length; i += LOAD_BATCH) {
    const batch = keys.slice(i, i + LOAD_BATCH);
    const reply: RespValue | undefined = driver.request(client, ['MGET', ...batch]);
    const values = reply?.kind === 'array' ? reply.items.map((item) => replyText(item)) : [];
    batch.forEach((key, index) => {
      const value = values[index];
      if (value !== model.get(key)) {
        differences.push(
          `${key}: expected ${model.get(key) ?? '(none)'}, got ${value ?? '(none)'}`,
        );
      }
    });
  }
  const size = Number(driver.call(client, ['DBSIZE']) ?? '-1');
  if (size !== model.size) differences.push(`DBSIZE ${size}, expected ${model.size}`);
  return differences;
}
