/**
 * Where `replisim run <x>` finds its scenario: a registered name, a scenario file (.yaml/.yml,
 * interpreted by scenario-file/), an ES module exporting a Scenario (.js/.mjs: the default export
 * or `scenario`), or a chaos case (.json). File reading lives here, in the CLI, outside the fence.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseChaosCase } from '../properties/chaos-case.js';
import { chaosScenario } from '../properties/chaos-scenario.js';
import type { Scenario } from '../run/scenario.js';
import { scenarioOfText } from '../scenario-file/index.js';

const YAML_FILE = /\.ya?ml$/;
const MODULE_FILE = /\.(m?js)$/;

/** The scenario a YAML file describes; throws ScenarioFileError (file:line) on a mistake. */
export function scenarioOfYamlFile(path: string): Scenario {
  return scenarioOfText(readFileSync(path, 'utf8'), path);
}

/** Every `*.yaml` scenario in `dir`, sorted by file name. */
export function loadStoryDir(dir: string | URL): Scenario[] {
  const base = typeof dir === 'string' ? dir : dir.pathname;
  return readdirSync(base)
    .filter((name) => YAML_FILE.test(name))
    .sort()
    .map((name) => scenarioOfYamlFile(resolve(base, name)));
}

function isScenario(value: unknown): value is Scenario {
  const v = value as Partial<Scenario> | undefined;
  return typeof v?.name === 'string' && typeof v.run === 'function';
}

/** A registered scenario by name, or one loaded from the file `name`; undefined if neither. */
export async function findScenario(
  name: string,
  scenarios: readonly Scenario[],
): Promise<Scenario | undefined> {
  const registered = scenarios.find((entry) => entry.name === name);
  if (registered !== undefined) return registered;
  if (YAML_FILE.test(name)) return scenarioOfYamlFile(name);
  if (MODULE_FILE.test(name)) {
    const module = (await import(pathToFileURL(resolve(name)).href)) as Record<string, unknown>;
    const found = [module['default'], module['scenario']].find(isScenario);
    if (found === undefined) {
      throw new Error(
        `${name} exports no scenario: export default defineScenario({...}) or export const scenario`,
      );
    }
    return found;
  }
  if (name.endsWith('.json')) {
    return chaosScenario(parseChaosCase(JSON.parse(readFileSync(name, 'utf8')), name), name);
  }
  return undefined;
}

/**
 * `findScenario` for a command: the scenario, or undefined after telling the user why (a file
 * error, or no such name), so `run` and `step` answer alike.
 */
export async function scenarioOrReport(
  name: string,
  scenarios: readonly Scenario[],
  err: (text: string) => void,
): Promise<Scenario | undefined> {
  let scenario: Scenario | undefined;
  try {
    scenario = await findScenario(name, scenarios);
  } catch (error) {
    err(`${(error as Error).message}\n`);
    return undefined;
  }
  if (scenario === undefined) err(`no scenario named ${name}; \`replisim list\` shows them\n`);
  return scenario;
}
