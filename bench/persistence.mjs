#!/usr/bin/env node
/**
 * Snapshot persistence of replisim-server against redis-server 7.0, measured in the same run on the
 * same machine, written to the "persistence" section of BENCHMARKS.md (the method is described there).
 *
 *   npm run bench:persistence              (builds first, then runs this with the defaults)
 *   npm run bench -- --section persistence (the same, through bench/run.mjs)
 *   node bench/persistence.mjs [--rounds 3] [--keys 1000000] [--value-bytes 100]
 *                              [--servers redis,replisim] [--quiet-wait 60] [--out BENCHMARKS.md]
 *                              [--no-write] [--replisim-node-args "--cpu-prof --cpu-prof-dir=/tmp/p"]
 *
 * Every round, for each server in turn (alternating which goes first), in a fresh temp dir with
 * `--save ''`:
 *   1. DEBUG POPULATE <keys> key <value-bytes>.
 *   2. SAVE: wall time until the reply; the size of the dump file.
 *   3. BGSAVE while one client sends GET and SET (random populated keys, one request in flight): the
 *      time from BGSAVE's reply until INFO persistence (polled every 5 ms) shows
 *      rdb_bgsave_in_progress:0, with rdb_last_bgsave_status:ok required; also when the new dump
 *      file appeared (its inode changed, checked at each poll). Per-request latency in the BGSAVE
 *      window (from sending BGSAVE until done), then in a baseline window of the same length after
 *      it, with the same INFO polling, so the only difference is the BGSAVE.
 *   4. Point in time: every key the client SET after BGSAVE's reply must not hold that value once the
 *      dump is loaded back (each SET writes a unique value).
 *   5. SHUTDOWN NOSAVE, restart on the dump: the server's own "DB loaded from disk: X seconds" log
 *      line, and the wall time from spawn until INFO shows loading:0 and DBSIZE is <keys>.
 * The median of the rounds is reported, with the ratio replisim / redis. Only one server runs at a
 * time. Every process this script starts is killed when it ends, fails or is interrupted.
 *
 * --replisim-node-args passes flags to node for replisim-server (for example --cpu-prof: the
 * profile is written when the server exits, which SHUTDOWN NOSAVE does cleanly).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatValue, machineLine, markdownTable, median, percentiles } from './report.mjs';
import { encodeRequest, parseInfo, RespClient } from './resp-client.mjs';
import { quietLine, readComparisonOptions, runComparison } from './rounds.mjs';
import {
  connectWhenListening,
  expectReply,
  freePort,
  guarded,
  makeTempDir,
  nowMs,
  POLL_MS,
  removeTempDir,
  runAsScript,
  sleep,
  spawnServer,
  stopServer,
  waitFor,
  waitForPong,
} from './servers.mjs';

/** Latency client runs this long before BGSAVE is sent, and the baseline starts this long after. */
const SETTLE_MS = 500;

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

function parseOptions(list) {
  return readComparisonOptions(list, {
    section: 'persistence',
    script: 'bench/persistence.mjs',
    extraDefaults: {},
  }).options;
}

// ---------------------------------------------------------------------------------------------
// The latency client: GET and SET alternately, one request in flight, every request timed.
// ---------------------------------------------------------------------------------------------

/**
 * Records live in typed arrays (off the JS heap, grown by doubling) and SET values are rebuilt from
 * their sequence number, so this process allocates almost nothing that survives: its own garbage
 * collection would otherwise show up as server latency (a mark-compact of a few MB of number arrays
 * took 5-15 ms here).
 */
class LatencyClient {
  #client;
  #keys;
  #valueBytes;
  #running = false;
  #loop;
  /** Requests completed; request `seq` is a GET when even, a SET when odd. */
  count = 0;
  /** Per request: send time (ms, performance.now), latency (ms) and key number. */
  sentAt = new Float64Array(1 << 16);
  latency = new Float64Array(1 << 16);
  keyNumber = new Uint32Array(1 << 16);

  constructor(client, keys, valueBytes) {
    this.#client = client;
    this.#keys = keys;
    this.#valueBytes = valueBytes;
  }

