/**
 * The `replisim` command line.
 *
 *   replisim list [--json]
 *   replisim run [scenario] [--seed N] [--set name=value]... [--out DIR] [--verbose] [--json]
 *   replisim report <run-dir>
 *                [--backend sim|process|container] [--server replisim|redis] [--server-path PATH]
 *
 * `--backend process` runs every node as a real process (backends/process/); Ctrl-C stops and
 * removes every process, proxy and temporary dir before the command exits (status 130).
 * `--backend container` runs every node as a Docker container (backends/container/); without a
 * Docker engine it exits 2 with the reason in one line, before testcontainers is even loaded.
 *
 * Every run prints its seed and options first and ends with the one line that replays it. Exit
 * status: 0 the verdict held, 1 violated, 2 undecided or a usage error. Arguments are parsed by
 * node's util.parseArgs, so `--seed=3` and `-h` work as users expect.
 */
import { parseArgs } from 'node:util';
import { ContainerBackend } from '../backends/container/container-backend.js';
import { probeContainerEngine } from '../backends/container/engine-probe.js';
import { ProcessBackend, type ServerKind } from '../backends/process/process-backend.js';
import type { Finding } from '../checkers/finding.js';
import type { Backend } from '../cluster/backend.js';
import { type RunResult, runScenario } from '../run/run-scenario.js';
import type { Scenario } from '../run/scenario.js';
import { renderTimeline } from '../run/timeline.js';
import { CHAOS_USAGE, chaosMain } from './chaos.js';
import { REPLAY_USAGE, replayMain } from './replay.js';
import { readRunFolder, writeReport } from './report-file.js';
import { summaryOf, writeRunFolder } from './run-folder.js';
import { scenarioOrReport } from './scenario-source.js';
import { STEP_USAGE, stepMain } from './step.js';

/** Permitted losses listed in the terminal verdict; the rest are counted. */
const PERMITTED_SHOWN = 5;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const STDIO: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const USAGE = `Usage:
  replisim list [--json]                  the scenarios
  replisim run [scenario] [options]       run one in the simulator (default: the flagship);
                                          a scenario may also be a chaos case file (case.json)
  replisim step [scenario] [options]      the teaching mode: one event at a time (step --help)
  replisim replay <run-dir>               run a recorded run again; check its trace hash
  replisim chaos [options]                property-based chaos over many seeds (chaos --help)
  replisim report <run-dir>               rebuild <run-dir>/report.html from the run's JSON files

A scenario is a name from \`replisim list\`, a scenario file (./my.yaml, see docs/scenarios.md),
an ES module exporting a Scenario (./my.js: default export or \`scenario\`), or a chaos case.json.

Options of run:
  --seed N            the seed (a non-negative integer; default 1): the same seed replays exactly
  --set name=value    override a scenario parameter (repeatable)
  --out DIR           write history.jsonl, events.jsonl, summary.json, node logs and report.html to DIR
  --verbose           every node event on the timeline, and every node's log lines after it
  --json              print the summary as JSON instead of the timeline
  --backend B         sim (default: virtual time, deterministic), process (real OS processes on
                      loopback behind fault proxies) or container (Docker, via testcontainers)
  --server S          with process or container: replisim (default) or redis (redis-server 7.0)
  --server-path PATH  with process: the server executable (default: redis-server from PATH, or
                      this repository's replisim-server)
  -h, --help          this text

Exit status: 0 held, 1 violated, 2 undecided (a wait ran out, a crash) or a usage error.

${STEP_USAGE}

${REPLAY_USAGE}

${CHAOS_USAGE}`;

