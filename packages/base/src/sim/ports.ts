/**
 * A host's port table: explicit binds and the ephemeral range, as a kernel keeps them.
 *
 * Ephemeral ports come from 49152-65535 in rotating order, skipping ports in use, so the ports a run
 * sees are a function of its history alone (deterministic, and different between connections as
 * with a real kernel). A crash throws the table away with the rest of the host's kernel state.
 */
import { assert } from '../assert.js';

export const EPHEMERAL_PORT_MIN = 49152;
export const EPHEMERAL_PORT_MAX = 65535;

export class PortTable {
  /** Ports bound by listeners or used as the local port of a connection. */
  private readonly used = new Set<number>();
  private ephemeralNext = EPHEMERAL_PORT_MIN;

  /** Binds a free ephemeral port, or returns undefined if the whole range is in use. */
  allocate(): number | undefined {
    const rangeSize = EPHEMERAL_PORT_MAX - EPHEMERAL_PORT_MIN + 1;
    for (let tried = 0; tried < rangeSize; tried++) {
      const port = this.ephemeralNext;
      this.ephemeralNext = port === EPHEMERAL_PORT_MAX ? EPHEMERAL_PORT_MIN : port + 1;
      if (!this.used.has(port)) {
        this.used.add(port);
        return port;
      }
    }
    return undefined;
  }

  /** Binds a specific port; false if it is taken (EADDRINUSE). */
  reserve(port: number): boolean {
    assert(Number.isInteger(port), 'port must be an integer');
    assert(port >= 1 && port <= 65535, 'port must be in 1..65535');
    if (this.used.has(port)) return false;
    this.used.add(port);
    return true;
  }

  release(port: number): void {
    this.used.delete(port);
  }

  inUse(port: number): boolean {
    return this.used.has(port);
  }
}