  start() {
    this.#running = true;
    // Kept settled: a failure is rethrown by stop(), never left as an unhandled rejection.
    this.#loop = this.#run().then(
      () => undefined,
      (error) => error,
    );
  }

  async stop() {
    this.#running = false;
    const error = await this.#loop;
    if (error !== undefined) throw error;
  }

  /** The value SET number `seq` writes: unique, `value-bytes` long. */
  valueOf(seq) {
    return `set:${seq}:`.padEnd(this.#valueBytes, 'x');
  }

  async #run() {
    // A fixed-seed generator: both servers get the same key sequence.
    let state = 0x9e3779b9;
    for (let seq = 0; this.#running; seq++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const number = (state >>> 0) % this.#keys;
      const key = `key:${number}`;
      const request =
        seq % 2 === 0
          ? encodeRequest(['GET', key])
          : encodeRequest(['SET', key, this.valueOf(seq)]);
      const sent = nowMs();
      const reply = await this.#client.send(request);
      const latency = nowMs() - sent;
      if (reply instanceof Error) throw new Error(`latency client: ${reply.message}`);
      if (seq === this.sentAt.length) this.#grow();
      this.sentAt[seq] = sent;
      this.latency[seq] = latency;
      this.keyNumber[seq] = number;
      this.count = seq + 1;
    }
  }

  #grow() {
    const grown = (array) => {
      const bigger = new array.constructor(array.length * 2);
      bigger.set(array);
      return bigger;
    };
    this.sentAt = grown(this.sentAt);
    this.latency = grown(this.latency);
    this.keyNumber = grown(this.keyNumber);
  }

  /** Latencies (ms) of the requests sent within [fromMs, toMs]. */
  window(fromMs, toMs) {
    const selected = [];
    for (let i = 0; i < this.count; i++) {
      if (this.sentAt[i] >= fromMs && this.sentAt[i] <= toMs) selected.push(this.latency[i]);
    }
    return selected;
  }

  /** The SETs sent after `fromMs`, as { key, value }. */
  setsSentAfter(fromMs) {
    const sets = [];
    for (let seq = 1; seq < this.count; seq += 2) {
      if (this.sentAt[seq] > fromMs) {
        sets.push({ key: `key:${this.keyNumber[seq]}`, value: this.valueOf(seq) });
      }
    }
    return sets;
  }
}

// ---------------------------------------------------------------------------------------------
// One round on one server
// ---------------------------------------------------------------------------------------------

