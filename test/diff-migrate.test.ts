/**
 * Differential test of MIGRATE: replisim must answer exactly as Redis 7.0.15 does, leave the
 * target with the same values, and propagate the same DEL.
 *
 * Method: two sources (a real redis-server and an in-process replisim node) and four targets (a
 * redis-server and a replisim node, each once open and once with `requirepass`), all with DEBUG
 * enabled. One script (one key, the KEYS form with a missing key, COPY, REPLACE, a BUSYKEY error
 * relayed, a partial KEYS migration where the target refuses one key, NOKEY, a database the target
 * lacks, another database, NOAUTH, a wrong password, AUTH and AUTH2, a closed port, a paused target
 * that makes the read time out, and the parse errors) runs from each source to each kind of
 * target: Redis to Redis is the reference, and replisim to replisim, replisim to Redis and Redis to
 * replisim must give byte-identical replies and leave the targets with the same keys, DEBUG
 * DIGEST-VALUE and TTL presence. During the Redis-to-Redis and replisim-to-replisim runs both
 * sources' replication streams are captured (Redis read as a replica with SYNC) and must carry the
 * same commands (the DELs Redis rewrites MIGRATE into).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickFreePort } from './support/free-port.js';
import { RawClient } from './support/raw-client.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { capturePropagation, expectSameCommands } from './support/replication-stream.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';

type Argv = readonly string[];

const DEBUG = ['--enable-debug-command', 'yes'];
const PASSWORD = 'secret';
const AUTH_TARGET = ['--requirepass', PASSWORD];
const HOST = '127.0.0.1';

/** The ports a script run talks to. */
interface Route {
  readonly source: number;
  readonly target: number;
  readonly authTarget: number;
}

/** One script step: on the source (default), or on the open target (the pause of the timeout). */
interface Step {
  readonly on: 'source' | 'target';
  readonly argv: Argv;
}

const source = (...argv: string[]): Step => ({ on: 'source', argv });
const target = (...argv: string[]): Step => ({ on: 'target', argv });

/** MIGRATE to the port named by `to` ('T' the open target, 'A' the password one, or a number). */
function migrateTo(route: Route, closedPort: number, to: string, rest: readonly string[]): Argv {
  const port = to === 'T' ? route.target : to === 'A' ? route.authTarget : closedPort;
  return ['MIGRATE', HOST, String(port), ...rest];
}

/** The script; `M` steps are MIGRATEs whose second word names the target. */
const SCRIPT: readonly (Step | { readonly migrate: string; readonly rest: Argv })[] = [
  source('SET', 'k1', 'v1'),
  source('RPUSH', 'list', 'a', 'b', 'c'),
  source('PEXPIRE', 'list', '100000'),
  source('HSET', 'h', 'f', 'v', 'g', 'w'),
  source('SADD', 'set', '1', '2', '3'),
  // One key, then the KEYS form with a missing key among them.
  { migrate: 'T', rest: ['k1', '0', '5000'] },
  source('EXISTS', 'k1'),
  { migrate: 'T', rest: ['', '0', '5000', 'KEYS', 'list', 'missing', 'h'] },
  source('EXISTS', 'list', 'h'),
  // The target has k1: BUSYKEY relayed and the key kept; then COPY REPLACE.
  source('SET', 'k1', 'v2'),
  { migrate: 'T', rest: ['k1', '0', '5000'] },
  { migrate: 'T', rest: ['k1', '0', '5000', 'COPY', 'REPLACE'] },
  source('EXISTS', 'k1'),
  // A partial KEYS migration: `set` goes, k1 is refused; the reply is the error.
  { migrate: 'T', rest: ['', '0', '5000', 'KEYS', 'set', 'k1'] },
  source('EXISTS', 'set', 'k1'),
  // NOKEY, a database the target lacks, another database.
  { migrate: 'T', rest: ['nokey', '0', '5000'] },
  { migrate: 'T', rest: ['', '0', '5000', 'KEYS', 'nokey1', 'nokey2'] },
  { migrate: 'T', rest: ['k1', '99', '5000', 'COPY'] },
  { migrate: 'T', rest: ['k1', '3', '5000', 'COPY'] },
  { migrate: 'T', rest: ['k1', '3', '5000', 'COPY'] },
  // Authentication: none, a wrong one, AUTH, AUTH2.
  { migrate: 'A', rest: ['k1', '0', '5000', 'COPY'] },
  { migrate: 'A', rest: ['k1', '0', '5000', 'COPY', 'AUTH', 'wrong'] },
  { migrate: 'A', rest: ['k1', '0', '5000', 'COPY', 'AUTH', PASSWORD] },
  { migrate: 'A', rest: ['k1', '5', '5000', 'COPY', 'AUTH2', 'default', PASSWORD] },
  // Nothing listens on the closed port: Redis's connect "succeeds" and the write fails.
  { migrate: 'X', rest: ['k1', '0', '500', 'COPY'] },
  // Ports as atoi reads them, and hosts that do not resolve: "connecting" only for the latter.
  source('MIGRATE', HOST, '0', 'k1', '0', '500', 'COPY'),
  source('MIGRATE', HOST, 'abc', 'k1', '0', '500', 'COPY'),
  source('MIGRATE', HOST, '-1', 'k1', '0', '500', 'COPY'),
  source('MIGRATE', '', '6379', 'k1', '0', '500', 'COPY'),
  // A paused target reads but does not answer: the read times out (the key is kept here).
  target('CLIENT', 'PAUSE', '600', 'ALL'),
  { migrate: 'T', rest: ['k1', '0', '200'] },
  target('CLIENT', 'UNPAUSE'),
  source('EXISTS', 'k1'),
  // After the timeout the next MIGRATE works on a new connection.
  { migrate: 'T', rest: ['k1', '7', '5000', 'COPY'] },
  // Parse errors, in Redis's order.
  { migrate: 'T', rest: ['k1', '0', '5000', 'KEYS', 'a'] },
  { migrate: 'T', rest: ['k1', 'x', 'y'] },
  { migrate: 'T', rest: ['k1', 'x', '5000'] },
  { migrate: 'T', rest: ['k1', '0', '5000', 'AUTH'] },
  { migrate: 'T', rest: ['k1', '0', '5000', 'AUTH2', 'u'] },
  { migrate: 'T', rest: ['k1', '0', '5000', 'FOO'] },
  { migrate: 'T', rest: ['k1', '0', '0', 'COPY', 'REPLACE'] },
  source('SET', 'done', '1'),
];

