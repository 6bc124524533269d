/**
 * The container backend's run plan, and its mapping of the harness's link faults to Toxiproxy
 * toxics: the parts that need no Docker engine, so they are unit-tested here while the engine-bound
 * part cannot run on machines without one (engine-probe.ts says why).
 *
 * The plan: one Docker network; one container per node (the official `redis:7.0` image for redis
 * nodes, an image built from docker/replisim.Dockerfile for replisim nodes), reachable by its node
 * name as network alias on port 6379; one Toxiproxy container (testcontainers' Toxiproxy module)
 * with one proxy per ordered pair of nodes and one per node for the clients, named `source->target`
 * as on the process backend. A replica is started with `--replicaof toxiproxy <port of its proxy to
 * the master>` and `--replica-announce-ip <its own alias>`.
 *
 * The mapping follows Toxiproxy's semantics. A partition in the simulator stalls the bytes and
 * delivers them after it heals (TCP retransmits); Toxiproxy's `timeout` toxic with timeout 0 does
 * the same: it stops reading the link (toxics/timeout.go waits for its removal without touching
 * its input, and TCP's window stops the sender), and when the toxic is removed the link forwards
 * what it had buffered (link.go, RemoveToxic). So cut and hold both map to `timeout 0` on the
 * directions that carry the bytes. (Read from Toxiproxy's source; not observed on these machines,
 * which have no Docker engine.) Toxiproxy's bandwidth is whole KB/s: a rate below 1 KB/s cannot be
 * expressed and is refused rather than rounded into a different fault.
 */
import type { LatencyFault, NodeSpec } from '../../cluster/backend.js';
import { UnsupportedFault } from '../../cluster/backend.js';
import type { ServerKind } from '../process/process-backend.js';
import type { ToxicDirection } from '../process/toxics.js';

export const REDIS_IMAGE = 'redis:7.0';
export const REPLISIM_IMAGE = 'replisim-server:local';
export const REPLISIM_DOCKERFILE = 'docker/replisim.Dockerfile';
export const TOXIPROXY_IMAGE = 'ghcr.io/shopify/toxiproxy:2.12.0';
export const TOXIPROXY_ALIAS = 'toxiproxy';
/** testcontainers' Toxiproxy module exposes 32 proxy ports: at most 5 nodes (n * n proxies). */
export const TOXIPROXY_PROXIES_MAX = 32;
export const NODE_PORT_IN_CONTAINER = 6379;
/** Toxiproxy's own API port; proxies listen from PROXY_PORT_FIRST up. */
export const TOXIPROXY_API_PORT = 8474;
export const PROXY_PORT_FIRST = 8666;
const CLIENTS = 'clients';

export interface ProxyPlan {
  /** `source->target`. */
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
}

export interface NodePlan {
  readonly name: string;
  readonly image: string;
  /** The server's arguments (after `redis-server` / `replisim-server`). */
  readonly command: readonly string[];
}

export interface ContainerPlan {
  readonly network: string;
  readonly nodes: readonly NodePlan[];
  readonly proxies: readonly ProxyPlan[];
}

