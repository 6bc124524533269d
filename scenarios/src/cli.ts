/** The `replisim` binary's body: the harness CLI over this package's scenarios and story files. */
import { loadStoryDir, main } from '@replisim/harness/cli';
import { FLAGSHIP_SCENARIO, SCENARIOS, STORIES_DIR } from './index.js';

export async function runCli(argv: readonly string[]): Promise<number> {
  let stories: Awaited<ReturnType<typeof loadStoryDir>>;
  try {
    stories = loadStoryDir(STORIES_DIR);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  return main(argv, [...SCENARIOS, ...stories], FLAGSHIP_SCENARIO);
}
