/**
 * Builds a ServerConfig from a redis.conf-style text and redis-server-style command-line options,
 * exactly as redis-server combines them: the file's lines first, then one line per `--name` option
 * (the words after it up to the next `--name`), so the command line wins. `save` lines accumulate
 * (`save ""` clears), every other directive replaces. Pure: the binary reads the file and passes text.
 */

import { checkUserDirective } from '../acl/acl-startup.js';
import { splitArgs } from '../util/split-args.js';
import { findConfigParam, parseSaveRules } from './params.js';
import { defaultServerConfig, type SaveRule, type ServerConfig } from './server-config.js';

/** A directive that could not be applied, reported as redis-server's FATAL CONFIG FILE ERROR. */
export interface ConfigError {
  /** 1-based line number in the combined (file + options) text. */
  readonly line: number;
  /** The directive as Redis echoes it: `port "abc"`. */
  readonly text: string;
  readonly reason: string;
  /**
   * A message Redis logs as a plain warning line rather than the FATAL CONFIG FILE ERROR block
   * (an include that cannot be opened).
   */
  readonly plain?: boolean;
}

export type ConfigLoadResult =
  | { readonly ok: true; readonly config: ServerConfig }
  | { readonly ok: false; readonly error: ConfigError };

/** Turns `--port 6380 --save "900 1"` into directive word lists (`['port', '6380']`, ...). */
export function optionsToDirectives(options: readonly string[]): string[][] {
  const directives: string[][] = [];
  for (const option of options) {
    if (option.startsWith('--') && option.length > 2) {
      directives.push([option.slice(2)]);
    } else {
      const last = directives[directives.length - 1];
      if (last === undefined) directives.push([option]);
      else last.push(option);
    }
  }
  return directives;
}

/** Formats the error the way redis-server prints it to stderr before exiting with status 1. */
export function formatConfigError(error: ConfigError, version: string): string {
  // Line 0: an error found after the last line (the log file check), printed without a line.
  const where =
    error.line === 0
      ? []
      : [`Reading the configuration file, at line ${error.line}`, `>>> '${error.text}'`];
  return ['', `*** FATAL CONFIG FILE ERROR (Redis ${version}) ***`, ...where, error.reason].join(
    '\n',
  );
}

/** What the loader may ask of the machine; the binary passes real checks, tests pass fakes. */
export interface ConfigChecks {
  /** Redis chdir()s into `dir` while loading: a missing directory is a config error on its line. */
  readonly isDirectory: (path: string) => boolean;
  /**
   * `include <path>`: the texts of the files it names (a pattern with * ? [ names every matching
   * file, possibly none), or the message Redis logs before exiting when one cannot be read.
   */
  readonly readInclude?: (path: string) => IncludeResult;
  /** The log file must be openable for appending: undefined, or strerror's text. */
  readonly canAppend?: (path: string) => string | undefined;
}

export type IncludeResult =
  | { readonly ok: true; readonly texts: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** Includes nested deeper than this are refused (an include cycle would otherwise never end). */
export const INCLUDE_DEPTH_MAX = 16;

/**
 * Directives Redis 7.0 still accepts and ignores (deprecated_configs in config.c), with the number
 * of words (name included) each takes.
 */
const DEPRECATED_DIRECTIVES: ReadonlyMap<string, number> = new Map([
  ['list-max-ziplist-entries', 2],
  ['list-max-ziplist-value', 2],
  ['lua-replicate-commands', 2],
]);

interface Directive {
  readonly line: number;
  readonly words: string[];
  readonly text: string;
}

/** Splits a config text into directives, skipping blank and comment lines (sdssplitargs rules). */
function parseLines(fileText: string): Directive[] | ConfigError {
  const directives: Directive[] = [];
  const lines = fileText === '' ? [] : fileText.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = splitArgs(line);
    if (words === null) {
      return { line: index + 1, text: line, reason: 'Unbalanced quotes in configuration line' };
    }
    if (words.length === 0) continue;
    directives.push({ line: index + 1, words, text: line });
  }
  return directives;
}

