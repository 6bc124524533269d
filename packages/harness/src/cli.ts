/**
 * The `replisim` command's entry, separate from the library index so that loading the harness as a
 * library never loads the CLI (and its node:fs use). `@replisim/harness/cli`.
 */
export { type CliIo, main, renderVerdict, replayCommand } from './cli/main.js';
export { REPORT_FILE, readRunFolder, writeReport } from './cli/report-file.js';
export { type RunSummary, summaryOf, writeRunFolder } from './cli/run-folder.js';
export { findScenario, loadStoryDir, scenarioOfYamlFile } from './cli/scenario-source.js';
export { showBytes, stepMain } from './cli/step.js';
