/**
 * The forkless BGSAVE on the real Env: real sockets, real time, node:fs through the Disk adapter,
 * and setImmediate between slices. The dump it writes must pass the real `redis-check-rdb` 7.0.15,
 * while clients keep being served and keep writing during the save; and the dump must hold the
 * dataset of the BGSAVE's start instant, not the writes made meanwhile.
 *
 * Method: a replisim node in this process (test/support/replisim-node.ts) with a temp dir as `dir`;
 * a dataset of every type with TTLs is written over a raw RESP connection, BGSAVE runs while the
 * client overwrites keys, and INFO is polled until the save is done. Then redis-check-rdb reads the
 * file, and the file is read back with the codec to check point-in-time on real IO too.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RdbReader } from '@replisim/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { runChild } from './support/processes.js';
import { RawClient } from './support/raw-client.js';
import { startReplisimNode } from './support/replisim-node.js';

const KEYS = 20_000;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function datasetCommands(): string[][] {
  const commands: string[][] = [];
  for (let i = 0; i < KEYS; i++) {
    switch (i % 5) {
      case 0:
        commands.push(['SET', `s${i}`, `value-${i}-${'x'.repeat(i % 50)}`]);
        break;
      case 1:
        commands.push(['RPUSH', `l${i}`, 'a', 'b', String(i)]);
        break;
      case 2:
        commands.push(['HSET', `h${i}`, 'f1', 'v1', 'f2', String(i)]);
        break;
      case 3:
        commands.push(['SADD', `t${i}`, '1', '2', String(i)]);
        break;
      default:
        commands.push(['ZADD', `z${i}`, '1', 'a', '2.5', String(i)]);
    }
    if (i % 7 === 0) commands.push(['PEXPIRE', commands.at(-1)?.[1] ?? '', '3600000']);
  }
  return commands;
}

describe('BGSAVE on the real Env', () => {
  it('writes a dump redis-check-rdb accepts, holding the start-instant dataset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replisim-bgsave-real-'));
    dirs.push(dir);
    const server = await startReplisimNode(['--dir', dir, '--save', '']);
    const client = await RawClient.connect(server.port);
    try {
      const setup = datasetCommands();
      for (let i = 0; i < setup.length; i += 1000) {
        const batch = setup.slice(i, i + 1000);
        for (const argv of batch) client.command(...argv);
        await client.read(batch.length, 10_000);
      }
      // Small slices, so the save spans many event-loop turns on real time too.
      server.node.persistence.sliceBudget = { keysMax: 64, bytesMax: 16 * 1024, msMax: 0.5 };
      expect((await client.call('BGSAVE')).bytes.toString()).toBe('+Background saving started\r\n');
      // Writes during the save: served meanwhile, and absent from the dump.
      for (let i = 0; i < 200; i++) client.command('SET', `s${i * 5}`, 'changed-during-bgsave');
      const replies = await client.read(200, 10_000);
      expect(replies.every((reply) => reply.bytes.toString() === '+OK\r\n')).toBe(true);
      expect(server.node.persistence.bgsaveInProgress).toBe(true);
      for (let i = 0; i < 500; i++) {
        const info = (await client.call('INFO', 'persistence')).bytes.toString();
        if (info.includes('rdb_bgsave_in_progress:0')) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const info = (await client.call('INFO', 'persistence')).bytes.toString();
      expect(info).toContain('rdb_bgsave_in_progress:0\r\n');
      expect(info).toContain('rdb_last_bgsave_status:ok\r\n');

      const check = await runChild('redis-check-rdb', [join(dir, 'dump.rdb')]);
      expect(check.stdout).toContain('\\o/ RDB looks OK! \\o/');
      expect(check.stdout).toContain(`[info] ${KEYS} keys read`);
      expect(check.code).toBe(0);

      const reader = new RdbReader({ verifyChecksum: true });
      reader.push(readFileSync(join(dir, 'dump.rdb')));
      reader.end();
      let keys = 0;
      for (let record = reader.next(); record !== undefined; record = reader.next()) {
        if (record.kind !== 'key') continue;
        keys++;
        if (record.key === 's0' && record.value.type === 'string') {
          expect(record.value.value.toString()).toBe('value-0-');
        }
      }
      expect(keys).toBe(KEYS);
    } finally {
      client.close();
      server.stop();
    }
  }, 60_000);
});
