/**
 * A chaos case as a Scenario: the cluster it describes, a resilient writer on the master, and its
 * fault schedule played in virtual time (each lasting fault undone after its duration, each dead node
 * restarted after its duration). The run's liveness phase then heals everything, restarts what is
 * down, reconfigures the topology as Sentinel would and requires convergence; the checkers judge.
 *
 * A fault that makes no sense at its moment (pausing a node that is down, promoting the master) is
 * skipped and says so on the timeline: the schedule is data drawn at random, and shrinking must be
 * free to remove any part of it.
 */
import type { Random } from '@replisim/base';
import type { Undo } from '../cluster/backend.js';
import type { Cluster } from '../cluster/cluster.js';
import { WaitTimedOut } from '../cluster/waits.js';
import type { Scenario } from '../run/scenario.js';
import { ListKeys, ResilientListAppend, readLists } from '../workload/list-append.js';
import { RegisterWriter } from '../workload/register-writer.js';
import { ResilientWriter } from '../workload/resilient-writer.js';
import type { ChaosCase, ChaosFault } from './chaos-case.js';

/** How long a chaos run waits for one admin reply before giving up on that step, ms. */
const CALL_MS_MAX = 2_000;

/** The clients a restart check holds off (the register writer and the list-append clients). */
interface Suspendable {
  suspend(): void;
  resume(): void;
}

interface Action {
  readonly atMs: number;
  readonly label: string;
  readonly run: () => Promise<void>;
}

export function chaosScenario(chaos: ChaosCase, name = 'chaos'): Scenario {
  const lists =
    chaos.listAppend !== undefined && chaos.listAppend.clients > 0 ? chaos.listAppend : undefined;
  // Shared by the list-append clients and the final read (a fresh set for every run).
  let listKeys = new ListKeys(lists?.keys ?? 1);
  return {
    name,
    summary: 'a random cluster, configuration, workload and fault schedule',
    story: describeCase(chaos),
    liveness: true,
    ...(lists === undefined
      ? {}
      : {
          finalRead: (cluster: Cluster, node: string) => readLists(cluster, node, listKeys),
        }),
    async run({ cluster, random }) {
      const names = declareNodes(cluster, chaos);
      if (chaos.config.diskLatencyMs > 0) {
        for (const name of names) cluster.disk(name, { latencyMs: chaos.config.diskLatencyMs });
      }
      await cluster.start();
      if (chaos.workload.preload > 0) await preload(cluster, chaos.workload.preload, random);
      const writer = new ResilientWriter(cluster, random.fork(), {
        // Over the preloaded keys too, so writes land on keys a running snapshot has not reached.
        keys: Math.max(chaos.workload.keys, chaos.workload.preload),
        intervalMs: chaos.workload.intervalMs,
        waitEvery: chaos.workload.waitEvery,
        waitReplicas: Math.max(1, chaos.replicas),
        waitTimeoutMs: chaos.workload.waitTimeoutMs,
      });
      writer.start();
      listKeys = new ListKeys(lists?.keys ?? 1);
      const appenders = Array.from(
        { length: lists?.clients ?? 0 },
        () =>
          new ResilientListAppend(cluster, random.fork(), {
            keys: listKeys,
            intervalMs: lists?.intervalMs ?? 10,
            waitEvery: lists?.waitEvery ?? 0,
            waitReplicas: Math.max(1, chaos.replicas),
            waitTimeoutMs: chaos.workload.waitTimeoutMs,
          }),
      );
      for (const appender of appenders) appender.start();
      const clients: Suspendable = {
        suspend: () => {
          writer.suspend();
          for (const appender of appenders) appender.suspend();
        },
        resume: () => {
          writer.resume();
          for (const appender of appenders) appender.resume();
        },
      };
      const actions = chaos.faults.flatMap((fault) => actionsOf(cluster, names, fault, clients));
      actions.sort((a, b) => a.atMs - b.atMs);
      const origin = cluster.backend.now();
      for (const action of actions) {
        const delay = origin + action.atMs - cluster.backend.now();
        if (delay > 0) await cluster.runFor(delay);
        await action.run();
      }
      const rest = origin + chaos.safetyMs - cluster.backend.now();
      if (rest > 0) await cluster.runFor(rest);
      writer.stop();
      for (const appender of appenders) appender.stop();
      await cluster.waitUntil(
        () => writer.idle && appenders.every((appender) => appender.idle),
        5_000,
      );
      cluster.narrate('writer', `safety phase over: ${writer.acked} writes acknowledged`);
    },
  };
}

