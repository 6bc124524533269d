/**
 * An ACL user (Redis 7.0's `user`): on/off, its password hashes (SHA-256 hex, as Redis stores
 * them), nopass, the RESTORE sanitize-payload flags, and its selectors (the root one first).
 * `apply` is ACLSetUser for one rule word; `setUserRules` is ACLStringSetUser: selector words
 * spread over several arguments are merged, every rule is tried on a copy, and the user changes
 * only if all of them apply (else Redis's "Error in ACL SETUSER modifier" message).
 */
import { createHash } from 'node:crypto';
import { splitArgs } from '../util/split-args.js';
import { type RuleError, Selector } from './selector.js';

/** SHA-256 hex is 64 characters (Redis's HASH_PASSWORD_LEN). */
const HASH_PASSWORD_LEN = 64;

/** Redis's ACLHashPassword: SHA-256 of the cleartext bytes, lower-case hex. */
export function hashPassword(cleartext: Buffer): string {
  return createHash('sha256').update(cleartext).digest('hex');
}

function isPasswordHash(text: string): boolean {
  return text.length === HASH_PASSWORD_LEN && /^[0-9a-f]*$/.test(text);
}

export class User {
  readonly name: string;
  enabled = false;
  nopass = false;
  /** skip-sanitize-payload / sanitize-payload: both unset for a new user, as Redis 7.0. */
  sanitize: 'skip' | 'sanitize' | undefined = undefined;
  passwords: string[] = [];
  selectors: Selector[];

  /** `allChannels`: acl-pubsub-default is allchannels (ACLCreateSelector's default flags). */
  constructor(name: string, allChannels = false) {
    this.name = name;
    const root = new Selector(true);
    root.allChannels = allChannels;
    this.selectors = [root];
  }

  get root(): Selector {
    const root = this.selectors[0];
    if (root === undefined || !root.root)
      throw new Error(`user ${this.name} lost its root selector`);
    return root;
  }

  /** ACLCopyUser: the same rules under another name. */
  copyRulesFrom(source: User): void {
    this.enabled = source.enabled;
    this.nopass = source.nopass;
    this.sanitize = source.sanitize;
    this.passwords = [...source.passwords];
    this.selectors = source.selectors.map((s) => s.clone());
  }

  clone(name: string = this.name): User {
    const copy = new User(name);
    copy.copyRulesFrom(this);
    return copy;
  }

  /** Whether `password` opens this user (ACLCheckUserCredentials, after the on/off check). */
  checkPassword(password: Buffer): boolean {
    if (this.nopass) return true;
    const hashed = hashPassword(password);
    return this.passwords.includes(hashed);
  }

  /**
   * ACLSetUser: one rule word (an empty word does nothing). `allChannelsDefault` is
   * acl-pubsub-default = allchannels, which `reset` and new `(...)` selectors start from.
   */
  apply(op: string, allChannelsDefault = false): RuleError | undefined {
    if (op.length === 0) return undefined;
    const lower = op.toLowerCase();
    switch (lower) {
      case 'on':
        this.enabled = true;
        return undefined;
      case 'off':
        this.enabled = false;
        return undefined;
      case 'skip-sanitize-payload':
        this.sanitize = 'skip';
        return undefined;
      case 'sanitize-payload':
        this.sanitize = 'sanitize';
        return undefined;
      case 'nopass':
        this.nopass = true;
        this.passwords = [];
        return undefined;
      case 'resetpass':
        this.nopass = false;
        this.passwords = [];
        return undefined;
      case 'clearselectors':
        this.selectors = [this.root];
        return undefined;
      case 'reset':
        this.nopass = false;
        this.passwords = [];
        this.root.apply('resetkeys');
        this.root.apply('resetchannels');
        if (allChannelsDefault) this.root.apply('allchannels');
        this.enabled = false;
        this.sanitize = 'sanitize';
        this.selectors = [this.root];
        this.root.apply('-@all');
        return undefined;
      default:
        break;
    }
    const first = op[0];
    if (first === '>' || first === '#') {
      const rest = op.slice(1);
      if (first === '#' && !isPasswordHash(rest)) return 'EBADMSG';
      const hash = first === '>' ? hashPassword(Buffer.from(rest, 'latin1')) : rest;
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.nopass = false;
      return undefined;
    }
    if (first === '<' || first === '!') {
      const rest = op.slice(1);
      if (first === '!' && !isPasswordHash(rest)) return 'EBADMSG';
      const hash = first === '<' ? hashPassword(Buffer.from(rest, 'latin1')) : rest;
      const index = this.passwords.indexOf(hash);
      if (index < 0) return 'ENODEV';
      this.passwords.splice(index, 1);
      return undefined;
    }
    if (first === '(' && op[op.length - 1] === ')') {
      const selector = new Selector(false);
      selector.allChannels = allChannelsDefault;
      for (const word of splitArgs(op.slice(1, -1)) ?? []) {
        const error = selector.apply(word);
        if (error !== undefined) return error;
      }
      this.selectors.push(selector);
      return undefined;
    }
    return this.root.apply(op);
  }
}

