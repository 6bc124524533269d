/**
 * MEMORY USAGE key [SAMPLES count] | DOCTOR | STATS | MALLOC-STATS | PURGE | HELP
 *
 * USAGE replies what the key costs as memory/value-bytes.ts estimates Redis 7.0's allocations: the
 * value (valueBytes, the figure used_memory is built from) plus the key's sds and a dictEntry, as
 * memoryCommand adds them. Strings and the listpack, intset and quicklist encodings answer exactly
 * what Redis answers; hashtable and skiplist encodings answer more (value-bytes.ts charges jemalloc
 * size classes where objectComputeSize adds struct sizes). Unlike Redis, which samples `count`
 * elements of a large collection (5 by default) and extrapolates, every element is counted; SAMPLES
 * is checked as Redis checks it and otherwise ignored. A key that has expired but was not yet removed is still reported,
 * as Redis's dictFind does. STATS replies Redis's field names with replisim's model of each (the
 * allocator fields equal used_memory: there is no allocator to ask). DOCTOR gives Redis's verdict for
 * a small instance (under 5 MB) and its "no issue" text otherwise. MALLOC-STATS and PURGE answer as
 * a Redis built without jemalloc does.
 */

import {
  backlogBytes,
  datasetBytes,
  USED_MEMORY_STARTUP_BYTES,
  usedMemoryBytes,
} from '../../memory/used-memory.js';
import { sdsBytes, valueBytes } from '../../memory/value-bytes.js';
import { NOT_INTEGER, SYNTAX_ERROR } from '../errors.js';
import { defineNoArgSubcommand } from '../no-arg-subcommand.js';
import {
  type Command,
  type CommandContext,
  defineCommand,
  defineContainer,
  ONE_KEY,
} from '../types.js';
import { helpCommand } from './help.js';

/**
 * sizeof(dictEntry): memoryCommand adds the struct's size, not the 32 bytes jemalloc hands out for
 * it (which used_memory sees), so USAGE of a string key is 8 bytes under its used_memory share.
 */
const DICT_ENTRY_STRUCT_BYTES = 24;

/** MEMORY DOCTOR's "too little memory to judge" threshold (memoryDoctor's 5 MB). */
const DOCTOR_BYTES_MIN = 5 * 1024 * 1024;

const EMPTY_REPORT =
  "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
const NO_ISSUE_REPORT =
  "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";