interface RunResult {
  readonly replies: string[];
  readonly targetState: string[];
  readonly authTargetState: string[];
}

async function connect(port: number, auth: boolean): Promise<RawClient> {
  const client = await RawClient.connect(port);
  if (auth) await client.call('AUTH', PASSWORD);
  return client;
}

async function flush(port: number, auth: boolean): Promise<void> {
  const client = await connect(port, auth);
  try {
    expect((await client.call('FLUSHALL')).bytes.toString('latin1')).toBe('+OK\r\n');
  } finally {
    client.close();
  }
}

async function killOtherClients(port: number, auth: boolean): Promise<void> {
  const client = await connect(port, auth);
  try {
    await client.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
  } finally {
    client.close();
  }
}

/** Every key of the databases MIGRATE wrote to, with its digest and whether it has a TTL. */
async function stateOf(port: number, auth: boolean): Promise<string[]> {
  const client = await connect(port, auth);
  const lines: string[] = [];
  try {
    for (const db of ['0', '3', '5', '7']) {
      await client.call('SELECT', db);
      const keys = (await client.call('KEYS', '*')).value;
      if (keys.kind !== 'array') throw new Error('KEYS did not reply an array');
      const names = keys.items.map((item) => (item.kind === 'bulk' ? item.value.toString() : ''));
      for (const key of names.sort()) {
        const digest = (await client.call('DEBUG', 'DIGEST-VALUE', key)).bytes.toString('latin1');
        const pttl = (await client.call('PTTL', key)).value;
        const ttl = pttl.kind === 'integer' && pttl.value > 90_000n ? 'ttl' : String(pttl.kind);
        lines.push(`${db} ${key} ${digest.trim()} ${ttl}`);
      }
    }
  } finally {
    client.close();
  }
  return lines;
}

async function runScript(route: Route, closedPort: number): Promise<RunResult> {
  await flush(route.source, false);
  await flush(route.target, false);
  await flush(route.authTarget, true);
  // The source's cached connections from an earlier run (still selected, still authenticated)
  // are closed by the targets, so every run starts from new connections.
  await killOtherClients(route.target, false);
  await killOtherClients(route.authTarget, true);
  const sourceClient = await connect(route.source, false);
  const targetClient = await connect(route.target, false);
  const replies: string[] = [];
  try {
    for (const step of SCRIPT) {
      if ('migrate' in step) {
        const argv = migrateTo(route, closedPort, step.migrate, step.rest);
        const reply = await sourceClient.call(...argv);
        replies.push(`MIGRATE ${step.migrate} ${step.rest.join(' ')} -> ${reply.bytes}`);
      } else {
        const client = step.on === 'source' ? sourceClient : targetClient;
        const reply = await client.call(...step.argv);
        if (step.on === 'source') replies.push(`${step.argv.join(' ')} -> ${reply.bytes}`);
      }
    }
  } finally {
    sourceClient.close();
    targetClient.close();
  }
  return {
    replies,
    targetState: await stateOf(route.target, false),
    authTargetState: await stateOf(route.authTarget, true),
  };
}

