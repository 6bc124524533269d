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
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeRequest, parseInfo, RespClient } from './resp-client.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPLISIM_BIN = join(root, 'packages/server/bin/replisim-server.js');
const REPLISIM_DIST = join(root, 'packages/server/dist/bin/replisim-server.js');
const READY_TIMEOUT_MS = 15_000;
/** Generous: a slow BGSAVE or load is a result to report, not a reason to give up early. */
const PHASE_TIMEOUT_MS = 600_000;
const POLL_MS = 5;
/** Latency client runs this long before BGSAVE is sent, and the baseline starts this long after. */
const SETTLE_MS = 500;
/** Other processes may use this share of all cores before a round is held back. */
const BUSY_SHARE_MAX = 0.15;
const SERVER_NAMES = ['redis', 'replisim'];

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

function parseOptions(list) {
  const values = {
    rounds: '3',
    keys: '1000000',
    'value-bytes': '100',
    servers: SERVER_NAMES.join(','),
    'quiet-wait': '60',
    out: join(root, 'BENCHMARKS.md'),
    section: 'persistence',
    'replisim-node-args': '',
  };
  let write = true;
  for (let i = 0; i < list.length; i++) {
    const name = list[i].replace(/^--/, '');
    if (name === 'no-write') write = false;
    else if (name in values && i + 1 < list.length) values[name] = list[++i];
    else
      throw new Error(
        `unknown or incomplete option ${list[i]} (see the header of bench/persistence.mjs)`,
      );
  }
  const count = (name) => {
    const value = Number(values[name]);
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  const servers = values.servers.split(',').map((name) => name.trim());
  for (const name of servers) {
    if (!SERVER_NAMES.includes(name)) throw new Error(`--servers: unknown server ${name}`);
  }
  return {
    rounds: count('rounds'),
    keys: count('keys'),
    valueBytes: count('value-bytes'),
    servers,
    quietWaitS: Number(values['quiet-wait']),
    out: values.out,
    section: values.section,
    replisimNodeArgs: values['replisim-node-args'].split(/\s+/).filter(Boolean),
    write,
  };
}

// ---------------------------------------------------------------------------------------------
// Processes: every child and temp dir is tracked and removed however this script ends.
// ---------------------------------------------------------------------------------------------

const children = new Set();
const tempDirs = new Set();

function cleanup() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function installCleanup() {
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping the servers\n`);
      cleanup();
      process.exit(130);
    });
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nowMs = () => performance.now();

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The command line for `name`, serving `dir` on `port`. */
function serverCommand(name, port, dir, options) {
  const common = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
  if (name === 'redis') {
    return {
      command: 'redis-server',
      args: [...common, '--appendonly', 'no', '--enable-debug-command', 'local'],
    };
  }
  return {
    command: process.execPath,
    args: [...options.replisimNodeArgs, REPLISIM_BIN, ...common],
  };
}

/**
 * Spawns a server and collects its log (both servers log to stdout by default). `loadedS` resolves
 * with the seconds of its "DB loaded from disk" line, if one comes.
 */
function spawnServer(name, port, dir, options) {
  const { command, args } = serverCommand(name, port, dir, options);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const server = { name, port, dir, child, log: '', loadedS: undefined };
  const collect = (chunk) => {
    server.log = (server.log + chunk.toString()).slice(-20_000);
    const match = /DB loaded from disk: ([0-9.]+) seconds/.exec(server.log);
    if (match && server.loadedS === undefined) server.loadedS = Number(match[1]);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  server.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(`${name} exited (${signal ?? `code ${code}`})`);
    });
    child.once('error', (error) => {
      children.delete(child);
      resolve(`${name} could not start: ${error.message}`);
    });
  });
  return server;
}

const isRunning = (server) => server.child.exitCode === null && server.child.signalCode === null;

/** Connects as soon as the server accepts, polling every POLL_MS; rejects if it exits. */
async function connectWhenListening(server, timeoutMs = READY_TIMEOUT_MS) {
  const deadline = nowMs() + timeoutMs;
  for (;;) {
    if (!isRunning(server)) throw new Error(`${await server.exited}\n${server.log.slice(-2000)}`);
    try {
      return await RespClient.connect(server.port);
    } catch {
      if (nowMs() > deadline) throw new Error(`${server.name} did not listen on ${server.port}`);
      await sleep(POLL_MS);
    }
  }
}

/** Asks the server to exit without saving; kills it if it has not exited within 10 s. */
async function stopServer(server, client) {
  if (isRunning(server)) {
    client?.call('SHUTDOWN', 'NOSAVE').catch(() => {});
    const exited = await Promise.race([server.exited.then(() => true), sleep(10_000)]);
    if (!exited && isRunning(server)) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }
  client?.close();
}

/** Rejects with `what` timed out, or with the server's exit, whichever comes first. */
async function guarded(server, what, promise, timeoutMs = PHASE_TIMEOUT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${server.name}: ${what} timed out`)), timeoutMs);
  });
  const exited = server.exited.then((message) => {
    throw new Error(`${message} during ${what}\n${server.log.slice(-2000)}`);
  });
  try {
    return await Promise.race([promise, timeout, exited]);
  } finally {
    clearTimeout(timer);
  }
}