const usage = defineCommand<string>({
  name: 'usage',
  arity: -3,
  syntax: 'key [SAMPLES count]',
  flags: ['readonly'],
  aclCategories: ['@read', '@slow'],
  keys: { ...ONE_KEY, first: 2, last: 2 },
  doc: {
    summary: 'Estimate the memory usage of a key',
    since: '4.0.0',
    group: 'server',
    complexity: 'O(N) where N is the number of samples.',
  },
  parse(argv) {
    for (let j = 3; j < argv.length; j++) {
      const option = (argv[j] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
      if (option !== 'samples' || j + 1 >= argv.length) return SYNTAX_ERROR;
      const word = (argv[j + 1] ?? Buffer.alloc(0)).toString('latin1');
      const samples = Number(word);
      if (!/^-?(0|[1-9][0-9]*)$/.test(word) || !Number.isSafeInteger(samples)) {
        return NOT_INTEGER;
      }
      if (samples < 0) return SYNTAX_ERROR;
      j++;
    }
    return (argv[2] ?? Buffer.alloc(0)).toString('latin1');
  },
  execute(ctx, key) {
    const value = ctx.db.peek(key);
    if (value === undefined) {
      ctx.reply.nullBulk();
      return undefined;
    }
    ctx.reply.integer(valueBytes(value) + sdsBytes(key.length) + DICT_ENTRY_STRUCT_BYTES);
    return undefined;
  },
});

const doctor = defineNoArgSubcommand({
  name: 'doctor',
  flags: [],
  aclCategories: ['@slow'],
  doc: {
    summary: 'Outputs memory problems report',
    since: '4.0.0',
    group: 'server',
    complexity: 'O(1)',
  },
  execute(ctx) {
    const used = usedMemoryBytes(ctx.node);
    ctx.reply.verbatim(used < DOCTOR_BYTES_MIN ? EMPTY_REPORT : NO_ISSUE_REPORT);
    return undefined;
  },
});

/** MEMORY STATS's fields, in Redis 7.0's order, from replisim's memory model. */
function writeStats(ctx: CommandContext): void {
  const node = ctx.node;
  const used = usedMemoryBytes(node);
  node.usedMemoryPeak = Math.max(node.usedMemoryPeak, used);
  const peak = node.usedMemoryPeak;
  const dataset = datasetBytes(node);
  const clients = node.clientsMemory;
  const overhead = used - dataset;
  const keys = node.databases.reduce((sum, db) => sum + db.size(), 0);
  const netUsage = used - USED_MEMORY_STARTUP_BYTES;
  const fields: [string, number][] = [
    ['peak.allocated', peak],
    ['total.allocated', used],
    ['startup.allocated', USED_MEMORY_STARTUP_BYTES],
    ['replication.backlog', backlogBytes(node)],
    ['clients.slaves', clients.replicas],
    ['clients.normal', clients.normal],
    ['cluster.links', 0],
    ['aof.buffer', 0],
    ['lua.caches', 0],
    ['functions.caches', 0],
  ];
  const dbs = node.databases.filter((db) => db.size() > 0);
  ctx.reply.mapHeader(fields.length + dbs.length + 17);
  for (const [name, value] of fields) {
    ctx.reply.bulk(name);
    ctx.reply.integer(value);
  }
  for (const db of dbs) {
    ctx.reply.bulk(`db.${db.index}`);
    // The tables' cost is inside dataset.bytes here (value-bytes.ts), not split out.
    ctx.reply.mapHeader(3);
    for (const name of ['main', 'expires', 'slot-to-keys']) {
      ctx.reply.bulk(`overhead.hashtable.${name}`);
      ctx.reply.integer(0);
    }
  }
  const perKey = keys === 0 ? 0 : Math.floor(netUsage / keys);
  const tail: [string, 'int' | 'double', number][] = [
    ['overhead.total', 'int', overhead],
    ['keys.count', 'int', keys],
    ['keys.bytes-per-key', 'int', perKey],
    ['dataset.bytes', 'int', dataset],
    ['dataset.percentage', 'double', netUsage <= 0 ? 0 : (dataset * 100) / netUsage],
    ['peak.percentage', 'double', (used * 100) / peak],
    ['allocator.allocated', 'int', used],
    ['allocator.active', 'int', used],
    ['allocator.resident', 'int', used],
    ['allocator-fragmentation.ratio', 'double', 1],
    ['allocator-fragmentation.bytes', 'int', 0],
    ['allocator-rss.ratio', 'double', 1],
    ['allocator-rss.bytes', 'int', 0],
    ['rss-overhead.ratio', 'double', 1],
    ['rss-overhead.bytes', 'int', 0],
    ['fragmentation', 'double', 1],
    ['fragmentation.bytes', 'int', 0],
  ];
  for (const [name, kind, value] of tail) {
    ctx.reply.bulk(name);
    if (kind === 'int') ctx.reply.integer(value);
    else ctx.reply.double(value);
  }
}

const stats = defineNoArgSubcommand({
  name: 'stats',
  flags: [],
  aclCategories: ['@slow'],
  doc: {
    summary: 'Show memory usage details',
    since: '4.0.0',
    group: 'server',
    complexity: 'O(1)',
  },
  execute(ctx) {
    writeStats(ctx);
    return undefined;
  },
});

const mallocStats = defineNoArgSubcommand({
  name: 'malloc-stats',
  flags: [],
  aclCategories: ['@slow'],
  doc: {
    summary: 'Show allocator internal stats',
    since: '4.0.0',
    group: 'server',
    complexity: 'Depends on how much memory is allocated, could be slow',
  },
  execute(ctx) {
    ctx.reply.verbatim('Stats not supported for the current allocator');
    return undefined;
  },
});

const purge = defineNoArgSubcommand({
  name: 'purge',
  flags: [],
  aclCategories: ['@slow'],
  doc: {
    summary: 'Ask the allocator to release memory',
    since: '4.0.0',
    group: 'server',
    complexity: 'Depends on how much memory is allocated, could be slow',
  },
  execute(ctx) {
    ctx.reply.simple('OK');
    return undefined;
  },
});

export const memoryCommand: Command = defineContainer(
  {
    name: 'memory',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for memory diagnostics commands',
      since: '4.0.0',
      group: 'server',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    doctor,
    mallocStats,
    purge,
    stats,
    usage,
    helpCommand('MEMORY', [
      'DOCTOR',
      '    Return memory problems reports.',
      'MALLOC-STATS',
      '    Return internal statistics report from the memory allocator.',
      'PURGE',
      '    Attempt to purge dirty pages for reclamation by the allocator.',
      'STATS',
      '    Return information about the memory usage of the server.',
      'USAGE <key> [SAMPLES <count>]',
      '    Return memory in bytes used by <key> and its value. Nested values are',
      '    sampled up to <count> times (default: 5, 0 means sample all).',
    ]),
  ],
);
