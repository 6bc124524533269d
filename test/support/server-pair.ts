/**
 * The two servers of a differential test: a real redis-server 7.0.15 and a replisim node, started
 * together once per `describe` and stopped after it. Every differential suite (test/diff-*.test.ts,
 * test/skeleton-diff.test.ts, support/collection-diff.ts) used to declare the same pair of
 * variables and the same beforeAll/afterAll; `useServerPair` is that block, registered by one call.
 *
 * Both servers run without persistence: redis-server.ts already starts Redis with `--save ''` and
 * `--appendonly no`, and replisim is given the same words, so neither saves a dump behind the
 * test's back. Options meant for both go in `both`; `redis` and `replisim` add words for one side
 * (a Redis-only AOF, a replisim-only parameter).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './raw-client.js';
import { type RedisServer, startRedisServer } from './redis-server.js';
import { type ReplisimNode, startReplisimNode } from './replisim-node.js';

/** The two servers' ports, which is all a script runner needs. */
export interface Ports {
  readonly redis: number;
  readonly replisim: number;
}

export interface ServerPair {
  readonly redis: RedisServer;
  readonly replisim: ReplisimNode;
  readonly ports: Ports;
}

export interface ServerPairOptions {
  /** Command-line words for both servers, e.g. ['--enable-debug-command', 'yes']. */
  readonly both?: readonly string[];
  /** Words for redis-server only (after `both`). */
  readonly redis?: readonly string[];
  /** Words for replisim only (after `both`). */
  readonly replisim?: readonly string[];
}

/** Persistence off on replisim, as redis-server.ts turns it off on Redis. */
const REPLISIM_PERSISTENCE_OFF = ['--save', '', '--appendonly', 'no'];

/**
 * Registers beforeAll (start both, in parallel) and afterAll (stop both) in the calling describe
 * block, and returns the accessor the tests use; it throws if the servers are not running.
 */
export function useServerPair(options: ServerPairOptions = {}): () => ServerPair {
  const both = options.both ?? [];
  let pair: ServerPair | undefined;
  let redis: RedisServer | undefined;
  let replisim: ReplisimNode | undefined;

  beforeAll(async () => {
    // Settled, not all: if one fails to start, the other is still kept for afterAll to stop.
    const [redisStart, replisimStart] = await Promise.allSettled([
      startRedisServer([...both, ...(options.redis ?? [])]),
      startReplisimNode([...REPLISIM_PERSISTENCE_OFF, ...both, ...(options.replisim ?? [])]),
    ]);
    if (redisStart.status === 'fulfilled') redis = redisStart.value;
    if (replisimStart.status === 'fulfilled') replisim = replisimStart.value;
    if (redisStart.status === 'rejected') throw redisStart.reason;
    if (replisimStart.status === 'rejected') throw replisimStart.reason;
    const ports = { redis: redisStart.value.port, replisim: replisimStart.value.port };
    pair = { redis: redisStart.value, replisim: replisimStart.value, ports };
  });

  afterAll(async () => {
    pair = undefined;
    replisim?.stop();
    await redis?.stop();
  });

  return () => {
    if (pair === undefined) throw new Error('servers not started');
    return pair;
  };
}

/**
 * FLUSHALL on both servers, each on a connection of its own (after AUTH with `auth` when the
 * servers require a password); each must answer +OK.
 */
export async function flushBoth(ports: Ports, auth: readonly string[] = []): Promise<void> {
  for (const port of [ports.redis, ports.replisim]) {
    const client = await RawClient.connect(port);
    try {
      if (auth.length > 0) await client.call('AUTH', ...auth);
      client.command('FLUSHALL');
      const [reply] = await client.read(1, 5000);
      expect(reply?.bytes.toString('latin1')).toBe('+OK\r\n');
    } finally {
      client.close();
    }
  }
}

/** The RESP versions every script-based differential suite runs its scripts in. */
export const PROTOCOLS = [2, 3] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * The block every script-based differential suite repeated: for RESP2 and then RESP3 a describe,
 * and in it one test per script that flushes both servers and runs the script with `run`.
 * `scripts` may depend on the protocol (Pub/Sub has RESP3-only scripts).
 */
export function describeScriptsPerProtocol<S extends { readonly name: string }>(
  scripts: readonly S[] | ((protocol: Protocol) => readonly S[]),
  ports: () => Ports,
  run: (script: S, protocol: Protocol) => Promise<void>,
): void {
  for (const protocol of PROTOCOLS) {
    describe(`RESP${protocol}`, () => {
      const list = typeof scripts === 'function' ? scripts(protocol) : scripts;
      for (const script of list) {
        it(script.name, async () => {
          await flushBoth(ports());
          await run(script, protocol);
        });
      }
    });
  }
}
