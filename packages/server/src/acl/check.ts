/**
 * May this user run this command line? (Redis 7.0's ACLCheckAllUserCommandPerm.) Each selector is
 * tried in turn: the command bit (or a first-arg exception), then every key the command names with
 * the access its key spec declares (read for `access`, write for insert/delete/update), then the
 * Pub/Sub channels of PUBLISH/SPUBLISH and the SUBSCRIBE family. Keys come from Redis 7.0's key
 * specs (key-specs.ts). The first selector that allows
 * everything wins; otherwise the most relevant refusal is reported: a command refusal unless some
 * selector got as far as a key or channel, then the one at the highest argument position.
 */

import { defaultKeyFlags, hasKeys, keyIndexes } from '../commands/key-specs.js';
import type { Command } from '../commands/types.js';
import { globMatch } from '../util/glob.js';
import { lookupCatalog } from './catalog.js';
import { commandKeys, type KeyReference } from './key-specs.js';
import { ACL_READ_PERMISSION, ACL_WRITE_PERMISSION, type Selector } from './selector.js';
import type { User } from './user.js';

export type AclDenial = 'command' | 'key' | 'channel';

export type AclVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: AclDenial; readonly argIndex: number };

const OK: AclVerdict = { ok: true };

/** ACL_DENIED_CMD < ACL_DENIED_KEY < ACL_DENIED_CHANNEL, as Redis ranks them. */
const RANK: Readonly<Record<AclDenial, number>> = { command: 1, key: 2, channel: 3 };

/** The argv indexes of the channels a command names, and whether they are patterns. */
function channelArgs(command: Command, argv: readonly Buffer[]) {
  switch (command.fullName) {
    case 'publish':
    case 'spublish':
      return { indexes: [1], pattern: false };
    case 'subscribe':
    case 'ssubscribe':
      return { indexes: argv.slice(1).map((_, i) => i + 1), pattern: false };
    case 'psubscribe':
      return { indexes: argv.slice(1).map((_, i) => i + 1), pattern: true };
    default:
      return undefined;
  }
}

/** ACL permission bits for key-spec flags: read for access, write for insert/delete/update. */
function permissionOf(flags: readonly string[]): number {
  let permission = 0;
  if (flags.includes('access')) permission |= ACL_READ_PERMISSION;
  if (flags.includes('insert') || flags.includes('delete') || flags.includes('update')) {
    permission |= ACL_WRITE_PERMISSION;
  }
  return permission;
}

/** The keys of a command line, from Redis's key specs (replisim's own metadata if it has none). */
function aclKeys(command: Command, argv: readonly Buffer[]): readonly KeyReference[] {
  const entry = lookupCatalog(command.fullName);
  if (entry !== undefined) return commandKeys(entry, command, argv);
  if (!hasKeys(command)) return [];
  return (keyIndexes(command, argv) ?? []).map((index) => ({
    index,
    flags: command.keyFlags?.(index, argv) ?? defaultKeyFlags(command),
  }));
}

/** ACLSelectorCheckKey. */
export function selectorAllowsKey(selector: Selector, key: string, permission: number): boolean {
  if (selector.allKeys) return true;
  return selector.patterns.some(
    (p) => (p.flags & permission) === permission && globMatch(p.pattern, key),
  );
}

/** ACLCheckChannelAgainstList: a pattern (PSUBSCRIBE) only matches an equal ACL pattern. */
export function channelAllowed(
  list: readonly string[],
  channel: string,
  pattern: boolean,
): boolean {
  return list.some((p) => (pattern ? p === channel : globMatch(p, channel)));
}

function commandAllowed(selector: Selector, command: Command, argv: readonly Buffer[]): boolean {
  if (selector.allCommandsFlag || command.flags.includes('no_auth')) return true;
  const entry = lookupCatalog(command.fullName);
  if (entry === undefined) return false;
  if (selector.isAllowed(entry)) return true;
  const firstArgs = selector.firstArgs.get(entry.id);
  if (firstArgs === undefined || argv.length < 2) return false;
  const arg = (argv[entry.parent === undefined ? 1 : 2] ?? Buffer.alloc(0)).toString('latin1');
  return firstArgs.some((allowed) => allowed.toLowerCase() === arg.toLowerCase());
}

/** ACLSelectorCheckCmd. */
function checkSelector(selector: Selector, command: Command, argv: readonly Buffer[]): AclVerdict {
  if (!commandAllowed(selector, command, argv))
    return { ok: false, reason: 'command', argIndex: 0 };
  if (!selector.allKeys) {
    for (const { index, flags } of aclKeys(command, argv)) {
      const key = (argv[index] ?? Buffer.alloc(0)).toString('latin1');
      if (!selectorAllowsKey(selector, key, permissionOf(flags))) {
        return { ok: false, reason: 'key', argIndex: index };
      }
    }
  }
  const channels = selector.allChannels ? undefined : channelArgs(command, argv);
  for (const index of channels?.indexes ?? []) {
    const channel = (argv[index] ?? Buffer.alloc(0)).toString('latin1');
    if (!channelAllowed(selector.channels, channel, channels?.pattern ?? false)) {
      return { ok: false, reason: 'channel', argIndex: index };
    }
  }
  return OK;
}

/** ACLCheckAllUserCommandPerm. */
export function checkCommand(user: User, command: Command, argv: readonly Buffer[]): AclVerdict {
  // The common case, a user allowed everything (the default user): nothing to look up.
  const root = user.root;
  if (root.allCommandsFlag && root.allKeys && root.allChannels) return OK;
  let worst: AclVerdict = { ok: false, reason: 'command', argIndex: 0 };
  for (const selector of user.selectors) {
    const verdict = checkSelector(selector, command, argv);
    if (verdict.ok) return OK;
    if (worst.ok) continue;
    const rank = RANK[verdict.reason];
    const worstRank = RANK[worst.reason];
    if (rank > worstRank || (rank === worstRank && verdict.argIndex > worst.argIndex)) {
      worst = verdict;
    }
  }
  return worst;
}

/** The NOPERM reply for a refused command (processCommand's rejectCommandFormat texts). */
export function nopermMessage(verdict: AclVerdict & { ok: false }, command: Command): string {
  switch (verdict.reason) {
    case 'command':
      return `NOPERM this user has no permissions to run the '${command.fullName}' command`;
    case 'key':
      return 'NOPERM this user has no permissions to access one of the keys used as arguments';
    case 'channel':
      return 'NOPERM this user has no permissions to access one of the channels used as arguments';
  }
}
