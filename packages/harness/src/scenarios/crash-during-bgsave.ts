/**
 * The flagship persistence scenario: a node takes snapshots while a client keeps writing, and the
 * machine loses power in the middle of a BGSAVE. What does the node hold when it comes back?
 *
 * Redis's answer, and replisim's: exactly the dataset of the last snapshot that finished, as it was
 * at the instant that BGSAVE started, no matter how many writes were acknowledged after it. The
 * interrupted BGSAVE leaves only a temp file; dump.rdb is replaced by rename after fsync, so it is
 * either the old dump or the new one, never a mix.
 *
 * The scenario keeps a model of the dataset from the writer's acknowledged replies (one request in
 * flight, so the replies give the exact order of writes). A BGSAVE sent on the writer's connection
 * marks its snapshot point precisely: after every write acknowledged before it, before every write
 * after it. After the restart, the verdict compares the node's dataset key for key with the model
 * at the last completed snapshot point, and counts the acknowledged writes the crash took away.
 */
import { type SimDisk, SimWorld } from '@replisim/base';
import { ScenarioDriver, type ScenarioResult, type WriterScenarioOptions } from '../scenario.js';
import { ModelWriter } from '../sim/model-writer.js';
import { infoField, replyText } from '../sim/resp-client.js';
import { SimNode } from '../sim/sim-node.js';
import { Timeline } from '../timeline.js';

export type CrashDuringBgsaveOptions = WriterScenarioOptions;

const NODE_ADDRESS = '10.0.0.1';
const CLIENT_ADDRESS = '10.0.0.2';
const KEYS_DEFAULT = 20_000;
const WRITE_INTERVAL_MS_DEFAULT = 1;
const LOAD_BATCH = 500;
/** Per-operation disk latency: a slow disk, so a BGSAVE takes long enough to be interrupted. */
const SLOW_DISK = {
  latencyMsMin: 20,
  latencyMsMax: 40,
  fsyncLatencyMsMin: 20,
  fsyncLatencyMsMax: 60,
};
const POLL_MS = 10;
const DATA_DIR = '/data';
const DUMP_PATH = `${DATA_DIR}/dump.rdb`;

type Model = Map<string, string>;

/** A snapshot point: the writes acknowledged before the BGSAVE and the dataset they made. */
interface SnapshotPoint {
  readonly label: string;
  readonly writes: number;
  readonly model: Model;
}

