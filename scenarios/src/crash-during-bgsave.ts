/**
 * The persistence story: a node takes snapshots while a client keeps writing, and the machine loses
 * power in the middle of the second BGSAVE. What does it hold when it comes back?
 *
 * Redis's answer, and replisim's: exactly one complete snapshot, as the dataset was at the instant
 * that BGSAVE started, no matter how many writes were acknowledged after it. The interrupted BGSAVE
 * leaves only a temp file; dump.rdb is replaced by rename after fsync, so it is the old dump or the
 * new one, never a mix. If the power goes between the rename and the directory fsync, either may
 * survive. The snapshot-recovery checker decides which snapshots were allowed from the events
 * (BGSAVE start, rename, directory fsync, crash) and compares the dataset read after the restart,
 * key for key; the lost-write ledger names every acknowledged write the crash took.
 */
import { defineScenario, RegisterWriter, type Scenario } from '@replisim/harness';
import { numberParam } from './story-helpers.js';

export const crashDuringBgsave: Scenario = defineScenario({
  name: 'crash-during-bgsave',
  summary: 'power loss in the middle of a BGSAVE: what survives a restart',
  story: [
    'One node on a slow disk, 20,000 keys, a client writing without pause. Snapshot #1 (BGSAVE)',
    'completes; snapshot #2 is cut short by a power loss at a moment drawn from the seed. After the',
    'restart the node must hold exactly one complete snapshot as the dataset was when its BGSAVE',
    'started: no write from after that instant, no half-written file.',
  ].join('\n'),
  params: { keys: '20000', 'write-interval-ms': '1' },
  async run({ cluster, random, params, narrate, expect }) {
    const keys = numberParam(params, 'keys');
    cluster.node({ name: 'node1', options: ['--save', ''] });
    cluster.disk('node1', { latencyMs: 30, fsyncMs: 40 });
    await cluster.start('node1');
    narrate(
      'node1',
      'boots with no dump.rdb on a slow disk (30 ms per operation, 40 ms per fsync)',
    );

    const writer = new RegisterWriter(
      await cluster.client('node1'),
      cluster.backend.timers,
      random,
      () => cluster.backend.now(),
      {
        keys,
        intervalMs: numberParam(params, 'write-interval-ms'),
      },
    );
    let loaded = false;
    writer.load(500, () => {
      loaded = true;
    });
    await cluster.waitFor('the initial load', () => loaded);
    narrate('client', `loads ${keys} keys with MSET`);
    writer.start();
    await cluster.runFor(500);

    const snapshot = async (label: string) => {
      let replied = false;
      writer.interpose(['BGSAVE'], {
        onReply: () => {
          replied = true;
        },
      });
      await cluster.waitFor(`the reply to ${label}'s BGSAVE`, () => replied);
      narrate('client', `${label}: BGSAVE between write #${writer.acked} and the next`);
    };
    await snapshot('snapshot #1');
    const started = cluster.backend.now();
    await cluster.waitBgsave('node1', false);
    const tookMs = cluster.backend.now() - started;
    narrate('node1', `snapshot #1 done in ${tookMs} ms`);

    await cluster.runFor(1000);
    await snapshot('snapshot #2');
    await cluster.runFor(Math.max(1, Math.floor(tookMs * (0.2 + random.float() * 0.8))));
    expect(
      cluster.state('node1')?.bgsaveInProgress === true ||
        cluster.state('node1')?.lastBgsaveOk === true,
      'the power loss came during or just after snapshot #2',
    );
    writer.stop();
    cluster.crash('node1');
    narrate('faults', `power loss with ${writer.acked} writes acknowledged`);
    await cluster.runFor(500);
    await cluster.restart('node1');
    await cluster.readAll('node1');
  },
});
