/**
 * The container backend's engine-free parts: the run plan (images, commands, one Toxiproxy proxy
 * per link, replicas pointed at their proxy), each container's command line, the mapping of link
 * faults to Toxiproxy toxics, and the engine probe. The engine-bound part needs Docker, which these machines do not have: the
 * probe test below states what the CLI then says.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnsupportedFault } from '../../cluster/backend.js';
import { probeContainerEngine } from './engine-probe.js';
import {
  bandwidthToxics,
  containerCommand,
  containerPlan,
  cutToxics,
  holdToxics,
  latencyToxics,
  nodeArgs,
  PROXY_PORT_FIRST,
  REDIS_IMAGE,
  REPLISIM_IMAGE,
  resetPeerToxics,
  TOXIPROXY_PROXIES_MAX,
} from './plan.js';

const SPECS = [
  { name: 'master', options: ['--save', ''] },
  { name: 'replica-a', options: ['--save', ''], replicaOf: 'master' },
];

describe('containerPlan', () => {
  it('gives every ordered pair and every node clients a proxy to the target on 6379', () => {
    const plan = containerPlan(SPECS, 'redis', 'r1');
    expect(plan.network).toBe('replisim-r1');
    expect(plan.proxies.map((proxy) => [proxy.name, proxy.upstream])).toEqual([
      ['clients->master', 'master:6379'],
      ['replica-a->master', 'master:6379'],
      ['clients->replica-a', 'replica-a:6379'],
      ['master->replica-a', 'replica-a:6379'],
    ]);
    expect(new Set(plan.proxies.map((proxy) => proxy.listen)).size).toBe(4);
  });

  it('uses redis:7.0 or the replisim image, and points a replica at its proxy to the master', () => {
    expect(containerPlan(SPECS, 'redis', 'x').nodes.map((node) => node.image)).toEqual([
      REDIS_IMAGE,
      REDIS_IMAGE,
    ]);
    const plan = containerPlan(SPECS, 'replisim', 'x');
    expect(plan.nodes[0]?.image).toBe(REPLISIM_IMAGE);
    const replica = plan.nodes[1]?.command ?? [];
    const at = replica.indexOf('--replicaof');
    expect(replica.slice(at, at + 3)).toEqual([
      '--replicaof',
      'toxiproxy',
      String(PROXY_PORT_FIRST + 1),
    ]);
    expect(replica).toContain('--replica-announce-ip');
    expect(plan.nodes[0]?.command).not.toContain('--replicaof');
  });
});

describe('faults as Toxiproxy toxics', () => {
  it('a one-way cut is timeout 0 on both directions that carry the bytes', () => {
    expect(cutToxics('master', 'replica-a')).toEqual([
      expect.objectContaining({
        proxy: 'master->replica-a',
        stream: 'upstream',
        type: 'timeout',
        attributes: { timeout: 0 },
      }),
      expect.objectContaining({
        proxy: 'replica-a->master',
        stream: 'downstream',
        type: 'timeout',
      }),
    ]);
    expect(cutToxics('clients', 'master').map((t) => `${t.proxy} ${t.stream}`)).toEqual([
      'clients->master upstream',
    ]);
    expect(cutToxics('master', 'clients').map((t) => `${t.proxy} ${t.stream}`)).toEqual([
      'clients->master downstream',
    ]);
  });

  it('latency goes both ways with its jitter; reset_peer hits both proxies of the pair', () => {
    const toxics = latencyToxics('master', 'replica-a', { latencyMs: 40, jitterMs: 10 });
    expect(toxics).toHaveLength(4);
    for (const toxic of toxics) expect(toxic.attributes).toEqual({ latency: 40, jitter: 10 });
    expect(resetPeerToxics('master', 'replica-a').map((t) => t.proxy)).toEqual([
      'master->replica-a',
      'replica-a->master',
    ]);
  });

  it('holds with the same timeout 0 as a cut (Toxiproxy forwards the held bytes on removal)', () => {
    const hold = holdToxics('master', 'replica-a');
    expect(hold.map((t) => `${t.proxy} ${t.stream} ${t.type} ${t.attributes['timeout']}`)).toEqual([
      'master->replica-a upstream timeout 0',
      'replica-a->master downstream timeout 0',
    ]);
    expect(hold.map((t) => t.name)).toEqual(['hold-upstream', 'hold-downstream']);
  });

  it('limits bandwidth in whole KB/s both ways, and refuses a rate below 1 KB/s', () => {
    const toxics = bandwidthToxics('master', 'replica-a', 16_000);
    expect(toxics).toHaveLength(4);
    for (const toxic of toxics) {
      expect(toxic.type).toBe('bandwidth');
      expect(toxic.attributes).toEqual({ rate: 16 });
    }
    expect(() => bandwidthToxics('master', 'replica-a', 16)).toThrow(UnsupportedFault);
  });
});

describe('container commands', () => {
  it('runs redis-server through the redis image entrypoint, replisim-server as the image entrypoint', () => {
    const [master, replica] = SPECS;
    if (master === undefined || replica === undefined) throw new Error('specs');
    const args = nodeArgs(replica, 8667);
    expect(args).toEqual([
      '--save',
      '',
      '--port',
      '6379',
      '--bind',
      '0.0.0.0',
      '--dir',
      '/data',
      '--daemonize',
      'no',
      '--logfile',
      '',
      '--replica-announce-ip',
      'replica-a',
      '--replicaof',
      'toxiproxy',
      '8667',
    ]);
    expect(containerCommand('redis', args)).toEqual(['redis-server', ...args]);
    expect(containerCommand('replisim', args)).toEqual(args);
    expect(nodeArgs(master, undefined)).not.toContain('--replicaof');
  });

  it('refuses a cluster whose proxies would not fit the Toxiproxy container', () => {
    const nodes = Array.from({ length: 6 }, (_, i) => ({ name: `n${i}`, options: [] }));
    expect(6 * 6).toBeGreaterThan(TOXIPROXY_PROXIES_MAX);
    expect(() => containerPlan(nodes, 'redis', 'x')).toThrow(/36 Toxiproxy proxies/);
    expect(containerPlan(nodes.slice(0, 5), 'redis', 'x').proxies).toHaveLength(25);
  });
});

describe('probeContainerEngine', () => {
  it('says in one line that no engine is there when the socket is missing or not a socket', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replisim-probe-'));
    try {
      const missing = probeContainerEngine({ DOCKER_HOST: `unix://${join(dir, 'docker.sock')}` });
      expect(missing.ok).toBe(false);
      expect(missing.reason).toMatch(/^no Docker engine: no socket at .*docker\.sock$/);
      writeFileSync(join(dir, 'file'), '');
      const plain = probeContainerEngine({ DOCKER_HOST: `unix://${join(dir, 'file')}` });
      expect(plain).toEqual({
        ok: false,
        reason: `${join(dir, 'file')} exists but is not a socket`,
      });
      expect(probeContainerEngine({ DOCKER_HOST: 'tcp://10.1.2.3:2375' }).ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
