/**
 * SAVE, BGSAVE, LASTSAVE, save rules, MISCONF and INFO persistence on a simulated node, against
 * Redis 7.0.15's replies and log lines (reference §1.1-1.3, §1.7, §5).
 *
 * Method: startSimServer builds a node on a simulated host whose disk has real crash semantics
 * (SimDisk: unsynced data and un-dir-fsynced renames are lost on a crash) and fault knobs
 * (failNext, setFaults). Clients are raw RESP clients; files are inspected on the host's disk, and
 * dumps are read back with the RDB codec's reader. Each test names the Redis behaviour it checks.
 */
import type { SimHost } from '@replisim/base';
import { RdbReader, type RdbRecord } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { SimClient } from '../testing/sim-client.js';
import { runUntil, type SimServer, startSimServer } from '../testing/sim-server.js';

const MISCONF =
  "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\r\n";

function start(options: readonly string[] = [], seed = 1): { sim: SimServer; client: SimClient } {
  const sim = startSimServer({ seed, options: ['--save', '', ...options] });
  return { sim, client: SimClient.open(sim.world, sim.world.addHost('client', '10.0.0.2')) };
}

/** Every record of a dump. */
function readDump(bytes: Uint8Array | undefined): RdbRecord[] {
  expect(bytes).toBeDefined();
  const reader = new RdbReader({ verifyChecksum: true });
  reader.push(bytes ?? new Uint8Array());
  reader.end();
  const records: RdbRecord[] = [];
  for (let record = reader.next(); record !== undefined; record = reader.next()) {
    records.push(record);
  }
  expect(reader.done).toBe(true);
  return records;
}

function keysOf(records: readonly RdbRecord[]): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const record of records) {
    if (record.kind === 'key' && record.value.type === 'string') {
      keys[`${record.db}:${record.key}`] = record.value.value.toString('latin1');
    }
  }
  return keys;
}

function waitBgsaveDone(sim: SimServer): void {
  expect(runUntil(sim.world, () => !sim.node.persistence.bgsaveInProgress, 10_000)).toBe(true);
}

function infoField(client: SimClient, field: string): string {
  const text = client.call('INFO', 'persistence');
  const line = text.split('\r\n').find((entry) => entry.startsWith(`${field}:`));
  expect(line, `INFO field ${field}`).toBeDefined();
  return (line ?? '').slice(field.length + 1);
}

function durable(host: SimHost, path: string): Uint8Array | undefined {
  return host.disk.readDurableFileSync(path);
}

describe('SAVE', () => {
  it('writes the dump durably, replies +OK and resets the change counter', () => {
    const { sim, client } = start();
    client.call('SET', 'a', '1');
    expect(infoField(client, 'rdb_changes_since_last_save')).toBe('1');
    expect(client.call('SAVE')).toBe('+OK\r\n');
    expect(keysOf(readDump(durable(sim.host, '/dump.rdb')))).toEqual({ '0:a': '1' });
    expect(infoField(client, 'rdb_changes_since_last_save')).toBe('0');
    expect(infoField(client, 'rdb_saves')).toBe('1');
    expect(sim.logs.some((line) => line.endsWith('* DB saved on disk'))).toBe(true);
    expect(sim.host.disk.listSync('/')?.filter((name) => name.startsWith('temp-'))).toEqual([]);
  });

  it('holds every client until the file is renamed, then runs what they sent meanwhile', () => {
    const { sim, client } = start();
    const other = SimClient.open(sim.world, sim.world.addHost('other', '10.0.0.3'));
    sim.host.disk.setFaults({ latencyMsMin: 50, latencyMsMax: 50 });
    client.pipeline([['SAVE'], ['SET', 'after', '1']]);
    runUntil(sim.world, () => sim.node.paused, 100);
    other.pipeline([['SET', 'other', '1']]);
    sim.world.runFor(60);
    // Still saving: nobody got a reply, and the dump does not exist yet.
    expect(sim.node.paused).toBe(true);
    expect(client.unread()).toEqual([]);
    expect(other.unread()).toEqual([]);
    const replies = client.read(2, 5000).map((reply) => reply.bytes.toString());
    expect(replies).toEqual(['+OK\r\n', '+OK\r\n']);
    expect(other.read(1)[0]?.bytes.toString()).toBe('+OK\r\n');
    expect(keysOf(readDump(sim.host.disk.readFileSync('/dump.rdb')))).toEqual({});
  });

  it('replies the bare -ERR when the temp file cannot be created, and logs why', () => {
    const { sim, client } = start(['--dir', '/missing']);
    expect(client.call('SAVE')).toBe('-ERR\r\n');
    expect(sim.logs.at(-1)).toContain(
      '# Failed opening the temp RDB file temp-4242.rdb (in server root dir /missing) for saving: No such file or directory',
    );
  });

  it('is refused while a BGSAVE runs', () => {
    const { sim, client } = start();
    sim.host.disk.setFaults({ latencyMsMin: 20, latencyMsMax: 20 });
    client.call('SET', 'a', '1');
    expect(client.call('BGSAVE')).toBe('+Background saving started\r\n');
    expect(client.call('SAVE')).toBe('-ERR Background save already in progress\r\n');
    waitBgsaveDone(sim);
  });
});

