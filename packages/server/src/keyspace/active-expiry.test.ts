/**
 * Active expiry removes keys nobody touches, and each cycle does bounded work.
 *
 * Method: a simulated node whose clock the test advances. Keys with a short TTL are written, then
 * virtual time passes with no command touching them; DBSIZE (which never expires anything) and
 * INFO's expired_keys show the cron deleting them, and the propagation stream shows one DEL per
 * key, as lazy expiry would send. DEBUG SET-ACTIVE-EXPIRE 0 stops it. The bound is checked on
 * ActiveExpiry directly: one cycle over 10000 expired keys removes at most LOOPS_MAX x keysPerLoop
 * of them, and a monotonic clock that advances on every read stops a cycle at its time budget.
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from '../testing/sim-client.js';
import { startSimServer } from '../testing/sim-server.js';
import {
  ACTIVE_EXPIRE_CYCLE_LOOPS_MAX,
  ActiveExpiry,
  activeExpiryLimits,
} from './active-expiry.js';
import { Database } from './database.js';

const NETWORK = { latencyMsMin: 1, latencyMsMax: 1 };
const KEYS = 500;

function infoField(client: SimClient, field: string): string {
  const line = client
    .call('INFO', 'stats')
    .split('\r\n')
    .find((candidate) => candidate.startsWith(`${field}:`));
  if (line === undefined) throw new Error(`INFO has no ${field}`);
  return line.slice(field.length + 1);
}

function writeVolatileKeys(client: SimClient): void {
  client.pipeline(
    Array.from({ length: KEYS }, (_, i) => ['SET', `volatile:${i}`, 'v', 'PX', '100']),
  );
  client.read(KEYS);
  client.pipeline([['SET', 'persistent', 'v']]);
  client.read(1);
}

describe('active expiry', () => {
  it('deletes expired keys that are never touched, propagating DEL for each', () => {
    const { world, node } = startSimServer({ seed: 11, network: NETWORK });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    writeVolatileKeys(client);
    const stream: string[] = [];
    node.propagation.subscribe((chunk) => stream.push(chunk.bytes.toString('latin1')));
    expect(client.call('DBSIZE')).toBe(`:${KEYS + 1}\r\n`);
    world.runFor(2000);
    expect(client.call('DBSIZE')).toBe(':1\r\n');
    expect(infoField(client, 'expired_keys')).toBe(String(KEYS));
    const dels = stream.join('').split('*2\r\n$3\r\nDEL\r\n').length - 1;
    expect(dels).toBe(KEYS);
  });

  it('stays off after DEBUG SET-ACTIVE-EXPIRE 0 and resumes after 1', () => {
    const { world } = startSimServer({
      seed: 12,
      network: NETWORK,
      options: ['--enable-debug-command', 'yes'],
    });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    expect(client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('+OK\r\n');
    writeVolatileKeys(client);
    world.runFor(2000);
    expect(client.call('DBSIZE')).toBe(`:${KEYS + 1}\r\n`);
    expect(client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toBe('+OK\r\n');
    world.runFor(2000);
    expect(client.call('DBSIZE')).toBe(':1\r\n');
  });

  it('bounds one cycle by its loop cap when time does not move', () => {
    const db = new Database(0, { onExpired: () => undefined });
    for (let i = 0; i < 10_000; i++) {
      db.set(`k${i}`, { type: 'string', value: Buffer.from('v') });
      db.setExpiry(`k${i}`, 50);
    }
    const expiry = new ActiveExpiry();
    const params = { effort: 1, hz: 10 };
    const { keysPerLoop } = activeExpiryLimits(params);
    const first = expiry.cycle([db], 100, () => 0, params);
    expect(first.budgetExhausted).toBe(true);
    expect(first.loops).toBe(ACTIVE_EXPIRE_CYCLE_LOOPS_MAX);
    expect(first.expired).toBe(ACTIVE_EXPIRE_CYCLE_LOOPS_MAX * keysPerLoop);
    expect(db.size()).toBe(10_000 - first.expired);
    // Later cycles carry on until nothing is left; a cycle on a clean database stops at once.
    let cycles = 1;
    while (db.size() > 0) {
      expiry.cycle([db], 100, () => 0, params);
      cycles++;
    }
    expect(cycles).toBe(Math.ceil(10_000 / first.expired));
    expect(expiry.cycle([db], 100, () => 0, params).loops).toBe(0);
  });

  it('stops a cycle at its time budget (25% of the cron period at effort 1)', () => {
    const db = new Database(0, { onExpired: () => undefined });
    for (let i = 0; i < 10_000; i++) {
      db.set(`k${i}`, { type: 'string', value: Buffer.from('v') });
      db.setExpiry(`k${i}`, 50);
    }
    let clockMs = 0;
    // Every clock read costs 1 ms: the 25 ms budget at hz 10 allows about 25 loops.
    const result = new ActiveExpiry().cycle([db], 100, () => clockMs++, { effort: 1, hz: 10 });
    expect(activeExpiryLimits({ effort: 1, hz: 10 }).budgetMs).toBe(25);
    expect(result.budgetExhausted).toBe(true);
    expect(result.loops).toBeGreaterThan(20);
    expect(result.loops).toBeLessThan(30);
  });

  it('stops looping once at most 10% of a sample had expired', () => {
    const db = new Database(0, { onExpired: () => undefined });
    for (let i = 0; i < 1000; i++) {
      db.set(`k${i}`, { type: 'string', value: Buffer.from('v') });
      db.setExpiry(`k${i}`, i % 20 === 0 ? 50 : 1_000_000);
    }
    const result = new ActiveExpiry().cycle([db], 100, () => 0, { effort: 1, hz: 10 });
    expect(result.loops).toBe(1);
    expect(result.sampled).toBe(20);
    expect(result.expired).toBe(1);
  });
});
