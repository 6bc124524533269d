/**
 * Turns a command's syntax line, written as Redis's documentation writes it, into the argument tree
 * COMMAND DOCS replies (and redis-cli builds its hints from). One line per command keeps the command
 * file self-documenting and the metadata impossible to drift from it.
 *
 * The notation:
 *   key                 an argument named "key" (type key; other names default to type string)
 *   seconds:integer     an argument with a type (integer, double, key, pattern, unix-time, string)
 *   NX                  a pure token (upper case)
 *   EX seconds:integer  a token followed by its value: one argument with `token: EX`
 *   [ ... ]             optional; `a|b|c` inside alternatives (oneof); several items a block
 *   ( ... )             the same, but required (`(LIB-NAME name|LIB-VER version)`)
 *   x [x ...]           x may repeat (flag "multiple")
 */
import { assert } from '@replisim/base';

export type ArgumentType =
  | 'string'
  | 'integer'
  | 'double'
  | 'key'
  | 'pattern'
  | 'unix-time'
  | 'pure-token'
  | 'oneof'
  | 'block';

export interface CommandArgument {
  readonly name: string;
  readonly type: ArgumentType;
  readonly token?: string;
  readonly optional: boolean;
  readonly multiple: boolean;
  readonly arguments?: readonly CommandArgument[];
}

type Token = '[' | ']' | '(' | ')' | '|' | '...' | string;

function tokenize(syntax: string): Token[] {
  return syntax
    .replace(/([[\]()|])/g, ' $1 ')
    .split(/\s+/)
    .filter((word) => word !== '');
}

const TYPES: ReadonlySet<string> = new Set([
  'string',
  'integer',
  'double',
  'key',
  'pattern',
  'unix-time',
]);

function isTokenWord(word: string): boolean {
  return /^[A-Z][A-Z0-9-]*$/.test(word);
}

/** A named value: `name` or `name:type`. */
function valueArgument(word: string, token?: string): CommandArgument {
  const [name = word, type] = word.split(':');
  const resolved = type ?? (name === 'key' ? 'key' : 'string');
  assert(TYPES.has(resolved), `unknown argument type in syntax: ${word}`);
  const base = { name, type: resolved as ArgumentType, optional: false, multiple: false };
  return token === undefined ? base : { ...base, token };
}

class SyntaxReader {
  private position = 0;
  private readonly tokens: readonly Token[];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  take(): Token | undefined {
    return this.tokens[this.position++];
  }

  /** A sequence of items up to `]`, `|` or the end. */
  sequence(): CommandArgument[] {
    const items: CommandArgument[] = [];
    const stops: readonly (Token | undefined)[] = [undefined, ']', ')', '|', '...'];
    for (let next = this.peek(); !stops.includes(next); next = this.peek()) {
      if (next === '[' || next === '(') {
        this.take();
        const group = this.group(next === '[' ? ']' : ')');
        // `x [x ...]` marks the previous item as repeating.
        const previous = items[items.length - 1];
        if (group === 'repeat' && previous !== undefined) {
          items[items.length - 1] = { ...previous, multiple: true };
        } else if (group !== 'repeat') {
          items.push(group);
        }
        continue;
      }
      items.push(this.item());
    }
    return items;
  }

  private item(): CommandArgument {
    const word = this.take() ?? '';
    if (!isTokenWord(word)) return valueArgument(word);
    const next = this.peek();
    if (
      next !== undefined &&
      !['[', ']', '(', ')', '|', '...'].includes(next) &&
      !isTokenWord(next)
    ) {
      this.take();
      return valueArgument(next, word);
    }
    return {
      name: word.toLowerCase(),
      type: 'pure-token',
      token: word,
      optional: false,
      multiple: false,
    };
  }

  /** After `[` or `(`: alternatives, a block, one item, or `x ...` (a repeat marker). */
  private group(closingExpected: ']' | ')'): CommandArgument | 'repeat' {
    const optional = closingExpected === ']';
    const alternatives: CommandArgument[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.take();
      alternatives.push(this.sequence());
    }
    if (this.peek() === '...') this.take();
    const closing = this.take();
    assert(closing === closingExpected, 'unbalanced brackets in command syntax');
    const first = alternatives[0] ?? [];
    if (alternatives.length === 1 && first.length === 1 && this.lastWasRepeat()) return 'repeat';
    if (alternatives.length > 1) {
      const options = alternatives.map((items) => asOne(items));
      const name = options.map((option) => option.name).join('-or-');
      return { name, type: 'oneof', optional, multiple: false, arguments: options };
    }
    return { ...asOne(first), optional };
  }

  private lastWasRepeat(): boolean {
    return this.tokens[this.position - 2] === '...';
  }
}

/** One item, or several wrapped in a block. */
function asOne(items: readonly CommandArgument[]): CommandArgument {
  if (items.length === 1 && items[0] !== undefined) return items[0];
  return {
    name: items.map((item) => item.name).join('-'),
    type: 'block',
    optional: false,
    multiple: false,
    arguments: items,
  };
}

/** Parses a syntax line (without the command name) into COMMAND DOCS arguments. */
export function parseSyntax(syntax: string): CommandArgument[] {
  const reader = new SyntaxReader(tokenize(syntax));
  const items = reader.sequence();
  assert(reader.peek() === undefined, `unexpected token in command syntax: ${syntax}`);
  return items;
}
