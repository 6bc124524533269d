/**
 * Config loading behaves as redis-server's: file lines then --options, the command line winning;
 * save lines accumulate and `save ""` clears; errors carry Redis's line number, echo and reason.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig, optionsToDirectives } from './load-config.js';
import { SAVE_RULES_DEFAULT } from './server-config.js';

function configOf(fileText: string, options: string[] = []) {
  const result = loadConfig(fileText, options);
  if (!result.ok) throw new Error(`unexpected error: ${result.error.reason}`);
  return result.config;
}

describe('loadConfig', () => {
  it('uses Redis defaults with no file and no options', () => {
    const config = configOf('');
    expect(config.port).toBe(6379);
    expect(config.save).toEqual(SAVE_RULES_DEFAULT);
    expect(config.databases).toBe(16);
    expect(config.protoMaxBulkLen).toBe(536870912);
  });

  it('lets the command line override the file', () => {
    const config = configOf('port 7000\ndir /tmp\n', ['--port', '7001']);
    expect(config.port).toBe(7001);
    expect(config.dir).toBe('/tmp');
  });

  it('accumulates save lines and clears on save ""', () => {
    expect(configOf('save 1 2\nsave 3 4\n').save).toEqual([
      { seconds: 1, changes: 2 },
      { seconds: 3, changes: 4 },
    ]);
    expect(configOf('save 1 2\nsave ""\nsave 5 6\n').save).toEqual([{ seconds: 5, changes: 6 }]);
    expect(configOf('', ['--save', '900 1']).save).toEqual([{ seconds: 900, changes: 1 }]);
    expect(configOf('', ['--save', '']).save).toEqual([]);
  });

  it('parses memory units as memtoull does', () => {
    expect(configOf('proto-max-bulk-len 2mb').protoMaxBulkLen).toBe(2 * 1024 * 1024);
    expect(configOf('proto-max-bulk-len 2m').protoMaxBulkLen).toBe(2_000_000);
  });

  it('reports a bad value the way redis-server does', () => {
    const result = loadConfig('', ['--port', 'abc']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatConfigError(result.error, '7.0.15')).toBe(
      [
        '',
        '*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***',
        'Reading the configuration file, at line 2',
        `>>> 'port "abc"'`,
        "argument couldn't be parsed into an integer",
      ].join('\n'),
    );
  });

  it('refuses unknown directives and wrong arity, with redis-server reasons', () => {
    const cases: [string, string][] = [
      ['nosuch 1', 'Bad directive or wrong number of arguments'],
      ['port', 'wrong number of arguments'],
      ['port 1 2', 'wrong number of arguments'],
    ];
    for (const [text, reason] of cases) {
      const result = loadConfig(text, []);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.reason).toBe(reason);
    }
  });

  it('checks save rules on their own line, with strtoll numbers', () => {
    const result = loadConfig('hz 10\nsave 900\nsave 1 2\n', []);
    expect(result).toEqual({
      ok: false,
      error: { line: 2, text: 'save 900', reason: 'Invalid save parameters' },
    });
    expect(configOf('save 010 +5\n').save).toEqual([{ seconds: 10, changes: 5 }]);
    expect(configOf('save 1 2\nsave\n').save).toEqual([]);
  });

  it('checks ranges', () => {
    const result = loadConfig('maxclients 0', []);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.reason).toBe('argument must be between 1 and 4294967295 inclusive');
  });

  it('groups option words until the next --name', () => {
    expect(optionsToDirectives(['--save', '900', '1', '--port', '1'])).toEqual([
      ['save', '900', '1'],
      ['port', '1'],
    ]);
  });

  it('refuses a dir that does not exist, on its line, when given a check', () => {
    const result = loadConfig('port 1\ndir /nonexist\n', [], {
      isDirectory: (path) => path === '/tmp',
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toEqual({
        line: 2,
        text: 'dir /nonexist',
        reason: 'No such file or directory',
      });
    expect(loadConfig('dir /tmp', [], { isDirectory: (path) => path === '/tmp' }).ok).toBe(true);
  });

  it('applies include files in place, reporting their errors on their own lines', () => {
    const files: Record<string, string> = {
      '/a.conf': 'hz 20\ntimeout 5\n',
      '/bad.conf': '\nhz x\n',
    };
    const checks = {
      isDirectory: () => true,
      readInclude: (path: string) => {
        const text = files[path];
        return text === undefined
          ? {
              ok: false as const,
              message: `Fatal error, can't open config file '${path}': No such file or directory`,
            }
          : { ok: true as const, texts: [text] };
      },
    };
    const loaded = loadConfig('hz 11\ninclude /a.conf\ntimeout 7\n', [], checks);
    expect(loaded.ok && [loaded.config.hz, loaded.config.timeout]).toEqual([20, 7]);
    expect(loadConfig('include /bad.conf\n', [], checks)).toEqual({
      ok: false,
      error: { line: 2, text: 'hz x', reason: "argument couldn't be parsed into an integer" },
    });
    const missing = loadConfig('include /none.conf\n', [], checks);
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.plain).toBe(true);
      expect(missing.error.reason).toContain("can't open config file '/none.conf'");
    }
    // A file that includes itself stops at the depth limit instead of looping.
    files['/loop.conf'] = 'include /loop.conf\n';
    const loop = loadConfig('include /loop.conf\n', [], checks);
    expect(loop.ok).toBe(false);
    if (!loop.ok) expect(loop.error.reason).toBe('include nested deeper than 16 files');
  });

  it('skips the deprecated directives Redis 7.0 still accepts, with their word count only', () => {
    expect(loadConfig('list-max-ziplist-entries 512\nlua-replicate-commands yes\n', []).ok).toBe(
      true,
    );
    const result = loadConfig('list-max-ziplist-value 1 2\n', []);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.reason).toBe('Bad directive or wrong number of arguments');
  });

  it('refuses a log file that cannot be opened, after the last line, as Redis prints it', () => {
    const result = loadConfig('logfile /nope/x.log\n', [], {
      isDirectory: () => true,
      canAppend: () => 'No such file or directory',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatConfigError(result.error, '7.0.15')).toBe(
      [
        '',
        '*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***',
        "Can't open the log file: No such file or directory",
      ].join('\n'),
    );
  });

  it('accepts the no-op parameters, and refuses values needing what replisim lacks', () => {
    const loaded = configOf('supervised systemd\noom-score-adj relative\ntls-port 0\n');
    expect(loaded.stored['supervised']).toBe('systemd');
    expect(loaded.stored['oom-score-adj']).toBe('yes');
    for (const [text, reason] of [
      ['tls-port 6380', 'TLS is not supported by replisim'],
      ['cluster-enabled yes', 'cluster mode is not supported by replisim'],
      ['unixsocket /tmp/r.sock', 'unix sockets are not supported by replisim'],
      ['supervised maybe', 'argument(s) must be one of the following: upstart, systemd, auto, no'],
    ] as const) {
      const result = loadConfig(text, []);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.reason).toBe(reason);
    }
  });
});