/** Redis's ACLSetUserStringError. */
export function ruleErrorMessage(error: RuleError | 'EALREADY'): string {
  switch (error) {
    case 'ENOENT':
      return 'Unknown command or category name in ACL';
    case 'EINVAL':
      return 'Syntax error';
    case 'EEXIST':
      return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case 'EISDIR':
      return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    case 'ENODEV':
      return 'The password you are trying to remove from the user does not exist';
    case 'EBADMSG':
      return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    case 'EALREADY':
      return 'Duplicate user found. A user can only be defined once in config files';
    case 'ECHILD':
      return 'Allowing first-arg of a subcommand is not supported';
  }
}

/**
 * ACLMergeSelectorArguments: a `(` word not ending in `)` opens a selector that runs to the first
 * word ending in `)`, joined by spaces. Returns the merged words, or the index of the word that
 * opened an unclosed selector.
 */
export function mergeSelectorArguments(
  words: readonly string[],
): { readonly words: string[] } | { readonly unmatchedAt: number } {
  const merged: string[] = [];
  let openAt = -1;
  let selector = '';
  for (const [index, word] of words.entries()) {
    if (openAt === -1 && word.startsWith('(') && !word.endsWith(')')) {
      selector = word;
      openAt = index;
      continue;
    }
    if (openAt !== -1) {
      selector += ` ${word}`;
      if (word.endsWith(')')) {
        openAt = -1;
        merged.push(selector);
      }
      continue;
    }
    merged.push(word);
  }
  return openAt === -1 ? { words: merged } : { unmatchedAt: openAt };
}

/**
 * ACLStringSetUser: applies `words` to a copy of `user` (or of a new user named `name`) and
 * returns the changed copy, or Redis's error text (without the ERR prefix).
 * `allChannelsDefault`: acl-pubsub-default is allchannels.
 */
export function setUserRules(
  user: User | undefined,
  name: string,
  words: readonly string[],
  allChannelsDefault = false,
): User | string {
  const merged = mergeSelectorArguments(words);
  if ('unmatchedAt' in merged) {
    return `Unmatched parenthesis in acl selector starting at '${words[merged.unmatchedAt] ?? ''}'.`;
  }
  const staged = user === undefined ? new User(name, allChannelsDefault) : user.clone();
  for (const word of merged.words) {
    const error = staged.apply(word, allChannelsDefault);
    if (error !== undefined) {
      return `Error in ACL SETUSER modifier '${cString(word)}': ${ruleErrorMessage(error)}`;
    }
  }
  return staged;
}

/** An argument as Redis's `%s` prints it: up to its first NUL byte. */
function cString(text: string): string {
  const nul = text.indexOf('\u0000');
  return nul < 0 ? text : text.slice(0, nul);
}
