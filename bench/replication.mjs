#!/usr/bin/env node
/**
 * Replication of replisim-server against redis-server 7.0, measured in the same run on the same
 * machine, written to the "replication" section of BENCHMARKS.md (the method is described there).
 * Master and replica are always two processes of the same kind: replisim -> replisim and
 * redis -> redis.
 *
 *   npm run bench:replication              (builds first, then runs this with the defaults)
 *   node bench/replication.mjs [--rounds 5] [--keys 1000000] [--value-bytes 100]
 *                              [--requests 200000] [--pipelines 1,16] [--keyspace 100000]
 *                              [--servers redis,replisim] [--quiet-wait 60] [--quiet-until HH:MM]
 *                              [--out BENCHMARKS.md]
 *                              [--no-write] [--replisim-node-args "--cpu-prof --cpu-prof-dir=/tmp/p"]
 *
 * Every round, for each kind in turn (alternating which goes first), every process in its own temp
 * dir with `--save ''`:
 *   1. Full sync. A master gets DEBUG POPULATE <keys> key <value-bytes>; then, once with
 *      repl-diskless-sync no (disk) and once with repl-diskless-sync yes and
 *      repl-diskless-sync-delay 0 (diskless), in alternating order, a fresh replica is started and
 *      sent REPLICAOF. The time runs from sending REPLICAOF until the replica's INFO replication
 *      (polled every 5 ms) shows master_link_status:up and master_sync_in_progress:0 and DBSIZE is
 *      <keys>. DEBUG DIGEST must then be equal on both sides.
 *   2. Writes under replication. A fresh, empty master gets a warm-up (redis-benchmark SET -P 16),
 *      then redis-benchmark -t set -n <requests> -r <keyspace> -d <value-bytes> -c 50 at each
 *      pipeline depth with no replica (it never had one, so it keeps no backlog); then a fresh
 *      replica syncs and the same runs repeat with it attached, while two probes run every 10 ms:
 *      - visibility: SET a unique value of a probe key on the master; from its reply, GET it on the
 *        replica (one request in flight, back to back) until the value is there;
 *      - offsets: the master's master_repl_offset minus the replica's slave_repl_offset (INFO
 *        replication of both, asked at the same time on their own connections).
 *      After redis-benchmark ends, the time until the replica's offset reaches the master's.
 * The median of the rounds is reported, with the ratio replisim / redis. Every process this script
 * starts is killed when it ends, fails or is interrupted.
 *
 * --replisim-node-args passes flags to node for every replisim-server (master and replica; for
 * example --cpu-prof: the profile is written when the server exits, which SHUTDOWN NOSAVE does).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine, markdownTable, median, percentiles } from './report.mjs';
import { parseInfo } from './resp-client.mjs';
import { positiveInteger, quietLine, readComparisonOptions, runComparison } from './rounds.mjs';
import {
  connectWhenListening,
  expectReply,
  guarded,
  nowMs,
  POLL_MS,
  root,
  runAsScript,
  runTool,
  sleep,
  startInTempDir,
  stopInTempDir,
} from './servers.mjs';

const PROBE_INTERVAL_MS = 10;
const CLIENTS = 50;
const BENCHMARK_TIMEOUT_MS = 300_000;
const SYNC_MODES = ['disk', 'diskless'];
const PERCENTILES = ['p50', 'p99', 'max'];

function parseOptions(list) {
  const { options, values } = readComparisonOptions(list, {
    section: 'replication',
    script: 'bench/replication.mjs',
    extraDefaults: { rounds: '5', requests: '200000', pipelines: '1,16', keyspace: '100000' },
  });
  const pipelines = values.pipelines.split(',').map(Number);
  if (pipelines.some((depth) => !Number.isSafeInteger(depth) || depth <= 0)) {
    throw new Error('--pipelines must list positive integers');
  }
  return {
    ...options,
    requests: positiveInteger(values, 'requests'),
    keyspace: positiveInteger(values, 'keyspace'),
    pipelines,
  };
}

// ---------------------------------------------------------------------------------------------
// A master and its replicas: started, connected, stopped together.
// ---------------------------------------------------------------------------------------------

/** A master or replica of `kind`, in its own temp dir. */
const startNode = (kind, role, options) =>
  startInTempDir(kind, `replisim-bench-replication-${kind}-${role}-`, options);