/** Loads `keys` keys on the master (MSET batches, recorded as writes) before the writer starts. */
async function preload(cluster: Cluster, keys: number, random: Random): Promise<void> {
  const client = await cluster.client(cluster.master);
  const loader = new RegisterWriter(
    client,
    cluster.backend.timers,
    random.fork(),
    () => cluster.backend.now(),
    {
      keys,
      intervalMs: 1,
    },
  );
  let done = false;
  loader.load(500, () => {
    done = true;
  });
  await cluster.waitFor('the preload', () => done);
  client.close();
}

function declareNodes(cluster: Cluster, chaos: ChaosCase): string[] {
  const { config } = chaos;
  const options = [
    '--save',
    config.save === 'none' ? '' : '1 1',
    '--repl-diskless-sync',
    config.diskless ? 'yes' : 'no',
    '--repl-diskless-sync-delay',
    String(config.disklessDelayS),
    '--repl-backlog-size',
    String(config.backlogBytes),
    '--repl-timeout',
    String(config.replTimeoutS),
    '--min-replicas-to-write',
    String(config.minReplicasToWrite),
    // replisim's own option: redis-server 7.0 would refuse to start with it.
    ...(chaos.target?.server === 'redis' ? [] : ['--repl-snapshot-reuse', config.snapshotReuse]),
  ];
  cluster.node({ name: 'master', options });
  const names = ['master'];
  for (let i = 1; i <= chaos.replicas; i++) {
    const name = `replica-${i}`;
    const replicaOf = chaos.chain && i > 1 ? 'replica-1' : 'master';
    cluster.node({ name, options, replicaOf });
    names.push(name);
  }
  return names;
}

/** The fault's start, and its end where it lasts. */
function actionsOf(
  cluster: Cluster,
  names: readonly string[],
  fault: ChaosFault,
  writer: Suspendable,
): Action[] {
  const target = names[fault.target % names.length] ?? 'master';
  const others = names.filter((name) => name !== target);
  const other = others[fault.other % Math.max(1, others.length)];
  const end = fault.atMs + fault.durationMs;
  let undo: Undo | undefined;
  const lasting = (make: () => Undo | undefined): Action[] => [
    {
      atMs: fault.atMs,
      label: fault.kind,
      run: async () => {
        undo = make();
      },
    },
    {
      atMs: end,
      label: `end ${fault.kind}`,
      run: async () => {
        undo?.();
      },
    },
  ];
  const skip = (why: string): undefined => {
    cluster.narrate('chaos', `skipped ${fault.kind} on ${target}: ${why}`);
    return undefined;
  };
  const up = (name: string): boolean => cluster.isUp(name);
  /** At `atMs`, a node that is down comes back and is read before any client writes to it. */
  const restartAndRead = (atMs: number): Action => ({
    atMs,
    label: `restart ${target}`,
    run: async () => {
      // A SIGTERM's shutdown may still be saving: the node restarts only once it is down.
      if (up(target)) return;
      // Read what the node came back with before any client writes to it: the
      // snapshot-recovery checker judges that read.
      writer.suspend();
      try {
        await cluster.restart(target);
        await cluster.readAll(target);
      } catch (error) {
        if (!(error instanceof WaitTimedOut)) throw error;
        cluster.narrate('chaos', `${target} did not come back in time: ${error.what}`);
      } finally {
        writer.resume();
      }
    },
  });
  switch (fault.kind) {
    case 'crash':
    case 'kill':
    case 'shutdown':
      return [
        {
          atMs: fault.atMs,
          label: fault.kind,
          run: async () => {
            if (!up(target)) return void skip('it is down');
            if (fault.kind === 'crash') cluster.crash(target);
            else if (fault.kind === 'kill') cluster.kill(target);
            else cluster.shutdown(target);
          },
        },
        restartAndRead(end),
      ];
    case 'crash-after-rename':
      return [
        ...lasting(() => (up(target) ? cluster.crashAfterNextRename(target) : skip('it is down'))),
        restartAndRead(end + 1),
      ];
    case 'pause':
      return lasting(() =>
        up(target) && !cluster.isPaused(target)
          ? cluster.pause(target)
          : skip('it is down or paused'),
      );
    case 'partition':
      return lasting(() =>
        other === undefined ? skip('no other node') : cluster.partition(target, other),
      );
    case 'isolate':
      return lasting(() => (others.length === 0 ? skip('no other node') : cluster.isolate(target)));
    case 'cut':
      return lasting(() =>
        other === undefined ? skip('no other node') : cluster.cut(target, other),
      );
    case 'hold':
      return lasting(() =>
        other === undefined ? skip('no other node') : cluster.hold(target, other),
      );
    case 'latency':
      return lasting(() =>
        other === undefined
          ? skip('no other node')
          : cluster.latency(target, other, { latencyMs: 50, jitterMs: 20 }),
      );
    case 'bandwidth':
      return lasting(() =>
        other === undefined ? skip('no other node') : cluster.bandwidth(target, other, 16),
      );
    case 'disk-full':
      return lasting(() => cluster.disk(target, { full: true }));
    case 'disk-eio':
      return lasting(() => cluster.disk(target, { writeErrorChance: 0.5, fsyncErrorChance: 0.5 }));
    case 'slow-fsync':
      return lasting(() => cluster.disk(target, { fsyncMs: 500 }));
    case 'reset':
      return [
        {
          atMs: fault.atMs,
          label: 'reset',
          run: async () => {
            if (other === undefined) return void skip('no other node');
            cluster.resetPeer(target, other);
          },
        },
      ];
    case 'clock-jump':
      return [
        {
          atMs: fault.atMs,
          label: 'clock-jump',
          run: async () => {
            if (!up(target)) return void skip('it is down');
            cluster.clockJump(target, (fault.durationMs - 3000) * 10);
          },
        },
      ];
    case 'failover':
      return [
        {
          atMs: fault.atMs,
          label: 'failover',
          run: async () => {
            if (target === cluster.master) return void skip('it is the master');
            if (!cluster.serving(target) || cluster.isPaused(target))
              return void skip('it is not serving');
            await bounded(cluster, () => cluster.failover(target));
          },
        },
      ];
    case 'bgsave':
      return [
        {
          atMs: fault.atMs,
          label: 'bgsave',
          run: async () => {
            if (!cluster.serving(target) || cluster.isPaused(target))
              return void skip('it is not serving');
            await bounded(cluster, () => cluster.call(target, ['BGSAVE'], CALL_MS_MAX));
          },
        },
      ];
  }
}