describe('BGSAVE', () => {
  it('writes temp-<pid>.rdb, renames it over dump.rdb and logs as Redis does', () => {
    const { sim, client } = start();
    sim.host.disk.setFaults({ latencyMsMin: 100, latencyMsMax: 100 });
    client.call('SET', 'k', 'v');
    expect(client.call('BGSAVE')).toBe('+Background saving started\r\n');
    expect(client.call('BGSAVE')).toBe('-ERR Background save already in progress\r\n');
    expect(client.call('BGSAVE', 'SCHEDULE')).toBe('-ERR Background save already in progress\r\n');
    expect(infoField(client, 'rdb_bgsave_in_progress')).toBe('1');
    runUntil(sim.world, () => sim.host.disk.existsSync('/temp-4243.rdb'), 1000);
    expect(sim.host.disk.existsSync('/temp-4243.rdb')).toBe(true);
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(false);
    waitBgsaveDone(sim);
    expect(sim.host.disk.existsSync('/temp-4243.rdb')).toBe(false);
    expect(keysOf(readDump(durable(sim.host, '/dump.rdb')))).toEqual({ '0:k': 'v' });
    const lines = sim.logs.map((line) => line.replace(/^.*? [*#] /, ''));
    expect(lines).toContain('Background saving started by pid 4243');
    expect(lines).toContain('Background saving terminated with success');
    expect(infoField(client, 'rdb_last_bgsave_status')).toBe('ok');
    expect(infoField(client, 'rdb_changes_since_last_save')).toBe('0');
    expect(client.call('INFO', 'stats')).toContain('total_forks:1\r\n');
  });

  it('keeps counting writes made while it runs (dirty -= dirty_before_bgsave)', () => {
    const { sim, client } = start();
    sim.host.disk.setFaults({ latencyMsMin: 20, latencyMsMax: 20 });
    client.call('SET', 'a', '1');
    client.call('SET', 'b', '1');
    client.call('BGSAVE');
    client.call('SET', 'c', '1');
    waitBgsaveDone(sim);
    expect(infoField(client, 'rdb_changes_since_last_save')).toBe('1');
    expect(keysOf(readDump(durable(sim.host, '/dump.rdb')))).toEqual({ '0:a': '1', '0:b': '1' });
  });

  it('rejects a second argument other than SCHEDULE; SCHEDULE alone starts at once', () => {
    const { sim, client } = start();
    expect(client.call('BGSAVE', 'now')).toBe('-ERR syntax error\r\n');
    expect(client.call('BGSAVE', 'schedule')).toBe('+Background saving started\r\n');
    waitBgsaveDone(sim);
  });

  it('inside MULTI/EXEC is scheduled, and the cron starts it', () => {
    const { sim, client } = start();
    client.pipeline([['MULTI'], ['BGSAVE'], ['EXEC']]);
    const replies = client.read(3).map((reply) => reply.bytes.toString());
    expect(replies).toEqual(['+OK\r\n', '+QUEUED\r\n', '*1\r\n+Background saving scheduled\r\n']);
    expect(sim.node.persistence.bgsaveScheduled).toBe(true);
    runUntil(sim.world, () => sim.node.persistence.bgsaveInProgress, 1000);
    expect(sim.node.persistence.bgsaveScheduled).toBe(false);
    waitBgsaveDone(sim);
    expect(sim.host.disk.existsSync('/dump.rdb')).toBe(true);
  });

  it('LASTSAVE is the start time at first, then the time of the last successful save', () => {
    const { sim, client } = start();
    const startSeconds = Math.floor(sim.host.env.clock.wallMs() / 1000);
    expect(client.call('LASTSAVE')).toBe(`:${startSeconds}\r\n`);
    sim.world.runFor(5000);
    client.call('BGSAVE');
    waitBgsaveDone(sim);
    const saved = Math.floor(sim.host.env.clock.wallMs() / 1000);
    expect(client.call('LASTSAVE')).toBe(`:${saved}\r\n`);
    expect(saved).toBeGreaterThan(startSeconds);
  });
});

describe('disk failures', () => {
  const cases: { name: string; fault: (host: SimHost) => void; log: string }[] = [
    {
      name: 'ENOSPC while writing',
      fault: (host) => host.disk.setFaults({ spaceBytesMax: 10 }),
      log: 'Write error saving DB on disk(rdbSaveRio): No space left on device',
    },
    {
      name: 'EIO while writing',
      fault: (host) => host.disk.failNext('write'),
      log: 'Write error saving DB on disk(rdbSaveRio): Input/output error',
    },
    {
      name: 'EIO at fsync',
      fault: (host) => host.disk.failNext('fsync'),
      log: 'Write error saving DB on disk(fsync): Input/output error',
    },
  ];
  for (const { name, fault, log } of cases) {
    it(`${name}: status err, temp file removed, previous dump intact`, () => {
      const { sim, client } = start();
      client.call('SET', 'old', '1');
      expect(client.call('SAVE')).toBe('+OK\r\n');
      const previous = durable(sim.host, '/dump.rdb');
      client.call('SET', 'new', '2');
      fault(sim.host);
      client.call('BGSAVE');
      waitBgsaveDone(sim);
      expect(infoField(client, 'rdb_last_bgsave_status')).toBe('err');
      expect(sim.logs.some((line) => line.endsWith(`# ${log}`))).toBe(true);
      expect(sim.logs.at(-1)).toMatch(/# Background saving error$/);
      expect(sim.host.disk.listSync('/')?.filter((file) => file.startsWith('temp-'))).toEqual([]);
      expect(durable(sim.host, '/dump.rdb')).toEqual(previous);
      expect(sim.host.disk.readFileSync('/dump.rdb')).toEqual(previous);
    });
  }

  it('a crash in the middle of a BGSAVE leaves the previous dump intact', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { sim, client } = start([], seed);
      client.call('SET', 'old', 'x'.repeat(100));
      expect(client.call('SAVE')).toBe('+OK\r\n');
      const previous = durable(sim.host, '/dump.rdb');
      client.pipeline(
        Array.from({ length: 200 }, (_, i) => ['SET', `k${i}`, 'y'.repeat(500)] as const).map(
          (argv) => [...argv],
        ),
      );
      client.read(200);
      sim.node.persistence.sliceBudget = { keysMax: 5, bytesMax: 4096, msMax: 1 };
      client.call('BGSAVE');
      // Crash after a seed-dependent number of events: during writes, fsync, rename or dir sync.
      for (let i = 0; i < seed * 7; i++) sim.world.step();
      sim.host.crash();
      const after = durable(sim.host, '/dump.rdb');
      const finished = after !== undefined && keysOf(readDump(after))['0:k199'] !== undefined;
      if (!finished) expect(after).toEqual(previous);
      else expect(Object.keys(keysOf(readDump(after)))).toHaveLength(201);
    }
  });
});

describe('save rules', () => {
  it('with `save 2 1`, a write at T0 starts a BGSAVE once 3 whole seconds have passed', () => {
    const sim = startSimServer({ seed: 3, options: ['--save', '2 1'] });
    const client = SimClient.open(sim.world, sim.world.addHost('client', '10.0.0.2'));
    const lastsave = sim.node.persistence.lastsaveSeconds;
    client.call('SET', 'a', '1');
    expect(runUntil(sim.world, () => sim.node.persistence.bgsaveInProgress, 10_000)).toBe(true);
    const startedSeconds = Math.floor(sim.host.env.clock.wallMs() / 1000);
    expect(startedSeconds - lastsave).toBe(3);
    expect(sim.logs.some((line) => line.endsWith('* 1 changes in 2 seconds. Saving...'))).toBe(
      true,
    );
    waitBgsaveDone(sim);
    expect(infoField(client, 'rdb_changes_since_last_save')).toBe('0');
  });

  it('retries a failed BGSAVE only after 5 more seconds, and MISCONF refuses writes meanwhile', () => {
    const sim = startSimServer({ seed: 4, options: ['--save', '1 1'] });
    const client = SimClient.open(sim.world, sim.world.addHost('client', '10.0.0.2'));
    sim.host.disk.failNext('open');
    client.call('SET', 'a', '1');
    expect(runUntil(sim.world, () => sim.node.persistence.bgsaveInProgress, 5000)).toBe(true);
    waitBgsaveDone(sim);
    const failedAt = sim.node.persistence.lastBgsaveTrySeconds;
    expect(infoField(client, 'rdb_last_bgsave_status')).toBe('err');
    expect(client.call('SET', 'b', '1')).toBe(MISCONF);
    expect(client.call('PING')).toBe(MISCONF);
    expect(client.call('GET', 'a')).toBe('$1\r\n1\r\n');
    client.pipeline([['MULTI'], ['SET', 'c', '1'], ['EXEC']]);
    expect(client.read(3).map((reply) => reply.bytes.toString())).toEqual([
      '+OK\r\n',
      MISCONF,
      '-EXECABORT Transaction discarded because of previous errors.\r\n',
    ]);
    expect(runUntil(sim.world, () => sim.node.persistence.bgsaveInProgress, 10_000)).toBe(true);
    const retriedAt = Math.floor(sim.host.env.clock.wallMs() / 1000);
    expect(retriedAt - failedAt).toBe(6);
    waitBgsaveDone(sim);
    expect(infoField(client, 'rdb_last_bgsave_status')).toBe('ok');
    expect(client.call('SET', 'b', '1')).toBe('+OK\r\n');
  });

  it('MISCONF clears with CONFIG SET stop-writes-on-bgsave-error no, and needs save rules', () => {
    const sim = startSimServer({ seed: 5, options: ['--save', '3600 1'] });
    const client = SimClient.open(sim.world, sim.world.addHost('client', '10.0.0.2'));
    sim.host.disk.failNext('write');
    client.call('SET', 'a', '1');
    client.call('BGSAVE');
    waitBgsaveDone(sim);
    expect(client.call('SET', 'a', '2')).toBe(MISCONF);
    expect(client.call('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no')).toBe('+OK\r\n');
    expect(client.call('SET', 'a', '2')).toBe('+OK\r\n');
    expect(client.call('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes')).toBe('+OK\r\n');
    expect(client.call('PING')).toBe(MISCONF);
    expect(client.call('CONFIG', 'SET', 'save', '')).toBe('+OK\r\n');
    expect(client.call('PING')).toBe('+PONG\r\n');
  });

  it('CONFIG SET save at run time arms the rules', () => {
    const { sim, client } = start();
    client.call('SET', 'a', '1');
    sim.world.runFor(3000);
    expect(sim.node.persistence.bgsaveInProgress).toBe(false);
    expect(client.call('CONFIG', 'SET', 'save', '1 1')).toBe('+OK\r\n');
    expect(runUntil(sim.world, () => sim.node.persistence.bgsaveInProgress, 1000)).toBe(true);
    waitBgsaveDone(sim);
  });
});

describe('FLUSHALL and a BGSAVE', () => {
  it('without save rules: the BGSAVE is killed, its temp file removed, the old dump stays', () => {
    const { sim, client } = start();
    client.call('SET', 'old', '1');
    client.call('SAVE');
    const previous = durable(sim.host, '/dump.rdb');
    client.pipeline(Array.from({ length: 100 }, (_, i) => ['SET', `k${i}`, 'v']));
    client.read(100);
    // A slow disk, so the save is still writing when FLUSHALL arrives.
    sim.host.disk.setFaults({ latencyMsMin: 50, latencyMsMax: 50 });
    sim.node.persistence.sliceBudget = { keysMax: 2, bytesMax: 64, msMax: 1 };
    client.call('BGSAVE');
    runUntil(sim.world, () => sim.host.disk.existsSync('/temp-4243.rdb'), 1000);
    expect(client.call('FLUSHALL')).toBe('+OK\r\n');
    expect(sim.node.persistence.bgsaveInProgress).toBe(false);
    // The write in flight, then the close and the unlink, at 50 ms each.
    sim.world.runFor(500);
    expect(sim.host.disk.existsSync('/temp-4243.rdb')).toBe(false);
    expect(durable(sim.host, '/dump.rdb')).toEqual(previous);
    expect(infoField(client, 'rdb_last_bgsave_status')).toBe('ok');
    expect(
      sim.logs.some((line) => line.endsWith('# Background saving terminated by signal 10')),
    ).toBe(true);
  });

  it('with save rules: the empty dataset is saved before +OK and the counter is 0', () => {
    const sim = startSimServer({ seed: 6, options: ['--save', '3600 1'] });
    const client = SimClient.open(sim.world, sim.world.addHost('client', '10.0.0.2'));
    client.call('SET', 'a', '1');
    client.call('SAVE');
    client.call('SET', 'b', '1');
    expect(client.call('FLUSHALL')).toBe('+OK\r\n');
    expect(keysOf(readDump(durable(sim.host, '/dump.rdb')))).toEqual({});
    expect(infoField(client, 'rdb_changes_since_last_save')).toBe('0');
  });
});

describe('INFO', () => {
  it('persistence has Redis 7.0.15 fields in order, with live BGSAVE progress', () => {
    const { sim, client } = start();
    client.pipeline(Array.from({ length: 50 }, (_, i) => ['SET', `k${i}`, 'v']));
    client.read(50);
    sim.node.persistence.sliceBudget = { keysMax: 10, bytesMax: 1 << 20, msMax: 1 };
    sim.host.disk.setFaults({ latencyMsMin: 30, latencyMsMax: 30 });
    // INFO right after BGSAVE: the network may deliver it after a slice or two, never after all.
    client.pipeline([['BGSAVE'], ['INFO', 'persistence']]);
    const text = client.read(2)[1]?.bytes.toString() ?? '';
    const names = text
      .split('\r\n')
      .slice(1)
      .filter((line) => line.includes(':'))
      .map((line) => line.split(':')[0]);
    expect(names).toEqual([
      'loading',
      'async_loading',
      'current_cow_peak',
      'current_cow_size',
      'current_cow_size_age',
      'current_fork_perc',
      'current_save_keys_processed',
      'current_save_keys_total',
      'rdb_changes_since_last_save',
      'rdb_bgsave_in_progress',
      'rdb_last_save_time',
      'rdb_last_bgsave_status',
      'rdb_last_bgsave_time_sec',
      'rdb_current_bgsave_time_sec',
      'rdb_saves',
      'rdb_last_cow_size',
      'rdb_last_load_keys_expired',
      'rdb_last_load_keys_loaded',
      'aof_enabled',
      'aof_rewrite_in_progress',
      'aof_rewrite_scheduled',
      'aof_last_rewrite_time_sec',
      'aof_current_rewrite_time_sec',
      'aof_last_bgrewrite_status',
      'aof_rewrites',
      'aof_rewrites_consecutive_failures',
      'aof_last_write_status',
      'aof_last_cow_size',
      'module_fork_in_progress',
      'module_fork_last_cow_size',
    ]);
    const processed = Number(/current_save_keys_processed:(\d+)/.exec(text)?.[1]);
    // Slices of 10 keys, and at least the last one was not written yet.
    expect(processed % 10).toBe(0);
    expect(processed).toBeLessThan(50);
    expect(text).toContain(`\r\ncurrent_fork_perc:${(processed * 2).toFixed(2)}\r\n`);
    expect(text).toContain('\r\ncurrent_save_keys_total:50\r\n');
    expect(text).toContain('\r\nrdb_bgsave_in_progress:1\r\n');
    expect(infoField(client, 'rdb_current_bgsave_time_sec')).toBe('0');
    expect(infoField(client, 'rdb_last_bgsave_time_sec')).toBe('-1');
    waitBgsaveDone(sim);
    expect(infoField(client, 'current_save_keys_total')).toBe('0');
    expect(infoField(client, 'rdb_last_bgsave_time_sec')).toBe('0');
    expect(infoField(client, 'rdb_saves')).toBe('1');
  });

  it('fork-pause-ms-per-gb holds clients at a BGSAVE start and shows in latest_fork_usec', () => {
    const { sim, client } = start(['--fork-pause-ms-per-gb', '100000']);
    client.call('SET', 'a', '1');
    const usedMemory = Number(/used_memory:(\d+)/.exec(client.call('INFO', 'memory'))?.[1]);
    const pauseMs = Math.round((usedMemory / 1024 ** 3) * 100_000);
    expect(pauseMs).toBeGreaterThan(10);
    const before = sim.world.now();
    client.pipeline([['BGSAVE'], ['PING']]);
    client.read(2, 5000);
    expect(sim.world.now() - before).toBeGreaterThanOrEqual(pauseMs);
    expect(client.call('INFO', 'stats')).toContain(`latest_fork_usec:${pauseMs * 1000}\r\n`);
    expect(client.call('CONFIG', 'GET', 'fork-pause-ms-per-gb')).toContain('100000');
  });
});
