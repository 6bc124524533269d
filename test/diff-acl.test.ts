/**
 * ACL against redis-server 7.0.15: the same scripts run on both servers, in RESP2 and after
 * HELLO 3, on two connections each (`a` administers, `b` authenticates as the users under test),
 * and every reply is compared.
 *
 * Most steps compare bytes. Three kinds compare less, for reasons Redis itself imposes:
 * - `rules` (ACL LIST, ACL GETUSER): Redis emits the single `+cmd`/`-cmd` fixes of a user's
 *   command rules in its command dict's order, which a random hash seed decides at start (two
 *   redis-servers differ), so within each reply line those tokens are sorted before comparing;
 *   everything else (flags, hashes, patterns, categories and their order) is compared as sent.
 * - `sorted` (ACL CAT <category>): the command names of a category, in dict order too; compared
 *   as sorted lists.
 * - `log` (ACL LOG): age-seconds and client-info (ids, ports, buffer sizes) vary; compared after
 *   masking age-seconds and reducing client-info to its cmd= and user= fields.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RespValue } from '@replisim/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { ACL_CATEGORIES as CATEGORIES, canonicalRules } from './support/acl-rules.js';
import { RawClient, type RawReply } from './support/raw-client.js';
import { type Ports, useServerPair } from './support/server-pair.js';

type Kind = 'bytes' | 'rules' | 'sorted' | 'log' | 'length' | 'closed';
interface Step {
  readonly kind: Kind;
  readonly conn: 'a' | 'b';
  readonly argv: readonly string[];
}

const a = (...argv: string[]): Step => ({ kind: 'bytes', conn: 'a', argv });
const b = (...argv: string[]): Step => ({ kind: 'bytes', conn: 'b', argv });
const rules = (...argv: string[]): Step => ({ kind: 'rules', conn: 'a', argv });
const sorted = (...argv: string[]): Step => ({ kind: 'sorted', conn: 'a', argv });
const log = (...argv: string[]): Step => ({ kind: 'log', conn: 'a', argv });
/** Only the reply's type and length (GENPASS: random hex). */
const length = (...argv: string[]): Step => ({ kind: 'length', conn: 'a', argv });
/** Sends on `b` and expects the server to close `b` (after an optional reply). */
const closedB = (...argv: string[]): Step => ({ kind: 'closed', conn: 'b', argv });

function text(value: RespValue): string {
  switch (value.kind) {
    case 'bulk':
    case 'verbatim':
      return value.value.toString('latin1');
    case 'simple':
    case 'error':
      return value.value;
    case 'integer':
      return value.value.toString();
    default:
      return `<${value.kind}>`;
  }
}

/** The decoded reply with ACL LOG's volatile fields masked. */
function maskedLog(value: RespValue): unknown {
  if (value.kind !== 'array') return text(value);
  return value.items.map((entry) => {
    const pairs: [string, RespValue][] =
      entry.kind === 'map'
        ? entry.entries.map(([k, v]) => [text(k), v])
        : entry.kind === 'array'
          ? entry.items.flatMap((item, i, all) =>
              i % 2 === 0 ? [[text(item), all[i + 1] ?? item] as [string, RespValue]] : [],
            )
          : [];
    return {
      kind: entry.kind,
      fields: pairs.map(([key, v]) => {
        if (key === 'age-seconds') return [key, v.kind];
        if (key === 'client-info') {
          const info = text(v);
          return [key, info.split(' ').filter((f) => /^(cmd|user)=/.test(f))];
        }
        return [key, v.kind, text(v)];
      }),
    };
  });
}

function compareForm(step: Step, reply: RawReply): unknown {
  const raw = reply.bytes.toString('latin1');
  switch (step.kind) {
    case 'bytes':
    case 'closed':
      return raw;
    case 'rules':
      return canonicalRules(raw);
    case 'sorted':
      return reply.value.kind === 'array' || reply.value.kind === 'set'
        ? [reply.value.kind, reply.value.items.map(text).sort()]
        : raw;
    case 'log':
      return maskedLog(reply.value);
    case 'length':
      return [reply.value.kind, text(reply.value).length];
  }
}

