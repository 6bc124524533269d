/**
 * A user as ACL LIST and ACL GETUSER show it (Redis 7.0's ACLDescribeUser and
 * ACLDescribeSelectorCommandRules). The command rules are not the words the user was given but a
 * description rebuilt from the bitmap: `+@all` or `-@all` first (by the future-commands bit),
 * then the category that best fits the remaining difference, again and again, then single
 * `+cmd`/`-cmd` fixes, then first-arg exceptions (`+select|0`).
 *
 * Deliberate difference: Redis emits the single-command fixes in its command dict's order, which
 * depends on a hash seed drawn at start (two redis-servers list them differently); replisim emits
 * them in catalog order (alphabetical, each command followed by its subcommands).
 */
import { assert } from '@replisim/base';
import { ACL_CATEGORIES, CATALOG_COMMANDS } from './catalog.js';
import { ACL_ALL_PERMISSION, ACL_READ_PERMISSION, type KeyPattern, Selector } from './selector.js';
import type { User } from './user.js';

/** Redis's ACLUserFlags, in order. */
export function userFlags(user: User): string[] {
  const flags = [user.enabled ? 'on' : 'off'];
  if (user.nopass) flags.push('nopass');
  if (user.sanitize === 'skip') flags.push('skip-sanitize-payload');
  if (user.sanitize === 'sanitize') flags.push('sanitize-payload');
  return flags;
}

function countCategory(selector: Selector, bit: number): { on: number; off: number } {
  let on = 0;
  let off = 0;
  for (const command of CATALOG_COMMANDS) {
    if ((command.categories & bit) === 0) continue;
    if (selector.isAllowed(command)) on++;
    else off++;
  }
  return { on, off };
}

/** ACLDescribeSelectorCommandRules. */
export function describeCommandRules(selector: Selector): string {
  const additive = !selector.futureCommands;
  const rules: string[] = [additive ? '-@all' : '+@all'];
  const fake = new Selector(false);
  fake.apply(rules[0] ?? '');
  const temp = selector.clone();
  const applied = new Set<number>();
  for (;;) {
    let best = -1;
    let minDiff = Number.MAX_SAFE_INTEGER;
    let maxSame = 0;
    for (let j = 0; j < ACL_CATEGORIES.length; j++) {
      if (applied.has(j)) continue;
      const { on, off } = countCategory(temp, 1 << j);
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
        best = j;
        minDiff = diff;
        maxSame = same;
      }
    }
    if (best === -1) break;
    const name = ACL_CATEGORIES[best] ?? '';
    fake.changeCategory(1 << best, additive);
    temp.changeCategory(1 << best, !additive);
    rules.push(`${additive ? '+' : '-'}@${name}`);
    applied.add(best);
  }
  for (const command of CATALOG_COMMANDS) {
    const userBit = selector.isAllowed(command);
    if (userBit !== fake.isAllowed(command)) {
      rules.push(`${userBit ? '+' : '-'}${command.fullName}`);
      fake.changePerm(command, userBit);
    }
    const firstArgs = selector.firstArgs.get(command.id);
    if (!userBit && firstArgs !== undefined) {
      for (const arg of firstArgs) rules.push(`+${command.fullName}|${arg}`);
    }
  }
  // Redis panics rather than show rules that do not rebuild the bitmap; so does this.
  for (const command of CATALOG_COMMANDS) {
    assert(
      fake.isAllowed(command) === selector.isAllowed(command),
      `ACL rules for ${command.fullName}`,
    );
  }
  return rules.join(' ');
}

/** sdsCatPatternString. */
export function patternString(pattern: KeyPattern): string {
  if (pattern.flags === ACL_ALL_PERMISSION) return `~${pattern.pattern}`;
  return `${pattern.flags === ACL_READ_PERMISSION ? '%R~' : '%W~'}${pattern.pattern}`;
}

/** ACLDescribeSelector: keys, channels, command rules. */
export function describeSelector(selector: Selector): string {
  const words: string[] = [];
  if (selector.allKeys) words.push('~*');
  else words.push(...selector.patterns.map(patternString));
  if (selector.allChannels) words.push('&*');
  else words.push('resetchannels', ...selector.channels.map((c) => `&${c}`));
  words.push(describeCommandRules(selector));
  return words.join(' ');
}

/** ACLDescribeUser: the text after `user <name> ` in ACL LIST and an ACL file. */
export function describeUser(user: User): string {
  let text = userFlags(user).join(' ');
  for (const hash of user.passwords) text += ` #${hash}`;
  for (const selector of user.selectors) {
    text += selector.root ? ` ${describeSelector(selector)}` : ` (${describeSelector(selector)})`;
  }
  return text;
}
