/**
 * The ACL rule parser and describer (user.ts, selector.ts, describe.ts): each rule word's effect
 * and refusal, the all-or-nothing SETUSER, selector merging, and the described form Redis 7.0
 * shows (the strings below were read from a redis-server 7.0.15; test/diff-acl.test.ts and
 * test/diff-acl-property.test.ts compare against a live one).
 */
import { describe, expect, it } from 'vitest';
import { lookupCatalog } from './catalog.js';
import { describeCommandRules, describeUser } from './describe.js';
import { hashPassword, mergeSelectorArguments, setUserRules, User } from './user.js';

function userWith(...rules: string[]): User {
  const user = setUserRules(undefined, 'u', rules);
  if (typeof user === 'string') throw new Error(user);
  return user;
}

describe('ACL rules', () => {
  it('describes a new user as Redis 7.0 does: off, no keys, resetchannels, -@all', () => {
    expect(describeUser(new User('u'))).toBe('off resetchannels -@all');
    expect(describeUser(userWith('reset'))).toBe('off sanitize-payload resetchannels -@all');
  });

  it('stores passwords as SHA-256 hex, once each; nopass and resetpass clear them', () => {
    const user = userWith('on', '>p1', '>p1', '>p2', '<p1');
    expect(user.passwords).toEqual([hashPassword(Buffer.from('p2'))]);
    expect(hashPassword(Buffer.from('p1'))).toBe(
      'f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a',
    );
    expect(user.checkPassword(Buffer.from('p2'))).toBe(true);
    expect(user.checkPassword(Buffer.from('p1'))).toBe(false);
    expect(userWith('>x', 'nopass').passwords).toEqual([]);
    expect(userWith('nopass', '>x').nopass).toBe(false);
    expect(userWith('>x', 'resetpass').passwords).toEqual([]);
  });

  it('refuses bad rules with Redis errors and changes nothing', () => {
    const cases: [string[], string][] = [
      [['<nosuch'], 'The password you are trying to remove from the user does not exist'],
      [
        ['#abc'],
        'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
      ],
      [['+nosuch'], 'Unknown command or category name in ACL'],
      [['+@nosuch'], 'Unknown command or category name in ACL'],
      [['-select|1'], 'Unknown command or category name in ACL'],
      [['+config|get|x'], 'Allowing first-arg of a subcommand is not supported'],
      [['+config|'], 'Syntax error'],
      [['%~foo'], 'Syntax error'],
      [['%X~a'], 'Syntax error'],
      [['bogus'], 'Syntax error'],
    ];
    for (const [rules, reason] of cases) {
      expect(setUserRules(undefined, 'u', ['on', ...rules])).toBe(
        `Error in ACL SETUSER modifier '${rules[0]}': ${reason}`,
      );
    }
    expect(setUserRules(undefined, 'u', ['~*', '~a'])).toMatch(/'~a': Adding a pattern after/);
    expect(setUserRules(undefined, 'u', ['(+get'])).toBe(
      "Unmatched parenthesis in acl selector starting at '(+get'.",
    );
    // All or nothing: the existing user is untouched by a list with one bad rule.
    const user = userWith('on', '>p');
    expect(setUserRules(user, 'u', ['off', '+nosuch'])).toMatch(/'\+nosuch'/);
    expect(user.enabled).toBe(true);
  });

  it('merges key permissions of one pattern and shows ~ when read and write meet', () => {
    expect(describeUser(userWith('%R~k*', '%W~k*', '%R~r*', '%W~w*'))).toBe(
      'off ~k* %R~r* %W~w* resetchannels -@all',
    );
    expect(describeUser(userWith('~a', 'allkeys', 'resetkeys', '&c', 'allchannels'))).toBe(
      'off &* -@all',
    );
  });

  it('rebuilds command rules from the bitmap: best-fitting categories, then single commands', () => {
    expect(describeCommandRules(userWith('+get', '+@hash', '-hset', '+config|get').root)).toBe(
      '-@all +@hash +config|get +get -hset',
    );
    expect(describeCommandRules(userWith('+@all', '-@dangerous').root)).toBe('+@all -@dangerous');
    expect(describeCommandRules(userWith('+select|0', '+select|1').root)).toBe(
      '-@all +select|0 +select|1',
    );
    // +@all then a denial still starts from +@all (the future-commands bit); -@all resets it.
    expect(describeCommandRules(userWith('+@all', '-get').root)).toBe('+@all -get');
    expect(describeCommandRules(userWith('+@all', '-@all', '+get').root)).toBe('-@all +get');
  });

  it('allows a container with all its subcommands, or one subcommand alone', () => {
    const root = userWith('+client', '-client|kill').root;
    const kill = lookupCatalog('client|kill');
    const id = lookupCatalog('CLIENT|ID');
    expect(kill).toBeDefined();
    expect(id).toBeDefined();
    if (kill === undefined || id === undefined) return;
    expect(root.isAllowed(kill)).toBe(false);
    expect(root.isAllowed(id)).toBe(true);
  });

  it('keeps selectors apart from the root and clears them on clearselectors', () => {
    const user = userWith('(+get ~a*)', '(-@all +set)');
    expect(describeUser(user)).toBe(
      'off resetchannels -@all (~a* resetchannels -@all +get) (resetchannels -@all +set)',
    );
    expect(describeUser(userWith('(+get ~a*)', 'clearselectors'))).toBe('off resetchannels -@all');
  });

  it('merges a selector spread over several words, as ACLMergeSelectorArguments', () => {
    expect(mergeSelectorArguments(['on', '(+get', '~a*)', 'off'])).toEqual({
      words: ['on', '(+get ~a*)', 'off'],
    });
    expect(mergeSelectorArguments(['on', '(+get', '~a*'])).toEqual({ unmatchedAt: 1 });
  });
});