/** Runs `steps` on one server; returns one comparable form per step. */
async function runScript(port: number, protocol: 2 | 3, steps: readonly Step[]) {
  const conns = { a: await RawClient.connect(port), b: await RawClient.connect(port) };
  const out: unknown[] = [];
  try {
    if (protocol === 3) {
      await conns.a.call('HELLO', '3');
      await conns.b.call('HELLO', '3');
    }
    for (const step of steps) {
      const conn = conns[step.conn];
      if (step.kind === 'closed') {
        conn.command(...step.argv);
        out.push(await conn.waitClosed(3000));
        continue;
      }
      const reply = await conn.call(...step.argv);
      // HELLO's reply carries the connection id, which differs: only its type is compared.
      out.push(
        step.argv[0]?.toUpperCase() === 'HELLO'
          ? reply.bytes.subarray(0, 2).toString()
          : compareForm(step, reply),
      );
    }
  } finally {
    conns.a.close();
    conns.b.close();
  }
  return out;
}

/** The users a script may create, removed before and after it (ACL LOG reset too). */
const CLEANUP: readonly string[] = [
  'ACL',
  'DELUSER',
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'u1',
  'u2',
  'u3',
  'u4',
  'u5',
  'u6',
  'u7',
  'u8',
];

async function reset(ports: Ports): Promise<void> {
  for (const port of [ports.redis, ports.replisim]) {
    const client = await RawClient.connect(port);
    try {
      await client.call(...CLEANUP);
      await client.call('ACL', 'SETUSER', 'default', 'reset', 'on', 'nopass', '~*', '&*', '+@all');
      await client.call('CONFIG', 'SET', 'requirepass', '', 'acl-pubsub-default', 'resetchannels');
      await client.call('ACL', 'LOG', 'RESET');
      await client.call('FLUSHALL');
    } finally {
      client.close();
    }
  }
}

/** SETUSER rule lists whose GETUSER and LIST must match (each applied to a fresh user). */
const RULE_SETS: readonly (readonly string[])[] = [
  [],
  ['on'],
  ['on', '>p1', '>p2', '<p1'],
  ['on', 'nopass', '>x'],
  ['>x', 'nopass'],
  ['#f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a', 'resetpass'],
  ['~k*', '%R~r*', '%W~w*', '%RW~b*', '%R~k*', '~r*'],
  ['allkeys', 'resetkeys', '~a', 'allchannels', 'resetchannels', '&x*', '&y'],
  ['+get', '+@hash', '-hset', '+config|get'],
  ['+@all', '-@dangerous', '-@admin', '+config|get', '-get'],
  ['+@read', '+@write', '-@keyspace', '+del'],
  ['+@string', '+@list', '+@set', '+@sortedset', '-lpop', '+object|encoding'],
  ['+select|0', '+select|1', '+debug|digest'],
  ['allcommands', 'nocommands', '+@pubsub', '+@connection'],
  ['+@all', '-@all', '+acl|whoami', '+client|id', '+client'],
  ['+client', '-client|kill', '-client|no-evict'],
  ['reset', 'on', 'skip-sanitize-payload', 'sanitize-payload'],
  ['(+get ~a*)', '(-@all +set %W~w*)', '+hget'],
  ['(+get', '~a*)', 'clearselectors', '(&c* +publish)'],
  ['+@geo', '+@stream', '+@bitmap', '+@hyperloglog', '+@scripting', '+@transaction'],
  ['+@fast', '-@slow', '+@blocking'],
  // Refused: nothing changes.
  ['%~foo'],
  ['%X~a'],
  ['~*', '~a'],
  ['&*', '&a'],
  ['<nosuch'],
  ['#abc'],
  ['+nosuch'],
  ['+@nosuch'],
  ['-select|1'],
  ['+config|get|x'],
  ['+config|'],
  ['(+get'],
  ['(+nosuch)'],
  ['bogus'],
];