function expectReply(server, what, reply, expected) {
  if (reply instanceof Error || (expected !== undefined && reply !== expected)) {
    throw new Error(`${server.name}: ${what} answered ${reply?.message ?? JSON.stringify(reply)}`);
  }
  return reply;
}

// ---------------------------------------------------------------------------------------------
// Machine quiet
// ---------------------------------------------------------------------------------------------

function machineTimes() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const values = fields.map(Number);
  return { idle: values[3] + values[4], total: values.slice(0, 8).reduce((a, b) => a + b, 0) };
}

async function busyShare(ms) {
  if (!existsSync('/proc/stat')) return 0;
  const before = machineTimes();
  await sleep(ms);
  const after = machineTimes();
  const total = after.total - before.total;
  return total > 0 ? 1 - (after.idle - before.idle) / total : 0;
}

/** Waits until other processes leave the machine idle; false if that never happened in time. */
async function waitForQuiet(quietWaitS) {
  const deadline = nowMs() + quietWaitS * 1000;
  let reported = false;
  for (;;) {
    const busy = await busyShare(500);
    if (busy <= BUSY_SHARE_MAX) return true;
    if (nowMs() >= deadline) return false;
    if (!reported) {
      process.stderr.write(`  (machine ${Math.round(busy * 100)}% busy: waiting)\n`);
      reported = true;
    }
    await sleep(1000);
  }
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

function percentiles(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return {
    count: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
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
  const dir = mkdtempSync(join(tmpdir(), `replisim-bench-persistence-${name}-`));
  tempDirs.add(dir);
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
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

async function waitForPong(client) {
  for (;;) {
    const reply = await client.call('PING');
    if (reply === 'PONG') return;
    await sleep(POLL_MS);
  }
}

async function waitFor(predicate, timeoutMs) {
  const deadline = nowMs() + timeoutMs;
  while (!predicate()) {
    if (nowMs() > deadline) throw new Error('timed out');
    await sleep(POLL_MS);
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

function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

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

function formatValue(value, unit) {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'bytes' || unit === '') return Math.round(value).toLocaleString('en-US');
  if (unit === 'ms') return value.toFixed(3);
  return value.toFixed(3);
}

/** The median, then the range of the rounds when they differ: `1.305 (1.104-1.508)`. */
function cellText(cell, unit) {
  const runs = cell.runs.filter((v) => Number.isFinite(v));
  const median = formatValue(cell.median, unit);
  if (runs.length < 2) return median;
  const low = formatValue(Math.min(...runs), unit);
  const high = formatValue(Math.max(...runs), unit);
  return low === high ? median : `${median} (${low}-${high})`;
}

function summarize(samples, options) {
  const rows = [];
  for (const metric of METRICS) {
    const cells = {};
    for (const name of options.servers) {
      const runs = samples.get(name).map(metric.get);
      cells[name] = { median: median(runs), runs };
    }
    rows.push({ metric, cells });
  }
  return rows;
}

function ratioText(row) {
  const redis = row.cells.redis?.median;
  const replisim = row.cells.replisim?.median;
  if (!Number.isFinite(redis) || !Number.isFinite(replisim) || redis === 0) return 'n/a';
  return `${(replisim / redis).toFixed(2)}x`;
}

function printTable(rows, options) {
  const lines = [];
  for (const row of rows) {
    const cells = options.servers
      .map((name) => `${name} ${formatValue(row.cells[name].median, row.metric.unit)}`)
      .join(', ');
    lines.push(
      `${row.metric.label} (${row.metric.unit || 'count'}): ${cells}, ratio ${ratioText(row)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function redisVersion() {
  try {
    return execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(
      /v=([0-9.]+)/,
    )?.[1];
  } catch {
    return undefined;
  }
}

function replaceBetween(text, name, body) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${body}\n${end}`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start >= 0 && stop > start)
    return text.slice(0, start) + block + text.slice(stop + end.length);
  return `${text.trimEnd()}\n\n${block}\n`;
}

function reportBody(rows, samples, options, quiet) {
  const both = options.servers.length === 2;
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
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, redis-server ${redisVersion() ?? '?'}.`,
    `DEBUG POPULATE ${options.keys} key ${options.valueBytes}; median of ${options.rounds} alternating rounds (the range of the rounds in parentheses); ${quiet.underLoad} of ${quiet.total} rounds started while other processes kept the machine more than ${Math.round(BUSY_SHARE_MAX * 100)}% busy.`,
    `Point in time (keys SET after BGSAVE's reply whose new value is in the loaded dump, all rounds): ${pointInTime.join(', ')}. latest_fork_usec (median): ${forks.join(', ')}.`,
    '',
  ];
  const columns = options.servers.map((name) => (name === 'redis' ? 'redis-server' : 'replisim'));
  const table = [
    `| measurement | ${columns.join(' | ')} |${both ? ' replisim / redis | target |' : ''}`,
    `|---|${options.servers.map(() => '---:').join('|')}|${both ? '---:|---|' : ''}`,
    ...rows.map((row) => {
      const unit = row.metric.unit ? ` (${row.metric.unit})` : '';
      const cells = options.servers.map((name) => cellText(row.cells[name], row.metric.unit));
      const better = row.metric.lower ? 'lower is better' : 'higher is better';
      const extra = both ? ` **${ratioText(row)}** (${better}) | ${row.metric.target ?? ''} |` : '';
      return `| ${row.metric.label}${unit} | ${cells.join(' | ')} |${extra}`;
    }),
  ];
  return [...header, ...table].join('\n');
}

export async function runPersistenceBench(argv) {
  const options = parseOptions(argv);
  if (options.servers.includes('replisim') && !existsSync(REPLISIM_DIST)) {
    throw new Error(
      `${REPLISIM_DIST} is missing: build first (npx tsc -b, or npm run bench:persistence)`,
    );
  }
  installCleanup();
  process.stdout.write(
    `load average before the run: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}\n`,
  );
  const samples = new Map(options.servers.map((name) => [name, []]));
  const quiet = { underLoad: 0, total: 0 };
  for (let round = 0; round < options.rounds; round++) {
    // Alternate which server goes first so a warming or cooling machine favours neither.
    const order = round % 2 === 0 ? options.servers : [...options.servers].reverse();
    for (const name of order) {
      quiet.total++;
      if (!(await waitForQuiet(options.quietWaitS))) quiet.underLoad++;
      const result = await measureOnce(name, options);
      samples.get(name).push(result);
      process.stdout.write(
        `round ${round + 1} ${name}: SAVE ${result.saveS.toFixed(3)} s, dump ${result.dumpBytes} B, ` +
          `BGSAVE ${result.bgsaveS.toFixed(3)} s (file ${result.bgsaveFileS.toFixed(3)} s), ` +
          `latency during p50/p99/max ${result.during.p50.toFixed(3)}/${result.during.p99.toFixed(3)}/${result.during.max.toFixed(3)} ms ` +
          `(${result.during.count} requests), baseline ${result.baseline.p50.toFixed(3)}/${result.baseline.p99.toFixed(3)}/${result.baseline.max.toFixed(3)} ms, ` +
          `loaded ${result.loadedS} s (log), ready ${result.readyS.toFixed(3)} s, ` +
          `point in time ${result.pointInTime.leaked}/${result.pointInTime.checked} leaked\n`,
      );
    }
  }
  const rows = summarize(samples, options);
  printTable(rows, options);
  if (options.write) {
    let text;
    try {
      text = readFileSync(options.out, 'utf8');
    } catch {
      text = '# Benchmarks\n';
    }
    writeFileSync(
      options.out,
      replaceBetween(text, options.section, reportBody(rows, samples, options, quiet)),
    );
    process.stdout.write(`wrote ${options.out}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runPersistenceBench(process.argv.slice(2)).then(
    () => {
      cleanup();
    },
    (error) => {
      process.stderr.write(`bench: ${error.message}\n`);
      cleanup();
      process.exit(1);
    },
  );
}
