/**
 * Differential test of COMMAND LIST (with its subcommand entries and FILTERBY) and of the table
 * entries of the commands this branch added, against redis-server 7.0.15.
 *
 * COMMAND LIST: Redis names every command and every subcommand (`config|get`); replisim must name
 * only commands Redis has (one known exception, below), each once, and its count must be COMMAND
 * COUNT (parents only) plus the subcommands. FILTERBY PATTERN/ACLCAT/MODULE and its syntax errors
 * are compared as sorted lists, restricted to names both servers implement (Redis lists in dict
 * order). Only one FILTERBY is accepted. COMMAND INFO's name, arity, flags, key positions and ACL categories of the new commands
 * must equal Redis's.
 */
import type { RespValue } from '@replisim/protocol';
import { COMMAND_LIST } from '@replisim/server';
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

/** client|setinfo is Redis 7.2's; replisim has it (see docs/commands.md), 7.0.15 does not. */
const NOT_IN_REDIS_70: ReadonlySet<string> = new Set(['client|setinfo']);

const NEW_COMMANDS: readonly string[] = [
  'pfadd',
  'pfcount',
  'pfmerge',
  'pfdebug',
  'pfselftest',
  'touch',
  'lolwut',
  'command|list',
  'geoadd',
  'geodist',
  'geohash',
  'geopos',
  'georadius',
  'georadius_ro',
  'georadiusbymember',
  'georadiusbymember_ro',
  'geosearch',
  'geosearchstore',
  'cluster',
  'cluster|info',
  'cluster|addslots',
  'cluster|reset',
  'cluster|help',
  'readonly',
  'readwrite',
  'asking',
  'restore-asking',
  'module',
  'module|list',
  'module|load',
  'module|loadex',
  'module|unload',
  'module|help',
];

function text(value: RespValue | undefined): string {
  if (value === undefined) return '<none>';
  if (value.kind === 'bulk') return value.value.toString('latin1');
  if (value.kind === 'simple' || value.kind === 'error') return value.value;
  if (value.kind === 'integer') return String(value.value);
  if (value.kind === 'array' || value.kind === 'set') return `[${value.items.map(text).join(' ')}]`;
  return `<${value.kind}>`;
}

function names(value: RespValue): string[] {
  return value.kind === 'array' ? value.items.map(text) : [`not a list: ${text(value)}`];
}

describe('COMMAND LIST against redis-server 7.0.15', () => {
  const servers = useServerPair();

  async function both(...argv: string[]): Promise<[RespValue, RespValue]> {
    const redis = await RawClient.connect(servers().redis.port);
    const ours = await RawClient.connect(servers().replisim.port);
    try {
      return [(await redis.call(...argv)).value, (await ours.call(...argv)).value];
    } finally {
      redis.close();
      ours.close();
    }
  }

  it('lists commands and subcommands, each once, only ones Redis has', async () => {
    const [theirs, ours] = await both('COMMAND', 'LIST');
    const redisNames = new Set(names(theirs));
    const ourNames = names(ours);
    expect(redisNames.size).toBe(366);
    expect(new Set(ourNames).size).toBe(ourNames.length);
    expect(ourNames.filter((name) => !redisNames.has(name) && !NOT_IN_REDIS_70.has(name))).toEqual(
      [],
    );
    expect(ourNames).toContain('config|get');
    expect(ourNames).toContain('client|list');
    const subcommands = COMMAND_LIST.reduce((n, command) => n + command.subcommands.size, 0);
    expect(ourNames).toHaveLength(COMMAND_LIST.length + subcommands);
    const [, count] = await both('COMMAND', 'COUNT');
    expect(count).toEqual({ kind: 'integer', value: BigInt(COMMAND_LIST.length) });
  });

  it('filters as Redis does', async () => {
    const [all] = await both('COMMAND', 'LIST');
    const [, oursAll] = await both('COMMAND', 'LIST');
    const shared = new Set(names(all).filter((name) => names(oursAll).includes(name)));
    const filters: readonly (readonly string[])[] = [
      ['FILTERBY', 'PATTERN', 'config*'],
      ['filterby', 'pattern', 'CONFIG|G*'],
      ['FILTERBY', 'PATTERN', '*|help'],
      ['FILTERBY', 'PATTERN', 'x*'],
      ['FILTERBY', 'ACLCAT', 'hyperloglog'],
      ['FILTERBY', 'ACLCAT', 'KEYSPACE'],
      ['FILTERBY', 'ACLCAT', 'pubsub'],
      ['FILTERBY', 'ACLCAT', '@hyperloglog'],
      ['FILTERBY', 'ACLCAT', 'nosuch'],
      ['FILTERBY', 'MODULE', 'x'],
    ];
    for (const filter of filters) {
      const [theirs, ours] = await both('COMMAND', 'LIST', ...filter);
      const expected = names(theirs)
        .filter((name) => shared.has(name))
        .sort();
      expect(names(ours).sort(), filter.join(' ')).toEqual(expected);
    }
    const errors: readonly (readonly string[])[] = [
      ['FILTERBY'],
      ['FILTERBY', 'PATTERN'],
      ['FILTERBY', 'PATTERN', 'x', 'extra'],
      ['FILTERBY', 'FOO', 'x'],
      ['FOO'],
      ['FILTERBY', 'PATTERN', 'get', 'FILTERBY', 'PATTERN', 'set'],
    ];
    for (const args of errors) {
      const [theirs, ours] = await both('COMMAND', 'LIST', ...args);
      expect(text(ours), args.join(' ')).toBe(text(theirs));
    }
  });

  it('describes the new commands as Redis does in COMMAND INFO', async () => {
    const [theirs, ours] = await both('COMMAND', 'INFO', ...NEW_COMMANDS);
    const fields = (value: RespValue): string[][] =>
      value.kind === 'array'
        ? value.items.map((entry) =>
            entry.kind === 'array' ? [0, 1, 2, 3, 4, 5, 6].map((i) => text(entry.items[i])) : [],
          )
        : [];
    expect(fields(ours)).toEqual(fields(theirs));
  });
});