const ROUND_TRIPS: Step[] = RULE_SETS.flatMap((set, i) => [
  a('ACL', 'SETUSER', `u${(i % 8) + 1}`, ...set),
  rules('ACL', 'GETUSER', `u${(i % 8) + 1}`),
  rules('ACL', 'LIST'),
  a('ACL', 'DELUSER', `u${(i % 8) + 1}`),
]);

const CAT: Step[] = [
  a('ACL', 'CAT'),
  ...CATEGORIES.map((c) => sorted('ACL', 'CAT', c)),
  sorted('ACL', 'CAT', 'READ'),
  a('ACL', 'CAT', 'nosuch'),
  a('ACL', 'CAT', 'read', 'extra'),
];

const CAROL = [
  'on',
  '>pw',
  '~k*',
  '%R~r*',
  '%W~w*',
  '&ch*',
  '+get',
  '+set',
  '+publish',
  '+subscribe',
  '+psubscribe',
  '+multi',
  '+exec',
  '+eval',
  '+acl|whoami',
  '+ping',
];

const PERMISSIONS: Step[] = [
  a('ACL', 'SETUSER', 'carol', ...CAROL),
  b('AUTH', 'carol', 'bad'),
  b('AUTH', 'nobody', 'pw'),
  b('AUTH', 'carol', 'pw'),
  b('ACL', 'WHOAMI'),
  b('GET', 'k1'),
  b('GET', 'x'),
  b('GET', 'r1'),
  b('SET', 'r1', 'v'),
  b('SET', 'w1', 'v'),
  b('GET', 'w1'),
  b('DEL', 'k1'),
  b('ACL', 'LIST'),
  b('PUBLISH', 'ch1', 'm'),
  b('PUBLISH', 'zz', 'm'),
  b('EVAL', "return redis.call('get','x')", '0'),
  b('EVAL', "return redis.call('del','k')", '0'),
  b('EVAL', "return redis.pcall('get','x')", '0'),
  b('EVAL', "return redis.call('get','k1')", '1', 'x'),
  b('EVAL', "return redis.call('set','k1','v')", '1', 'k1'),
  b('EVAL', "return redis.call('publish','zz','m')", '0'),
  b('MULTI'),
  b('GET', 'k'),
  b('DEL', 'k'),
  b('EXEC'),
  b('MULTI'),
  b('GET', 'k2'),
  b('SET', 'k3', 'v'),
  a('ACL', 'SETUSER', 'carol', '-set'),
  b('EXEC'),
  b('SUBSCRIBE', 'ch1', 'zz'),
  b('PING'),
  log('ACL', 'LOG'),
  log('ACL', 'LOG', '3'),
  log('ACL', 'LOG', '-1'),
  a('ACL', 'LOG', 'x'),
  a('ACL', 'LOG', '1', '2'),
  a('ACL', 'LOG', 'RESET'),
  log('ACL', 'LOG'),
];

const PSUBSCRIBE: Step[] = [
  a('ACL', 'SETUSER', 'dave', 'on', 'nopass', '+@all', 'resetchannels', '&news.*'),
  b('AUTH', 'dave', 'any'),
  b('PSUBSCRIBE', 'news.*'),
  b('PSUBSCRIBE', 'news.a*'),
  b('PUNSUBSCRIBE'),
  b('SSUBSCRIBE', 'news.x'),
  b('SUNSUBSCRIBE'),
  // Revoking the channel closes the subscribed connection.
  b('SUBSCRIBE', 'news.a'),
  a('ACL', 'SETUSER', 'dave', 'resetchannels', '&other'),
  closedB('PING'),
];

