/**
 * Differential test of COMMAND GETKEYS and GETKEYSANDFLAGS, and of the command table entries of
 * the commands issue 15 added (Pub/Sub, bitmaps, LCS, SORT, the mpop family, SWAPDB).
 *
 * Method: a real redis-server and a replisim node; GETKEYS and GETKEYSANDFLAGS replies are
 * compared byte for byte in RESP2 and RESP3 for command lines with fixed, ranged and movable keys
 * (numkeys, SORT ... STORE, BITOP), subcommands, and each error in Redis's order. For the new
 * commands, COMMAND INFO's name, arity, flags, first/last/step and ACL categories must equal
 * Redis's (the key-spec and tips fields are replisim's simplified ones). COMMAND COUNT must equal
 * the length of COMMAND LIST and of COMMAND INFO, and the table must hold every name once.
 */
import type { RespValue } from '@replisim/protocol';
import { COMMAND_LIST } from '@replisim/server';
import { describe, expect, it } from 'vitest';
import { cmd, describeCollectionDiff, type Script } from './support/collection-diff.js';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

const LINES: readonly (readonly string[])[] = [
  ['GET', 'k'],
  ['SET', 'k', 'v'],
  ['MSET', 'a', '1', 'b', '2'],
  ['DEL', 'a', 'b', 'c'],
  ['OBJECT', 'ENCODING', 'k'],
  ['LMPOP', '2', 'a', 'b', 'LEFT'],
  ['BLMPOP', '0', '1', 'a', 'RIGHT', 'COUNT', '2'],
  ['ZMPOP', '1', 'z', 'MIN'],
  ['BZMPOP', '1', '2', 'y', 'z', 'MAX'],
  ['BZPOPMIN', 'a', 'b', '0'],
  ['BZPOPMAX', 'a', '0'],
  ['BLPOP', 'a', 'b', '0'],
  ['ZUNIONSTORE', 'd', '2', 'a', 'b'],
  ['ZINTERSTORE', 'd', '1', 'a', 'WEIGHTS', '2'],
  ['ZDIFFSTORE', 'd', '1', 'a'],
  ['ZUNION', '2', 'a', 'b', 'WITHSCORES'],
  ['ZINTER', '1', 'a'],
  ['ZDIFF', '2', 'a', 'b'],
  ['ZINTERCARD', '1', 'a', 'LIMIT', '1'],
  ['SINTERCARD', '2', 'a', 'b'],
  ['SORT', 'k'],
  ['SORT', 'k', 'BY', 'x', 'STORE', 'd', 'GET', 'y', 'STORE', 'e'],
  ['SORT', 'k', 'LIMIT', '0', '1', 'GET', 'store', 'ALPHA'],
  ['SORT_RO', 'k', 'BY', 'x'],
  ['BITOP', 'AND', 'd', 'a', 'b'],
  ['BITFIELD', 'k', 'GET', 'u8', '0'],
  ['BITFIELD', 'k', 'SET', 'u8', '0', '1'],
  ['BITFIELD_RO', 'k', 'GET', 'u8', '0'],
  ['SETBIT', 'k', '0', '1'],
  ['GETBIT', 'k', '0'],
  ['BITCOUNT', 'k'],
  ['BITPOS', 'k', '1'],
  ['LCS', 'a', 'b'],
  ['TOUCH', 'a', 'b'],
  ['PFADD', 'h', 'x'],
  ['PFCOUNT', 'a', 'b'],
  ['PFMERGE', 'd', 'a', 'b'],
  ['PFDEBUG', 'GETREG', 'k'],
  ['GEOADD', 'k', '1', '1', 'm'],
  ['GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE', 'd'],
  ['GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE', 'd', 'STOREDIST', 'e'],
  ['GEORADIUS', 'k', '0', '0', '1', 'km', 'STOREDIST', 'e', 'STORE', 'd', 'STORE', 'f'],
  ['GEORADIUS', 'k', '0', '0', '1', 'km', 'WITHDIST', 'STORE'],
  ['GEORADIUS_RO', 'k', '0', '0', '1', 'km'],
  ['GEORADIUSBYMEMBER', 'k', 'm', '1', 'km', 'STOREDIST', 'x'],
  ['GEORADIUSBYMEMBER', 'k', 'STORE', '1', 'km', 'STORE', 'x'],
  ['GEOSEARCH', 'k', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
  ['GEOSEARCHSTORE', 'd', 's', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
  ['RESTORE', 'k', '0', 'x'],
  ['RESTORE-ASKING', 'k', '0', 'x'],
  // Errors, in Redis's order.
  ['NOSUCH', 'a'],
  ['OBJECT', 'NOSUCH', 'k'],
  ['PING', 'x'],
  ['SWAPDB', '0', '1'],
  ['SPUBLISH', 'c', 'm'],
  ['PUBLISH', 'c', 'm'],
  ['CONFIG', 'GET', 'x'],
  ['GET', 'a', 'b'],
  ['SET', 'k'],
  ['LMPOP', '0', 'a', 'LEFT'],
  ['LMPOP', '3', 'a', 'LEFT'],
  ['LMPOP', 'x', 'a', 'LEFT'],
  ['ZUNIONSTORE', 'd', '0', 'a'],
  ['ZUNIONSTORE', 'd', '5', 'a'],
  ['ZINTER', '9', 'a', 'b'],
];

const SCRIPTS: readonly Script[] = [
  {
    name: 'COMMAND GETKEYS',
    steps: [
      ...LINES.map((line) => cmd('COMMAND', 'GETKEYS', ...line)),
      cmd('COMMAND', 'GETKEYS'),
      cmd('COMMAND', 'GETKEYS', 'GET'),
    ],
  },
  {
    name: 'COMMAND GETKEYSANDFLAGS of the new commands',
    // SET, MSET, DEL and OBJECT have key-spec flags replisim does not model (OW, RM delete...).
    steps: LINES.filter((line) => !['SET', 'MSET', 'DEL', 'OBJECT'].includes(line[0] ?? '')).map(
      (line) => cmd('COMMAND', 'GETKEYSANDFLAGS', ...line),
    ),
  },
];

describeCollectionDiff('COMMAND GETKEYS against redis-server 7.0.15', 'string', SCRIPTS);

/** The commands (and containers) this work added or changed in the table. */
const NEW_COMMANDS = [
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
  'publish',
  'spublish',
  'pubsub|channels',
  'pubsub|numsub',
  'pubsub|numpat',
  'pubsub|shardchannels',
  'pubsub|shardnumsub',
  'pubsub|help',
  'setbit',
  'getbit',
  'bitcount',
  'bitpos',
  'bitop',
  'bitfield',
  'bitfield_ro',
  'lcs',
  'sort',
  'sort_ro',
  'lmpop',
  'blmpop',
  'zmpop',
  'bzmpop',
  'bzpopmin',
  'bzpopmax',
  'swapdb',
  'zunion',
  'zinter',
  'zdiff',
  'zintercard',
  'sintercard',
  'zunionstore',
  'zinterstore',
  'zdiffstore',
  'command|getkeys',
  'command|getkeysandflags',
  'reset',
];

function text(value: RespValue | undefined): string {
  if (value === undefined) return '<none>';
  if (value.kind === 'bulk') return value.value.toString('latin1');
  if (value.kind === 'simple' || value.kind === 'error') return value.value;
  if (value.kind === 'integer') return String(value.value);
  if (value.kind === 'array' || value.kind === 'set') return `[${value.items.map(text).join(' ')}]`;
  return `<${value.kind}>`;
}

/** name, arity, flags, first, last, step, ACL categories of one COMMAND INFO entry. */
function tableFields(entry: RespValue | undefined): string[] {
  if (entry?.kind !== 'array') return [`not an entry: ${text(entry)}`];
  return [0, 1, 2, 3, 4, 5, 6].map((i) => text(entry.items[i]));
}

describe('the command table against redis-server 7.0.15', () => {
  const servers = useServerPair();

  it('describes the new commands as Redis does in COMMAND INFO', async () => {
    const clients = await Promise.all([
      RawClient.connect(servers().redis.port),
      RawClient.connect(servers().replisim.port),
    ]);
    try {
      const [theirs, ours] = await Promise.all(
        clients.map((client) => client.call('COMMAND', 'INFO', ...NEW_COMMANDS)),
      );
      const entries = (value: RespValue | undefined) =>
        value?.kind === 'array' ? value.items.map(tableFields) : [];
      expect(entries(ours?.value)).toEqual(entries(theirs?.value));
    } finally {
      for (const client of clients) client.close();
    }
  });

  it('counts every command once: COMMAND COUNT, LIST and INFO agree with the table', async () => {
    const client = await RawClient.connect(servers().replisim.port);
    try {
      const count = (await client.call('COMMAND', 'COUNT')).value;
      const list = (await client.call('COMMAND', 'LIST')).value;
      const info = (await client.call('COMMAND', 'INFO')).value;
      const names = list.kind === 'array' ? list.items.map(text) : [];
      expect(count).toEqual({ kind: 'integer', value: BigInt(COMMAND_LIST.length) });
      // COMMAND LIST names subcommands too (`config|get`), as Redis 7.0 does.
      const subcommands = COMMAND_LIST.reduce((n, command) => n + command.subcommands.size, 0);
      expect(names).toHaveLength(COMMAND_LIST.length + subcommands);
      expect(new Set(names).size).toBe(names.length);
      expect(info.kind === 'array' ? info.items.length : -1).toBe(COMMAND_LIST.length);
      for (const name of NEW_COMMANDS.filter((n) => !n.includes('|')))
        expect(names).toContain(name);
    } finally {
      client.close();
    }
  });
});
