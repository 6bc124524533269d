/**
 * `replisim replay <run-dir>`: runs a recorded run again from its summary.json (scenario, seed,
 * params) and compares the new trace hash with the recorded one. In the simulator a run is a pure
 * function of its seed, so a different hash means nondeterminism (or a changed scenario or node):
 * exit 1 with both hashes. Otherwise the exit status is the run's own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runScenario } from '../run/run-scenario.js';
import type { Scenario } from '../run/scenario.js';
import { renderTimeline } from '../run/timeline.js';
import { type CliIo, renderVerdict } from './main.js';
import type { RunSummary } from './run-folder.js';
import { findScenario } from './scenario-source.js';

export const REPLAY_USAGE = `Usage of replay:
  replisim replay <run-dir> [--verbose] [--json]
  Runs the run recorded in <run-dir> (written by \`replisim run --out <run-dir>\`) again from its
  summary.json and checks that the trace hash is the same. Exit 1 if it differs.`;

export async function replayMain(
  argv: readonly string[],
  scenarios: readonly Scenario[],
  io: CliIo,
): Promise<number> {
  let values: { verbose?: boolean; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        verbose: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${REPLAY_USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    io.out(`${REPLAY_USAGE}\n`);
    return 0;
  }
  const dir = positionals[0];
  if (dir === undefined) {
    io.err(`replay needs a run folder\n\n${REPLAY_USAGE}\n`);
    return 2;
  }
  let summary: RunSummary;
  try {
    summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
  } catch (error) {
    io.err(`${dir}: no readable summary.json (${(error as Error).message})\n`);
    return 2;
  }
  if (summary.backend !== 'sim') {
    io.err(
      `${dir} was run on the ${summary.backend} backend; only simulated runs replay exactly\n`,
    );
    return 2;
  }
  // A scenario from a file is named by its path in the recorded replay command.
  const target = scenarios.some((s) => s.name === summary.scenario)
    ? summary.scenario
    : (summary.replay.split(/\s+/)[3] ?? summary.scenario);
  let scenario: Scenario | undefined;
  try {
    scenario = await findScenario(target, scenarios);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 2;
  }
  if (scenario === undefined) {
    io.err(`the scenario ${target} of ${dir} is not known here; \`replisim list\` shows them\n`);
    return 2;
  }
  const result = await runScenario(scenario, { seed: summary.seed, params: summary.params });
  const same = result.traceHash === summary.traceHash;
  if (values.json === true) {
    io.out(
      `${JSON.stringify(
        {
          scenario: result.scenario,
          seed: result.seed,
          verdict: result.verdict,
          recordedVerdict: summary.verdict,
          traceHash: result.traceHash,
          recordedTraceHash: summary.traceHash,
          same,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.out(`replisim replay · ${dir} · ${result.scenario} · seed ${result.seed}\n\n`);
    io.out(`Timeline\n${renderTimeline(result.events, values.verbose === true)}\n\n`);
    io.out(renderVerdict(result));
    io.out(
      same
        ? `\nSame trace hash as recorded: ${result.traceHash}\n`
        : `\nTRACE HASH DIFFERS: recorded ${summary.traceHash}, now ${result.traceHash} (nondeterminism, or the scenario or node changed)\n`,
    );
  }
  return same ? result.exitCode : 1;
}