/** One more connection to the node, closed by stopInTempDir. */
async function connectTo(node) {
  const client = await connectWhenListening(node.server);
  node.extra.push(client);
  return client;
}

async function configSet(node, name, value) {
  const reply = await node.control.call('CONFIG', 'SET', name, value);
  expectReply(node.server, `CONFIG SET ${name} ${value}`, reply, 'OK');
}

/** Polls `check()` every POLL_MS until it returns true; resolves with the time it did. */
async function pollUntil(node, what, check) {
  return guarded(
    node.server,
    what,
    (async () => {
      for (;;) {
        if (await check()) return nowMs();
        await sleep(POLL_MS);
      }
    })(),
  );
}

/**
 * Sends REPLICAOF to `replica` and waits until it is in sync with `master`: INFO shows the link up
 * and no sync in progress, and DBSIZE is `keys`. Resolves with the seconds that took.
 */
async function replicate(replica, master, keys) {
  const started = nowMs();
  const reply = await replica.control.call('REPLICAOF', '127.0.0.1', master.server.port);
  expectReply(replica.server, 'REPLICAOF', reply);
  const syncedAt = await pollUntil(replica, 'full sync', async () => {
    const info = parseInfo(await replica.control.call('INFO', 'replication'));
    if (info.get('master_link_status') !== 'up' || info.get('master_sync_in_progress') !== '0') {
      return false;
    }
    return (await replica.control.call('DBSIZE')) === keys;
  });
  return (syncedAt - started) / 1000;
}

/**
 * The seconds from the replica's log line "MASTER <-> REPLICA sync: Loading DB in memory" to
 * "MASTER <-> REPLICA sync: Finished with success" (both servers write both, with millisecond
 * timestamps): the part of a full sync spent loading the received payload; NaN without them.
 */
function replicaLoadS(log) {
  const at = (text) => {
    const line = log.split('\n').find((l) => l.includes(`MASTER <-> REPLICA sync: ${text}`));
    const time = / (\d\d):(\d\d):(\d\d)\.(\d{3}) /.exec(line ?? '');
    if (time === null) return NaN;
    const [hours, minutes, seconds, ms] = time.slice(1).map(Number);
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
  };
  return (at('Finished with success') - at('Loading DB in memory')) / 1000;
}

async function digestsEqual(master, replica) {
  const [ours, theirs] = await Promise.all([
    master.control.call('DEBUG', 'DIGEST'),
    replica.control.call('DEBUG', 'DIGEST'),
  ]);
  expectReply(master.server, 'DEBUG DIGEST', ours);
  expectReply(replica.server, 'DEBUG DIGEST', theirs);
  return ours === theirs;
}

// ---------------------------------------------------------------------------------------------
// 1. Full sync of a populated master to a fresh replica, disk and diskless.
// ---------------------------------------------------------------------------------------------

