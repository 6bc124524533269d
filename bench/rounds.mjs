/**
 * How the same-run comparisons (bench/persistence.mjs, bench/replication.mjs) schedule their work:
 * command-line options, waiting for a quiet machine, and rounds that alternate which server goes
 * first. The machine has 2 cores shared with other engineers' tests; a round started while they run
 * measures them too, so every round first waits for the machine to be quiet and the report says how
 * many rounds had to start anyway. runComparison() is the whole run: check the build, rounds, report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { printTable, summarize, writeSection } from './report.mjs';
import { installCleanup, nowMs, REPLISIM_DIST, root, SERVER_NAMES, sleep } from './servers.mjs';

/** Other processes may use this share of all cores before a round is held back. */
export const BUSY_SHARE_MAX = 0.15;

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/**
 * Reads `--name value` pairs and the `--no-write` flag over the defaults every comparison shares and
 * its own `extraDefaults`. Returns the shared options parsed (`options`) and every value as given
 * (`values`, for the caller's own options). `script` names the file whose header lists the options.
 */
export function readComparisonOptions(list, { section, script, extraDefaults }) {
  const values = {
    rounds: '3',
    keys: '1000000',
    'value-bytes': '100',
    servers: SERVER_NAMES.join(','),
    'quiet-wait': '60',
    out: join(root, 'BENCHMARKS.md'),
    section,
    'replisim-node-args': '',
    'quiet-until': '',
    ...extraDefaults,
  };
  let write = true;
  for (let i = 0; i < list.length; i++) {
    const name = list[i].replace(/^--/, '');
    if (name === 'no-write') write = false;
    else if (name in values && i + 1 < list.length) values[name] = list[++i];
    else throw new Error(`unknown or incomplete option ${list[i]} (see the header of ${script})`);
  }
  const servers = values.servers.split(',').map((name) => name.trim());
  for (const name of servers) {
    if (!SERVER_NAMES.includes(name)) throw new Error(`--servers: unknown server ${name}`);
  }
  const options = {
    rounds: positiveInteger(values, 'rounds'),
    keys: positiveInteger(values, 'keys'),
    valueBytes: positiveInteger(values, 'value-bytes'),
    servers,
    quietWaitS: Number(values['quiet-wait']),
    quietUntilMs: quietUntil(values['quiet-until']),
    out: values.out,
    section: values.section,
    replisimNodeArgs: values['replisim-node-args'].split(/\s+/).filter(Boolean),
    write,
  };
  return { options, values };
}

/**
 * `--quiet-until 20:20` (UTC, today): wait for a quiet machine until then instead of --quiet-wait
 * seconds per round, for a run that must end by a deadline while other people still use the
 * machine. Undefined when not given.
 */
function quietUntil(text) {
  if (text === '') return undefined;
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (match === null) throw new Error('--quiet-until must be HH:MM (UTC)');
  const until = new Date();
  until.setUTCHours(Number(match[1]), Number(match[2]), 0, 0);
  return until.getTime();
}

export function positiveInteger(values, name) {
  const value = Number(values[name]);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`--${name} must be a positive integer`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Machine quiet
// ---------------------------------------------------------------------------------------------

function machineTimes() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const values = fields.map(Number);
  return { idle: values[3] + values[4], total: values.slice(0, 8).reduce((a, b) => a + b, 0) };
}

/** The share of all cores busy over `ms`, or 0 where /proc/stat does not exist. */
export async function busyShare(ms) {
  if (!existsSync('/proc/stat')) return 0;
  const before = machineTimes();
  await sleep(ms);
  const after = machineTimes();
  const total = after.total - before.total;
  return total > 0 ? 1 - (after.idle - before.idle) / total : 0;
}

/** Waits until other processes leave the machine idle; false if that never happened in time. */
export async function waitForQuiet(quietWaitS) {
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
// Rounds
// ---------------------------------------------------------------------------------------------

/**
 * Runs `measureOnce(name, options)` for every server in every round, alternating which server goes
 * first so a warming or cooling machine favours neither, each after waiting for a quiet machine.
 * `describe(round, result)` prints a line per measurement. Returns the results per server and how
 * many rounds started while the machine was busy.
 */
export async function runRounds(options, measureOnce, describe) {
  const samples = new Map(options.servers.map((name) => [name, []]));
  const quiet = { underLoad: 0, total: 0 };
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? options.servers : [...options.servers].reverse();
    for (const name of order) {
      quiet.total++;
      const waitS =
        options.quietUntilMs === undefined
          ? options.quietWaitS
          : Math.max(0, (options.quietUntilMs - Date.now()) / 1000);
      if (!(await waitForQuiet(waitS))) quiet.underLoad++;
      const result = await measureOnce(name, options, round);
      samples.get(name).push(result);
      process.stdout.write(`${describe(round, result)}\n`);
    }
  }
  return { samples, quiet };
}

export function quietLine(quiet) {
  return `${quiet.underLoad} of ${quiet.total} rounds started while other processes kept the machine more than ${Math.round(BUSY_SHARE_MAX * 100)}% busy.`;
}

/**
 * A whole comparison: checks that replisim is built, runs the rounds, prints the table and writes
 * the section. `bench` holds the options, `measureOnce(name, options, round)`,
 * `describe(round, result)` (the line printed per measurement), the `metrics` of the table,
 * `reportBody(rows, samples, quiet)` (the section's text), `npmScript` (for the build hint) and
 * optionally `beforeWrite()`, which may throw to keep a run that went wrong out of the file.
 */
export async function runComparison(bench) {
  const { options } = bench;
  if (options.servers.includes('replisim') && !existsSync(REPLISIM_DIST)) {
    throw new Error(
      `${REPLISIM_DIST} is missing: build first (npx tsc -b, or npm run ${bench.npmScript})`,
    );
  }
  installCleanup();
  process.stdout.write(
    `load average before the run: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}\n`,
  );
  const { samples, quiet } = await runRounds(options, bench.measureOnce, bench.describe);
  const rows = summarize(samples, bench.metrics, options.servers);
  printTable(rows, options.servers);
  if (options.write) {
    bench.beforeWrite?.();
    writeSection(options.out, options.section, bench.reportBody(rows, samples, quiet));
  }
  return samples;
}
