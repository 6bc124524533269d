/**
 * A replisim node on a simulated host, as the harness runs it: boot from redis-server option words,
 * keep its log lines, and boot again on the same host after a crash (the disk is what survives).
 */
import { assert, type SimHost } from '@replisim/base';
import { loadConfig, ServerNode, type StartResult } from '@replisim/server';

export const NODE_PORT = 6379;

/** A stable fake pid per host, so log lines and temp-file names repeat from run to run. */
const SIM_PID_BASE = 4242;

export interface SimNodeOptions {
  /** redis-server option words, e.g. ['--save', '']; port and bind are set here. */
  readonly options: readonly string[];
}

export class SimNode {
  readonly host: SimHost;
  readonly options: readonly string[];
  readonly logs: string[] = [];
  /** Called with each log line as the node writes it (a scenario puts chosen lines on its timeline). */
  onLog: ((line: string) => void) | undefined = undefined;
  node: ServerNode | undefined;
  /** How the last boot ended: undefined while starting (listening and loading the dump). */
  startResult: StartResult | undefined;

  constructor(host: SimHost, options: SimNodeOptions) {
    this.host = host;
    this.options = options.options;
  }

  /** Starts a node on the host's current incarnation; `startResult` is set when it is serving. */
  boot(): void {
    const loaded = loadConfig('', [
      '--port',
      String(NODE_PORT),
      '--bind',
      '0.0.0.0',
      // Other simulated hosts (replicas, the driver) reach this node, and the checkers compare
      // DEBUG DIGEST; protected mode and Redis's DEBUG default would refuse both.
      '--protected-mode',
      'no',
      '--enable-debug-command',
      'yes',
      ...this.options,
    ]);
    assert(loaded.ok, `bad node options: ${loaded.ok ? '' : loaded.error.reason}`);
    this.startResult = undefined;
    const node = new ServerNode({
      env: this.host.env,
      config: loaded.config,
      logSink: (line) => {
        this.logs.push(line);
        this.onLog?.(line);
      },
      pid: SIM_PID_BASE + this.host.incarnation,
    });
    this.node = node;
    node.start((result) => {
      this.startResult = result;
    });
  }

  /** True once the node listens and has finished loading its dump. */
  get serving(): boolean {
    return this.startResult?.ok === true && this.node?.loading === undefined;
  }

  /** Kills the process and the machine under it: unsynced writes are lost (sim-disk.ts). */
  crash(): void {
    this.node = undefined;
    this.host.crash();
  }

  /** Powers the host back on and boots the node again from what the disk kept. */
  restart(): void {
    this.host.restart();
    this.boot();
  }
}
