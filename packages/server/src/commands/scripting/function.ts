/**
 * FUNCTION LOAD [REPLACE] code | DELETE library | FLUSH [ASYNC|SYNC] | LIST [WITHCODE]
 *   [LIBRARYNAME pattern] | STATS | DUMP | RESTORE payload [FLUSH|APPEND|REPLACE] | KILL | HELP
 *
 * The function libraries (functions.c). LOAD, DELETE, FLUSH and RESTORE change the dataset's
 * functions: they count as a change (server.dirty) and go to replicas as received. LIST and
 * DUMP read; STATS reports the running (busy) script and the Lua engine's counts; KILL stops a
 * busy function (scripting/engine.ts).
 */
import { decodeFunctionsPayload, encodeFunctionsPayload } from '@replisim/protocol';
import { busyMessage, scriptingOf } from '../../scripting/engine.js';
import { SCRIPT_FLAG_NAMES } from '../../scripting/shebang.js';
import { globMatch } from '../../util/glob.js';
import { defineNoArgSubcommand } from '../no-arg-subcommand.js';
import { helpCommand } from '../server/help.js';
import {
  type Command,
  type CommandContext,
  defineCommand,
  defineContainer,
  ErrorReply,
  NO_KEYS,
} from '../types.js';

const DOC = { since: '7.0.0', group: 'scripting' } as const;

/** A change to the functions: counted for save rules and propagated as received. */
function changed(ctx: CommandContext): void {
  ctx.node.dirty++;
  ctx.forcePropagation();
}

function syntaxError(argv: readonly Buffer[]): ErrorReply {
  const sub = (argv[1] ?? Buffer.alloc(0)).toString('latin1').slice(0, 128);
  return new ErrorReply(
    `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try FUNCTION HELP.`,
  );
}

const load = defineCommand<{ replace: boolean; code: Buffer }>({
  name: 'load',
  arity: -3,
  syntax: '[REPLACE] function-code',
  flags: ['write', 'denyoom', 'noscript'],
  aclCategories: ['@write', '@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    ...DOC,
    summary: 'Create a function with the given arguments (name, code, description)',
    complexity: 'O(1) (considering compilation time is redundant)',
  },
  parse(argv) {
    let replace = false;
    let at = 2;
    while (at < argv.length - 1) {
      const option = (argv[at++] ?? Buffer.alloc(0)).toString('latin1');
      if (option.toLowerCase() === 'replace') {
        replace = true;
        continue;
      }
      return new ErrorReply(`ERR Unknown option given: ${option}`);
    }
    const code = argv[at];
    if (code === undefined) return new ErrorReply('ERR Function code is missing');
    return { replace, code };
  },
  execute(ctx, { replace, code }) {
    const name = scriptingOf(ctx.node).functions.load(code, replace);
    if (name instanceof ErrorReply) return name;
    changed(ctx);
    ctx.reply.bulk(name);
    return undefined;
  },
});

const del = defineCommand<string>({
  name: 'delete',
  arity: 3,
  syntax: 'library-name',
  flags: ['write', 'noscript'],
  aclCategories: ['@write', '@slow', '@scripting'],
  keys: NO_KEYS,
  doc: { ...DOC, summary: 'Delete a function by name', complexity: 'O(1)' },
  parse: (argv) => (argv[2] ?? Buffer.alloc(0)).toString('latin1'),
  execute(ctx, name) {
    const functions = scriptingOf(ctx.node).functions;
    const library = functions.libraries.get(name.toLowerCase());
    if (library === undefined) return new ErrorReply('ERR Library not found');
    functions.removeLibrary(library);
    changed(ctx);
    ctx.reply.simple('OK');
    return undefined;
  },
});

