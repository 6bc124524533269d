/**
 * Failover after the master dies: the writes it acknowledged but had not yet sent to the replica
 * that gets promoted are gone, and asynchronous replication permits that. WAIT narrows the window
 * but does not close it. The lost-write ledger lists each lost write and names the promotion that
 * lost it; a write that a WAIT vouched for is lost legitimately only if the replicas that had it
 * lost it too.
 *
 * The master's link to the replicas is slowed (latency) so the replicas trail by a few writes when
 * the master is killed; then replica-a is promoted and replica-b follows it, as Sentinel would do.
 */
import { defineScenario, RegisterWriter, type Scenario } from '@replisim/harness';
import { numberParam } from './story-helpers.js';

export const failover: Scenario = defineScenario({
  name: 'failover',
  summary: 'the master dies; promoting a replica loses the writes it had not received',
  story: [
    'One master and two replicas; a client writes every 2 ms and asks WAIT 1 50 every 20 writes. The',
    'links to the replicas carry 40 ms of latency, so the replicas trail the master. The master is',
    'killed; replica-a is promoted (REPLICAOF NO ONE) and replica-b follows it. The writes the master',
    'acknowledged but never shipped are lost, and the ledger names the promotion for each.',
  ].join('\n'),
  params: { keys: '200', 'run-ms': '3000' },
  async run({ cluster, random, params, narrate, expect }) {
    const options = ['--save', '', '--repl-diskless-sync-delay', '0'];
    cluster
      .node({ name: 'master', options })
      .node({ name: 'replica-a', options, replicaOf: 'master' })
      .node({ name: 'replica-b', options, replicaOf: 'master' });
    await cluster.start();
    await cluster.waitCaughtUp(['replica-a', 'replica-b'], 'master');
    cluster.latency('master', 'replica-a', { latencyMs: 40, jitterMs: 10 });
    cluster.latency('master', 'replica-b', { latencyMs: 40, jitterMs: 10 });
    const writer = new RegisterWriter(
      await cluster.client('master'),
      cluster.backend.timers,
      random,
      () => cluster.backend.now(),
      {
        keys: numberParam(params, 'keys'),
        intervalMs: 2,
        waitEvery: 20,
        waitReplicas: 1,
        waitTimeoutMs: 50,
      },
    );
    writer.start();
    await cluster.runFor(Math.round(numberParam(params, 'run-ms') * (0.8 + random.float() * 0.4)));
    narrate(
      'writer',
      `${writer.acked} writes acknowledged; replica-a trails at ${cluster.state('replica-a')?.offset} of ${cluster.state('master')?.offset}`,
    );
    writer.stop();
    cluster.kill('master');
    await cluster.failover('replica-a');
    await cluster.waitCaughtUp(['replica-b'], 'replica-a');
    await cluster.restart('master');
    const promoted = cluster.backend.address('replica-a', 'master');
    await cluster.call('master', ['REPLICAOF', promoted.host, String(promoted.port)]);
    narrate('master', 'the old master comes back and follows replica-a');
    expect(
      cluster.state('replica-a')?.role === 'master',
      'replica-a is the master after the failover',
    );
  },
});
