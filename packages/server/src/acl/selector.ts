/**
 * One ACL selector (Redis 7.0's aclSelector): which commands may run (a bitmap over the catalog,
 * plus "first-arg" exceptions such as +select|0), which keys they may touch (glob patterns, each
 * for read, write or both: ~p, %R~p, %W~p) and which Pub/Sub channels (&p). A user has a root
 * selector and may have more `(...)` selectors; a command passes if any one selector allows it.
 *
 * `apply` is ACLSetSelector: one rule word, changing this selector or returning the reason it is
 * refused (errno in Redis, mapped to its message by rules.ts).
 */
import {
  CATALOG_COMMANDS,
  CATALOG_SIZE,
  type CatalogCommand,
  categoryBit,
  lookupCatalog,
} from './catalog.js';

export const ACL_READ_PERMISSION = 1;
export const ACL_WRITE_PERMISSION = 2;
export const ACL_ALL_PERMISSION = 3;

export interface KeyPattern {
  readonly pattern: string;
  flags: number;
}

/** Why a rule was refused (Redis's errno values in ACLSetUser). */
export type RuleError = 'EINVAL' | 'ENOENT' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'ECHILD';

export class Selector {
  readonly root: boolean;
  /** Set by +@all / allcommands, cleared by any denial: skip the bitmap (SELECTOR_FLAG_ALLCOMMANDS). */
  allCommandsFlag = false;
  /** The reserved "future commands" bit: set only by +@all; decides +@all vs -@all in ACL LIST. */
  futureCommands = false;
  allowed: Uint8Array = new Uint8Array(CATALOG_SIZE);
  /** Command id -> allowed first arguments of an otherwise denied command (+select|0). */
  firstArgs: Map<number, string[]> = new Map();
  allKeys = false;
  patterns: KeyPattern[] = [];
  allChannels = false;
  channels: string[] = [];

  constructor(root: boolean) {
    this.root = root;
  }

  clone(): Selector {
    const copy = new Selector(this.root);
    copy.allCommandsFlag = this.allCommandsFlag;
    copy.futureCommands = this.futureCommands;
    copy.allowed = this.allowed.slice();
    copy.firstArgs = new Map([...this.firstArgs].map(([id, args]) => [id, [...args]]));
    copy.allKeys = this.allKeys;
    copy.patterns = this.patterns.map((p) => ({ ...p }));
    copy.allChannels = this.allChannels;
    copy.channels = [...this.channels];
    return copy;
  }

  isAllowed(command: CatalogCommand): boolean {
    return this.allowed[command.id] === 1;
  }

  /** ACLChangeSelectorPerm: a command and, for a container, all its subcommands. */
  changePerm(command: CatalogCommand, allow: boolean): void {
    this.setBit(command, allow);
    this.firstArgs.delete(command.id);
    for (const sub of command.subcommands.values()) this.setBit(sub, allow);
  }

  /** ACLSetSelectorCommandBitsForCategory: every command (and subcommand) in the category. */
  changeCategory(bit: number, allow: boolean): void {
    for (const command of CATALOG_COMMANDS) {
      if ((command.categories & bit) !== 0) this.changePerm(command, allow);
    }
  }

  private setBit(command: CatalogCommand, allow: boolean): void {
    this.allowed[command.id] = allow ? 1 : 0;
    if (!allow) this.allCommandsFlag = false;
  }

  private setAll(allow: boolean): void {
    this.allowed.fill(allow ? 1 : 0);
    this.allCommandsFlag = allow;
    this.futureCommands = allow;
    this.firstArgs.clear();
  }

  /** ACLSetSelector: applies one rule word; returns the refusal, or undefined. */
  apply(op: string): RuleError | undefined {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.patterns = [];
    } else if (lower === 'resetkeys') {
      this.allKeys = false;
      this.patterns = [];
    } else if (lower === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.setAll(true);
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.setAll(false);
    } else if (op[0] === '~' || op[0] === '%') {
      return this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) return 'EISDIR';
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) return 'EINVAL';
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
      this.allChannels = false;
    } else if (op[0] === '+' && op[1] !== '@') {
      return this.allowCommand(op.slice(1));
    } else if (op[0] === '-' && op[1] !== '@') {
      const command = lookupCatalog(op.slice(1));
      if (command === undefined) return 'ENOENT';
      this.changePerm(command, false);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const bit = categoryBit(op.slice(2));
      if (bit === 0) return 'ENOENT';
      this.changeCategory(bit, op[0] === '+');
    } else {
      return 'EINVAL';
    }
    return undefined;
  }

  private addKeyPattern(op: string): RuleError | undefined {
    if (this.allKeys) return 'EEXIST';
    let flags = 0;
    let offset = 1;
    if (op[0] === '%') {
      // %R~, %W~, %RW~ (any order, each once); Redis 7.0.15 refuses %~ without a flag.
      let closed = false;
      for (; offset < op.length; offset++) {
        const c = (op[offset] ?? '').toUpperCase();
        if (c === 'R' && (flags & ACL_READ_PERMISSION) === 0) flags |= ACL_READ_PERMISSION;
        else if (c === 'W' && (flags & ACL_WRITE_PERMISSION) === 0) flags |= ACL_WRITE_PERMISSION;
        else if (op[offset] === '~' && flags !== 0) {
          offset++;
          closed = true;
          break;
        } else return 'EINVAL';
      }
      // A word that ends before its `~` ("%R") keeps Redis's reading: an empty pattern.
      if (!closed && flags === 0) return 'EINVAL';
    } else {
      flags = ACL_ALL_PERMISSION;
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) return 'EINVAL';
    const existing = this.patterns.find((p) => p.pattern === pattern);
    if (existing === undefined) this.patterns.push({ pattern, flags });
    else existing.flags |= flags;
    this.allKeys = false;
    return undefined;
  }

  private allowCommand(name: string): RuleError | undefined {
    const bar = name.lastIndexOf('|');
    if (bar < 0) {
      const command = lookupCatalog(name);
      if (command === undefined) return 'ENOENT';
      this.changePerm(command, true);
      return undefined;
    }
    const command = lookupCatalog(name.slice(0, bar));
    if (command === undefined) return 'ENOENT';
    if (command.parent !== undefined) return 'ECHILD';
    const sub = name.slice(bar + 1);
    if (sub === '') return 'EINVAL';
    if (command.subcommands.size > 0) {
      const subcommand = lookupCatalog(name);
      if (subcommand === undefined) return 'ENOENT';
      this.changePerm(subcommand, true);
      return undefined;
    }
    // A first argument of a command without subcommands (+select|0): allowed alone.
    const args = this.firstArgs.get(command.id) ?? [];
    if (!args.some((arg) => arg.toLowerCase() === sub.toLowerCase())) args.push(sub);
    this.firstArgs.set(command.id, args);
    return undefined;
  }
}

/** Redis's ACLStringHasSpaces: isspace() or a NUL byte anywhere. */
export function hasSpaces(text: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(text);
}