async function measureFullSyncs(kind, options, round) {
  const result = { sync: {}, load: {}, digests: { equal: 0, compared: 0 } };
  let master;
  try {
    master = await startNode(kind, 'master', options);
    const started = nowMs();
    const populated = await guarded(
      master.server,
      'DEBUG POPULATE',
      master.control.call('DEBUG', 'POPULATE', options.keys, 'key', options.valueBytes),
    );
    expectReply(master.server, 'DEBUG POPULATE', populated, 'OK');
    result.populateS = (nowMs() - started) / 1000;
    await configSet(master, 'repl-diskless-sync-delay', '0');
    const modes = round % 2 === 0 ? SYNC_MODES : [...SYNC_MODES].reverse();
    for (const mode of modes) {
      await configSet(master, 'repl-diskless-sync', mode === 'diskless' ? 'yes' : 'no');
      let replica;
      try {
        replica = await startNode(kind, 'replica', options);
        result.sync[mode] = await replicate(replica, master, options.keys);
        result.load[mode] = replicaLoadS(replica.server.log);
        result.digests.compared++;
        if (await digestsEqual(master, replica)) result.digests.equal++;
      } finally {
        await stopInTempDir(replica);
      }
    }
    return result;
  } finally {
    await stopInTempDir(master);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Writes under replication: throughput with and without a replica, lag while it is attached.
// ---------------------------------------------------------------------------------------------

/** One redis-benchmark SET run against `node`: its requests per second. */
function redisBenchmark(node, pipeline, requests, options) {
  const args = ['-h', '127.0.0.1', '-p', String(node.server.port), '-c', String(CLIENTS)];
  args.push('-n', String(requests), '-P', String(pipeline), '-r', String(options.keyspace));
  args.push('-d', String(options.valueBytes), '-t', 'set', '--csv');
  const run = runTool('redis-benchmark', args);
  return guarded(node.server, `redis-benchmark -P ${pipeline}`, run, BENCHMARK_TIMEOUT_MS).then(
    (output) => {
      // --csv prints a header, then one line per test: "SET","84602.37","0.295",...
      const row = output.split('\n').find((line) => line.startsWith('"SET"'));
      const rps = Number(row?.split(',')[1]?.replaceAll('"', ''));
      if (!Number.isFinite(rps) || rps <= 0) {
        throw new Error(`cannot read redis-benchmark output for ${node.server.name}: ${output}`);
      }
      return rps;
    },
  );
}

/** master_repl_offset of the master and slave_repl_offset of the replica, asked together. */
async function offsets(masterInfo, replicaInfo) {
  const [ours, theirs] = await Promise.all([
    masterInfo.call('INFO', 'replication'),
    replicaInfo.call('INFO', 'replication'),
  ]);
  return {
    master: Number(parseInfo(ours).get('master_repl_offset')),
    replica: Number(parseInfo(theirs).get('slave_repl_offset')),
  };
}

/**
 * The two probes of the method, every PROBE_INTERVAL_MS until stop(): how long a SET takes from its
 * reply until a GET on the replica sees it (ms), and how many bytes the replica's offset is behind
 * the master's. Every probe value is unique, so a GET can only see the SET it waits for.
 */
function startLagProbes(master, clients) {
  const visibleMs = [];
  const behindBytes = [];
  let running = true;
  const every = async (probe) => {
    for (let next = nowMs(); running; ) {
      await probe();
      next += PROBE_INTERVAL_MS;
      const wait = next - nowMs();
      if (wait > 0) await sleep(wait);
      else next = nowMs();
    }
  };
  let seq = 0;
  const visibility = every(async () => {
    const value = `probe:${seq++}`;
    const reply = await clients.master.call('SET', 'probe', value);
    expectReply(master.server, 'probe SET', reply, 'OK');
    const written = nowMs();
    while ((await clients.replica.call('GET', 'probe')) !== value) {
      if (!running) return;
    }
    visibleMs.push(nowMs() - written);
  });
  const offsetGap = every(async () => {
    const { master, replica } = await offsets(clients.masterInfo, clients.replicaInfo);
    behindBytes.push(Math.max(0, master - replica));
  });
  return {
    async stop() {
      running = false;
      await Promise.all([visibility, offsetGap]);
      return { visible: percentiles(visibleMs), behind: percentiles(behindBytes) };
    },
  };
}

/** After the load: ms until the replica's offset reaches the master's. */
async function catchUpMs(master, clients) {
  const started = nowMs();
  const target = (await offsets(clients.masterInfo, clients.replicaInfo)).master;
  const caughtUp = await pollUntil(master, 'catching up', async () => {
    return (await offsets(clients.masterInfo, clients.replicaInfo)).replica >= target;
  });
  return caughtUp - started;
}

async function measureWrites(kind, options) {
  const result = { alone: {}, attached: {} };
  let master;
  let replica;
  try {
    master = await startNode(kind, 'master', options);
    await configSet(master, 'repl-diskless-sync-delay', '0');
    // Warm-up: the JIT is warm and the keyspace populated before anything is measured.
    await redisBenchmark(master, 16, options.requests, options);
    for (const pipeline of options.pipelines) {
      result.alone[pipeline] = await redisBenchmark(master, pipeline, options.requests, options);
    }
    replica = await startNode(kind, 'replica', options);
    const keys = await master.control.call('DBSIZE');
    result.syncS = await replicate(replica, master, keys);
    const clients = {
      master: await connectTo(master),
      masterInfo: await connectTo(master),
      replica: await connectTo(replica),
      replicaInfo: await connectTo(replica),
    };
    for (const pipeline of options.pipelines) {
      const probes = startLagProbes(master, clients);
      let rps;
      try {
        rps = await redisBenchmark(master, pipeline, options.requests, options);
      } finally {
        result.attached[pipeline] = { ...(await probes.stop()), rps };
      }
      result.attached[pipeline].catchUpMs = await catchUpMs(master, clients);
    }
    result.digestsEqual = await digestsEqual(master, replica);
    return result;
  } finally {
    await stopInTempDir(replica);
    await stopInTempDir(master);
  }
}

async function measureOnce(kind, options, round) {
  const fullSync = await measureFullSyncs(kind, options, round);
  const writes = await measureWrites(kind, options);
  return { name: kind, ...fullSync, writes };
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function metricsFor(options) {
  const metrics = SYNC_MODES.flatMap((mode) => [
    {
      label: `full sync, ${mode} (REPLICAOF until up, in sync and DBSIZE ${options.keys})`,
      unit: 's',
      get: (r) => r.sync[mode],
      lower: true,
      target: '≤ 1.5x',
    },
    {
      label: `full sync, ${mode}: of which the replica loading the payload (its log)`,
      unit: 's',
      get: (r) => r.load[mode],
      lower: true,
    },
  ]);
  for (const pipeline of options.pipelines) {
    const at = (r) => r.writes.attached[pipeline];
    metrics.push(
      {
        label: `SET -P ${pipeline}: master throughput, no replica`,
        unit: 'req/s',
        get: (r) => r.writes.alone[pipeline],
        lower: false,
      },
      {
        label: `SET -P ${pipeline}: master throughput, replica attached`,
        unit: 'req/s',
        get: (r) => at(r).rps,
        lower: false,
      },
      ...PERCENTILES.map((p) => ({
        label: `SET -P ${pipeline}: SET reply until visible on the replica, ${p}`,
        unit: 'ms',
        get: (r) => at(r).visible[p],
        lower: true,
      })),
      ...PERCENTILES.map((p) => ({
        label: `SET -P ${pipeline}: replica offset behind the master's, ${p}`,
        unit: 'bytes',
        get: (r) => at(r).behind[p],
        lower: true,
      })),
      {
        label: `SET -P ${pipeline}: load end until the replica caught up`,
        unit: 'ms',
        get: (r) => at(r).catchUpMs,
        lower: true,
      },
    );
  }
  metrics.push({
    label: `DEBUG POPULATE ${options.keys} (setup, for reference)`,
    unit: 's',
    get: (r) => r.populateS,
    lower: true,
  });
  return metrics;
}

function digestLine(samples, options) {
  const parts = options.servers.map((name) => {
    const runs = samples.get(name);
    const equal = runs.reduce((n, r) => n + r.digests.equal + (r.writes.digestsEqual ? 1 : 0), 0);
    const compared = runs.reduce((n, r) => n + r.digests.compared + 1, 0);
    return `${name} ${equal} of ${compared}`;
  });
  return `DEBUG DIGEST equal on master and replica after every full sync and after the write load: ${parts.join(', ')}.`;
}

/** How many visibility probes each run took (its p99 and max rest on that many). */
function probeLine(samples, options) {
  const parts = options.pipelines.map((pipeline) => {
    const counts = options.servers.map((name) => {
      const runs = samples.get(name).map((r) => r.writes.attached[pipeline].visible.count);
      return `${name} ${Math.round(median(runs))}`;
    });
    return `-P ${pipeline}: ${counts.join(', ')}`;
  });
  return `Visibility probes per run (median): ${parts.join('; ')}.`;
}

function reportBody(rows, samples, options, quiet, build) {
  const pipelines = options.pipelines.map((p) => `-P ${p}`).join(' and ');
  return [
    `${machineLine()} replisim at commit ${build.commit}, built ${build.builtAt} UTC.`,
    `Full sync: DEBUG POPULATE ${options.keys} key ${options.valueBytes}. Writes: redis-benchmark -t set -n ${options.requests} -r ${options.keyspace} -d ${options.valueBytes} -c ${CLIENTS}, ${pipelines}; probes every ${PROBE_INTERVAL_MS} ms.`,
    `Median of ${options.rounds} alternating rounds (the range of the rounds in parentheses); ${quietLine(quiet)}`,
    digestLine(samples, options),
    probeLine(samples, options),
    '',
    ...markdownTable(rows, options.servers),
  ].join('\n');
}

function describe(round, r) {
  const writes = Object.entries(r.writes.attached).map(
    ([pipeline, at]) =>
      `-P ${pipeline} ${Math.round(r.writes.alone[pipeline])} -> ${Math.round(at.rps)} req/s, ` +
      `visible p50/p99/max ${at.visible.p50.toFixed(3)}/${at.visible.p99.toFixed(3)}/${at.visible.max.toFixed(3)} ms ` +
      `(${at.visible.count} probes), behind max ${at.behind.max} B, caught up ${at.catchUpMs.toFixed(1)} ms`,
  );
  return (
    `round ${round + 1} ${r.name}: populate ${r.populateS.toFixed(3)} s, ` +
    `sync disk ${r.sync.disk.toFixed(3)} s (load ${r.load.disk.toFixed(3)} s), ` +
    `diskless ${r.sync.diskless.toFixed(3)} s (load ${r.load.diskless.toFixed(3)} s), ` +
    `digests ${r.digests.equal}/${r.digests.compared} equal; ${writes.join('; ')}`
  );
}

/**
 * The replisim build being measured: HEAD's commit and the newest file under packages/*\/dist. Other
 * people rebuild in this workspace; a run whose rounds measured two builds is not a comparison.
 */
function buildIdentity() {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
  });
  let newestMs = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newestMs = Math.max(newestMs, statSync(path).mtimeMs);
    }
  };
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const dist = join(root, 'packages', pkg, 'dist');
    if (existsSync(dist)) walk(dist);
  }
  const changes = spawnSync('git', ['status', '--porcelain', '--untracked-files=no', 'packages'], {
    cwd: root,
    encoding: 'utf8',
  });
  return {
    commit: `${commit.stdout.trim() || '?'}${changes.stdout.trim() ? ' with uncommitted changes' : ''}`,
    builtAt: new Date(newestMs).toISOString().slice(0, 16).replace('T', ' '),
  };
}

export async function runReplicationBench(argv) {
  const options = parseOptions(argv);
  const build = buildIdentity();
  const samples = await runComparison({
    options,
    measureOnce,
    describe,
    metrics: metricsFor(options),
    reportBody: (rows, samples, quiet) => reportBody(rows, samples, options, quiet, build),
    npmScript: 'bench:replication',
    beforeWrite: () => {
      const after = buildIdentity();
      if (after.builtAt !== build.builtAt) {
        throw new Error(
          `the replisim build changed during the run (${build.builtAt} -> ${after.builtAt} UTC): its rounds measured different code, so the section is not written`,
        );
      }
    },
  });
  process.stdout.write(`${digestLine(samples, options)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runAsScript(runReplicationBench, process.argv.slice(2));
}
