/**
 * replisim-server starts on the redis.conf Debian installs (/etc/redis/redis.conf, Redis 7.0's
 * default file) and ends up with the configuration redis-server ends up with on the same file.
 *
 * Method: copy the stock file into a temp dir, start the built binary and a real redis-server on it
 * with the same command-line overrides (port, daemonize no, dir, pidfile, no log file), and compare
 * CONFIG GET * name by name. The differences allowed are the ones that must differ (port, dir and
 * pidfile name each server's own) and replisim's own parameters, listed below. The pid file must
 * hold replisim's pid while it runs and be gone after a clean shutdown. A second case checks
 * `include`, with a plain path and a pattern, against redis-server the same way.
 *
 * Without /etc/redis/redis.conf (no redis-server package), the suite is skipped and says why.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RespValue } from '@replisim/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from './support/cleanups.js';
import { RawClient } from './support/raw-client.js';
import { startRedisServer } from './support/redis-server.js';
import { spawnReplisimServer } from './support/replisim-binary.js';

const STOCK_CONF = '/etc/redis/redis.conf';
const HAS_STOCK = existsSync(STOCK_CONF);
if (!HAS_STOCK) console.log(`config-stock.test.ts skipped: ${STOCK_CONF} is absent`);

/** replisim's own parameters, which redis-server does not have. */
const REPLISIM_ONLY = ['fork-pause-ms-per-gb', 'repl-snapshot-reuse'];
/** Parameters that name each server's own port, folder or pid file. */
const PER_SERVER = ['port', 'dir', 'pidfile'];

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

function bulkText(value: RespValue): string {
  if (value.kind !== 'bulk') throw new Error('expected a bulk string');
  return value.value.toString('latin1');
}

async function configGetAll(port: number): Promise<Map<string, string>> {
  const client = await RawClient.connect(port);
  try {
    const reply = await client.call('CONFIG', 'GET', '*');
    if (reply.value.kind !== 'array') throw new Error('not an array');
    const items = reply.value.items;
    const config = new Map<string, string>();
    for (let i = 0; i < items.length; i += 2) {
      const name = items[i];
      const value = items[i + 1];
      if (name === undefined || value === undefined) throw new Error('odd reply');
      config.set(bulkText(name), bulkText(value));
    }
    return config;
  } finally {
    client.close();
  }
}

/** Starts both servers on `confPath` plus `overrides`, each in its own folder. */
async function startBoth(confPath: string, overrides: readonly string[]) {
  const redisDir = cleanups.tempDir('replisim-stock-redis-');
  const replisimDir = cleanups.tempDir('replisim-stock-replisim-');
  const redis = await startRedisServer(
    ['--pidfile', join(redisDir, 'redis.pid'), '--logfile', '', ...overrides],
    { configFile: confPath },
  );
  cleanups.add(() => redis.stop());
  const replisim = await spawnReplisimServer(
    [
      confPath,
      '--port',
      '0',
      '--daemonize',
      'no',
      '--dir',
      replisimDir,
      '--pidfile',
      join(replisimDir, 'replisim.pid'),
      '--logfile',
      '',
      // As startRedisServer gives redis-server.
      '--bind',
      '127.0.0.1',
      '--appendonly',
      'no',
      ...overrides,
    ],
    { cwd: replisimDir },
  );
  cleanups.add(async () => {
    await replisim.stop('SIGKILL');
  });
  return { redis, replisim, replisimDir };
}

describe.skipIf(!HAS_STOCK)('the stock redis.conf', () => {
  it('starts replisim-server, which then shows the configuration redis-server shows', async () => {
    const dir = cleanups.tempDir('replisim-stock-conf-');
    const confPath = join(dir, 'redis.conf');
    copyFileSync(STOCK_CONF, confPath);
    const { redis, replisim, replisimDir } = await startBoth(confPath, []);
    const pidfile = join(replisimDir, 'replisim.pid');
    expect(readFileSync(pidfile, 'latin1')).toBe(`${replisim.process.pid}\n`);

    const [expected, actual] = await Promise.all([
      configGetAll(redis.port),
      configGetAll(replisim.port),
    ]);
    const missing = [...expected.keys()].filter((name) => !actual.has(name));
    const extra = [...actual.keys()].filter((name) => !expected.has(name));
    const differing = [...expected.entries()]
      .filter(([name]) => !PER_SERVER.includes(name) && actual.has(name))
      .filter(([name, value]) => actual.get(name) !== value)
      .map(([name, value]) => `${name}: redis '${value}', replisim '${actual.get(name)}'`);
    expect(missing).toEqual([]);
    expect(extra.sort()).toEqual(REPLISIM_ONLY);
    expect(differing).toEqual([]);
    expect(expected.size).toBeGreaterThan(180);
    expect(actual.get('dir')).toBe(replisimDir);
    expect(actual.get('pidfile')).toBe(pidfile);

    // A clean shutdown removes the pid file, as prepareForShutdown does.
    const client = await RawClient.connect(replisim.port);
    client.command('SHUTDOWN', 'NOSAVE');
    await client.waitClosed(5000);
    client.close();
    expect(await replisim.process.exited()).toEqual({ code: 0, signal: null });
    expect(existsSync(pidfile)).toBe(false);
  });

  it('applies include files in place, by path and by pattern, as redis-server does', async () => {
    const dir = cleanups.tempDir('replisim-stock-include-');
    writeFileSync(join(dir, 'a.conf'), 'hz 15\nslowlog-max-len 7\n');
    writeFileSync(join(dir, 'extra-1.conf'), 'timeout 30\nnotify-keyspace-events Ex\n');
    writeFileSync(join(dir, 'extra-2.conf'), 'timeout 40\noom-score-adj relative\n');
    const confPath = join(dir, 'main.conf');
    writeFileSync(
      confPath,
      [
        'hz 12',
        `include ${join(dir, 'a.conf')}`,
        `include ${join(dir, 'extra-*.conf')}`,
        `include ${join(dir, 'none-*.conf')}`,
        'slowlog-max-len 9',
        'supervised systemd',
        '',
      ].join('\n'),
    );
    const { redis, replisim } = await startBoth(confPath, ['--save', '']);
    const [expected, actual] = await Promise.all([
      configGetAll(redis.port),
      configGetAll(replisim.port),
    ]);
    for (const name of [
      'hz',
      'slowlog-max-len',
      'timeout',
      'notify-keyspace-events',
      'oom-score-adj',
      'supervised',
    ]) {
      expect(`${name}=${actual.get(name)}`).toBe(`${name}=${expected.get(name)}`);
    }
    expect(actual.get('hz')).toBe('15');
    expect(actual.get('timeout')).toBe('40');
  });
});
