/**
 * Scenario files: the YAML format (schema.ts), its parser with file:line errors (load.ts) and its
 * interpreter to a Scenario (interpret.ts). Reading files from disk is the CLI's job
 * (cli/scenario-source.ts); this module works on text, so it stays inside the determinism fence.
 */
import type { Scenario } from '../run/scenario.js';
import { scenarioOfFile } from './interpret.js';
import { parseScenarioText } from './load.js';

export { scenarioOfFile } from './interpret.js';
export { parseScenarioText, ScenarioFileError } from './load.js';
export type { ScenarioFile } from './schema.js';
export { parseTimeMs } from './values.js';

/** A Scenario from a scenario file's text; throws ScenarioFileError naming `file` and the line. */
export function scenarioOfText(text: string, file: string): Scenario {
  return scenarioOfFile(parseScenarioText(text, file));
}