export function runCrashDuringBgsave(options: CrashDuringBgsaveOptions): ScenarioResult {
  const keys = options.keys ?? KEYS_DEFAULT;
  const writeIntervalMs = options.writeIntervalMs ?? WRITE_INTERVAL_MS_DEFAULT;
  const world = new SimWorld({ seed: options.seed });
  const nodeHost = world.addHost('node1', NODE_ADDRESS, {
    disk: { cwd: DATA_DIR, faults: SLOW_DISK },
  });
  const clientHost = world.addHost('client', CLIENT_ADDRESS);
  const driver = new ScenarioDriver(world, clientHost);
  const random = clientHost.env.random.fork();
  const timeline = new Timeline(world.now());
  const node = new SimNode(nodeHost, { options: ['--save', '', '--dir', DATA_DIR] });

  // 1. Boot with an empty disk.
  node.boot();
  driver.waitFor(() => node.serving, 'the first boot');
  timeline.add(world.now(), 'node1', 'boots with no dump.rdb: empty dataset');

  // The writer: one write in flight, the next one writeIntervalMs after each reply; its model
  // starts with the loaded keys. A BGSAVE goes out on its connection between two writes.
  const writer = driver.connect(NODE_ADDRESS);
  const modelWriter = new ModelWriter(clientHost.env, writer, random, {
    keys,
    intervalMs: writeIntervalMs,
    waitEvery: 0,
    waitReplicas: 0,
    waitTimeoutMs: 0,
  });
  const model: Model = modelWriter.model;

  // 2. Load the initial dataset.
  const loader = driver.connect(NODE_ADDRESS);
  for (const argv of modelWriter.initialLoad(LOAD_BATCH)) driver.request(loader, argv);
  timeline.add(world.now(), 'client', `loads ${keys} keys with MSET`);

  const snapshot = (label: string): SnapshotPoint => {
    let point: SnapshotPoint | undefined;
    let taken: SnapshotPoint | undefined;
    modelWriter.interpose(['BGSAVE'], {
      // Every write before the BGSAVE is acknowledged when it goes out, none after it.
      onSend: () => {
        taken = { label, writes: modelWriter.acked, model: new Map(model) };
      },
      onReply: (reply) => {
        const text =
          reply?.kind === 'error' ? `(error) ${reply.value}` : (replyText(reply) ?? 'no reply');
        timeline.add(
          world.now(),
          'client',
          `${label}: BGSAVE -> ${text}\nsnapshot point: after write #${taken?.writes ?? 0}`,
        );
        point = taken;
      },
    });
    driver.waitFor(() => point !== undefined, `the reply to ${label}'s BGSAVE`);
    if (point === undefined) throw new Error('unreachable');
    return point;
  };

  const observer = driver.connect(NODE_ADDRESS);
  const saveProgress = (): {
    inProgress: boolean;
    processed: number;
    total: number;
    status: string;
  } => {
    const reply = driver.request(observer, ['INFO', 'persistence']);
    return {
      inProgress: infoField(reply, 'rdb_bgsave_in_progress') === '1',
      processed: Number(infoField(reply, 'current_save_keys_processed') ?? '0'),
      total: Number(infoField(reply, 'current_save_keys_total') ?? '0'),
      status: infoField(reply, 'rdb_last_bgsave_status') ?? '?',
    };
  };

  modelWriter.start();
  world.runFor(500);
  timeline.add(
    world.now(),
    'client',
    `writes continuously (SET, INCR, DEL), one every ${writeIntervalMs} ms: ${modelWriter.acked} acknowledged so far`,
  );

  // 4. The first snapshot, which completes.
  const first = snapshot('snapshot #1');
  const firstStartedMs = world.now();
  let progress = saveProgress();
  while (progress.inProgress) {
    world.runFor(POLL_MS);
    progress = saveProgress();
  }
  const firstDurationMs = world.now() - firstStartedMs;
  let completed: SnapshotPoint | undefined = progress.status === 'ok' ? first : undefined;
  const dumpBytes = nodeHost.disk.readDurableFileSync(DUMP_PATH)?.length ?? 0;
  timeline.add(
    world.now(),
    'node1',
    `snapshot #1 done (${progress.status}): dump.rdb is ${dumpBytes} bytes, fsynced and renamed into place\n${modelWriter.acked - first.writes} writes were acknowledged while it ran; they are not in it`,
  );

  // 5. The second snapshot, interrupted by a power loss part-way through: at a random moment
  // within the time the first one took.
  world.runFor(1000);
  const second = snapshot('snapshot #2');
  world.runFor(Math.max(1, Math.floor(firstDurationMs * (0.2 + random.float() * 0.6))));
  progress = saveProgress();
  if (!progress.inProgress && progress.status === 'ok') completed = second;
  const state = progress.inProgress
    ? savingState(nodeHost.disk, dumpBytes)
    : 'it had already finished';
  const ackedAtCrash = modelWriter.acked;
  modelWriter.stop();
  node.crash();
  timeline.add(
    world.now(),
    'faults',
    `power loss on node1 during snapshot #2: ${state}\nthe writer had ${ackedAtCrash} writes acknowledged`,
  );

  // 6. Restart, then compare every key with the model at the last completed snapshot point.
  world.runFor(500);
  node.restart();
  driver.waitFor(() => node.serving || node.startResult?.ok === false, 'the restart');
  if (node.startResult?.ok === false) {
    return failed(
      timeline,
      options.seed,
      `node1 refused to start after the crash: ${node.startResult.message}`,
    );
  }
  const strays = (nodeHost.disk.listSync(DATA_DIR) ?? []).filter((name) =>
    name.startsWith('temp-'),
  );
  const reader = driver.connect(NODE_ADDRESS);
  const dbsize = Number(driver.call(reader, ['DBSIZE']) ?? '-1');
  timeline.add(
    world.now(),
    'node1',
    `restarts and loads dump.rdb: ${dbsize} keys${strays.length > 0 ? `\nthe interrupted save left ${strays.join(', ')}; nothing reads it` : ''}`,
  );

  const expected = completed?.model ?? new Map<string, string>();
  const names = [...new Set([...expected.keys(), ...model.keys()])];
  const actual = new Map<string, string>();
  for (let i = 0; i < names.length; i += LOAD_BATCH) {
    const batch = names.slice(i, i + LOAD_BATCH);
    const reply = driver.request(reader, ['MGET', ...batch]);
    const values = reply?.kind === 'array' ? reply.items.map((item) => replyText(item)) : [];
    batch.forEach((key, index) => {
      const value = values[index];
      if (value !== undefined) actual.set(key, value);
    });
  }
  for (const client of [loader, writer, observer, reader]) client.close();
  node.node?.stop();

  const mismatches = names.filter((key) => expected.get(key) !== actual.get(key));
  const label = completed?.label ?? 'no snapshot';
  const lost = ackedAtCrash - (completed?.writes ?? 0);
  if (mismatches.length > 0 || dbsize !== expected.size) {
    const examples = mismatches
      .slice(0, 5)
      .map(
        (key) =>
          `${key}: expected ${expected.get(key) ?? '(none)'}, got ${actual.get(key) ?? '(none)'}`,
      );
    return failed(
      timeline,
      options.seed,
      `the restarted dataset differs from ${label} at its snapshot point in ${mismatches.length} keys (DBSIZE ${dbsize}, expected ${expected.size})`,
      `first differences: ${examples.join('; ')}`,
    );
  }
  return {
    name: 'crash-during-bgsave',
    seed: options.seed,
    timeline,
    passed: true,
    verdict: [
      `PASS: after the power loss node1 holds exactly the dataset of ${label} at its snapshot point (after write #${completed?.writes ?? 0}), key for key: ${expected.size} keys.`,
      `${lost} acknowledged writes were lost: every write after that snapshot started.${completed === first ? ' The interrupted snapshot #2 never replaced dump.rdb, so none of its partial state leaked in.' : ''}`,
      'This is the RDB trade-off: a crash loses what was written since the last completed snapshot began.',
    ],
  };
}

/** What the interrupted save had put on the disk when the power went. */
function savingState(disk: SimDisk, dumpBytes: number): string {
  const temp = (disk.listSync(DATA_DIR) ?? []).find((name) => name.startsWith('temp-'));
  if (temp !== undefined) {
    const bytes = disk.readFileSync(`${DATA_DIR}/${temp}`)?.length ?? 0;
    return `${temp} holds ${bytes} of about ${dumpBytes} bytes, not all fsynced`;
  }
  return 'its file was complete and renamed over dump.rdb, but the rename was not durable yet (no directory fsync)';
}

function failed(timeline: Timeline, seed: number, ...verdict: string[]): ScenarioResult {
  return {
    name: 'crash-during-bgsave',
    seed,
    timeline,
    passed: false,
    verdict: [`FAIL: ${verdict[0] ?? ''}`, ...verdict.slice(1)],
  };
}