const AUTH_FLOW: Step[] = [
  b('AUTH', 'pw'),
  a('CONFIG', 'SET', 'requirepass', 'secret'),
  rules('ACL', 'GETUSER', 'default'),
  rules('ACL', 'LIST'),
  b('AUTH', 'secret'),
  b('ACL', 'WHOAMI'),
  a('ACL', 'SETUSER', 'erin', 'on', '>e', '+@all', '~*'),
  b('AUTH', 'erin', 'e'),
  b('ACL', 'WHOAMI'),
  b('HELLO', '2', 'AUTH', 'erin', 'bad'),
  b('HELLO', '2', 'AUTH', 'default', 'secret'),
  b('ACL', 'WHOAMI'),
  a('ACL', 'SETUSER', 'erin', 'off'),
  b('AUTH', 'erin', 'e'),
  a('CONFIG', 'SET', 'requirepass', ''),
  rules('ACL', 'GETUSER', 'default'),
  a('ACL', 'USERS'),
  a('ACL', 'DELUSER', 'default'),
  a('ACL', 'DELUSER', 'nosuch', 'erin'),
  a('ACL', 'GETUSER', 'erin'),
  a('ACL', 'SETUSER', 'a b'),
  a('ACL', 'SETUSER', 'dave', 'on', 'nopass', '+@all', '~*'),
  b('AUTH', 'dave', 'x'),
  a('ACL', 'DELUSER', 'dave'),
  closedB('PING'),
];

const MISC: Step[] = [
  a('ACL', 'SETUSER', 'alice', 'on', '>p', '~k*', '%R~r*', '&ch*', '+get', '+set', '+publish'),
  a('ACL', 'DRYRUN', 'alice', 'get', 'k1'),
  a('ACL', 'DRYRUN', 'alice', 'get', 'x'),
  a('ACL', 'DRYRUN', 'alice', 'set', 'r1', 'v'),
  a('ACL', 'DRYRUN', 'alice', 'del', 'k1'),
  a('ACL', 'DRYRUN', 'alice', 'publish', 'zz', 'm'),
  a('ACL', 'DRYRUN', 'alice', 'publish', 'ch1', 'm'),
  a('ACL', 'DRYRUN', 'alice', 'config', 'get', 'x'),
  a('ACL', 'DRYRUN', 'nobody', 'get', 'k'),
  a('ACL', 'DRYRUN', 'alice', 'nosuchcmd', 'k'),
  a('ACL', 'DRYRUN', 'alice', 'get'),
  a('ACL', 'DRYRUN', 'alice', 'get', 'a', 'b'),
  a('ACL', 'DRYRUN', 'alice'),
  a('ACL', 'WHOAMI'),
  a('ACL', 'HELP'),
  length('ACL', 'GENPASS'),
  length('ACL', 'GENPASS', '5'),
  length('ACL', 'GENPASS', '4096'),
  a('ACL', 'GENPASS', '0'),
  a('ACL', 'GENPASS', '4097'),
  a('ACL', 'GENPASS', 'x'),
  a('ACL', 'GENPASS', '1', '2'),
  a('ACL', 'LOAD'),
  a('ACL', 'SAVE'),
  a('ACL', 'NOSUCH'),
  a('ACL', 'GETUSER'),
  a('ACL', 'GETUSER', 'a', 'b'),
  a('ACL', 'SETUSER'),
  a('ACL', 'USERS', 'x'),
  a('AUTH', 'a', 'b', 'c'),
];

const PUBSUB_DEFAULT: Step[] = [
  a('CONFIG', 'SET', 'acl-pubsub-default', 'allchannels'),
  a('ACL', 'SETUSER', 'u1', 'on'),
  a('ACL', 'SETUSER', 'u2', 'on', 'resetchannels', '&x', 'reset'),
  a('ACL', 'SETUSER', 'u3', '(+get)', '(resetchannels +set)'),
  rules('ACL', 'GETUSER', 'u3'),
  rules('ACL', 'LIST'),
  a('CONFIG', 'SET', 'acl-pubsub-default', 'resetchannels'),
  a('ACL', 'SETUSER', 'u4', 'on', '(+get)'),
  rules('ACL', 'LIST'),
];

const KILL_USER: Step[] = [
  a('ACL', 'SETUSER', 'erin', 'on', 'nopass', '+@all', '~*'),
  b('AUTH', 'erin', 'x'),
  a('CLIENT', 'KILL', 'USER', 'nosuch'),
  a('CLIENT', 'KILL', 'USER', 'default'),
  a('CLIENT', 'KILL', 'USER', 'erin'),
  closedB('PING'),
];