/** A Toxiproxy toxic as its HTTP API takes it. */
export interface ToxiproxyToxic {
  readonly proxy: string;
  readonly name: string;
  readonly type: 'latency' | 'bandwidth' | 'timeout' | 'reset_peer' | 'slicer';
  readonly stream: ToxicDirection;
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

export function linkName(source: string, target: string): string {
  return `${source}->${target}`;
}

/**
 * Where bytes from `source` to `target` flow: the proxy `source->target` carries them upstream
 * (source is its client), the proxy `target->source` downstream. Shared with the process backend.
 */
export function bytePlacements(
  source: string,
  target: string,
): { readonly link: string; readonly direction: ToxicDirection }[] {
  const placements: { link: string; direction: ToxicDirection }[] = [];
  if (target !== CLIENTS)
    placements.push({ link: linkName(source, target), direction: 'upstream' });
  if (source !== CLIENTS)
    placements.push({ link: linkName(target, source), direction: 'downstream' });
  return placements;
}

/** The plan for `specs` (in declaration order) with `server` nodes; `runId` names the network. */
export function containerPlan(
  specs: readonly NodeSpec[],
  server: ServerKind,
  runId: string,
): ContainerPlan {
  const names = specs.map((spec) => spec.name);
  if (names.length * names.length > TOXIPROXY_PROXIES_MAX) {
    throw new UnsupportedFault(
      `${names.length} nodes need ${names.length * names.length} Toxiproxy proxies; the Toxiproxy container exposes ${TOXIPROXY_PROXIES_MAX} (at most ${Math.floor(Math.sqrt(TOXIPROXY_PROXIES_MAX))} nodes)`,
    );
  }
  const proxies: ProxyPlan[] = [];
  for (const target of names) {
    for (const source of [CLIENTS, ...names]) {
      if (source === target) continue;
      proxies.push({
        name: linkName(source, target),
        listen: `0.0.0.0:${PROXY_PORT_FIRST + proxies.length}`,
        upstream: `${target}:${NODE_PORT_IN_CONTAINER}`,
      });
    }
  }
  const portOf = (name: string): number => {
    const index = proxies.findIndex((proxy) => proxy.name === name);
    if (index < 0) throw new Error(`no proxy ${name}`);
    return PROXY_PORT_FIRST + index;
  };
  const nodes = specs.map((spec) => ({
    name: spec.name,
    image: server === 'redis' ? REDIS_IMAGE : REPLISIM_IMAGE,
    command: nodeArgs(
      spec,
      spec.replicaOf === undefined ? undefined : portOf(linkName(spec.name, spec.replicaOf)),
    ),
  }));
  return { network: `replisim-${runId}`, nodes, proxies };
}

/**
 * A node's server arguments inside its container: the scenario's options, then the container's
 * own port, bind, dir and logging, its alias as the address it announces, and (for a replica) the
 * Toxiproxy port of its link to the master.
 */
export function nodeArgs(spec: NodeSpec, masterProxyPort: number | undefined): string[] {
  return [
    ...spec.options,
    '--port',
    String(NODE_PORT_IN_CONTAINER),
    '--bind',
    '0.0.0.0',
    '--dir',
    '/data',
    '--daemonize',
    'no',
    '--logfile',
    '',
    '--replica-announce-ip',
    spec.name,
    ...(spec.replicaOf === undefined || masterProxyPort === undefined
      ? []
      : ['--replicaof', TOXIPROXY_ALIAS, String(masterProxyPort)]),
  ];
}

/**
 * The container's command. The redis image's entrypoint runs `redis-server` (as the redis user,
 * through gosu) when it is the first word; the replisim image's entrypoint is replisim-server.
 */
export function containerCommand(server: ServerKind, args: readonly string[]): string[] {
  return server === 'redis' ? ['redis-server', ...args] : [...args];
}

/**
 * A one-way cut or hold: Toxiproxy's `timeout 0` on every direction carrying the bytes; they stall
 * and flow on when it is removed (see the module comment).
 */
export function cutToxics(source: string, target: string, kind = 'cut'): ToxiproxyToxic[] {
  return bytePlacements(source, target).map(({ link, direction }) => ({
    proxy: link,
    name: `${kind}-${direction}`,
    type: 'timeout',
    stream: direction,
    toxicity: 1,
    attributes: { timeout: 0 },
  }));
}

/** Bandwidth both ways between `a` and `b`, in Toxiproxy's whole KB/s (1 KB = 1000 bytes). */
export function bandwidthToxics(a: string, b: string, bytesPerSec: number): ToxiproxyToxic[] {
  const rate = Math.round(bytesPerSec / 1000);
  if (rate < 1) {
    throw new UnsupportedFault(
      `bandwidth ${bytesPerSec} B/s between ${a} and ${b}: Toxiproxy limits in whole KB/s, so below 1000 B/s it would be a different fault; use the process backend`,
    );
  }
  return [...bytePlacements(a, b), ...bytePlacements(b, a)].map(({ link, direction }) => ({
    proxy: link,
    name: `bandwidth-${direction}`,
    type: 'bandwidth',
    stream: direction,
    toxicity: 1,
    attributes: { rate },
  }));
}

/** Latency with jitter both ways between `a` and `b`. */
export function latencyToxics(a: string, b: string, fault: LatencyFault): ToxiproxyToxic[] {
  return [...bytePlacements(a, b), ...bytePlacements(b, a)].map(({ link, direction }) => ({
    proxy: link,
    name: `latency-${direction}`,
    type: 'latency',
    stream: direction,
    toxicity: 1,
    attributes: { latency: fault.latencyMs, jitter: fault.jitterMs ?? 0 },
  }));
}

/** reset_peer at once on both proxies between `a` and `b`. */
export function resetPeerToxics(a: string, b: string): ToxiproxyToxic[] {
  return [linkName(a, b), linkName(b, a)].map((link) => ({
    proxy: link,
    name: 'reset-peer',
    type: 'reset_peer',
    stream: 'upstream',
    toxicity: 1,
    attributes: { timeout: 0 },
  }));
}

/** `hold` (deliver later): the same toxic as a cut, named for what it is. */
export function holdToxics(source: string, target: string): ToxiproxyToxic[] {
  return cutToxics(source, target, 'hold');
}
