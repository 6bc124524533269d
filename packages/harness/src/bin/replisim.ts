/**
 * The `replisim` command: runs a scenario in the simulator and prints its timeline and verdict.
 *
 *   replisim list
 *   replisim run <scenario> [--seed N]
 *
 * Exit status: 0 when the verdict is PASS, 1 when it is FAIL, 2 for a usage error. The seed makes a
 * run exactly repeatable; the last line says how to replay it.
 */
import { FLAGSHIP_SCENARIO, findScenario, SCENARIOS } from '../scenarios/index.js';

const USAGE = [
  'Usage:',
  '  replisim list                         the scenarios',
  `  replisim run [scenario] [--seed N]    run one (default ${FLAGSHIP_SCENARIO}, seed 1)`,
].join('\n');

export function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  if (command === 'list') {
    for (const entry of SCENARIOS)
      process.stdout.write(`${entry.name.padEnd(24)} ${entry.summary}\n`);
    return 0;
  }
  if (command !== 'run') {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  let name = FLAGSHIP_SCENARIO;
  let seed = 1;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] ?? '';
    if (word === '--seed') {
      seed = Number(rest[++i]);
      if (!Number.isSafeInteger(seed)) {
        process.stderr.write(`--seed needs an integer\n${USAGE}\n`);
        return 2;
      }
    } else if (!word.startsWith('-')) {
      name = word;
    } else {
      process.stderr.write(`unknown option ${word}\n${USAGE}\n`);
      return 2;
    }
  }
  const entry = findScenario(name);
  if (entry === undefined) {
    process.stderr.write(`no scenario named ${name}; \`replisim list\` shows them\n`);
    return 2;
  }
  process.stdout.write(
    `replisim · ${entry.name} · seed ${seed} · simulated time, deterministic\n\n${entry.story}\n\n`,
  );
  const result = entry.run(seed);
  process.stdout.write(`Timeline\n${result.timeline.render()}\n\nVerdict\n`);
  for (const line of result.verdict) process.stdout.write(`  ${line}\n`);
  process.stdout.write(`\nReplay exactly: npx replisim run ${entry.name} --seed ${seed}\n`);
  return result.passed ? 0 : 1;
}