const SCRIPTS: Record<string, readonly Step[]> = {
  'CLIENT KILL USER': KILL_USER,
  'acl-pubsub-default for new users and selectors': PUBSUB_DEFAULT,
  'SETUSER then GETUSER and LIST': ROUND_TRIPS,
  'CAT and its categories': CAT,
  'NOPERM for commands, keys and channels, in MULTI and scripts, and the LOG': PERMISSIONS,
  'PSUBSCRIBE patterns and revoked channels': PSUBSCRIBE,
  'AUTH, HELLO AUTH, requirepass and deleted users': AUTH_FLOW,
  'DRYRUN, WHOAMI, HELP, GENPASS, LOAD/SAVE without a file, argument errors': MISC,
};

describe('ACL against redis-server', () => {
  const servers = useServerPair();
  for (const protocol of [2, 3] as const) {
    for (const [name, steps] of Object.entries(SCRIPTS)) {
      it(`${name} (RESP${protocol})`, async () => {
        const { ports } = servers();
        await reset(ports);
        const redis = await runScript(ports.redis, protocol, steps);
        await reset(ports);
        const replisim = await runScript(ports.replisim, protocol, steps);
        await reset(ports);
        for (const [i, step] of steps.entries()) {
          expect(replisim[i], `step ${i}: ${step.argv.join(' ')}`).toEqual(redis[i]);
        }
      });
    }
  }
});

/**
 * ACL SAVE and ACL LOAD with an `aclfile` on each server (its own file in a temporary folder):
 * the saved files must match (single-command tokens sorted, as above), a file written by one
 * server must load on the other, and a bad file must be refused with the same message and no
 * change.
 */
describe('ACL files against redis-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replisim-acl-'));
  const files = { redis: join(dir, 'redis.acl'), replisim: join(dir, 'replisim.acl') };
  const initial =
    'user default on nopass ~* &* +@all\nuser bob on nopass ~b* resetchannels -@all +get\n';
  writeFileSync(files.redis, initial);
  writeFileSync(files.replisim, initial);
  const servers = useServerPair({
    redis: ['--aclfile', files.redis],
    replisim: ['--aclfile', files.replisim],
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads at start, saves the same file, loads each other's files, refuses bad ones alike", async () => {
    const { ports } = servers();
    const both = async (...argv: string[]) => {
      const replies: string[] = [];
      for (const port of [ports.redis, ports.replisim]) {
        const client = await RawClient.connect(port);
        try {
          replies.push(canonicalRules((await client.call(...argv)).bytes.toString('latin1')));
        } finally {
          client.close();
        }
      }
      return replies;
    };
    const same = async (...argv: string[]) => {
      const [redis, replisim] = await both(...argv);
      expect(replisim, argv.join(' ')).toBe(redis);
    };
    await same('ACL', 'LIST');
    await same(
      'ACL',
      'SETUSER',
      'carol',
      'on',
      '>pw',
      '%R~r*',
      '&c',
      '+@read',
      '-get',
      '(+set ~s*)',
    );
    await same('ACL', 'SAVE');
    const saved = {
      redis: readFileSync(files.redis, 'latin1'),
      replisim: readFileSync(files.replisim, 'latin1'),
    };
    expect(canonicalRules(saved.replisim.replaceAll('\n', '\r\n'))).toBe(
      canonicalRules(saved.redis.replaceAll('\n', '\r\n')),
    );
    // Each loads the other's file.
    writeFileSync(files.redis, saved.replisim);
    writeFileSync(files.replisim, saved.redis);
    await same('ACL', 'DELUSER', 'carol');
    await same('ACL', 'LOAD');
    await same('ACL', 'LIST');
    writeFileSync(
      files.redis,
      'user eve on #abc\nfoo\nuser bob on\nuser bob off\nuser x +nosuch\n',
    );
    writeFileSync(
      files.replisim,
      'user eve on #abc\nfoo\nuser bob on\nuser bob off\nuser x +nosuch\n',
    );
    const [redisError = '', replisimError = ''] = await both('ACL', 'LOAD');
    // The messages name each server's own file.
    expect(replisimError.replaceAll(files.replisim, 'F')).toBe(
      redisError.replaceAll(files.redis, 'F'),
    );
    await same('ACL', 'LIST');
  });
});
