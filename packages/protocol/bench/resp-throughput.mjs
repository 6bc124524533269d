/**
 * Throughput of the server's RESP hot path, outside the test suite: RequestParser on pipelined SET
 * requests and ReplyWriter on the replies a pipeline gets. It runs against the built package, so
 * build first: `npx tsc -b packages/protocol && node packages/protocol/bench/resp-throughput.mjs`.
 * The input is cut into 64 KiB chunks, like socket reads, so requests straddle chunk boundaries.
 * Each figure is the best of several rounds, to keep JIT warm-up and GC noise out of the number.
 */
import { performance } from 'node:perf_hooks';
import { ReplyWriter, RequestParser } from '../dist/index.js';

const REQUESTS = 1_000_000;
const CHUNK_BYTES = 64 * 1024;
const ROUNDS = 5;
const PIPELINE = 16;

function setRequests(count) {
  const parts = [];
  for (let i = 0; i < count; i++) {
    const key = `key:${String(i).padStart(12, '0')}`;
    parts.push(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$3\r\nxxx\r\n`);
  }
  const bytes = Buffer.from(parts.join(''), 'latin1');
  const chunks = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    chunks.push(Buffer.from(bytes.subarray(at, at + CHUNK_BYTES)));
  }
  return { bytes: bytes.length, chunks };
}

function parseRound(chunks) {
  const parser = new RequestParser();
  let commands = 0;
  let argBytes = 0;
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (;;) {
      const result = parser.next();
      if (result.kind !== 'command') break;
      commands++;
      argBytes += result.argv[1].length;
    }
  }
  if (commands !== REQUESTS) throw new Error(`parsed ${commands} commands`);
  return argBytes;
}

function writeRound(kind) {
  const writer = new ReplyWriter(1024);
  const value = Buffer.from('xxx');
  let bytes = 0;
  for (let i = 0; i < REQUESTS; i++) {
    if (kind === 'ok') writer.simple('OK');
    else if (kind === 'bulk') writer.bulk(value);
    else writer.integer(i);
    if (i % PIPELINE === PIPELINE - 1) bytes += writer.take().length;
  }
  return bytes;
}

function best(run) {
  let bestMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const startMs = performance.now();
    run();
    bestMs = Math.min(bestMs, performance.now() - startMs);
  }
  return bestMs;
}

function report(name, ms, extra = '') {
  const rate = (REQUESTS / ms) * 1000;
  console.log(
    `${name.padEnd(34)} ${(rate / 1e6).toFixed(2).padStart(6)} M/s  ${ms.toFixed(0)} ms${extra}`,
  );
}

const input = setRequests(REQUESTS);
const parseMs = best(() => parseRound(input.chunks));
report(
  'RequestParser SET (1M, 64K chunks)',
  parseMs,
  `  ${(((input.bytes / parseMs) * 1000) / 2 ** 20).toFixed(0)} MiB/s`,
);
report(
  'ReplyWriter +OK (take every 16)',
  best(() => writeRound('ok')),
);
report(
  'ReplyWriter $3 bulk (take every 16)',
  best(() => writeRound('bulk')),
);
report(
  'ReplyWriter :n integer (take every 16)',
  best(() => writeRound('integer')),
);