export async function main(
  argv: readonly string[],
  scenarios: readonly Scenario[],
  flagship: string,
  io: CliIo = STDIO,
): Promise<number> {
  if (argv[0] === 'chaos') return chaosMain(argv.slice(1), io);
  if (argv[0] === 'step') return stepMain(argv.slice(1), scenarios, flagship, io);
  if (argv[0] === 'replay') return replayMain(argv.slice(1), scenarios, io);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help === true || command === undefined || command === 'help') {
    io.out(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  if (command === 'list') {
    if (values.json === true) {
      io.out(
        `${JSON.stringify(
          scenarios.map(({ name, summary, params }) => ({ name, summary, params: params ?? {} })),
          null,
          2,
        )}\n`,
      );
    } else {
      for (const scenario of scenarios) io.out(`${scenario.name.padEnd(26)} ${scenario.summary}\n`);
    }
    return 0;
  }
  if (command === 'report') return reportCommand(rest, io);
  if (command !== 'run') {
    io.err(`unknown command ${command}\n\n${USAGE}`);
    return 2;
  }
  const name = rest[0] ?? flagship;
  const scenario = await scenarioOrReport(name, scenarios, io.err);
  if (scenario === undefined) return 2;
  const seedText = values.seed ?? '1';
  if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText))) {
    io.err(`--seed needs a non-negative integer, not ${seedText}\n`);
    return 2;
  }
  const seed = Number(seedText);
  const params: Record<string, string> = {};
  for (const pair of values.set ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      io.err(`--set needs name=value, not ${pair}\n`);
      return 2;
    }
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const backendName = values.backend ?? 'sim';
  const server = values.server ?? 'replisim';
  if (backendName !== 'sim' && backendName !== 'process' && backendName !== 'container') {
    io.err(`--backend must be sim, process or container, not ${backendName}\n`);
    return 2;
  }
  if (server !== 'replisim' && server !== 'redis') {
    io.err(`--server must be replisim or redis, not ${server}\n`);
    return 2;
  }
  if (
    backendName === 'sim' &&
    (values.server !== undefined || values['server-path'] !== undefined)
  ) {
    io.err('--server and --server-path need --backend process or container\n');
    return 2;
  }
  if (backendName === 'container') {
    const engine = probeContainerEngine();
    if (!engine.ok) {
      io.err(`the container backend needs a Docker engine: ${engine.reason}\n`);
      return 2;
    }
    if (values['server-path'] !== undefined) {
      io.err('--server-path needs --backend process (containers run their image)\n');
      return 2;
    }
  }
  const backendArgs =
    backendName === 'sim'
      ? []
      : [
          '--backend',
          backendName,
          '--server',
          server,
          ...(values['server-path'] === undefined ? [] : ['--server-path', values['server-path']]),
        ];
  // A scenario from a file replays from that file.
  const registered = scenarios.includes(scenario);
  const replay = replayCommand(registered ? scenario.name : name, seed, params, backendArgs);
  const backend: Backend | undefined =
    backendName === 'process'
      ? new ProcessBackend({
          seed,
          server: server as ServerKind,
          ...(values['server-path'] === undefined ? {} : { serverPath: values['server-path'] }),
        })
      : backendName === 'container'
        ? new ContainerBackend({ seed, server: server as ServerKind })
        : undefined;
  if (values.json !== true) {
    const shown = Object.entries({ ...(scenario.params ?? {}), ...params })
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    io.out(
      `replisim · ${scenario.name} · seed ${seed} · ${describeBackend(backendName, server)}${shown === '' ? '' : ` · ${shown}`}\n\n${scenario.story}\n\n`,
    );
  }
  let result: RunResult;
  // Ctrl-C during a real run: stop every process or container, proxy and dir, then exit 130.
  const onInterrupt = (): void => {
    io.err(
      `\ninterrupted: stopping every node ${backendName === 'container' ? 'container' : 'process'}\n`,
    );
    void (backend?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  if (backend !== undefined) process.once('SIGINT', onInterrupt);
  try {
    result = await runScenario(scenario, {
      seed,
      params,
      ...(backend === undefined ? {} : { backend }),
    });
  } catch (error) {
    await backend?.close();
    io.err(`${(error as Error).message}\n`);
    return 2;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  if (values.out !== undefined) writeRunFolder(values.out, result, replay);
  if (values.json === true) {
    io.out(`${JSON.stringify(summaryOf(result, replay), null, 2)}\n`);
    return result.exitCode;
  }
  io.out(`Timeline\n${renderTimeline(result.events, values.verbose === true)}\n\n`);
  if (values.verbose === true) {
    // Every line each node logged (all incarnations), in Redis's own format and timestamps.
    for (const [node, lines] of Object.entries(result.nodeLogs)) {
      io.out(`Log of ${node}\n${lines.map((line) => `  ${line}`).join('\n')}\n\n`);
    }
  }
  io.out(renderVerdict(result));
  io.out(`\n${backend === undefined ? 'Replay exactly' : 'Run again'}: ${replay}\n`);
  if (values.out !== undefined)
    io.out(
      `Run folder: ${values.out} (history.jsonl, events.jsonl, summary.json, logs/, report.html)\n`,
    );
  return result.exitCode;
}

/** `replisim report <run-dir>`: rebuilds report.html from the folder's JSON files. */
function reportCommand(rest: readonly string[], io: CliIo): number {
  const [dir, extra] = rest;
  if (dir === undefined || extra !== undefined) {
    io.err(`replisim report needs exactly one run folder\n\n${USAGE}`);
    return 2;
  }
  try {
    const path = writeReport(dir, readRunFolder(dir));
    io.out(`Report: ${path}\n`);
    return 0;
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 2;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      seed: { type: 'string' },
      set: { type: 'string', multiple: true },
      out: { type: 'string' },
      verbose: { type: 'boolean' },
      backend: { type: 'string' },
      server: { type: 'string' },
      'server-path': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export function replayCommand(
  name: string,
  seed: number,
  params: Readonly<Record<string, string>>,
  backendArgs: readonly string[] = [],
): string {
  const sets = Object.entries(params)
    .map(([k, v]) => ` --set ${k}=${v}`)
    .join('');
  const backend = backendArgs.map((arg) => ` ${arg}`).join('');
  return `npx replisim run ${name} --seed ${seed}${sets}${backend}`;
}

function describeBackend(backend: string, server: string): string {
  if (backend === 'sim') return 'sim backend (virtual time, deterministic)';
  const binary = server === 'redis' ? 'redis-server' : 'replisim-server';
  if (backend === 'container')
    return `container backend (${binary} in Docker containers, links through Toxiproxy, real time: a run does not replay exactly)`;
  return `process backend (real ${binary} processes on loopback, real time: a run does not replay exactly)`;
}

/** The verdict block: the scenario's own lines, then the checkers' findings, then the word. */
export function renderVerdict(result: RunResult): string {
  const lines = ['Verdict'];
  for (const expectation of result.expectations)
    lines.push(`  ${expectation.ok ? 'PASS' : 'FAIL'}: ${expectation.line}`);
  const checkers = result.findings;
  if (checkers.length > 0) {
    lines.push('', 'Checkers');
    const permitted = checkers.filter((finding) => finding.severity === 'permitted');
    for (const finding of checkers.filter((f) => f.severity !== 'permitted')) {
      lines.push(`  ${label(finding)} ${finding.checker}: ${finding.text}`);
    }
    for (const finding of permitted.slice(0, PERMITTED_SHOWN)) {
      lines.push(`  ${label(finding)} ${finding.checker}: ${finding.text}`);
    }
    if (permitted.length > PERMITTED_SHOWN) {
      lines.push(
        `  ... and ${permitted.length - PERMITTED_SHOWN} more permitted losses (all in summary.json with --out)`,
      );
    }
  }
  if (result.undecided !== undefined) lines.push('', `  UNDECIDED: ${result.undecided}`);
  lines.push('', `  ${result.verdict.toUpperCase()} (exit ${result.exitCode})`);
  return `${lines.join('\n')}\n`;
}

function label(finding: Finding): string {
  switch (finding.severity) {
    case 'held':
      return 'HELD     ';
    case 'violation':
      return 'VIOLATION';
    case 'permitted':
      return 'LOST (ok)';
    default:
      return 'UNDECIDED';
  }
}
