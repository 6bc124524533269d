/**
 * A chaos case: one randomly drawn cluster, configuration, workload and fault schedule, as plain
 * JSON, so a case can be printed, saved as a file and replayed exactly (`replisim run case.json`).
 * fast-check generates cases (`chaosCaseArbitrary`) and shrinks a failing one towards fewer
 * replicas, fewer and shorter faults, defaults in the configuration and a smaller workload.
 *
 * Swarm testing: every case draws the set of fault kinds it may use (`enabled`), so some seeds run
 * with only partitions, others with only crashes and disk faults, and rare combinations come up;
 * and whether list-append clients (workload/list-append.ts) run beside the register writer.
 *
 * `chaosCaseArbitraryWith(bias)` narrows the space for one checker's property (say, only cases with
 * list-append clients, or only crash faults with snapshots on); the unbiased arbitrary draws the new
 * fields after the old ones, so a seed still stands for the same cluster, writer and faults.
 */
import fc from 'fast-check';

export const FAULT_KINDS = [
  'crash',
  'kill',
  'shutdown',
  'pause',
  'partition',
  'isolate',
  'cut',
  'hold',
  'reset',
  'latency',
  'bandwidth',
  'disk-full',
  'disk-eio',
  'slow-fsync',
  'clock-jump',
  'failover',
  'bgsave',
  'crash-after-rename',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ChaosFault {
  /** When it starts, ms into the safety phase. */
  readonly atMs: number;
  readonly kind: FaultKind;
  /** Index of the node it targets (modulo the cluster size). */
  readonly target: number;
  /** Index of the other end, for link faults. */
  readonly other: number;
  /** How long it lasts (for a crash, kill or shutdown: until the restart). */
  readonly durationMs: number;
}

export interface ChaosCase {
  readonly kind: 'chaos-case';
  readonly replicas: number;
  /** Replicas after the first follow the first replica instead of the master. */
  readonly chain: boolean;
  readonly config: {
    /** Save rules: none, or `save 1 1` (a snapshot after every second with a write). */
    readonly save: 'none' | 'every-second';
    readonly diskless: boolean;
    readonly disklessDelayS: number;
    readonly backlogBytes: number;
    readonly replTimeoutS: number;
    readonly minReplicasToWrite: number;
    readonly snapshotReuse: 'no' | 'join-any' | 'join-any-or-recent';
    /** Every disk operation takes this long (a slow disk makes a BGSAVE last). */
    readonly diskLatencyMs: number;
  };
  readonly workload: {
    /** Keys loaded before the writer starts (user:0 ..), so snapshots span many slices. */
    readonly preload: number;
    readonly keys: number;
    readonly intervalMs: number;
    readonly waitEvery: number;
    readonly waitTimeoutMs: number;
  };
  /**
   * List-append clients beside the register writer (absent in cases saved before it existed:
   * none). `clients` 0 runs none.
   */
  readonly listAppend?: {
    readonly clients: number;
    readonly keys: number;
    readonly intervalMs: number;
    readonly waitEvery: number;
  };
  readonly enabled: readonly FaultKind[];
  readonly faults: readonly ChaosFault[];
  /** Length of the safety phase (faults and writes), ms. */
  readonly safetyMs: number;
  /**
   * The backend the case was drawn for, when not the simulator (chaos-profile.ts): its faults
   * avoid the kinds that backend cannot do honestly, and a redis-server cluster gets no
   * replisim-only option.
   */
  readonly target?: ChaosTarget;
}

/** A real backend a case was drawn for. */
export interface ChaosTarget {
  readonly backend: 'process' | 'container';
  readonly server: 'replisim' | 'redis';
}

/** What a case may be drawn from: the simulator may use everything, a real backend less. */
export interface ChaosDraw {
  /** The fault kinds a case may enable. */
  readonly kinds: readonly FaultKind[];
  /** Length of the safety phase, ms. */
  readonly safetyMs: number;
  /** The longest a fault lasts, ms. */
  readonly durationMsMax: number;
  /** Whether the configuration may make every disk operation slow (a simulated disk only). */
  readonly slowDisk: boolean;
  /** Whether `repl-snapshot-reuse` may be drawn (replisim's own option; redis-server has none). */
  readonly snapshotReuse: boolean;
  readonly target?: ChaosTarget;
}

/** Faults per case at most, and the safety phase's length. */
export const CHAOS_FAULTS_MAX = 10;
export const CHAOS_SAFETY_MS = 10_000;

/** The simulator's draw: every fault kind, the whole configuration space. */
export const SIM_DRAW: ChaosDraw = {
  kinds: FAULT_KINDS,
  safetyMs: CHAOS_SAFETY_MS,
  durationMsMax: 6_000,
  slowDisk: true,
  snapshotReuse: true,
};

/** A fault whose kind is an index into the case's enabled kinds (so shrinking keeps it valid). */
function faultArbitrary(draw: ChaosDraw) {
  return fc.record({
    atMs: fc.integer({ min: 0, max: draw.safetyMs - 500 }),
    kindIndex: fc.nat({ max: draw.kinds.length - 1 }),
    target: fc.nat({ max: 4 }),
    other: fc.nat({ max: 4 }),
    durationMs: fc.integer({ min: 100, max: draw.durationMsMax }),
  });
}

/** What a property may narrow the space to (one property per checker: chaos-property.test.ts). */
export interface ChaosBias {
  /** Always run list-append clients. */
  readonly listAppend?: boolean;
  /** Draw the enabled fault kinds from these only (within the draw's kinds). */
  readonly kinds?: readonly FaultKind[];
  /** Force the save rules (snapshots on, say). */
  readonly save?: ChaosCase['config']['save'];
}

/**
 * Cases drawn from `draw`, narrowed by `bias`. The simulator's (SIM_DRAW, no bias) are the
 * historical ones: a seed gives the same case as before real backends had their own draws.
 */
export function chaosCaseArbitraryFor(
  draw: ChaosDraw,
  bias: ChaosBias = {},
): fc.Arbitrary<ChaosCase> {
  const kinds =
    bias.kinds === undefined ? draw.kinds : draw.kinds.filter((kind) => bias.kinds?.includes(kind));
  if (kinds.length === 0) throw new Error('a chaos draw needs at least one fault kind');
  const narrowed: ChaosDraw = { ...draw, kinds };
  const saves = bias.save === undefined ? (['none', 'every-second'] as const) : [bias.save];
  const base = fc.record({
    replicas: fc.constantFrom(2, 1, 3, 0, 4),
    chain: fc.boolean(),
    config: fc.record({
      save: fc.constantFrom(...saves),
      diskless: fc.boolean(),
      disklessDelayS: fc.constantFrom(0, 1, 5),
      backlogBytes: fc.constantFrom(1_048_576, 16_384, 65_536),
      replTimeoutS: fc.constantFrom(60, 5, 10),
      minReplicasToWrite: fc.constantFrom(0, 1),
      snapshotReuse: draw.snapshotReuse
        ? fc.constantFrom('no' as const, 'join-any' as const, 'join-any-or-recent' as const)
        : fc.constant('no' as const),
      diskLatencyMs: draw.slowDisk ? fc.constantFrom(0, 10) : fc.constant(0),
    }),
    workload: fc.record({
      preload: fc.constantFrom(0, 3000),
      keys: fc.integer({ min: 10, max: 200 }),
      intervalMs: fc.integer({ min: 5, max: 40 }),
      waitEvery: fc.constantFrom(0, 10, 50),
      waitTimeoutMs: fc.integer({ min: 10, max: 200 }),
    }),
    enabled: fc.subarray([...kinds], { minLength: 1 }),
    faults: fc.array(faultArbitrary(narrowed), {
      minLength: 2,
      maxLength: CHAOS_FAULTS_MAX,
      size: 'max',
    }),
  });
  const listAppend = fc.record({
    clients: bias.listAppend === true ? fc.constantFrom(1, 2) : fc.constantFrom(0, 1, 2),
    keys: fc.constantFrom(1, 3, 5),
    intervalMs: fc.integer({ min: 5, max: 40 }),
    waitEvery: fc.constantFrom(0, 5, 20),
  });
  return fc.tuple(base, listAppend).map(([drawn, lists]) => ({
    kind: 'chaos-case' as const,
    ...drawn,
    listAppend: lists,
    faults: drawn.faults
      .map(({ kindIndex, ...fault }) => ({
        ...fault,
        kind: drawn.enabled[kindIndex % drawn.enabled.length] ?? 'bgsave',
      }))
      .sort((a, b) => a.atMs - b.atMs),
    safetyMs: draw.safetyMs,
    ...(draw.target === undefined ? {} : { target: draw.target }),
  }));
}

/** chaosCaseArbitraryFor on the simulator's draw. */
export function chaosCaseArbitraryWith(bias: ChaosBias = {}): fc.Arbitrary<ChaosCase> {
  return chaosCaseArbitraryFor(SIM_DRAW, bias);
}

export const chaosCaseArbitrary: fc.Arbitrary<ChaosCase> = chaosCaseArbitraryFor(SIM_DRAW);

/** Checks that a parsed JSON value is a chaos case, naming the first field that is not. */
export function parseChaosCase(value: unknown, source: string): ChaosCase {
  const fail = (field: string, expected: string): never => {
    throw new Error(`${source}: field ${field}: expected ${expected}`);
  };
  if (typeof value !== 'object' || value === null) return fail('(top)', 'an object');
  const record = value as Record<string, unknown>;
  if (record['kind'] !== 'chaos-case') fail('kind', '"chaos-case"');
  if (!Number.isInteger(record['replicas'])) fail('replicas', 'an integer');
  if (typeof record['config'] !== 'object') fail('config', 'an object');
  if (typeof record['workload'] !== 'object') fail('workload', 'an object');
  if (!Array.isArray(record['faults'])) fail('faults', 'an array');
  const lists = record['listAppend'];
  if (lists !== undefined) {
    if (typeof lists !== 'object' || lists === null) fail('listAppend', 'an object');
    const fields = lists as Record<string, unknown>;
    for (const field of ['clients', 'keys', 'intervalMs', 'waitEvery']) {
      if (!Number.isInteger(fields[field])) fail(`listAppend.${field}`, 'an integer');
    }
    if ((fields['keys'] as number) < 1) fail('listAppend.keys', 'at least 1');
  }
  for (const [index, fault] of (record['faults'] as unknown[]).entries()) {
    const kind = (fault as Record<string, unknown>)['kind'];
    if (!FAULT_KINDS.includes(kind as FaultKind))
      fail(`faults[${index}].kind`, `one of ${FAULT_KINDS.join(', ')}`);
  }
  return value as ChaosCase;
}
