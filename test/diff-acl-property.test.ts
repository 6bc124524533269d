/**
 * Property: any list of ACL SETUSER rules gives the same reply on replisim as on redis-server
 * 7.0.15, and leaves the same user behind (ACL GETUSER and ACL LIST, in RESP2 and RESP3).
 *
 * Method: fast-check draws lists of up to 10 rule words from a pool that covers every rule kind
 * (flags, passwords and hashes, key and channel patterns with %R/%W, categories, commands,
 * subcommands, first-args, selectors, resets) and some refused words. Each list is applied with
 * SETUSER to a user that an earlier list may have left behind (so rules meet existing state), and
 * the replies are compared: SETUSER's bytes, GETUSER's and LIST's after sorting the single-command
 * tokens (their order comes from Redis's hash seed; test/support/acl-rules.ts). The rule
 * descriptions are rebuilt from bitmaps by a best-fit over categories, so this is where a
 * miscounted category or a wrong tie-break shows. ACL_PROPERTY_RUNS sets the number of lists
 * (default 40 per protocol).
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACL_CATEGORIES as CATEGORIES, canonicalRules } from './support/acl-rules.js';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

const RUNS = Number(process.env['ACL_PROPERTY_RUNS'] ?? '40');

const HASH = '4c9ff4d6c3b1c9a0c4d9ba0e4a9a9b8a9d0f1c3e5a7b9d1f3e5a7c9b1d3f5a7c';

const POOL: readonly string[] = [
  'on',
  'off',
  'nopass',
  'resetpass',
  '>pw1',
  '>pw2',
  '<pw1',
  `#${HASH}`,
  `!${HASH}`,
  '~k*',
  '%R~r*',
  '%W~w*',
  '%RW~x',
  '%R~k*',
  'allkeys',
  'resetkeys',
  '&c*',
  '&d',
  'allchannels',
  'resetchannels',
  '+get',
  '-get',
  '+set',
  '+config|get',
  '-config|set',
  '+config',
  '+client',
  '-client|kill',
  '+select|0',
  '+select|1',
  'allcommands',
  'nocommands',
  '+@all',
  '-@all',
  'reset',
  '(+get ~a*)',
  '(-@all +@hash %R~h*)',
  'clearselectors',
  'skip-sanitize-payload',
  'sanitize-payload',
  '+nosuch',
  '~*',
  '&*',
  '+debug|digest',
  '-acl|setuser',
  '+object|encoding',
  ...CATEGORIES.flatMap((c) => [`+@${c}`, `-@${c}`]),
];

const ruleList = fc.array(fc.constantFrom(...POOL), { maxLength: 10 });

async function transcript(client: RawClient, rules: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  out.push((await client.call('ACL', 'SETUSER', 'prop', ...rules)).bytes.toString('latin1'));
  out.push(canonicalRules((await client.call('ACL', 'GETUSER', 'prop')).bytes.toString('latin1')));
  out.push(canonicalRules((await client.call('ACL', 'LIST')).bytes.toString('latin1')));
  return out;
}

describe('ACL SETUSER rule lists against redis-server', () => {
  const servers = useServerPair();
  for (const protocol of [2, 3] as const) {
    it(`describes every user as Redis does (RESP${protocol})`, async () => {
      const { ports } = servers();
      const redis = await RawClient.connect(ports.redis);
      const replisim = await RawClient.connect(ports.replisim);
      try {
        if (protocol === 3) {
          await redis.call('HELLO', '3');
          await replisim.call('HELLO', '3');
        }
        await fc.assert(
          fc.asyncProperty(ruleList, async (rules) => {
            const expected = await transcript(redis, rules);
            const actual = await transcript(replisim, rules);
            expect(actual).toEqual(expected);
          }),
          { numRuns: RUNS },
        );
      } finally {
        await redis.call('ACL', 'DELUSER', 'prop');
        await replisim.call('ACL', 'DELUSER', 'prop');
        redis.close();
        replisim.close();
      }
    });
  }
});
