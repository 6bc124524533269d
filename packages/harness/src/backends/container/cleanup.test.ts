/**
 * The container backend's cleanup registry: what a run made is removed newest first (containers
 * before the network they sit on), every step runs even after one failed, failures come back as
 * lines, and a resource registered after cleanup began (a container still starting at Ctrl-C) is
 * removed at once.
 */
import { describe, expect, it } from 'vitest';
import { CleanupRegistry } from './cleanup.js';

describe('CleanupRegistry', () => {
  it('runs every step newest first, past a failure, and reports the failure', async () => {
    const registry = new CleanupRegistry();
    const order: string[] = [];
    registry.add('network', async () => {
      order.push('network');
    });
    registry.add('the Toxiproxy container', async () => {
      order.push('toxiproxy');
      throw new Error('no such container');
    });
    registry.add('container master', async () => {
      order.push('master');
    });
    expect(registry.pending()).toEqual(['container master', 'the Toxiproxy container', 'network']);
    expect(await registry.runAll()).toEqual(['the Toxiproxy container: no such container']);
    expect(order).toEqual(['master', 'toxiproxy', 'network']);
    expect(registry.pending()).toEqual([]);
    expect(await registry.runAll()).toEqual([]);
    expect(order).toHaveLength(3);
  });

  it('waits for each step before the next (a network goes only after its containers)', async () => {
    const registry = new CleanupRegistry();
    const order: string[] = [];
    registry.add('network', async () => {
      order.push('network');
    });
    registry.add('container', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('container stopped');
    });
    await registry.runAll();
    expect(order).toEqual(['container stopped', 'network']);
  });

  it('removes at once what is registered after cleanup began', async () => {
    const registry = new CleanupRegistry();
    await registry.runAll();
    let removed = false;
    registry.add('container late', async () => {
      removed = true;
    });
    expect(removed).toBe(true);
    registry.add('container later', async () => {
      throw new Error('gone');
    });
    expect(await registry.runAll()).toEqual(['container later: gone']);
  });
});
