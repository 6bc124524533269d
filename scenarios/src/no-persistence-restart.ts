/**
 * A master without persistence restarts and wipes its replicas. With `save ""` and no AOF the master
 * comes back empty, with a new replication id; its replicas reconnect, cannot continue (the replid
 * is unknown), full-sync the empty dataset and delete everything they held. Redis's documentation
 * warns about exactly this; the lost-write ledger names the restart for every write.
 */
import { defineScenario, RegisterWriter, type Scenario } from '@replisim/harness';
import { numberParam } from './story-helpers.js';

export const noPersistenceRestart: Scenario = defineScenario({
  name: 'no-persistence-restart',
  summary: 'a master without persistence restarts empty and its replicas sync the empty dataset',
  story: [
    'One master with persistence off (save "") and two replicas. A client writes for a while, every',
    'write replicated. The master process is killed and restarted at once: it comes back empty with',
    'a new replid, and both replicas full-sync from it and lose every key. The ledger lists each',
    'acknowledged write with the restart that destroyed it.',
  ].join('\n'),
  params: { keys: '100', 'write-ms': '2000' },
  async run({ cluster, random, params, narrate, expect }) {
    const options = ['--save', '', '--repl-diskless-sync-delay', '0'];
    cluster
      .node({ name: 'master', options })
      .node({ name: 'replica-a', options, replicaOf: 'master' })
      .node({ name: 'replica-b', options, replicaOf: 'master' });
    await cluster.start();
    const writer = new RegisterWriter(
      await cluster.client('master'),
      cluster.backend.timers,
      random,
      () => cluster.backend.now(),
      {
        keys: numberParam(params, 'keys'),
        intervalMs: 5,
      },
    );
    writer.start();
    await cluster.runFor(numberParam(params, 'write-ms'));
    writer.stop();
    await cluster.waitFor('the last write', () => writer.idle);
    await cluster.waitCaughtUp(['replica-a', 'replica-b'], 'master');
    narrate('writer', `${writer.acked} writes acknowledged and replicated to both replicas`);
    cluster.kill('master');
    await cluster.restart('master');
    await cluster.waitCaughtUp(['replica-a', 'replica-b'], 'master');
    const size = await cluster.call('replica-a', ['DBSIZE']);
    expect(
      size?.kind === 'integer' && size.value === 0n,
      `replica-a holds ${size?.kind === 'integer' ? size.value : '?'} keys after syncing with the restarted master`,
    );
  },
});
