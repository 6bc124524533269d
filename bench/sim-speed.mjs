#!/usr/bin/env node
// Simulator speed: simulated seconds per wall second for the flagship scenario, as one fresh CLI
// run (process start included) and as many seeds in one warm process. Prints a Markdown table,
// with the warm run's CPU time too (on a shared machine it moves much less than wall time).
//   node bench/sim-speed.mjs [seeds]      (default 20)
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { runScenario } from '@replisim/harness';
import { replicaPartition } from '@replisim/scenarios';

const seeds = Number(process.argv[2] ?? '20');
const started = process.hrtime.bigint();
execFileSync(
  'node',
  ['scenarios/bin/replisim.js', 'run', 'replica-partition', '--seed', '1', '--json'],
  { stdio: 'pipe' },
);
const freshWallS = Number(process.hrtime.bigint() - started) / 1e9;
const first = await runScenario(replicaPartition, { seed: 1 });
const freshRatio = first.durationMs / 1000 / freshWallS;
let simulatedMs = 0;
const warmStart = process.hrtime.bigint();
const warmCpu = process.cpuUsage();
for (let seed = 1; seed <= seeds; seed++)
  simulatedMs += (await runScenario(replicaPartition, { seed })).durationMs;
const warmWallS = Number(process.hrtime.bigint() - warmStart) / 1e9;
const { user, system } = process.cpuUsage(warmCpu);
const warmCpuS = (user + system) / 1e6;
console.log('| measure | simulated s | wall s | simulated s per wall s |');
console.log('|---|---|---|---|');
console.log(
  `| replica-partition, one fresh CLI run (seed 1) | ${(first.durationMs / 1000).toFixed(1)} | ${freshWallS.toFixed(2)} | ${freshRatio.toFixed(0)}x |`,
);
console.log(
  `| replica-partition, ${seeds} seeds in one process | ${(simulatedMs / 1000).toFixed(0)} | ${warmWallS.toFixed(2)} | ${(simulatedMs / 1000 / warmWallS).toFixed(0)}x |`,
);
console.log(
  `\nWarm CPU time: ${warmCpuS.toFixed(2)} s, ${(simulatedMs / 1000 / warmCpuS).toFixed(0)} simulated s per CPU s; load average ${os.loadavg()[0].toFixed(1)}.`,
);
