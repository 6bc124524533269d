/**
 * The parameter table has one entry per name and alias: two entries for one name (which a merge
 * of two features can produce) would let CONFIG GET and CONFIG SET disagree about which applies.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_PARAMS } from './params.js';

describe('CONFIG_PARAMS', () => {
  it('has no name or alias twice', () => {
    const names = CONFIG_PARAMS.flatMap((param) => [param.name, ...(param.aliases ?? [])]);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });
});
