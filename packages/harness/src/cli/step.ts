/**
 * `replisim step`: the teaching mode. The scenario runs once in the simulator while every node
 * event and every write on a replication link (node to node: PING, REPLCONF, PSYNC, +FULLRESYNC,
 * the `$<len>` or `$EOF:` header, the stream) is captured as a frame, with each node's role,
 * replid, offset, backlog window and BGSAVE state at that instant. The reader then walks the frames:
 * Enter or `n` shows the next, `c` runs on to the next fault or sync, `q` quits. Commands are read
 * line by line from stdin, so a pipe drives it as well as a keyboard (and tests do).
 *
 * Capturing first and presenting after is exact: the run is a pure function of its seed, so the
 * frames are what a paused simulation would show. The wire observer draws no randomness, so the
 * run's trace hash is the same as `replisim run`'s.
 */

import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SimBackend } from '../backends/sim/sim-backend.js';
import type { NodeEvent } from '../history/op.js';
import { type RunResult, runScenario } from '../run/run-scenario.js';
import type { Scenario } from '../run/scenario.js';
import type { CliIo } from './main.js';
import { replayCommand } from './main.js';
import { writeRunFolder } from './run-folder.js';
import { scenarioOrReport } from './scenario-source.js';

export const STEP_USAGE = `Usage of step:
  replisim step [scenario] [--seed N] [--set name=value]... [--verbose] [--out DIR]
  The run's folder (history, events, summary, logs, report.html) goes to DIR, by default
  <tmpdir>/replisim-step-<scenario>-seed-<N>.
  Keys (one per line, from the keyboard or a pipe): Enter or n  the next event,
  c  on to the next fault or sync, q  quit. End of input quits.`;

/** Bytes of a wire write shown before the rest is summarised. */
const WIRE_SHOWN_BYTES = 96;
/** Frames that stop a `c`: faults and the sync milestones. */
const STOPS = new Set([
  'crash',
  'kill',
  'restart',
  'shutdown',
  'pause',
  'fault',
  'heal',
  'failover',
  'fullresync',
  'continue',
  'psync',
  'psync-refused',
  'sync-request',
]);
/** Node events worth a frame without --verbose. */
const SHOWN = new Set([
  ...STOPS,
  'note',
  'resume',
  'bgsave-start',
  'bgsave-end',
  'transfer-start',
  'transfer-end',
  'replica-online',
  'link-up',
  'link-down',
  'load',
  'ready',
  'sync-attach',
  'sync-wait',
]);

interface Frame {
  readonly time: number;
  readonly line: string;
  readonly stop: boolean;
  /** The node table at that instant (node events only). */
  readonly states?: string;
}

export async function stepMain(
  argv: readonly string[],
  scenarios: readonly Scenario[],
  flagship: string,
  io: CliIo,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  let values: { seed?: string; set?: string[]; verbose?: boolean; help?: boolean; out?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        seed: { type: 'string' },
        set: { type: 'string', multiple: true },
        verbose: { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${STEP_USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    io.out(`${STEP_USAGE}\n`);
    return 0;
  }
  const seedText = values.seed ?? '1';
  if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText))) {
    io.err(`--seed needs a non-negative integer, not ${seedText}\n`);
    return 2;
  }
  const params: Record<string, string> = {};
  for (const pair of values.set ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      io.err(`--set needs name=value, not ${pair}\n`);
      return 2;
    }
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const name = positionals[0] ?? flagship;
  const scenario = await scenarioOrReport(name, scenarios, io.err);
  if (scenario === undefined) return 2;
  const { frames, result } = await capture(
    scenario,
    Number(seedText),
    params,
    values.verbose === true,
  );
  // Every step leaves its run folder with report.html, like `run --out`.
  const out =
    values.out ?? join(tmpdir(), `replisim-step-${basename(scenario.name)}-seed-${seedText}`);
  writeRunFolder(out, result, replayCommand(name, Number(seedText), params));
  io.out(
    `replisim step · ${scenario.name} · seed ${seedText} · ${frames.length} frames · run folder ${out}\n\n${scenario.story}\n\n${STEP_USAGE}\n\n`,
  );
  return present(frames, io, input);
}

