/**
 * A simulated node's descriptor limit: a soft limit the test chooses and how far setrlimit may
 * raise it (as root up to fs.nr_open, unprivileged up to the hard limit). Past that, set() fails
 * with EPERM, as the kernel's setrlimit does. Deterministic: no process state is read.
 */
import type { OpenFilesLimit } from '../env.js';

export class SimOpenFilesLimit implements OpenFilesLimit {
  private soft: number;
  private readonly raisableTo: number;

  constructor(options: { readonly soft: number; readonly raisableTo?: number }) {
    this.soft = options.soft;
    this.raisableTo = options.raisableTo ?? options.soft;
  }

  current(): { readonly ok: true; readonly value: number } {
    return { ok: true, value: this.soft };
  }

  set(limit: number): string | undefined {
    if (limit > this.raisableTo) return 'Operation not permitted';
    this.soft = limit;
    return undefined;
  }
}