const flush = defineCommand<null>({
  name: 'flush',
  arity: -2,
  syntax: '[ASYNC|SYNC]',
  flags: ['write', 'noscript'],
  aclCategories: ['@write', '@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    ...DOC,
    summary: 'Deleting all functions',
    complexity: 'O(N) where N is the number of functions deleted',
  },
  parse(argv) {
    if (argv.length > 3) return syntaxError(argv);
    const mode = argv[2]?.toString('latin1').toLowerCase();
    if (mode !== undefined && mode !== 'sync' && mode !== 'async') {
      return new ErrorReply('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    }
    return null;
  },
  execute(ctx) {
    scriptingOf(ctx.node).functions.flush();
    changed(ctx);
    ctx.reply.simple('OK');
    return undefined;
  },
});

const kill = defineNoArgSubcommand({
  name: 'kill',
  flags: ['noscript', 'allow_busy'],
  aclCategories: ['@slow', '@scripting'],
  doc: { ...DOC, summary: 'Kill the function currently in execution.', complexity: 'O(1)' },
  execute(ctx) {
    const refused = scriptingOf(ctx.node).kill(false);
    if (refused !== undefined) return refused;
    ctx.reply.simple('OK');
    return undefined;
  },
});

interface ListArgs {
  readonly withCode: boolean;
  readonly pattern: string | undefined;
}

const list = defineCommand<ListArgs>({
  name: 'list',
  arity: -2,
  syntax: '[LIBRARYNAME library-name-pattern] [WITHCODE]',
  flags: ['noscript'],
  aclCategories: ['@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    ...DOC,
    summary: 'List information about all the functions',
    complexity: 'O(N) where N is the number of functions',
  },
  parse(argv) {
    let withCode = false;
    let pattern: string | undefined;
    for (let i = 2; i < argv.length; i++) {
      const arg = (argv[i] ?? Buffer.alloc(0)).toString('latin1');
      if (!withCode && arg.toLowerCase() === 'withcode') {
        withCode = true;
        continue;
      }
      if (pattern === undefined && arg.toLowerCase() === 'libraryname') {
        if (i >= argv.length - 1) return new ErrorReply('ERR library name argument was not given');
        pattern = (argv[++i] ?? Buffer.alloc(0)).toString('latin1');
        continue;
      }
      return new ErrorReply(`ERR Unknown argument ${arg}`);
    }
    return { withCode, pattern };
  },
  execute(ctx, { withCode, pattern }) {
    const { reply } = ctx;
    const libraries = [...scriptingOf(ctx.node).functions.libraries.values()].filter(
      (library) => pattern === undefined || globMatch(pattern, library.name, true),
    );
    reply.arrayHeader(libraries.length);
    for (const library of libraries) {
      reply.mapHeader(withCode ? 4 : 3);
      reply.bulk('library_name');
      reply.bulk(library.name);
      reply.bulk('engine');
      reply.bulk(library.engine);
      reply.bulk('functions');
      reply.arrayHeader(library.functions.size);
      for (const f of library.functions.values()) {
        reply.mapHeader(3);
        reply.bulk('name');
        reply.bulk(f.name);
        reply.bulk('description');
        if (f.description === undefined) reply.nullBulk();
        else reply.bulk(f.description);
        reply.bulk('flags');
        const flags = SCRIPT_FLAG_NAMES.filter((name) => f.flags.names.has(name));
        reply.setHeader(flags.length);
        for (const flag of flags) reply.simple(flag);
      }
      if (withCode) {
        reply.bulk('library_code');
        reply.bulk(library.code);
      }
    }
    return undefined;
  },
});

const stats = defineNoArgSubcommand({
  name: 'stats',
  flags: ['noscript', 'allow_busy'],
  aclCategories: ['@slow', '@scripting'],
  doc: {
    ...DOC,
    summary:
      'Return information about the function currently running (name, description, duration)',
    complexity: 'O(1)',
  },
  execute(ctx) {
    const functions = scriptingOf(ctx.node).functions;
    const running = scriptingOf(ctx.node).runningScript();
    // A busy EVAL script is not a function: Redis answers as to any other command.
    if (running?.isEval === true) return new ErrorReply(busyMessage(true));
    const { reply } = ctx;
    reply.mapHeader(2);
    reply.bulk('running_script');
    if (running === undefined) reply.nullBulk();
    else {
      reply.mapHeader(3);
      reply.bulk('name');
      reply.bulk(running.name);
      reply.bulk('command');
      reply.arrayHeader(running.argv.length);
      for (const arg of running.argv) reply.bulk(arg);
      reply.bulk('duration_ms');
      reply.integer(running.durationMs);
    }
    reply.bulk('engines');
    reply.mapHeader(1);
    reply.bulk('LUA');
    reply.mapHeader(2);
    reply.bulk('libraries_count');
    reply.integer(functions.libraries.size);
    reply.bulk('functions_count');
    reply.integer(functions.functions.size);
    return undefined;
  },
});

const dump = defineNoArgSubcommand({
  name: 'dump',
  flags: ['noscript'],
  aclCategories: ['@slow', '@scripting'],
  doc: {
    ...DOC,
    summary: 'Dump all functions into a serialized binary payload',
    complexity: 'O(N) where N is the number of functions',
  },
  execute(ctx) {
    const functions = scriptingOf(ctx.node).functions;
    const codes = [...functions.libraries.values()].map((library) => library.code);
    ctx.reply.bulk(encodeFunctionsPayload(codes, { compression: ctx.node.config.rdbcompression }));
    return undefined;
  },
});

type RestorePolicy = 'FLUSH' | 'APPEND' | 'REPLACE';

const restore = defineCommand<{ payload: Buffer; policy: RestorePolicy }>({
  name: 'restore',
  arity: -3,
  syntax: 'serialized-value [FLUSH|APPEND|REPLACE]',
  flags: ['write', 'denyoom', 'noscript'],
  aclCategories: ['@write', '@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    ...DOC,
    summary: 'Restore all the functions on the given payload',
    complexity: 'O(N) where N is the number of functions on the payload',
  },
  parse(argv) {
    if (argv.length > 4) return syntaxError(argv);
    let policy: RestorePolicy = 'APPEND';
    const word = argv[3]?.toString('latin1').toUpperCase();
    if (word !== undefined) {
      if (word !== 'FLUSH' && word !== 'APPEND' && word !== 'REPLACE') {
        return new ErrorReply(
          'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.',
        );
      }
      policy = word;
    }
    return { payload: argv[2] ?? Buffer.alloc(0), policy };
  },
  execute(ctx, { payload, policy }) {
    const decoded = decodeFunctionsPayload(payload);
    if (!decoded.ok) {
      const reason =
        decoded.reason === 'version-or-checksum'
          ? 'DUMP payload version or checksum are wrong'
          : decoded.reason === 'not-function'
            ? 'given type is not a function'
            : 'can not read data type';
      return new ErrorReply(`ERR ${reason}`);
    }
    const error = scriptingOf(ctx.node).functions.restore(decoded.libraries, policy);
    if (error !== undefined) return error;
    changed(ctx);
    ctx.reply.simple('OK');
    return undefined;
  },
});

export const functionCommand: Command = defineContainer(
  {
    name: 'function',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for function commands',
      since: '7.0.0',
      group: 'scripting',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    del,
    dump,
    flush,
    kill,
    list,
    load,
    restore,
    stats,
    helpCommand('FUNCTION', [
      'LOAD [REPLACE] <FUNCTION CODE>',
      '    Create a new library with the given library name and code.',
      'DELETE <LIBRARY NAME>',
      '    Delete the given library.',
      'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
      '    Return general information on all the libraries:',
      '    * Library name',
      '    * The engine used to run the Library',
      '    * Library description',
      '    * Functions list',
      '    * Library code (if WITHCODE is given)',
      '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
      'STATS',
      '    Return information about the current function running:',
      '    * Function name',
      '    * Command used to run the function',
      '    * Duration in MS that the function is running',
      '    If no function is running, return nil',
      '    In addition, returns a list of available engines.',
      'KILL',
      '    Kill the current running function.',
      'FLUSH [ASYNC|SYNC]',
      '    Delete all the libraries.',
      '    When called without the optional mode argument, the behavior is determined by the',
      '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
      '    * ASYNC: Asynchronously flush the libraries.',
      '    * SYNC: Synchronously flush the libraries.',
      'DUMP',
      '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
      'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
      '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
      '    control how to handle existing libraries (default APPEND):',
      '    * FLUSH: delete all existing libraries.',
      '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
      '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
      '      libraries with the new libraries (notice that even on this option there is a chance of failure',
      '      in case of functions name collision with another library).',
    ]),
  ],
);
