/**
 * The keys of a command line and the access each gets, read from Redis 7.0's key specs (Redis's
 * getKeysFromCommandWithSpecs), for the %R~ / %W~ checks. A spec begins its search at an index or
 * after a keyword, then takes a range of arguments or a counted list (numkeys). Where Redis's
 * specs cannot tell (an `unknown` or incomplete spec: SORT's STORE, MIGRATE) or the flags depend
 * on the arguments (SET ... GET, BITFIELD's subcommands), Redis asks the command's getkeys
 * procedure; so does this file, with the same answers for SET and BITFIELD, and for the others
 * the keys the command's replisim definition names (the first with the first spec's flags, the
 * rest with the last spec's).
 */
import { hasKeys, keyIndexes } from '../commands/key-specs.js';
import type { Command } from '../commands/types.js';
import type { CatalogCommand } from './catalog.js';

export interface KeyReference {
  readonly index: number;
  readonly flags: readonly string[];
}

interface ParsedSpec {
  readonly flags: readonly string[];
  readonly begin: string;
  readonly beginArgs: readonly string[];
  readonly find: string;
  readonly findArgs: readonly number[];
}

function parseSpec(spec: string): ParsedSpec {
  const [flags = '', search = ''] = spec.split('@');
  const [begin = '', find = ''] = search.split('/');
  const [beginType = '', beginArgs = ''] = begin.split(':');
  const [findType = '', findArgs = ''] = find.split(':');
  return {
    flags: flags.split(','),
    begin: beginType,
    beginArgs: beginArgs.split(','),
    find: findType,
    findArgs: findArgs.split(',').map(Number),
  };
}

/** One spec's keys, or undefined when the spec cannot say (Redis's invalid_spec). */
function specKeys(spec: ParsedSpec, argv: readonly Buffer[]): KeyReference[] | undefined {
  const argc = argv.length;
  let first = 0;
  if (spec.begin === 'index') {
    first = Number(spec.beginArgs[0]);
  } else if (spec.begin === 'keyword') {
    const keyword = (spec.beginArgs[0] ?? '').toLowerCase();
    const startFrom = Number(spec.beginArgs[1]);
    const start = startFrom > 0 ? startFrom : argc + startFrom;
    const end = startFrom > 0 ? argc - 1 : 0;
    for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
      if (i >= argc || i < 0) break;
      if ((argv[i] ?? Buffer.alloc(0)).toString('latin1').toLowerCase() === keyword) {
        first = i + 1;
        break;
      }
    }
    if (first === 0) return [];
  } else {
    return undefined;
  }
  let last: number;
  let step: number;
  const [a = 0, b = 1, c = 0] = spec.findArgs;
  if (spec.find === 'range') {
    step = b;
    if (a >= 0) last = first + a;
    else if (c === 0) last = argc + a;
    else last = first + (Math.floor((argc - first) / c) + a);
  } else if (spec.find === 'keynum') {
    step = c;
    if (first + a >= argc) return undefined;
    const text = (argv[first + a] ?? Buffer.alloc(0)).toString('latin1');
    const numkeys = /^-?(0|[1-9][0-9]*)$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(numkeys) || numkeys < 0) return undefined;
    first += b;
    last = first + numkeys - 1;
  } else {
    return undefined;
  }
  if (last >= argc || last < first || first >= argc) return undefined;
  const keys: KeyReference[] = [];
  for (let i = first; i <= last; i += step) keys.push({ index: i, flags: spec.flags });
  if (spec.flags.includes('incomplete')) return undefined;
  return keys;
}

/** setGetKeys: OW update, or RW access update with GET. */
function setKeys(argv: readonly Buffer[]): KeyReference[] {
  const withGet = argv.slice(3).some((arg) => arg.toString('latin1').toLowerCase() === 'get');
  return [{ index: 1, flags: withGet ? ['RW', 'access', 'update'] : ['OW', 'update'] }];
}

/** bitfieldGetKeys: RO access when every operation is GET, else RW access update. */
function bitfieldKeys(argv: readonly Buffer[]): KeyReference[] {
  let readOnly = true;
  for (let i = 2; i < argv.length; i++) {
    const op = (argv[i] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
    if (op === 'get' && i + 2 < argv.length) {
      i += 2;
    } else {
      readOnly = false;
      break;
    }
  }
  return [{ index: 1, flags: readOnly ? ['RO', 'access'] : ['RW', 'access', 'update'] }];
}

/** The keys `command` names in `argv` with their key-spec flags (NOT_KEY specs skipped). */
export function commandKeys(
  entry: CatalogCommand,
  command: Command,
  argv: readonly Buffer[],
): KeyReference[] {
  if (entry.fullName === 'set') return setKeys(argv);
  if (entry.fullName === 'bitfield') return bitfieldKeys(argv);
  const specs = entry.keySpecs.map(parseSpec).filter((spec) => !spec.flags.includes('not_key'));
  const keys: KeyReference[] = [];
  for (const spec of specs) {
    const found = specKeys(spec, argv);
    if (found === undefined) return fallbackKeys(specs, command, argv);
    keys.push(...found);
  }
  return keys;
}

/** The getkeys-procedure fallback for specs that cannot say. */
function fallbackKeys(
  specs: readonly ParsedSpec[],
  command: Command,
  argv: readonly Buffer[],
): KeyReference[] {
  if (!hasKeys(command)) return [];
  const firstFlags = specs[0]?.flags ?? [];
  const lastFlags = specs[specs.length - 1]?.flags ?? firstFlags;
  return (keyIndexes(command, argv) ?? []).map((index, i) => ({
    index,
    flags: i === 0 ? firstFlags : lastFlags,
  }));
}