function dumpIdentity(path) {
  try {
    const stat = statSync(path);
    return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
}

/**
 * Polls INFO persistence every POLL_MS until `done(fields)` or until `untilMs`; also notes when the
 * dump file's identity first differs from `dumpBefore`. Returns the last fields and the times.
 */
async function pollPersistence(control, { dumpPath, dumpBefore, done, untilMs }) {
  let fileAt;
  for (;;) {
    const info = parseInfo(await control.call('INFO', 'persistence'));
    const at = nowMs();
    if (fileAt === undefined && dumpPath !== undefined && dumpIdentity(dumpPath) !== dumpBefore) {
      fileAt = at;
    }
    if (done?.(info) || (untilMs !== undefined && at >= untilMs)) return { info, at, fileAt };
    await sleep(POLL_MS);
  }
}

async function measureOnce(name, options) {
  const dir = makeTempDir(`replisim-bench-persistence-${name}-`);
  const dumpPath = join(dir, 'dump.rdb');
  const result = { name };
  let server = spawnServer(name, await freePort(), dir, options);
  let control;
  let latencyConnection;
  try {
    control = await connectWhenListening(server);
    await guarded(server, 'PING', waitForPong(control));

    let started = nowMs();
    const populated = await guarded(
      server,
      'DEBUG POPULATE',
      control.call('DEBUG', 'POPULATE', options.keys, 'key', options.valueBytes),
    );
    expectReply(server, 'DEBUG POPULATE', populated, 'OK');
    result.populateS = (nowMs() - started) / 1000;
    expectReply(server, 'DBSIZE', await control.call('DBSIZE'), options.keys);

    started = nowMs();
    expectReply(server, 'SAVE', await guarded(server, 'SAVE', control.call('SAVE')), 'OK');
    result.saveS = (nowMs() - started) / 1000;
    result.dumpBytes = statSync(dumpPath).size;

    latencyConnection = await RespClient.connect(server.port);
    const latency = new LatencyClient(latencyConnection, options.keys, options.valueBytes);
    latency.start();
    await sleep(SETTLE_MS);
    const dumpBefore = dumpIdentity(dumpPath);
    const windowStart = nowMs();
    const bgsave = await guarded(server, 'BGSAVE', control.call('BGSAVE'));
    expectReply(server, 'BGSAVE', bgsave, 'Background saving started');
    const repliedAt = nowMs();
    const finished = await guarded(
      server,
      'BGSAVE completion',
      pollPersistence(control, {
        dumpPath,
        dumpBefore,
        done: (info) => info.get('rdb_bgsave_in_progress') === '0',
      }),
    );
    if (finished.info.get('rdb_last_bgsave_status') !== 'ok') {
      throw new Error(
        `${name}: rdb_last_bgsave_status:${finished.info.get('rdb_last_bgsave_status')}`,
      );
    }
    result.bgsaveS = (finished.at - repliedAt) / 1000;
    result.bgsaveFileS = finished.fileAt === undefined ? NaN : (finished.fileAt - repliedAt) / 1000;
    const windowMs = finished.at - windowStart;
    await sleep(SETTLE_MS);
    const baselineStart = nowMs();
    await guarded(
      server,
      'baseline window',
      pollPersistence(control, { untilMs: baselineStart + windowMs }),
    );
    const baselineEnd = nowMs();
    await latency.stop();
    result.during = percentiles(latency.window(windowStart, finished.at));
    result.baseline = percentiles(latency.window(baselineStart, baselineEnd));
    result.forkUs = Number(parseInfo(await control.call('INFO', 'stats')).get('latest_fork_usec'));
    const writtenAfter = latency.setsSentAfter(repliedAt);

    latencyConnection.close();
    await stopServer(server, control);
    control = undefined;
    latencyConnection = undefined;

    server = spawnServer(name, await freePort(), dir, options);
    const spawnedAt = nowMs();
    control = await connectWhenListening(server);
    await guarded(
      server,
      'loading',
      pollPersistence(control, { done: (info) => info.get('loading') === '0' }),
    );
    expectReply(server, 'DBSIZE after load', await control.call('DBSIZE'), options.keys);
    result.readyS = (nowMs() - spawnedAt) / 1000;
    await guarded(
      server,
      'the load log line',
      waitFor(() => server.loadedS !== undefined, 5000),
    );
    result.loadedS = server.loadedS;
    result.pointInTime = await checkPointInTime(control, writtenAfter);
    return result;
  } finally {
    latencyConnection?.close();
    await stopServer(server, control);
    removeTempDir(dir);
  }
}

/**
 * The keys SET after BGSAVE's reply must not hold those values in the loaded dump. Returns how many
 * were checked and how many leaked. Requests are pipelined in batches.
 */
async function checkPointInTime(control, writtenAfter) {
  let leaked = 0;
  const batch = 1000;
  for (let i = 0; i < writtenAfter.length; i += batch) {
    const slice = writtenAfter.slice(i, i + batch);
    const values = await Promise.all(slice.map((set) => control.call('GET', set.key)));
    for (let j = 0; j < slice.length; j++) if (values[j] === slice[j].value) leaked++;
  }
  return { checked: writtenAfter.length, leaked };
}

// ---------------------------------------------------------------------------------------------
// Rounds, medians, report
// ---------------------------------------------------------------------------------------------

/** The rows of the report: label, how to read a sample, unit, and which way is better. */
const METRICS = [
  { key: 'saveS', label: 'SAVE (until the reply)', unit: 's', get: (r) => r.saveS, lower: true },
  { key: 'dumpBytes', label: 'dump size', unit: 'bytes', get: (r) => r.dumpBytes, lower: true },
  {
    key: 'bgsaveS',
    label: 'BGSAVE (reply until INFO shows it done)',
    unit: 's',
    get: (r) => r.bgsaveS,
    lower: true,
    target: '≤ 1.5x',
  },
  {
    key: 'bgsaveFileS',
    label: 'BGSAVE (reply until the new dump file is in place)',
    unit: 's',
    get: (r) => r.bgsaveFileS,
    lower: true,
  },
  {
    key: 'duringP50',
    label: 'latency during BGSAVE, p50',
    unit: 'ms',
    get: (r) => r.during.p50,
    lower: true,
  },
  {
    key: 'duringP99',
    label: 'latency during BGSAVE, p99',
    unit: 'ms',
    get: (r) => r.during.p99,
    lower: true,
    target: '< 1 ms',
  },
  {
    key: 'duringMax',
    label: 'latency during BGSAVE, max',
    unit: 'ms',
    get: (r) => r.during.max,
    lower: true,
    target: '< 5 ms',
  },
  {
    key: 'baselineP50',
    label: 'latency without BGSAVE, p50',
    unit: 'ms',
    get: (r) => r.baseline.p50,
    lower: true,
  },
  {
    key: 'baselineP99',
    label: 'latency without BGSAVE, p99',
    unit: 'ms',
    get: (r) => r.baseline.p99,
    lower: true,
  },
  {
    key: 'baselineMax',
    label: 'latency without BGSAVE, max',
    unit: 'ms',
    get: (r) => r.baseline.max,
    lower: true,
  },
  {
    key: 'duringCount',
    label: 'requests served during BGSAVE',
    unit: '',
    get: (r) => r.during.count,
    lower: false,
  },
  {
    key: 'loadedS',
    label: 'load: "DB loaded from disk" (log)',
    unit: 's',
    get: (r) => r.loadedS,
    lower: true,
  },
  {
    key: 'readyS',
    label: 'load: spawn until loading:0 and DBSIZE',
    unit: 's',
    get: (r) => r.readyS,
    lower: true,
  },
  {
    key: 'populateS',
    label: 'DEBUG POPULATE (setup, for reference)',
    unit: 's',
    get: (r) => r.populateS,
    lower: true,
  },
];

function reportBody(rows, samples, options, quiet) {
  const pointInTime = options.servers.map((name) => {
    const runs = samples.get(name).map((r) => r.pointInTime);
    const checked = runs.reduce((total, r) => total + r.checked, 0);
    const leaked = runs.reduce((total, r) => total + r.leaked, 0);
    return `${name} ${leaked} of ${checked}`;
  });
  const forks = options.servers.map(
    (name) =>
      `${name} ${formatValue(median(samples.get(name).map((r) => r.forkUs / 1000)), 'ms')} ms`,
  );
  const header = [
    machineLine(),
    `DEBUG POPULATE ${options.keys} key ${options.valueBytes}; median of ${options.rounds} alternating rounds (the range of the rounds in parentheses); ${quietLine(quiet)}`,
    `Point in time (keys SET after BGSAVE's reply whose new value is in the loaded dump, all rounds): ${pointInTime.join(', ')}. latest_fork_usec (median): ${forks.join(', ')}.`,
    '',
  ];
  return [...header, ...markdownTable(rows, options.servers)].join('\n');
}

export async function runPersistenceBench(argv) {
  const options = parseOptions(argv);
  await runComparison({
    options,
    measureOnce,
    describe: (round, result) =>
      `round ${round + 1} ${result.name}: SAVE ${result.saveS.toFixed(3)} s, dump ${result.dumpBytes} B, ` +
      `BGSAVE ${result.bgsaveS.toFixed(3)} s (file ${result.bgsaveFileS.toFixed(3)} s), ` +
      `latency during p50/p99/max ${result.during.p50.toFixed(3)}/${result.during.p99.toFixed(3)}/${result.during.max.toFixed(3)} ms ` +
      `(${result.during.count} requests), baseline ${result.baseline.p50.toFixed(3)}/${result.baseline.p99.toFixed(3)}/${result.baseline.max.toFixed(3)} ms, ` +
      `loaded ${result.loadedS} s (log), ready ${result.readyS.toFixed(3)} s, ` +
      `point in time ${result.pointInTime.leaked}/${result.pointInTime.checked} leaked`,
    metrics: METRICS,
    reportBody: (rows, samples, quiet) => reportBody(rows, samples, options, quiet),
    npmScript: 'bench:persistence',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runAsScript(runPersistenceBench, process.argv.slice(2));
}
