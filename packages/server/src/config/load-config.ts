/**
 * Builds a ServerConfig from a redis.conf-style text and redis-server-style command-line options,
 * exactly as redis-server combines them: the file's lines first, then one line per `--name` option
 * (the words after it up to the next `--name`), so the command line wins. `save` lines accumulate
 * (`save ""` clears), every other directive replaces. Pure: the binary reads the file and passes text.
 */

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
  return [
    '',
    `*** FATAL CONFIG FILE ERROR (Redis ${version}) ***`,
    `Reading the configuration file, at line ${error.line}`,
    `>>> '${error.text}'`,
    error.reason,
  ].join('\n');
}

/** What the loader may ask of the machine; the binary passes real checks, tests pass fakes. */
export interface ConfigChecks {
  /** Redis chdir()s into `dir` while loading: a missing directory is a config error on its line. */
  readonly isDirectory: (path: string) => boolean;
}

export function loadConfig(
  fileText: string,
  options: readonly string[],
  checks?: ConfigChecks,
): ConfigLoadResult {
  const directives: { line: number; words: string[]; text: string }[] = [];
  const lines = fileText === '' ? [] : fileText.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = splitArgs(line);
    if (words === null) {
      return {
        ok: false,
        error: { line: index + 1, text: line, reason: 'Unbalanced quotes in configuration line' },
      };
    }
    directives.push({ line: index + 1, words, text: line });
  }
  // redis-server appends each option as a new line after a blank one: with no file, the first
  // option is reported as line 2.
  let lineNumber = lines.length + 1;
  for (const words of optionsToDirectives(options)) {
    lineNumber++;
    const [name, ...rest] = words;
    const text = [name, ...rest.map((word) => `"${word}"`)].join(' ');
    directives.push({ line: lineNumber, words, text });
  }
  return applyDirectives(directives, checks);
}

/**
 * Applies directives in order, as loadServerConfigFromString: a name that is no parameter is a "Bad
 * directive"; a one-word parameter given another number of words is "wrong number of arguments"
 * (multi-word ones check their words themselves); `save` rules are checked on their own line, then
 * accumulate: the first `save` line replaces the defaults, `save ""` (or a bare `save`) clears.
 */
function applyDirectives(
  directives: readonly { line: number; words: string[]; text: string }[],
  checks: ConfigChecks | undefined,
): ConfigLoadResult {
  const config = defaultServerConfig();
  let saveRules: SaveRule[] | undefined;
  for (const { line, words, text } of directives) {
    const [name = '', ...args] = words;
    const param = findConfigParam(name);
    if (param === undefined) {
      return {
        ok: false,
        error: { line, text, reason: 'Bad directive or wrong number of arguments' },
      };
    }
    if (!param.multiArg && args.length !== 1) {
      return { ok: false, error: { line, text, reason: 'wrong number of arguments' } };
    }
    if (param.name === 'save') {
      const rules = parseSaveRules(args);
      if (rules === undefined) {
        return { ok: false, error: { line, text, reason: 'Invalid save parameters' } };
      }
      const isReset = args.length === 0 || (args.length === 1 && args[0] === '');
      saveRules = isReset ? [] : [...(saveRules ?? []), ...rules];
      continue;
    }
    const reason = param.apply(config, args);
    if (reason !== undefined) return { ok: false, error: { line, text, reason } };
    if (param.name === 'dir' && checks !== undefined && !checks.isDirectory(config.dir)) {
      return { ok: false, error: { line, text, reason: 'No such file or directory' } };
    }
  }
  if (saveRules !== undefined) config.save = saveRules;
  return { ok: true, config };
}