describe('MIGRATE against Redis 7.0.15', () => {
  let redis: RedisServer | undefined;
  let redisTarget: RedisServer | undefined;
  let redisAuthTarget: RedisServer | undefined;
  let replisim: ReplisimNode | undefined;
  let replisimTarget: ReplisimNode | undefined;
  let replisimAuthTarget: ReplisimNode | undefined;
  let closedPort = 0;

  beforeAll(async () => {
    const started = await Promise.allSettled([
      startRedisServer(DEBUG),
      startRedisServer(DEBUG),
      startRedisServer([...DEBUG, ...AUTH_TARGET]),
      startReplisimNode(['--appendonly', 'no', ...DEBUG]),
      startReplisimNode(['--appendonly', 'no', ...DEBUG]),
      startReplisimNode(['--appendonly', 'no', ...DEBUG, ...AUTH_TARGET]),
    ]);
    const value = <T>(result: PromiseSettledResult<T> | undefined): T | undefined =>
      result?.status === 'fulfilled' ? result.value : undefined;
    redis = value(started[0] as PromiseSettledResult<RedisServer>);
    redisTarget = value(started[1] as PromiseSettledResult<RedisServer>);
    redisAuthTarget = value(started[2] as PromiseSettledResult<RedisServer>);
    replisim = value(started[3] as PromiseSettledResult<ReplisimNode>);
    replisimTarget = value(started[4] as PromiseSettledResult<ReplisimNode>);
    replisimAuthTarget = value(started[5] as PromiseSettledResult<ReplisimNode>);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    closedPort = await pickFreePort();
  });

  afterAll(async () => {
    for (const node of [replisim, replisimTarget, replisimAuthTarget]) node?.stop();
    await Promise.all([redis?.stop(), redisTarget?.stop(), redisAuthTarget?.stop()]);
  });

  const servers = () => {
    if (
      redis === undefined ||
      redisTarget === undefined ||
      redisAuthTarget === undefined ||
      replisim === undefined ||
      replisimTarget === undefined ||
      replisimAuthTarget === undefined
    ) {
      throw new Error('servers not started');
    }
    return { redis, redisTarget, redisAuthTarget, replisim, replisimTarget, replisimAuthTarget };
  };

  it('replies, target state and propagation as Redis, replisim to replisim', async () => {
    const s = servers();
    let reference: RunResult | undefined;
    let ours: RunResult | undefined;
    const ports = { redis: s.redis.port, replisim: s.replisim.port };
    const pair = { redis: s.redis, replisim: s.replisim, ports };
    const streams = await capturePropagation(pair, '$4\r\ndone\r\n', async () => {
      reference = await runScript(
        { source: s.redis.port, target: s.redisTarget.port, authTarget: s.redisAuthTarget.port },
        closedPort,
      );
      ours = await runScript(
        {
          source: s.replisim.port,
          target: s.replisimTarget.port,
          authTarget: s.replisimAuthTarget.port,
        },
        closedPort,
      );
    });
    if (reference === undefined || ours === undefined) throw new Error('scripts did not run');
    expect(ours.replies).toEqual(reference.replies);
    expect(ours.targetState).toEqual(reference.targetState);
    expect(ours.authTargetState).toEqual(reference.authTargetState);
    expectSameCommands(streams.replisim, streams.redis);
    // The reference really moved keys and rewrote MIGRATE as DEL (not two empty streams).
    expect(streams.redis.filter((argv) => argv[0] === 'DEL')).toEqual([
      ['DEL', 'k1'],
      ['DEL', 'list', 'h'],
      ['DEL', 'set'],
    ]);
    expect(reference.targetState.length).toBeGreaterThan(3);
  });

  it('interoperates: replisim to Redis and Redis to replisim answer as Redis to Redis', async () => {
    const s = servers();
    const reference = await runScript(
      { source: s.redis.port, target: s.redisTarget.port, authTarget: s.redisAuthTarget.port },
      closedPort,
    );
    const toRedis = await runScript(
      { source: s.replisim.port, target: s.redisTarget.port, authTarget: s.redisAuthTarget.port },
      closedPort,
    );
    const toReplisim = await runScript(
      {
        source: s.redis.port,
        target: s.replisimTarget.port,
        authTarget: s.replisimAuthTarget.port,
      },
      closedPort,
    );
    for (const run of [toRedis, toReplisim]) {
      expect(run.replies).toEqual(reference.replies);
      expect(run.targetState).toEqual(reference.targetState);
      expect(run.authTargetState).toEqual(reference.authTargetState);
    }
  });
});