/** Runs an admin step; a reply that does not come in time is noted, not a stuck run. */
async function bounded(cluster: Cluster, step: () => Promise<unknown>): Promise<void> {
  const deadline = cluster.backend.now() + CALL_MS_MAX;
  try {
    await step();
  } catch (error) {
    if (!(error instanceof WaitTimedOut)) throw error;
    cluster.narrate('chaos', `an admin step got no reply by ${deadline} ms: ${error.what}`);
  }
}

export function describeCase(chaos: ChaosCase): string {
  const { config, workload } = chaos;
  const lists = chaos.listAppend;
  const faults = chaos.faults.map((f) => `${f.kind}@${f.atMs}ms/${f.durationMs}ms`).join(', ');
  const target =
    chaos.target === undefined ? '' : `drawn for ${chaos.target.backend}/${chaos.target.server}; `;
  return [
    `${target}${chaos.replicas} replica(s)${chaos.chain ? ' in a chain' : ''}; save ${config.save}, diskless ${config.diskless} (delay ${config.disklessDelayS} s), backlog ${config.backlogBytes}, repl-timeout ${config.replTimeoutS} s, min-replicas-to-write ${config.minReplicasToWrite}, repl-snapshot-reuse ${config.snapshotReuse}, disk latency ${config.diskLatencyMs} ms`,
    `writer: ${workload.preload} keys preloaded, then ${workload.keys} keys, one write per ${workload.intervalMs} ms, WAIT every ${workload.waitEvery || 'never'}; faults (${chaos.enabled.join(' ')}): ${faults || 'none'}`,
    ...(lists === undefined || lists.clients === 0
      ? []
      : [
          `list-append: ${lists.clients} client(s), MULTI/EXEC of 1-4 RPUSH/LRANGE over ${lists.keys} active list(s), one per ${lists.intervalMs} ms, WAIT every ${lists.waitEvery || 'never'} appending transactions`,
        ]),
  ].join('\n');
}