async function capture(
  scenario: Scenario,
  seed: number,
  params: Readonly<Record<string, string>>,
  verbose: boolean,
): Promise<{ readonly frames: Frame[]; readonly result: RunResult }> {
  const backend = new SimBackend({ seed });
  const frames: Frame[] = [];
  const nodeNames = new Set<string>();
  const table = (): string => {
    const rows: string[] = [];
    for (const node of nodeNames) {
      const state = backend.state(node);
      if (state === undefined) {
        rows.push(`    ${node.padEnd(10)} down`);
        continue;
      }
      const backlog =
        state.backlogHistlen === 0
          ? 'none'
          : `[${state.backlogFirst}, ${state.backlogFirst + state.backlogHistlen})`;
      const link = state.role === 'replica' ? ` link ${state.linkUp ? 'up' : 'down'}` : '';
      rows.push(
        `    ${node.padEnd(10)} ${state.role.padEnd(7)} replid ${state.replid.slice(0, 8)} offset ${String(state.offset).padEnd(7)} backlog ${backlog}${link} bgsave ${state.bgsaveInProgress ? 'running' : 'idle'}`,
      );
    }
    return rows.join('\n');
  };
  backend.world.network.setWireObserver((source, target, data) => {
    if (!nodeNames.has(source) || !nodeNames.has(target)) return;
    frames.push({
      time: backend.now(),
      line: `wire ${source} -> ${target}: ${showBytes(data)}`,
      stop: false,
    });
  });
  const onRecord = (record: unknown): void => {
    const event = record as NodeEvent;
    if (!('kind' in event)) return;
    if (event.node !== 'cluster' && event.node !== 'narrator' && event.kind === 'boot') {
      nodeNames.add(event.node);
    }
    if (!verbose && !SHOWN.has(event.kind)) return;
    frames.push({
      time: event.time,
      line: `${event.node}: ${event.kind === 'note' ? '' : `[${event.kind}] `}${event.text}`,
      stop: STOPS.has(event.kind),
      states: table(),
    });
  };
  const result = await runScenario(scenario, { seed, params, backend, onRecord });
  backend.world.network.setWireObserver(undefined);
  return { frames, result };
}

/** RESP as text with \r\n shown, bulk payloads abbreviated. */
export function showBytes(data: Buffer): string {
  const shown = data.subarray(0, WIRE_SHOWN_BYTES);
  let text = '';
  for (const byte of shown) {
    if (byte === 13) text += '\\r';
    else if (byte === 10) text += '\\n';
    else if (byte >= 32 && byte < 127) text += String.fromCharCode(byte);
    else text += '.';
  }
  return data.length > WIRE_SHOWN_BYTES
    ? `${text}... (${data.length} bytes in all)`
    : `${text} (${data.length} bytes)`;
}

async function present(
  frames: readonly Frame[],
  io: CliIo,
  input: NodeJS.ReadableStream,
): Promise<number> {
  const lines = createInterface({ input, terminal: false });
  const iterator = lines[Symbol.asyncIterator]();
  let index = 0;
  const show = (frame: Frame): void => {
    io.out(`${`${(frame.time / 1000).toFixed(3)}s`.padStart(9)}  ${frame.line}\n`);
    if (frame.states !== undefined && frame.stop) io.out(`${frame.states}\n`);
  };
  while (index < frames.length) {
    const frame = frames[index++];
    if (frame === undefined) break;
    show(frame);
    if (frame.states !== undefined && !frame.stop) io.out(`${frame.states}\n`);
    io.out('[Enter/n next, c continue to the next fault or sync, q quit] ');
    const next = await iterator.next();
    const command = next.done === true ? 'q' : next.value.trim().toLowerCase();
    io.out('\n');
    if (command === 'q') {
      lines.close();
      io.out('quit.\n');
      return 0;
    }
    if (command === 'c') {
      while (index < frames.length) {
        const upcoming = frames[index];
        if (upcoming === undefined || upcoming.stop) break;
        show(upcoming);
        index++;
      }
    }
  }
  lines.close();
  io.out('end of the run.\n');
  return 0;
}
