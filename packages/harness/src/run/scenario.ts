/**
 * What a scenario is: a story with a verdict. A scenario declares its nodes, drives them through a
 * Cluster (cluster/cluster.ts), narrates for the reader and states its own expectations; the run
 * (run-scenario.ts) adds the checkers' findings and decides the verdict.
 *
 * Scenarios live in the top-level `scenarios/` workspace and use only this package's public API.
 */
import type { Random } from '@replisim/base';
import type { Finding } from '../checkers/finding.js';
import type { Cluster } from '../cluster/cluster.js';
import type { NodeEvent, Op } from '../history/op.js';

export interface ScenarioContext {
  readonly seed: number;
  readonly cluster: Cluster;
  /** The scenario's own seeded random source (timings, fault targets). */
  readonly random: Random;
  /** Parameters after defaults and `--set` overrides. */
  readonly params: Readonly<Record<string, string>>;
  /** A PASS/FAIL line of the scenario's own verdict; every line is kept. */
  expect(ok: boolean, line: string): void;
  /** A line for the reader on the timeline. */
  narrate(actor: string, text: string): void;
}

export interface Scenario {
  readonly name: string;
  /** One line for `replisim list`. */
  readonly summary: string;
  /** What the reader is about to watch, printed above the timeline. */
  readonly story: string;
  /** Parameters with their defaults (`--set name=value` overrides). */
  readonly params?: Readonly<Record<string, string>>;
  /**
   * Runs the liveness phase at the end: heal every fault, wait until all nodes converge (same
   * replid, offset, digest) and read every node for the checkers. Default true.
   */
  readonly liveness?: boolean;
  /**
   * Reads a node once the liveness phase converged, after its read-all: data a read-all does not
   * see (the list-append workload's lists), for the checkers. Called for every node. Optional.
   */
  readonly finalRead?: (cluster: Cluster, node: string) => Promise<void>;
  run(context: ScenarioContext): Promise<void>;
  /**
   * Expectations that need the whole run (the liveness phase's reads, the checkers' findings): called
   * once the checkers have run, before the verdict. Optional.
   */
  verify?(view: VerifyView): void;
}

/** What `verify` sees: the finished history and the findings, and where to put its lines. */
export interface VerifyView {
  readonly seed: number;
  readonly params: Readonly<Record<string, string>>;
  readonly ops: readonly Op[];
  readonly events: readonly NodeEvent[];
  readonly findings: readonly Finding[];
  expect(ok: boolean, line: string): void;
}

/** Identity, for type checking scenario files. */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}