export function loadConfig(
  fileText: string,
  options: readonly string[],
  checks?: ConfigChecks,
): ConfigLoadResult {
  const parsed = parseLines(fileText);
  if (!Array.isArray(parsed)) return { ok: false, error: parsed };
  const directives = parsed;
  // redis-server appends each option as a new line after a blank one: with no file, the first
  // option is reported as line 2.
  let lineNumber = (fileText === '' ? 0 : fileText.split('\n').length) + 1;
  for (const words of optionsToDirectives(options)) {
    lineNumber++;
    const [name, ...rest] = words;
    const text = [name, ...rest.map((word) => `"${word}"`)].join(' ');
    directives.push({ line: lineNumber, words, text });
  }
  const state: LoadState = { config: defaultServerConfig(), saveRules: undefined, checks };
  const error = applyDirectives(state, directives, 0);
  if (error !== undefined) return { ok: false, error };
  const config = state.config;
  if (state.saveRules !== undefined) config.save = state.saveRules;
  // As loadServerConfigFromString's last step: the log file must open for appending.
  if (config.logfile !== '' && checks?.canAppend !== undefined) {
    const reason = checks.canAppend(config.logfile);
    if (reason !== undefined) {
      return {
        ok: false,
        error: { line: 0, text: '', reason: `Can't open the log file: ${reason}` },
      };
    }
  }
  return { ok: true, config };
}

interface LoadState {
  readonly config: ServerConfig;
  saveRules: SaveRule[] | undefined;
  readonly checks: ConfigChecks | undefined;
}

/**
 * Applies directives in order, as loadServerConfigFromString: a name that is no parameter is a "Bad
 * directive"; a one-word parameter given another number of words is "wrong number of arguments"
 * (multi-word ones check their words themselves); `save` rules are checked on their own line, then
 * accumulate: the first `save` line replaces the defaults, `save ""` (or a bare `save`) clears.
 * `include <path>` applies the named files' directives at that point (their errors carry their own
 * line numbers); deprecated directives are skipped.
 */
function applyDirectives(
  state: LoadState,
  directives: readonly Directive[],
  depth: number,
): ConfigError | undefined {
  const { config, checks } = state;
  for (const { line, words, text } of directives) {
    const [name = '', ...args] = words;
    const param = findConfigParam(name);
    if (param === undefined) {
      const lower = name.toLowerCase();
      if (DEPRECATED_DIRECTIVES.get(lower) === words.length) continue;
      if (lower === 'user' && args.length >= 1) {
        // ACLAppendUserForLoading: rules are tried on a scratch user now (unknown commands pass,
        // as modules could add them); the user is created at start (acl/acl-startup.ts).
        const reason = checkUserDirective(config.users, args);
        if (reason !== undefined) return { line, text, reason };
        config.users.push(args);
        continue;
      }
      if (lower === 'include' && args.length === 1) {
        const error = applyInclude(state, args[0] ?? '', { line, text }, depth);
        if (error !== undefined) return error;
        continue;
      }
      return { line, text, reason: 'Bad directive or wrong number of arguments' };
    }
    if (!param.multiArg && args.length !== 1) {
      return { line, text, reason: 'wrong number of arguments' };
    }
    if (param.name === 'save') {
      const rules = parseSaveRules(args);
      if (rules === undefined) return { line, text, reason: 'Invalid save parameters' };
      const isReset = args.length === 0 || (args.length === 1 && args[0] === '');
      state.saveRules = isReset ? [] : [...(state.saveRules ?? []), ...rules];
      continue;
    }
    const reason = param.apply(config, args);
    if (reason !== undefined) return { line, text, reason };
    if (param.name === 'dir' && checks !== undefined && !checks.isDirectory(config.dir)) {
      return { line, text, reason: 'No such file or directory' };
    }
  }
  return undefined;
}

function applyInclude(
  state: LoadState,
  path: string,
  at: { readonly line: number; readonly text: string },
  depth: number,
): ConfigError | undefined {
  const reader = state.checks?.readInclude;
  if (reader === undefined) {
    return { ...at, reason: 'include is not available here (no file system)' };
  }
  if (depth >= INCLUDE_DEPTH_MAX) {
    return { ...at, reason: `include nested deeper than ${INCLUDE_DEPTH_MAX} files` };
  }
  const read = reader(path);
  if (!read.ok) return { line: 0, text: '', reason: read.message, plain: true };
  for (const included of read.texts) {
    const parsed = parseLines(included);
    if (!Array.isArray(parsed)) return parsed;
    const error = applyDirectives(state, parsed, depth + 1);
    if (error !== undefined) return error;
  }
  return undefined;
}
