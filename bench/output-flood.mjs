/**
 * The output flood of issue 9 item 4, measured on real processes: one client pipelines COUNT
 * `GET k` of a VALUE_BYTES value in one write and reads the replies as fast as it can, while a
 * second client sends PING every PROBE_MS. Reported per server (redis-server and replisim-server)
 * and per output limit (none, and `client-output-buffer-limit normal 10mb 5mb 10`):
 *
 * - peak RSS of the server process during the flood (sampled from /proc/<pid>/status),
 * - RSS held SETTLE_MS after the flooding client left,
 * - the longest PING round trip during the flood (how long the event loop stood still),
 * - how many reply bytes the flooding client got and whether the server closed it.
 *
 * Run: `npm run build && node bench/output-flood.mjs [--count 2200] [--servers redis,replisim]`.
 * It starts and stops its own servers on free ports (bench/servers.mjs) and writes to stdout only.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { encodeRequest } from './resp-client.mjs';
import {
  installCleanup,
  nowMs,
  runAsScript,
  sleep,
  startInTempDir,
  stopInTempDir,
} from './servers.mjs';

const VALUE_BYTES = 1024 * 1024;
const PROBE_MS = 10;
const RSS_SAMPLE_MS = 20;
const SETTLE_MS = 5000;
const FLOOD_TIMEOUT_MS = 180_000;
const LIMITS = [
  { label: 'no limit (normal 0 0 0)', args: [] },
  { label: 'normal 10mb 5mb 10', args: ['--client-output-buffer-limit', 'normal 10mb 5mb 10'] },
];

function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match === null ? 0 : Number(match[1]) * 1024;
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Pipelines `count` GETs in one write; resolves with the bytes read and how the stream ended. */
function flood(port, count) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const expected = count * (`$${VALUE_BYTES}\r\n`.length + VALUE_BYTES + 2);
    let received = 0;
    let settled = false;
    const finish = (how) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, how });
    };
    const timer = setTimeout(() => finish('timeout'), FLOOD_TIMEOUT_MS);
    socket.on('connect', () => {
      const one = encodeRequest(['GET', 'k']);
      socket.write(Buffer.concat(Array.from({ length: count }, () => one)));
    });
    socket.on('data', (chunk) => {
      received += chunk.length;
      if (received >= expected) finish('all replies');
    });
    socket.on('error', () => finish('error'));
    socket.on('close', () => finish('closed by the server'));
  });
}

async function measure(name, limit, count) {
  const node = await startInTempDir(name, 'replisim-flood-', {
    replisimNodeArgs: [],
    serverArgs: limit.args,
  });
  try {
    const pid = node.server.child.pid;
    await node.control.call('SET', 'k', Buffer.alloc(VALUE_BYTES, 0x78));
    await sleep(200);
    const rssBefore = rssBytes(pid);
    let rssPeak = rssBefore;
    let probeMaxMs = 0;
    let flooding = true;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssBytes(pid));
    }, RSS_SAMPLE_MS);
    const prober = (async () => {
      while (flooding) {
        const started = nowMs();
        await node.control.call('PING');
        probeMaxMs = Math.max(probeMaxMs, nowMs() - started);
        await sleep(PROBE_MS);
      }
    })();
    const started = nowMs();
    const result = await flood(node.server.port, count);
    const floodMs = nowMs() - started;
    flooding = false;
    await prober;
    await sleep(SETTLE_MS);
    clearInterval(sampler);
    const rssAfter = rssBytes(pid);
    return {
      server: name,
      limit: limit.label,
      rssBefore: mb(rssBefore),
      rssPeak: mb(rssPeak),
      rssAfterLeave: mb(rssAfter),
      pingMaxMs: Math.round(probeMaxMs),
      floodS: (floodMs / 1000).toFixed(1),
      replyBytes: mb(result.received),
      ended: result.how,
    };
  } finally {
    await stopInTempDir(node);
  }
}

async function main(argv) {
  installCleanup();
  const countAt = argv.indexOf('--count');
  const count = countAt >= 0 ? Number(argv[countAt + 1]) : 2200;
  const serversAt = argv.indexOf('--servers');
  const servers = serversAt >= 0 ? argv[serversAt + 1].split(',') : ['redis', 'replisim'];
  const rows = [];
  for (const limit of LIMITS) {
    for (const name of servers) {
      const row = await measure(name, limit, count);
      process.stdout.write(`${JSON.stringify(row)}\n`);
      rows.push(row);
    }
  }
  console.table(rows);
}

runAsScript(main, process.argv.slice(2));
