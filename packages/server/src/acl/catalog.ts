/**
 * The command catalog the ACL layer works on (Redis's server.orig_commands): every Redis 7.0
 * command and subcommand with an id (its bit in a selector's command bitmap) and its ACL
 * categories as a bit mask, and its key specs. Built once from redis-commands.ts. Lookups follow Redis's
 * lookupCommandBySdsLogic: case-insensitive, `parent|sub` for a subcommand, and nothing for a
 * `|` form of a command without subcommands or for more than one `|`.
 */
import { assert } from '@replisim/base';
import { REDIS_COMMAND_LINES } from './redis-commands.js';

/** Redis 7.0's ACLCommandCategories, in its order (ACL CAT lists them so; ACL LIST fits them so). */
export const ACL_CATEGORIES: readonly string[] = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

export interface CatalogCommand {
  /** Index into a selector's command bitmap. */
  readonly id: number;
  /** `name` or `parent|sub`, lower case (Redis's cmd->fullname). */
  readonly fullName: string;
  /** Bit i set when the command is in ACL_CATEGORIES[i]. */
  readonly categories: number;
  /** Redis's key specs, as `flags@begin_search/find_keys` (key-specs.ts reads them). */
  readonly keySpecs: readonly string[];
  readonly parent: CatalogCommand | undefined;
  readonly subcommands: Map<string, CatalogCommand>;
}

/** The bit of a category name (case-insensitive, as strcasecmp), or 0 when there is none. */
export function categoryBit(name: string): number {
  const index = ACL_CATEGORIES.indexOf(name.toLowerCase());
  return index < 0 ? 0 : 1 << index;
}

function buildCatalog(lines: readonly string[]) {
  const all: CatalogCommand[] = [];
  const top = new Map<string, CatalogCommand>();
  for (const line of lines) {
    const [fullName = '', ...words] = line.split(' ');
    const categories = words.filter((word) => !word.includes('@'));
    const keySpecs = words.filter((word) => word.includes('@'));
    let mask = 0;
    for (const category of categories) {
      const bit = categoryBit(category);
      assert(bit !== 0, `unknown ACL category ${category} for ${fullName}`);
      mask |= bit;
    }
    const bar = fullName.indexOf('|');
    const parent = bar < 0 ? undefined : top.get(fullName.slice(0, bar));
    assert(bar < 0 || parent !== undefined, `subcommand ${fullName} before its parent`);
    const command: CatalogCommand = {
      id: all.length,
      fullName,
      categories: mask,
      keySpecs,
      parent,
      subcommands: new Map(),
    };
    all.push(command);
    if (parent === undefined) top.set(fullName, command);
    else parent.subcommands.set(fullName.slice(bar + 1), command);
  }
  return { all, top };
}

const CATALOG = buildCatalog(REDIS_COMMAND_LINES);

/** Every command and subcommand, in catalog order (commands sorted, each followed by its subs). */
export const CATALOG_COMMANDS: readonly CatalogCommand[] = CATALOG.all;

/** Bits in a command bitmap: one per catalog entry. */
export const CATALOG_SIZE: number = CATALOG.all.length;

/** Redis's ACLLookupCommand: `name` or `parent|sub`, any case. */
export function lookupCatalog(name: string): CatalogCommand | undefined {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = CATALOG.top.get(parts[0] ?? '');
  if (base === undefined || parts.length === 1) return base;
  if (base.subcommands.size === 0) return undefined;
  return base.subcommands.get(parts[1] ?? '');
}
