/**
 * The book's log processing (Redis in Action, Listing 4.2): a process reads a log file line by
 * line and, every N lines, records its progress (which line it reached) and its aggregates (counts
 * per country) in one MULTI/EXEC. Snapshots (a `save 1 1` rule) capture both together, because a
 * transaction is applied at once and a snapshot is one instant. The machine loses power in the
 * middle; after the restart the process reads its progress from the recovered dataset and resumes
 * from there. Since the progress and the counts it covers always travel together, no line is lost
 * and none is counted twice, however far back the snapshot was.
 */
import { defineScenario, replyText, type Scenario } from '@replisim/harness';
import { drawnParam, numberParam } from './story-helpers.js';

const COUNTRIES = ['de', 'fr', 'jp', 'us', 'br'] as const;
const PROGRESS_KEY = 'progress:access.log';
const STATS_KEY = 'stats:country';

export const logProcessing: Scenario = defineScenario({
  name: 'log-processing',
  summary: "the book's log processing: progress and counts in one MULTI/EXEC survive a crash",
  story: [
    'One node with `save 1 1` (a BGSAVE once more than a second passed since the last one and anything',
    'changed: every 2 s in practice, as in Redis, whose check is strictly greater). A process counts the',
    'lines of a 3,000-line access log per country; every 10 lines it sends one MULTI/EXEC with the',
    "counts' increments and its new position. The power goes at a line drawn from the seed. After the",
    'restart the node holds the last snapshot: a position and exactly the counts up to it. The',
    'process resumes from that position, and at the end every line is counted exactly once.',
  ].join('\n'),
  params: { lines: '3000', batch: '10', 'crash-at-line': '600..2400' },
  async run({ cluster, random, params, narrate, expect }) {
    const lines = numberParam(params, 'lines');
    const batch = numberParam(params, 'batch');
    const crashAt = Number(drawnParam(params, 'crash-at-line', random.fork()));
    const log = Array.from(
      { length: lines },
      () => COUNTRIES[random.int(COUNTRIES.length)] ?? 'de',
    );
    const expected = new Map<string, number>();
    for (const country of log) expected.set(country, (expected.get(country) ?? 0) + 1);

    cluster.node({ name: 'node1', options: ['--save', '1 1'] });
    await cluster.start();
    narrate('process', `counts ${lines} log lines per country, ${batch} lines per MULTI/EXEC`);

    /** Processes lines from `from` until the end or `stopAt`; returns the next line to process. */
    const processLines = async (from: number, stopAt: number): Promise<number> => {
      const client = await cluster.client('node1');
      let line = from;
      while (line < lines && line < stopAt) {
        const end = Math.min(lines, line + batch);
        await cluster.request(client, ['MULTI']);
        for (let i = line; i < end; i++) {
          await cluster.request(client, ['HINCRBY', STATS_KEY, log[i] ?? 'de', '1']);
        }
        await cluster.request(client, ['SET', PROGRESS_KEY, String(end)]);
        const exec = await cluster.request(client, ['EXEC']);
        if (exec?.kind !== 'array') throw new Error(`EXEC failed at line ${line}`);
        line = end;
      }
      client.close();
      return line;
    };

    const reached = await processLines(0, crashAt);
    cluster.crash('node1');
    narrate('faults', `power loss after line ${reached}`);
    await cluster.restart('node1');
    const progress = Number(replyText(await cluster.call('node1', ['GET', PROGRESS_KEY])) ?? '0');
    narrate(
      'process',
      `restarts and reads its progress: line ${progress} (the last snapshot; ${reached - progress} lines to redo)`,
    );
    expect(
      progress <= reached && progress % batch === 0,
      `the recovered progress (${progress}) is a batch boundary at or before the crash (${reached})`,
    );
    const done = await processLines(progress, Number.POSITIVE_INFINITY);
    const stats = await cluster.call('node1', ['HGETALL', STATS_KEY]);
    const counted = new Map<string, number>();
    if (stats?.kind === 'array') {
      for (let i = 0; i + 1 < stats.items.length; i += 2) {
        counted.set(replyText(stats.items[i]) ?? '', Number(replyText(stats.items[i + 1])));
      }
    }
    const total = [...counted.values()].reduce((a, b) => a + b, 0);
    const exact = COUNTRIES.every((country) => counted.get(country) === expected.get(country));
    expect(
      done === lines && total === lines && exact,
      `every line counted exactly once: ${total} of ${lines} lines (${COUNTRIES.map((c) => `${c} ${counted.get(c) ?? 0}/${expected.get(c) ?? 0}`).join(', ')})`,
    );
  },
});
