/**
 * Differential test of scripting (EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT): replisim must
 * answer exactly as Redis 7.0.15 does, and propagate a script's writes as Redis does.
 *
 * Method: one real redis-server and one in-process replisim node (collection-diff.ts runs each
 * script on both, in RESP2 and after HELLO 3, after a FLUSHALL); every reply must be
 * byte-identical, and each script ends with DEBUG DIGEST so the data a script wrote matches too.
 * The scripts cover the Lua <-> RESP conversions both ways, the redis API, Redis's error texts
 * (compile errors, runtime errors with their `script: <sha>, on @user_script:<line>.` suffix,
 * redis.call errors, the sandbox's readonly globals), the Lua 5.1 behaviour fengari is made to
 * show (number formatting, 5.1 names, error wording), shebang flags and read-only scripts, and
 * math.random's sequence. Propagation: the script's writes, captured from Redis's replication
 * stream and replisim's propagation log, must be the same commands (MULTI/EXEC around several).
 */
import { describe, it } from 'vitest';
import { cmd, runScript, type Script } from './support/collection-diff.js';
import { expectSamePropagation } from './support/replication-stream.js';
import { flushBoth, useServerPair } from './support/server-pair.js';

const ev = (body: string, ...rest: string[]) => cmd('EVAL', body, ...rest);
const digest = cmd('DEBUG', 'DIGEST');

