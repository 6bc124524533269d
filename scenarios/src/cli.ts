/** The `replisim` binary's body: the harness CLI over this package's scenarios. */
import { main } from '@replisim/harness/cli';
import { FLAGSHIP_SCENARIO, SCENARIOS } from './index.js';

export function runCli(argv: readonly string[]): Promise<number> {
  return main(argv, SCENARIOS, FLAGSHIP_SCENARIO);
}
