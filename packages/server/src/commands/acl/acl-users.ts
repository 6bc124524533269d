/**
 * ACL SETUSER, DELUSER, GETUSER, LIST and USERS: creating, changing, removing and showing users
 * (Redis 7.0's aclCommand branches). SETUSER applies all its rules or none (acl/user.ts); a
 * changed user keeps its object, so its connections see the new rules at once, and its Pub/Sub
 * clients that lost a channel are closed. DELUSER closes the connections of the removed users.
 */

import type { ReplyWriter } from '@replisim/protocol';
import { pubsubAllChannels } from '../../acl/acl-startup.js';
import {
  describeCommandRules,
  describeUser,
  patternString,
  userFlags,
} from '../../acl/describe.js';
import type { Selector } from '../../acl/selector.js';
import { hasSpaces } from '../../acl/selector.js';
import { setUserRules } from '../../acl/user.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

const FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;
const ADMIN = ['@admin', '@slow', '@dangerous'] as const;

const text = (arg: Buffer | undefined): string => (arg ?? Buffer.alloc(0)).toString('latin1');

export const setuser: Command = defineCommand<{ name: string; rules: string[] }>({
  name: 'setuser',
  arity: -3,
  syntax: 'username [rule [rule ...]]',
  flags: FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: {
    summary: 'Modify or create the rules for a specific ACL user',
    since: '6.0.0',
    group: 'server',
    complexity: 'O(N). Where N is the number of rules provided.',
  },
  parse: (argv) => ({ name: text(argv[2]), rules: argv.slice(3).map((arg) => text(arg)) }),
  execute(ctx, { name, rules }) {
    if (hasSpaces(name))
      return new ErrorReply("ERR Usernames can't contain spaces or null characters");
    const acl = ctx.node.acl;
    const existing = acl.users.get(name);
    const staged = setUserRules(existing, name, rules, pubsubAllChannels(ctx.node));
    if (typeof staged === 'string') return new ErrorReply(`ERR ${staged}`);
    if (existing === undefined) {
      acl.users.set(name, staged);
    } else {
      acl.killRevokedSubscribers(ctx.node, existing, staged);
      existing.copyRulesFrom(staged);
    }
    ctx.reply.simple('OK');
    return undefined;
  },
});

export const deluser: Command = defineCommand<string[]>({
  name: 'deluser',
  arity: -3,
  syntax: 'username [username ...]',
  flags: FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: {
    summary: 'Remove the specified ACL users and the associated rules',
    since: '6.0.0',
    group: 'server',
    complexity: 'O(1) amortized time considering the typical user.',
  },
  parse: (argv) => argv.slice(2).map((arg) => text(arg)),
  execute(ctx, names) {
    if (names.includes('default'))
      return new ErrorReply("ERR The 'default' user cannot be removed");
    const acl = ctx.node.acl;
    let deleted = 0;
    for (const name of names) {
      const user = acl.users.get(name);
      if (user === undefined) continue;
      acl.users.delete(name);
      acl.killClientsOf(ctx.node, user, ctx.client);
      deleted++;
    }
    ctx.reply.integer(deleted);
    return undefined;
  },
});

/** aclAddReplySelectorDescription: commands, keys, channels (three map fields). */
function replySelector(reply: ReplyWriter, selector: Selector): void {
  reply.bulk('commands');
  reply.bulk(describeCommandRules(selector));
  reply.bulk('keys');
  reply.bulk(selector.allKeys ? '~*' : selector.patterns.map(patternString).join(' '));
  reply.bulk('channels');
  reply.bulk(selector.allChannels ? '&*' : selector.channels.map((c) => `&${c}`).join(' '));
}

export const getuser: Command = defineCommand<string>({
  name: 'getuser',
  arity: 3,
  syntax: 'username',
  flags: FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: {
    summary: 'Get the rules for a specific ACL user',
    since: '6.0.0',
    group: 'server',
    complexity:
      'O(N). Where N is the number of password, command and pattern rules that the user has.',
  },
  parse: (argv) => text(argv[2]),
  execute(ctx, name) {
    const user = ctx.node.acl.users.get(name);
    const reply = ctx.reply;
    if (user === undefined) {
      reply.nullBulk();
      return undefined;
    }
    reply.mapHeader(6);
    reply.bulk('flags');
    const flags = userFlags(user);
    reply.setHeader(flags.length);
    for (const flag of flags) reply.bulk(flag);
    reply.bulk('passwords');
    reply.arrayHeader(user.passwords.length);
    for (const hash of user.passwords) reply.bulk(hash);
    replySelector(reply, user.root);
    reply.bulk('selectors');
    const extra = user.selectors.slice(1);
    reply.arrayHeader(extra.length);
    for (const selector of extra) {
      reply.mapHeader(3);
      replySelector(reply, selector);
    }
    return undefined;
  },
});

function defineListing(name: 'list' | 'users', summary: string): Command {
  return defineCommand<null>({
    name,
    arity: 2,
    syntax: '',
    flags: FLAGS,
    aclCategories: ADMIN,
    keys: NO_KEYS,
    doc: {
      summary,
      since: '6.0.0',
      group: 'server',
      complexity: 'O(N). Where N is the number of configured users.',
    },
    parse: () => null,
    execute(ctx) {
      const users = ctx.node.acl.sortedUsers();
      ctx.reply.arrayHeader(users.length);
      for (const user of users) {
        ctx.reply.bulk(name === 'users' ? user.name : `user ${user.name} ${describeUser(user)}`);
      }
      return undefined;
    },
  });
}

export const list: Command = defineListing(
  'list',
  'List the current ACL rules in ACL config file format',
);
export const users: Command = defineListing(
  'users',
  'List the username of all the configured ACL rules',
);
