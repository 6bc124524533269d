/**
 * A replisim node on a simulated host, as the sim backend runs it: boot from redis-server option
 * words, hand its log lines on, and boot again on the same host after a crash or kill (the disk is
 * what survives). A node that exits by itself (SHUTDOWN, SIGTERM) leaves its host down, as a
 * process that exited leaves its machine: the page cache, and so every write, survives.
 */
import { assert, type SimHost } from '@replisim/base';
import { loadConfig, ServerNode, type StartResult, type TestBug } from '@replisim/server';

export const NODE_PORT = 6379;

/** A stable fake pid per host, so log lines and temp-file names repeat from run to run. */
const SIM_PID_BASE = 4242;

export interface SimNodeOptions {
  /** redis-server option words, e.g. ['--save', '']; port and bind are set here. */
  readonly options: readonly string[];
  /** Each log line as the node writes it. */
  readonly onLog?: (line: string) => void;
  /** The node exited by itself (SHUTDOWN, a SIGTERM's shutdown) with this code. */
  readonly onExit?: (code: number) => void;
  /** Deliberate bugs (the chaos runner's own tests only). */
  readonly testBugs?: ReadonlySet<TestBug>;
}

export class SimNode {
  readonly host: SimHost;
  readonly options: readonly string[];
  readonly logs: string[] = [];
  node: ServerNode | undefined;
  /** How the last boot ended: undefined while starting (listening and loading the dump). */
  startResult: StartResult | undefined;
  private readonly onLog: ((line: string) => void) | undefined;
  private readonly onExit: ((code: number) => void) | undefined;
  private readonly testBugs: ReadonlySet<TestBug> | undefined;

  constructor(host: SimHost, options: SimNodeOptions) {
    this.host = host;
    this.options = options.options;
    this.onLog = options.onLog;
    this.onExit = options.onExit;
    this.testBugs = options.testBugs;
  }

  /** Starts a node on the host's current incarnation; `startResult` is set when it is serving. */
  boot(): void {
    const loaded = loadConfig('', [
      '--port',
      String(NODE_PORT),
      '--bind',
      '0.0.0.0',
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
      ...(this.testBugs === undefined ? {} : { testBugs: this.testBugs }),
      exit: (code) => {
        this.node = undefined;
        this.host.kill();
        this.onExit?.(code);
      },
    });
    this.node = node;
    node.start((result) => {
      this.startResult = result;
    });
  }

  /** True once the node listens and has finished loading its dump. */
  get serving(): boolean {
    return this.host.up && this.startResult?.ok === true && this.node?.loading === undefined;
  }

  /** Power loss: the machine goes down, unsynced writes are lost (sim-disk.ts). */
  crash(): void {
    this.node = undefined;
    this.host.crash();
  }

  /** kill -9: the process dies, the machine and its page cache stay. */
  kill(): void {
    this.node = undefined;
    this.host.kill();
  }

  /** SIGTERM: the node shuts down on its next cron, saving if it has save rules. */
  terminate(): void {
    if (this.node !== undefined) this.node.shutdownSignal = 'SIGTERM';
  }

  /** Boots the node again from what the disk kept. */
  restart(): void {
    this.host.restart();
    this.boot();
  }
}