const SCRIPTS: readonly Script[] = [
  {
    name: 'Lua -> RESP conversions',
    steps: [
      ev('return 1', '0'),
      ev('return 3.99', '0'),
      ev('return -3.99', '0'),
      ev('return 1e30', '0'),
      ev('return -1e30', '0'),
      ev('return 0/0', '0'),
      ev("return 'hello'", '0'),
      ev('return true', '0'),
      ev('return false', '0'),
      ev('return nil', '0'),
      ev('return {1, 2, 3.7, "x", nil, 4}', '0'),
      ev('return {1, {2, {3, "deep"}}, {}}', '0'),
      ev('return {true, false, "a"}', '0'),
      ev("return {err='boom'}", '0'),
      ev("return {err='WRONG custom code'}", '0'),
      ev("return {ok='FINE'}", '0'),
      ev("return {ok='line\\r\\nbreak'}", '0'),
      ev("return redis.status_reply('DONE')", '0'),
      ev("return redis.error_reply('My Err')", '0'),
      ev("return redis.error_reply('-CODE text')", '0'),
      ev("return redis.error_reply('noSpace')", '0'),
      ev('return redis.error_reply(1)', '0'),
      ev("return {1, {err='inner'}, 3}", '0'),
      ev('return function() end', '0'),
      ev('return KEYS', '2', 'k1', 'k2', 'a1'),
      ev('return ARGV', '2', 'k1', 'k2', 'a1', 'a2'),
      ev('return {#KEYS, #ARGV}', '0'),
    ],
  },
  {
    name: 'RESP -> Lua conversions (redis.call replies)',
    steps: [
      cmd('SET', 's', 'v'),
      cmd('RPUSH', 'l', 'a', 'b', 'c'),
      ev("return redis.call('GET', 's')", '0'),
      ev("return redis.call('GET', 'missing')", '0'),
      ev("return type(redis.call('GET', 'missing'))", '0'),
      ev("return redis.call('SET', 'x', 'y')", '0'),
      ev("return redis.call('SET', 'x', 'y')['ok']", '0'),
      ev("return redis.call('LRANGE', 'l', 0, -1)", '0'),
      ev("return redis.call('INCR', 'n')", '0'),
      ev("return redis.call('INCRBYFLOAT', 'f', '1.5')", '0'),
      ev("return redis.call('SET', 'n2', 0.1)", '0'),
      ev("return redis.call('SET', 'n3', 12345678901234567)", '0'),
      cmd('MGET', 'n2', 'n3'),
      ev("return redis.pcall('INCR', 's')", '0'),
      ev("local r = redis.pcall('INCR', 's') return r['err']", '0'),
      ev("return redis.call('EXISTS', 's', 'l', 'nope')", '0'),
      ev("return redis.call('LPOP', 'nolist')", '0'),
      ev("return redis.call('BLPOP', 'nolist', 0)", '0'),
      ev("redis.setresp(3) return redis.call('GET', 'missing')", '0'),
      ev("redis.setresp(3) return type(redis.call('GET', 'missing'))", '0'),
      ev("redis.setresp(3) return redis.call('INCRBYFLOAT', 'f', '1')", '0'),
      ev("redis.setresp(3) return redis.call('HGETALL', 'nohash')", '0'),
      ev("redis.setresp(3) return redis.call('SMEMBERS', 'noset')", '0'),
      ev('return {double=3.5}', '0'),
      ev("return {big_number='123456789012345678901234567890'}", '0'),
      ev('return {map={}}', '0'),
      ev('return {set={}}', '0'),
      ev('redis.setresp(3) return true', '0'),
      ev('redis.setresp(3) return false', '0'),
      ev('redis.setresp(4)', '0'),
      ev('redis.setresp()', '0'),
      digest,
    ],
  },
  {
    name: 'errors: compile, runtime, redis.call, sandbox',
    steps: [
      ev('return 1 +', '0'),
      ev('local function', '0'),
      ev('return "unfinished', '0'),
      ev("error('x')", '0'),
      ev('error({err="table error"})', '0'),
      ev('\n\nerror("third line")', '0'),
      ev("return redis.call('nosuch')", '0'),
      ev("return redis.pcall('nosuch')", '0'),
      ev("return redis.call('incr', 'a', 'b')", '0'),
      ev("return redis.call('config')", '0'),
      ev("return redis.call('config', 'nosub')", '0'),
      ev('return redis.call()', '0'),
      ev('return redis.call(1)', '0'),
      ev("return redis.call('get', {})", '0'),
      ev("return redis.call('multi')", '0'),
      ev("return redis.call('eval', 'return 1', '0')", '0'),
      cmd('SET', 'str', 'x'),
      ev("return redis.call('incr', 'str')", '0'),
      ev("return redis.call('lpush', 'str', 'a')", '0'),
      ev('return undefinedglobal', '0'),
      ev('x = 5', '0'),
      ev('string.x = 1', '0'),
      ev('redis.call = nil', '0'),
      ev('local t = nil; return t.x', '0'),
      ev('local a; return a + 1', '0'),
      ev('local t = {}; return t.f()', '0'),
      ev('return #nil', '0'),
      ev("local ok, e = pcall(redis.call, 'nosuch') return e", '0'),
      ev("local ok, e = pcall(error, 'plain') return {tostring(ok), e}", '0'),
      ev('local ok, e = pcall(function() local x = nil; return x.y end) return e', '0'),
      ev('return redis.sha1hex()', '0'),
      ev('redis.log()', '0'),
      ev("redis.log('x', 'y')", '0'),
      ev("redis.log(99, 'y')", '0'),
      ev('redis.set_repl(99)', '0'),
      ev('return math.random(1, 2, 3)', '0'),
      cmd('EVAL', 'return 1', '-1'),
      cmd('EVAL', 'return 1', '2', 'a'),
      cmd('EVAL', 'return 1', 'x'),
      cmd('EVAL', 'return 1'),
      cmd('EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', '0'),
      cmd('EVALSHA', 'short', '0'),
    ],
  },
  {
    name: 'the Lua 5.1 library as Redis ships it',
    steps: [
      ev("return tostring(3/2) .. ' ' .. tostring(10/2) .. ' ' .. tostring(2^53)", '0'),
      ev(
        "return tostring(1e100) .. ' ' .. tostring(0/0) .. ' ' .. tostring(-1/0) .. ' ' .. 0.1",
        '0',
      ),
      ev('return 2147483647 + 1', '0'),
      ev('return tostring(2^31 * 4)', '0'),
      ev("return string.format('%d %s %5.2f %x', 3.7, 2.5, 1, 255.9)", '0'),
      ev("return string.format('%s|%s', 10/2, 'z')", '0'),
      ev('return _VERSION', '0'),
      ev('return {type(unpack), type(loadstring), type(math.pow), type(table.getn)}', '0'),
      ev('return {type(string.gfind), type(math.mod), type(gcinfo), type(coroutine)}', '0'),
      ev('return {type(table.maxn), type(math.log10), type(table.foreach)}', '0'),
      ev('return math.pow(2, 10)', '0'),
      ev('return table.getn({1, 2, 3})', '0'),
      ev('return {unpack({1, 2, 3})}', '0'),
      ev("return loadstring('return 7')()", '0'),
      ev('return #{1, 2, nil, 4}', '0'),
      ev("return string.rep('ab', 3)", '0'),
      ev("return ('x'):upper()", '0'),
      ev('local t = {3, 1, 2} table.sort(t) return t', '0'),
      ev("return {string.find('hello world', 'o w')}", '0'),
      ev("return {string.byte('ABC', 1, 3)}", '0'),
      ev('return math.floor(-3.5)', '0'),
      ev('return math.huge', '0'),
      ev('return tonumber("0x10") + tonumber("  12  ")', '0'),
      ev('return print', '0'),
      ev('return os', '0'),
      ev('return io', '0'),
      ev('return debug', '0'),
      ev('return require', '0'),
      ev('return dofile', '0'),
      ev('return setfenv', '0'),
      ev('return bit.tohex(bit.bxor(0x12345678, 0xff), -8)', '0'),
      ev('return {bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.bnot(0)}', '0'),
      ev('return {bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4), bit.tobit(2^32 + 5)}', '0'),
      ev('return {bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.bswap(0x12345678)}', '0'),
      ev('return bit.tohex(255, 2)', '0'),
      ev('return redis.sha1hex("")', '0'),
      ev('return redis.sha1hex("abc")', '0'),
      ev(
        'return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}',
        '0',
      ),
      ev('return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}', '0'),
      ev('return redis.REDIS_VERSION', '0'),
      ev('return redis.REDIS_VERSION_NUM', '0'),
      ev("redis.log(redis.LOG_DEBUG, 'not shown') return 1", '0'),
    ],
  },
  {
    name: 'math.random continues one sequence from script to script',
    steps: [
      ev('return math.random() * 1000000', '0'),
      ev('return {math.random(10), math.random(5, 10)}', '0'),
      ev('return math.random(0)', '0'),
      ev('math.randomseed(42) return math.random(1000)', '0'),
      ev('return math.random(1000)', '0'),
    ],
  },
  {
    name: 'EVALSHA, SCRIPT LOAD / EXISTS / FLUSH / KILL',
    steps: [
      cmd('SCRIPT', 'FLUSH'),
      cmd('SCRIPT', 'LOAD', 'return ARGV[1]'),
      cmd('SCRIPT', 'LOAD', 'return +'),
      cmd('EVALSHA', 'a3d6f5b5c0b8e9ed6e4ab3c0b8e0e3d3b9a0f1c2', '0'),
      cmd('EVALSHA', '6b1ae9bfc2d7f4ef8f4a3fbfb0a3fd0e5b0a8e5b', '0'),
      cmd('SCRIPT', 'EXISTS', '6b1ae9bfc2d7f4ef8f4a3fbfb0a3fd0e5b0a8e5b', 'nope'),
      ev('return 1', '0'),
      cmd(
        'SCRIPT',
        'EXISTS',
        'e0e1f9fabfc9d4800c877a703b823ac0578ff8db',
        'E0E1F9FABFC9D4800C877A703B823AC0578FF8DB',
      ),
      cmd('EVALSHA', 'E0E1F9FABFC9D4800C877A703B823AC0578FF8DB', '0'),
      cmd('EVALSHA_RO', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'),
      cmd('SCRIPT', 'KILL'),
      cmd('SCRIPT', 'FLUSH', 'SYNC'),
      cmd('SCRIPT', 'FLUSH', 'ASYNC'),
      cmd('SCRIPT', 'FLUSH', 'BAD'),
      cmd('SCRIPT', 'FLUSH', 'SYNC', 'X'),
      cmd('SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'),
      cmd('SCRIPT', 'LOAD'),
      cmd('SCRIPT', 'NOSUB'),
      cmd('SCRIPT'),
    ],
  },
  {
    name: 'shebang flags and read-only scripts',
    steps: [
      ev('#!lua flags=no-writes\nreturn redis.call("set", "a", "b")', '0'),
      ev('#!lua flags=no-writes\nreturn redis.call("get", "a")', '0'),
      cmd('EVAL_RO', 'return redis.call("set", "a", "b")', '0'),
      cmd('EVAL_RO', 'return redis.call("get", "a")', '0'),
      ev('#!lua\nreturn redis.call("set", "a", "b")', '0'),
      cmd('EVAL_RO', '#!lua\nreturn 1', '0'),
      cmd('EVAL_RO', '#!lua flags=no-writes\nreturn 1', '0'),
      ev('#!lux\nreturn 1', '0'),
      ev('#!lua foo=bar\nreturn 1', '0'),
      ev('#!lua flags=bad\nreturn 1', '0'),
      ev('#!lua flags=no-writes,allow-oom,allow-stale,no-cluster\nreturn 2', '0'),
      ev('#!lua', '0'),
      ev('#!lua flags=no-writes\nerror("at line 2")', '0'),
      digest,
    ],
  },
  {
    name: 'scripts write, select databases and see one clock',
    steps: [
      ev("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])", '1', 'k', 'v'),
      ev("redis.call('SELECT', 3) redis.call('SET', 'in3', '1') return redis.call('DBSIZE')", '0'),
      cmd('EXISTS', 'in3'),
      cmd('SELECT', '3'),
      cmd('GET', 'in3'),
      cmd('SELECT', '0'),
      ev(
        "redis.call('HSET', 'h', 'f', 'v') redis.call('SADD', 'set', 'm') return redis.call('HGET', 'h', 'f')",
        '0',
      ),
      ev("redis.call('SET', 'e', 'v', 'EX', 100) return redis.call('TTL', 'e')", '0'),
      ev("local t = redis.call('TIME') return #t", '0'),
      ev(
        "for i = 1, 100 do redis.call('RPUSH', 'many', i) end return redis.call('LLEN', 'many')",
        '0',
      ),
      ev("return redis.call('LRANGE', 'many', 95, -1)", '0'),
      digest,
    ],
  },
];

describe('scripting against redis-server', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });
  for (const protocol of [2, 3] as const) {
    describe(`RESP${protocol}`, () => {
      for (const script of SCRIPTS) {
        it(script.name, async () => {
          await flushBoth(servers().ports);
          await runScript(script, servers().ports, protocol, () => undefined);
        });
      }
    });
  }

  it("propagates a script's writes as Redis does (effects replication)", async () => {
    await expectSamePropagation(servers(), [
      ['EVAL', "redis.call('SET', 'a', '1') return 1", '0'],
      [
        'EVAL',
        "redis.call('SET', 'b', '1') redis.call('INCR', 'b') redis.call('DEL', 'a') return 1",
        '0',
      ],
      ['EVAL', "return redis.call('GET', 'b')", '0'],
      ['EVAL', "redis.call('SET', 'c', 'v', 'EX', '100') redis.call('GETDEL', 'b') return 1", '0'],
      [
        'EVAL',
        "redis.call('SELECT', 2) redis.call('SET', 'd2', '1') redis.call('SELECT', 0) redis.call('SET', 'd0', '1')",
        '0',
      ],
      [
        'EVAL',
        "redis.set_repl(redis.REPL_NONE) redis.call('SET', 'hidden', '1') redis.set_repl(redis.REPL_ALL) redis.call('SET', 'shown', '1')",
        '0',
      ],
      ['EVAL', "redis.call('SET', 'partial', '1') redis.call('INCR', 'shown')", '0'],
      ['EVAL', "redis.call('SET', 'before-error', '1') error('stop')", '0'],
      ['EVAL', "redis.call('DEL', 'none-of-these') return 0", '0'],
      ['MULTI'],
      ['EVAL', "redis.call('SET', 'in-multi', '1')", '0'],
      ['SET', 'after', '1'],
      ['EXEC'],
      ['SET', 'done', '1'],
    ]);
  });
});
