/** The seeded PRNG: xoshiro128** and the seed spellings it accepts. */
export * from './create-random.js';
export * from './xoshiro128.js';
