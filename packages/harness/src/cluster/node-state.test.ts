/**
 * The sim backend reads a node's state from INFO's fields as a map (infoFieldMap) instead of
 * rendering INFO's text and parsing it, because it reads after every simulated event. Both must
 * give the same NodeState at every instant, or waits would end at other instants and runs would
 * change. Method: a master with a 200-key dataset and a replica that full-syncs from disk (BGSAVE,
 * transfer, loading), then more writes, a cut link, a pause, a power loss and a restart; after
 * every single event both ways of reading every node are compared. The backend's reads are
 * cached until the node's software runs again (host.ts `callbacksRun`), so this also checks that
 * no cached state outlives a change.
 */
import { renderInfo } from '@replisim/server';
import { describe, expect, it } from 'vitest';
import { SimBackend } from '../backends/sim/sim-backend.js';
import { History } from '../history/history.js';
import { Cluster } from './cluster.js';
import { type NodeState, parseNodeState } from './node-state.js';

const NODES = ['m', 'r'];

function rendered(backend: SimBackend, name: string): NodeState | undefined {
  const node = backend.serverOf(name);
  if (node.node === undefined || !node.host.up) return undefined;
  return parseNodeState(renderInfo(node.node, ['replication', 'persistence']), node.serving);
}

describe('NodeState in the sim backend', () => {
  it('equals the state parsed from the rendered INFO text after every event', async () => {
    const backend = new SimBackend({ seed: 5 });
    const c = new Cluster(backend, new History(() => backend.now()));
    c.node({ name: 'm', options: ['--save', '', '--repl-diskless-sync', 'no'] });
    c.node({ name: 'r', options: ['--save', ''] });
    await c.start();
    for (let i = 0; i < 200; i++) await c.call('m', ['SET', `key:${i}`, 'x'.repeat(100)]);
    const master = backend.address('m');
    await c.call('r', ['REPLICAOF', master.host, String(master.port)]);
    const compared = new Set<string>();
    const same = (): boolean => {
      for (const name of NODES) {
        const state = backend.state(name);
        expect(state).toEqual(rendered(backend, name));
        if (state?.syncInProgress) compared.add('sync in progress');
        if (state?.bgsaveInProgress) compared.add('bgsave in progress');
        if (state !== undefined && state.replicas.length > 0) compared.add('replica lines');
        if (state?.role === 'replica' && state.linkUp) compared.add('link up');
      }
      return false;
    };
    await c.waitUntil(same, 3000);
    for (let i = 0; i < 20; i++) await c.call('m', ['SET', `late:${i}`, 'y']);
    await c.waitUntil(same, 1000);
    // The sim backend keeps a node's state until its software runs again: faults that change a
    // node from outside its own events (power loss, restart, SIGSTOP, a cut link) must show at once.
    const healed = c.partition('m', 'r');
    await c.waitUntil(same, 2000);
    healed();
    const resumed = c.pause('r');
    expect(same()).toBe(false);
    await c.waitUntil(same, 500);
    resumed();
    await c.waitUntil(same, 500);
    c.crash('r');
    expect(backend.state('r')).toBeUndefined();
    await c.waitUntil(same, 500);
    await c.restart('r', { wait: false });
    await c.waitUntil(same, 3000);
    expect([...compared].sort()).toEqual([
      'bgsave in progress',
      'link up',
      'replica lines',
      'sync in progress',
    ]);
  });
});
