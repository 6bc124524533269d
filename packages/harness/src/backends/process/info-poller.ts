/**
 * The INFO poller: `Backend.state(name)` must answer at once, but a real node's state lives in
 * another process, so a side connection asks `INFO replication persistence` every POLL_MS and keeps
 * the last answer. The connection goes to the node's own port, not through the fault proxy: it is
 * the harness watching, not a client of the story, and a partition must not blind it.
 *
 * One request is in flight at a time, so a paused (SIGSTOPped) node keeps its last state until it
 * answers again; a closed connection clears the state (the node is down) and is reopened on the
 * next tick while the node is meant to be up.
 */
import { createRealNetwork } from '@replisim/base/real';
import { RespClient, replyText } from '../../client/resp-client.js';
import { type NodeState, parseNodeState } from '../../cluster/node-state.js';

/** How often each node is asked, ms. */
export const POLL_MS = 20;

export class InfoPoller {
  /** The last INFO answer as a NodeState; undefined while the node does not answer. */
  state: NodeState | undefined;
  /** Answers received, so a waiter can ask for one that started after a given moment. */
  answers = 0;
  private client: RespClient | undefined;
  private connecting = false;
  private asking = false;
  private timer: NodeJS.Timeout | undefined;
  private port: number | undefined;
  private host = '127.0.0.1';

  /** Polls the node at `host:port` (a container's mapped port may be on another host) until `stop`. */
  start(port: number, host = '127.0.0.1'): void {
    this.stop();
    this.port = port;
    this.host = host;
    this.timer = setInterval(() => this.tick(), POLL_MS);
    this.tick();
  }

  /** Stops polling and forgets the state (the node is going down). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.port = undefined;
    this.state = undefined;
    this.client?.close();
    this.client = undefined;
    this.asking = false;
  }

  private tick(): void {
    const port = this.port;
    if (port === undefined) return;
    if (this.client === undefined || this.client.closed) {
      this.state = undefined;
      this.client = undefined;
      if (this.connecting) return;
      this.connecting = true;
      createRealNetwork().connect(this.host, port, (result) => {
        this.connecting = false;
        if (!result.ok) return;
        if (this.port !== port) {
          result.value.destroy();
          return;
        }
        this.client = new RespClient(result.value);
        this.asking = false;
        this.ask();
      });
      return;
    }
    this.ask();
  }

  private ask(): void {
    const client = this.client;
    if (client === undefined || this.asking) return;
    this.asking = true;
    client.send(['INFO', 'replication', 'persistence'], (reply) => {
      if (this.client !== client) return;
      this.asking = false;
      const text = replyText(reply);
      if (reply === undefined) this.state = undefined;
      else if (reply.kind !== 'error' && text !== undefined) {
        this.state = parseNodeState(text, true);
        this.answers++;
      }
    });
  }
}
