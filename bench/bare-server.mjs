#!/usr/bin/env node
/**
 * Ceilings for bench/run.mjs --ceiling: the least a Node server can do per request on this machine.
 * Not replisim and not a Redis: it knows only what redis-benchmark's SET and GET tests send.
 *
 *   node bench/bare-server.mjs --port N --mode canned|map [--flush tick|immediate]
 *
 * - canned: counts the requests in each chunk (redis-benchmark's keys and values hold no '*') and
 *   answers each with a constant reply (+OK, or a 3-byte bulk). No parsing, no keyspace: what
 *   node:net itself costs (a read, a stream 'data' event, a write per chunk).
 * - map: parses RESP with a minimal hand-written parser and keeps keys (latin1 strings) and values
 *   (copied Buffers) in a Map, as replisim's keyspace does: what a server with no command table,
 *   no checks and no bookkeeping costs.
 * - --flush tick (default) hands replies to the sockets once per event-loop turn (setImmediate),
 *   as replisim's real network adapter does; immediate writes in the 'data' handler.
 */
import { createServer } from 'node:net';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const port = Number(option('port', '0'));
const mode = option('mode', 'map');
const flushPerTick = option('flush', 'tick') === 'tick';
if (mode !== 'canned' && mode !== 'map') throw new Error(`unknown --mode ${mode}`);

const waiting = [];
let flushScheduled = false;
function flushAll() {
  flushScheduled = false;
  for (let i = 0; i < waiting.length; i += 2) waiting[i].write(waiting[i + 1]);
  waiting.length = 0;
}
function send(socket, bytes) {
  if (!flushPerTick) {
    socket.write(bytes);
    return;
  }
  waiting.push(socket, bytes);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushAll);
  }
}

const STAR = 0x2a;
const CR = 0x0d;
const cannedOk = Buffer.from('+OK\r\n');
const cannedBulk = Buffer.from('$3\r\nxxx\r\n');
/** Constant replies for 0..64 requests, so the canned server allocates nothing per chunk. */
const cannedReplies = { set: [], get: [] };
for (let n = 0; n <= 64; n++) {
  cannedReplies.set.push(Buffer.concat(Array(n).fill(cannedOk)));
  cannedReplies.get.push(Buffer.concat(Array(n).fill(cannedBulk)));
}

function serveCanned(socket) {
  socket.on('data', (chunk) => {
    let count = 0;
    for (let at = chunk.indexOf(STAR); at >= 0; at = chunk.indexOf(STAR, at + 1)) count++;
    // The first request's command decides the reply for the whole chunk (benchmarks send one kind).
    if (chunk.indexOf('PING') >= 0) {
      send(socket, Buffer.from('+PONG\r\n'.repeat(count)));
      return;
    }
    const kind = chunk.indexOf('GET') >= 0 || chunk.indexOf('get') >= 0 ? 'get' : 'set';
    const replies = cannedReplies[kind];
    send(
      socket,
      count < replies.length ? replies[count] : Buffer.concat(Array(count).fill(replies[1])),
    );
  });
}

const keyspace = new Map();
const SLAB_BYTES = 256 * 1024;
let slab = Buffer.allocUnsafe(SLAB_BYTES);
let slabPos = 0;

/** Reads a decimal number that ends at a CR; returns [value, index of the CR] or null if cut. */
function readNumber(bytes, pos) {
  let value = 0;
  for (; pos < bytes.length; pos++) {
    const byte = bytes[pos];
    if (byte === CR) return [value, pos];
    value = value * 10 + (byte - 0x30);
  }
  return null;
}

function serveMap(socket) {
  let pending = null;
  socket.on('data', (chunk) => {
    const bytes = pending === null ? chunk : Buffer.concat([pending, chunk]);
    pending = null;
    if (SLAB_BYTES - slabPos < bytes.length * 4 + 1024) {
      slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes.length * 4 + 1024));
      slabPos = 0;
    }
    const outStart = slabPos;
    let pos = 0;
    requests: while (pos < bytes.length) {
      const requestStart = pos;
      const count = readNumber(bytes, pos + 1);
      if (count === null || count[1] + 2 > bytes.length) {
        pending = Buffer.from(bytes.subarray(requestStart));
        break;
      }
      pos = count[1] + 2;
      const starts = [0, 0, 0];
      const ends = [0, 0, 0];
      for (let i = 0; i < count[0]; i++) {
        const length = readNumber(bytes, pos + 1);
        if (length === null || length[1] + 2 + length[0] + 2 > bytes.length) {
          pending = Buffer.from(bytes.subarray(requestStart));
          break requests;
        }
        pos = length[1] + 2;
        if (i < 3) {
          starts[i] = pos;
          ends[i] = pos + length[0];
        }
        pos += length[0] + 2;
      }
      const command = bytes[starts[0]] | 0x20;
      const key = bytes.latin1Slice(starts[1], ends[1]);
      if (command === 0x70) {
        slabPos += slab.latin1Write('+PONG\r\n', slabPos);
      } else if (command === 0x73) {
        keyspace.set(key, Buffer.from(bytes.subarray(starts[2], ends[2])));
        slabPos += slab.latin1Write('+OK\r\n', slabPos);
      } else {
        const value = keyspace.get(key);
        if (value === undefined) {
          slabPos += slab.latin1Write('$-1\r\n', slabPos);
        } else {
          slabPos += slab.latin1Write(`$${value.length}\r\n`, slabPos);
          slabPos += value.copy(slab, slabPos);
          slabPos += slab.latin1Write('\r\n', slabPos);
        }
      }
    }
    if (slabPos > outStart) send(socket, slab.subarray(outStart, slabPos));
  });
}

const server = createServer({ noDelay: true }, (socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  if (mode === 'canned') serveCanned(socket);
  else serveMap(socket);
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(
    `bare-server mode=${mode} flush=${flushPerTick ? 'tick' : 'immediate'} port=${server.address().port}\n`,
  );
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
