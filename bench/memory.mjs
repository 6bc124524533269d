/**
 * How close replisim's used_memory estimate is to real Redis 7.0.15's used_memory, and how far
 * both are from the JS heap replisim's process really uses for the same data (docs/maxmemory.md
 * shows the figures).
 *
 * Method: one redis-server (a child process) and one replisim node inside this process (real Env),
 * so this process's heap growth is the node's. For each dataset: FLUSHALL both, collect garbage,
 * read both used_memory figures and process.memoryUsage(); load the dataset into both with
 * pipelined writes; collect garbage again and read everything again. The deltas are per dataset,
 * so the fixed parts (startup, clients) cancel out. Run: `npm run build && node --expose-gc
 * bench/memory.mjs` (about a minute).
 */
import { createRealEnv } from '@replisim/base';
import { loadConfig, ServerNode } from '@replisim/server';
import { encodeRequest, parseInfo, RespClient } from './resp-client.mjs';
import { installCleanup, runAsScript, startInTempDir, stopInTempDir } from './servers.mjs';

const BATCH = 1000;

/** Each dataset: a name and a generator of write commands. */
const DATASETS = [
  {
    name: '100k strings, 10-byte keys, 100-byte values',
    *commands() {
      for (let i = 0; i < 100_000; i++)
        yield ['SET', `key:${String(i).padStart(6, '0')}`, 'v'.repeat(100)];
    },
  },
  {
    name: '100k strings, integer values',
    *commands() {
      for (let i = 0; i < 100_000; i++)
        yield ['SET', `key:${String(i).padStart(6, '0')}`, String(i * 1000)];
    },
  },
  {
    name: '100k strings with a TTL, 20-byte values',
    *commands() {
      for (let i = 0; i < 100_000; i++) {
        yield ['SET', `key:${String(i).padStart(6, '0')}`, 'v'.repeat(20), 'EX', '100000'];
      }
    },
  },
  {
    name: '10k hashes x 10 fields (listpack)',
    *commands() {
      for (let i = 0; i < 10_000; i++) {
        const args = [];
        for (let f = 0; f < 10; f++) args.push(`field${f}`, `value-${i}-${f}`);
        yield ['HSET', `hash:${i}`, ...args];
      }
    },
  },
  {
    name: '100 hashes x 1000 fields (hashtable)',
    *commands() {
      for (let i = 0; i < 100; i++) {
        for (let f = 0; f < 1000; f += 100) {
          const args = [];
          for (let g = f; g < f + 100; g++) args.push(`field${g}`, `value-${g}`);
          yield ['HSET', `hash:${i}`, ...args];
        }
      }
    },
  },
  {
    name: '10k sets x 20 integers (intset)',
    *commands() {
      for (let i = 0; i < 10_000; i++) {
        yield ['SADD', `set:${i}`, ...Array.from({ length: 20 }, (_, m) => String(m * 1000))];
      }
    },
  },
  {
    name: '1k sorted sets x 200 members (skiplist)',
    *commands() {
      for (let i = 0; i < 1000; i++) {
        const args = [];
        for (let m = 0; m < 200; m++) args.push(String(m * 1.5), `member-${m}`);
        yield ['ZADD', `zset:${i}`, ...args];
      }
    },
  },
  {
    name: '1k lists x 1000 elements of 10 bytes',
    *commands() {
      for (let i = 0; i < 1000; i++) {
        for (let e = 0; e < 1000; e += 100) {
          yield ['RPUSH', `list:${i}`, ...Array.from({ length: 100 }, () => 'element-10')];
        }
      }
    },
  },
];

function gc() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
  globalThis.gc();
  globalThis.gc();
}

async function usedMemory(client) {
  return Number(parseInfo(await client.call('INFO', 'memory')).get('used_memory'));
}

function heapBytes() {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

async function load(client, dataset) {
  let batch = [];
  const flush = async () => {
    const replies = await Promise.all(batch.map((argv) => client.send(encodeRequest(argv))));
    const error = replies.find((reply) => reply instanceof Error);
    if (error !== undefined) throw error;
    batch = [];
  };
  for (const argv of dataset.commands()) {
    batch.push(argv);
    if (batch.length === BATCH) await flush();
  }
  await flush();
}

function startReplisim() {
  const loaded = loadConfig('', ['--port', '0', '--bind', '127.0.0.1', '--save', '']);
  if (!loaded.ok) throw new Error(loaded.error.reason);
  const node = new ServerNode({
    env: createRealEnv(),
    config: loaded.config,
    logSink: () => {},
    pid: process.pid,
  });
  return new Promise((resolve, reject) => {
    node.start((result) =>
      result.ok ? resolve({ node, port: result.port }) : reject(new Error(result.message)),
    );
  });
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

async function main() {
  installCleanup();
  const redis = await startInTempDir('redis', 'replisim-memory-', []);
  const replisim = await startReplisim();
  const ours = await RespClient.connect(replisim.port);
  const rows = [];
  try {
    for (const dataset of DATASETS) {
      await redis.control.call('FLUSHALL');
      await ours.call('FLUSHALL');
      gc();
      const before = {
        redis: await usedMemory(redis.control),
        replisim: await usedMemory(ours),
        heap: heapBytes(),
      };
      await load(redis.control, dataset);
      await load(ours, dataset);
      gc();
      const after = {
        redis: await usedMemory(redis.control),
        replisim: await usedMemory(ours),
        heap: heapBytes(),
      };
      const redisDelta = after.redis - before.redis;
      const oursDelta = after.replisim - before.replisim;
      const heapDelta = after.heap - before.heap;
      rows.push(
        `| ${dataset.name} | ${mb(redisDelta)} | ${mb(oursDelta)} | ${((oursDelta / redisDelta) * 100).toFixed(0)}% | ${mb(heapDelta)} | ${(heapDelta / redisDelta).toFixed(2)}x |`,
      );
      process.stdout.write(`${rows.at(-1)}\n`);
    }
  } finally {
    ours.close();
    replisim.node.stop();
    await stopInTempDir(redis);
  }
  process.stdout.write(
    [
      '',
      '| dataset | Redis used_memory (MB) | replisim used_memory (MB) | replisim / Redis | replisim JS heap (MB) | heap / Redis |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

runAsScript(main, process.argv.slice(2));
