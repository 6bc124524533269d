/**
 * PFSELFTEST
 *
 * Redis's self-test of the HLL implementation, replying +OK or "ERR TESTFAILED ...":
 * 1. register access: random values written to every dense register read back unchanged (and
 *    without disturbing their neighbours), SELFTEST_REGISTER_CYCLES times;
 * 2. sparse and dense agree: the same elements added to a sparse and a dense HLL give the same
 *    estimate at every power of ten, the sparse one stays sparse while small, and the error stays
 *    within 6 standard errors.
 * Deliberate difference: Redis runs 1000 register cycles and adds 10,000,000 elements (seconds of
 * C); replisim runs SELFTEST_REGISTER_CYCLES and SELFTEST_ELEMENTS_MAX so the command stays quick
 * in a single-threaded JS server. Random values come from the node's Random (deterministic in the
 * simulator).
 */
import { type Command, type CommandContext, defineCommand, ErrorReply, NO_KEYS } from '../types.js';
import {
  addElement,
  countOf,
  createHll,
  denseGet,
  denseSet,
  encodingOf,
  HLL_DENSE_SIZE,
  HLL_REGISTER_MAX,
  HLL_REGISTERS,
  HLL_SPARSE,
} from './hll.js';
import { sparseMaxBytes } from './hll-key.js';

const SELFTEST_REGISTER_CYCLES = 3;
const SELFTEST_ELEMENTS_MAX = 20_000;

export const pfselftest: Command = defineCommand<null>({
  name: 'pfselftest',
  arity: 1,
  syntax: '',
  flags: ['admin'],
  aclCategories: ['@hyperloglog', '@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'An internal command for testing HyperLogLog values',
    since: '2.8.9',
    group: 'hyperloglog',
    complexity: 'N/A',
  },
  parse: () => null,
  execute(ctx) {
    const random = ctx.node.env.random;
    const failure = testRegisters(() => random.u32()) ?? testEstimates(ctx, random.u32());
    if (failure !== undefined) return failure;
    ctx.reply.simple('OK');
    return undefined;
  },
});

function testRegisters(next: () => number): ErrorReply | undefined {
  const dense = Buffer.alloc(HLL_DENSE_SIZE);
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < SELFTEST_REGISTER_CYCLES; cycle++) {
    dense.fill(0);
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = next() & HLL_REGISTER_MAX;
      expected[i] = r;
      denseSet(dense, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = denseGet(dense, i);
      if (value !== expected[i]) {
        return new ErrorReply(
          `ERR TESTFAILED Register ${i} should be ${expected[i]} but is ${value}`,
        );
      }
    }
  }
  return undefined;
}

function testEstimates(ctx: CommandContext, seed: number): ErrorReply | undefined {
  const maxBytes = sparseMaxBytes(ctx);
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  let dense: Buffer = Buffer.alloc(HLL_DENSE_SIZE);
  dense.write('HYLL', 0, 'latin1');
  let sparse = createHll();
  const element = Buffer.alloc(8);
  let checkpoint = 1;
  for (let j = 1; j <= SELFTEST_ELEMENTS_MAX; j++) {
    element.writeUInt32LE((j ^ seed) >>> 0, 0);
    element.writeUInt32LE(seed, 4);
    dense = addElement(dense, element, maxBytes).bytes;
    sparse = addElement(sparse, element, maxBytes).bytes;
    if (j !== checkpoint) continue;
    if (j < maxBytes / 2 && encodingOf(sparse) !== HLL_SPARSE) {
      return new ErrorReply('ERR TESTFAILED sparse encoding not used');
    }
    const denseCount = countOf(dense) ?? -1;
    if (denseCount !== countOf(sparse))
      return new ErrorReply('ERR TESTFAILED dense/sparse disagree');
    const abserr = Math.abs(checkpoint - denseCount);
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    if (abserr > maxerr) {
      return new ErrorReply(`ERR TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`);
    }
    checkpoint *= 10;
  }
  return undefined;
}
