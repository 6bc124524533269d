/**
 * The Cluster's fault verbs and waits on the sim backend: each fault does what its name says to a
 * real replisim node and lands on the timeline, and a wait that cannot succeed throws WaitTimedOut
 * (which a run turns into an undecided verdict) instead of hanging.
 */
import { describe, expect, it } from 'vitest';
import { SimBackend } from '../backends/sim/sim-backend.js';
import { History } from '../history/history.js';
import { runScenario } from '../run/run-scenario.js';
import { defineScenario } from '../run/scenario.js';
import { Cluster } from './cluster.js';
import { WaitTimedOut } from './waits.js';

function cluster(seed = 1): Cluster {
  const backend = new SimBackend({ seed });
  return new Cluster(backend, new History(() => backend.now()));
}

/** Boots m and its replica r, writes one key and waits until r has it. */
async function masterAndReplica(c: Cluster): Promise<void> {
  c.node({ name: 'm', options: ['--save', ''] }).node({
    name: 'r',
    options: ['--save', ''],
    replicaOf: 'm',
  });
  await c.start();
  await c.call('m', ['SET', 'k', 'v']);
  await c.waitCaughtUp(['r'], 'm');
}

describe('Cluster on the simulator', () => {
  it('boots a master and a replica that syncs, and samples both', async () => {
    const c = cluster();
    await masterAndReplica(c);
    expect(c.state('r')?.role).toBe('replica');
    await c.sample({ digests: true });
    const samples = c.history.events.filter((e) => e.kind === 'state');
    expect(samples.map((e) => e.data?.['digest'])).toEqual([
      samples[0]?.data?.['digest'],
      samples[0]?.data?.['digest'],
    ]);
    expect(c.history.events.some((e) => e.node === 'r' && e.kind === 'fullresync')).toBe(true);
  });

  it('samples every node offset every 250 ms and records only changes (for the report plot)', async () => {
    const c = cluster(3);
    await masterAndReplica(c);
    await c.runFor(3000);
    const mark = c.history.nextIndex;
    await c.runFor(5000); // quiet: no write, so only the master's PINGs to the replica move offsets
    const offsets = c.history.events.filter((e) => e.kind === 'offset');
    expect(offsets.every((e) => e.time % 250 === 0)).toBe(true);
    const master = offsets.filter((e) => e.node === 'm').at(-1);
    expect(master?.data).toMatchObject({ role: 'master', backlogFirst: 1 });
    expect(master?.data?.['ack:r']).toBe(master?.data?.['offset']);
    expect(offsets.filter((e) => e.node === 'r').at(-1)?.data).toMatchObject({
      role: 'replica',
      master: 'm',
      link: 'up',
    });
    // A PING every 10 s (repl-ping-replica-period) changes the offset at most once in 5 s of quiet.
    const quiet = offsets.filter((e) => e.index >= mark);
    expect(quiet.length).toBeLessThanOrEqual(2 * 2);
    expect(c.history.events.find((e) => e.kind === 'boot')?.data).toEqual({
      address: '10.0.0.1:6379',
    });
  });

  it('pause holds a node without closing its connections; resume lets it answer', async () => {
    const c = cluster(2);
    c.node({ name: 'm', options: ['--save', ''] });
    await c.start();
    const client = await c.client('m');
    const resume = c.pause('m');
    let reply: string | undefined;
    client.op('admin', ['PING'], {}, (value) => {
      reply = value?.kind === 'simple' ? value.value : 'none';
    });
    await c.runFor(1000);
    expect(reply).toBeUndefined();
    resume();
    await c.waitFor('the PONG', () => reply !== undefined);
    expect(reply).toBe('PONG');
    expect(c.history.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['pause', 'resume']),
    );
  });

  it('kill keeps an unsynced dump, crash does not (SAVE fsyncs, so use the page cache of a BGSAVE)', async () => {
    const c = cluster(3);
    c.node({ name: 'm', options: ['--save', ''] });
    await c.start();
    await c.call('m', ['SET', 'k', 'v']);
    await c.call('m', ['SAVE']);
    c.kill('m');
    await c.restart('m');
    expect((await c.readAll('m')).get('k')).toBe('v');
  });

  it('a wait that cannot succeed throws WaitTimedOut with what it waited for', async () => {
    const c = cluster(4);
    c.node({ name: 'm', options: ['--save', ''] });
    await c.start();
    await expect(c.waitFor('the impossible', () => false, 1000)).rejects.toBeInstanceOf(
      WaitTimedOut,
    );
  });

  it('a run whose wait runs out is undecided (exit 2), with its history kept', async () => {
    const stuck = defineScenario({
      name: 'stuck',
      summary: 'waits for a replica that is cut off',
      story: '',
      liveness: false,
      async run({ cluster: c }) {
        c.node({ name: 'm', options: ['--save', ''] }).node({
          name: 'r',
          options: ['--save', ''],
          replicaOf: 'm',
        });
        await c.start('m');
        c.partition('m', 'r');
        await c.start('r');
        await c.waitCaughtUp(['r'], 'm', 5000);
      },
    });
    const result = await runScenario(stuck, { seed: 1 });
    expect(result.verdict).toBe('undecided');
    expect(result.exitCode).toBe(2);
    expect(result.undecided).toMatch(/r caught up with m did not happen within 5 s/);
    expect(result.events.length).toBeGreaterThan(0);
  });

  it('split, latency, disk and clock faults go on the timeline and heal() undoes the lasting ones', async () => {
    const c = cluster(5);
    c.node({ name: 'a', options: ['--save', ''] }).node({ name: 'b', options: ['--save', ''] });
    await c.start();
    c.split(['a'], ['b']);
    c.latency('a', 'b', { latencyMs: 50, jitterMs: 5 });
    c.bandwidth('a', 'b', 64);
    c.disk('a', { full: true });
    c.clockJump('b', 60_000);
    c.heal();
    const kinds = c.history.events.map((e) => `${e.kind}:${e.text.split(' ')[0]}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'fault:split',
        'fault:latency',
        'fault:disk',
        'fault:wall',
        'heal:healed:',
      ]),
    );
  });
});
