/**
 * Sending a finished dump to one replica (Redis's sendBulkToSlave): `$<size>\r\n`, then the file's
 * bytes, with no trailing CRLF (reference §3.3). The file is read through the Disk in chunks, and a
 * chunk is read only while the replica's unsent output is below a high-water mark, so a slow
 * replica holds the transfer back instead of the whole file piling up in memory.
 *
 * The connection has no drain event, so a transfer held back looks again after POLL_MS. The file
 * is opened once at the start; a later BGSAVE renaming a new dump over it does not change what this
 * transfer sends (the open handle keeps the old file, as Redis's open fd does).
 */
import type { Connection, Env, FileHandle } from '@replisim/base';

/** PROTO_IOBUF_LEN-sized reads would mean many tiny events; 64 KB is one socket write's worth. */
const CHUNK_BYTES = 64 * 1024;
/** Unsent bytes above which reading stops until the replica catches up. */
const HIGH_WATER_BYTES = 1024 * 1024;
const POLL_MS = 5;

export type TransferResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string };

export class BulkTransfer {
  private readonly env: Env;
  private readonly path: string;
  private readonly connection: Connection;
  private readonly done: (result: TransferResult) => void;
  private handle: FileHandle | undefined;
  private size = 0;
  private position = 0;
  private aborted = false;

  constructor(
    env: Env,
    path: string,
    connection: Connection,
    done: (result: TransferResult) => void,
  ) {
    this.env = env;
    this.path = path;
    this.connection = connection;
    this.done = done;
  }

  start(): void {
    const disk = this.env.disk;
    disk.open(this.path, 'read', (opened) => {
      if (!opened.ok) {
        this.finish({ ok: false, message: opened.error.message });
        return;
      }
      this.handle = opened.value;
      if (this.aborted) {
        this.closeHandle();
        return;
      }
      disk.size(this.path, (sized) => {
        if (this.aborted) return;
        if (!sized.ok) {
          this.closeHandle();
          this.finish({ ok: false, message: sized.error.message });
          return;
        }
        this.size = sized.value;
        this.connection.write(Buffer.from(`$${this.size}\r\n`, 'latin1'));
        this.pump();
      });
    });
  }

  /** The replica went away: stop reading, close the file, report nothing. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.closeHandle();
  }

  private pump(): void {
    const handle = this.handle;
    if (this.aborted || handle === undefined) return;
    if (this.position >= this.size) {
      this.closeHandle();
      this.finish({ ok: true });
      return;
    }
    if (this.connection.bufferedBytes() > HIGH_WATER_BYTES) {
      this.env.timers.after(POLL_MS, () => this.pump());
      return;
    }
    const length = Math.min(CHUNK_BYTES, this.size - this.position);
    this.env.disk.read(handle, this.position, length, (read) => {
      if (this.aborted) return;
      if (!read.ok || read.value.length === 0) {
        this.closeHandle();
        this.finish({ ok: false, message: read.ok ? 'short read' : read.error.message });
        return;
      }
      this.position += read.value.length;
      this.connection.write(read.value);
      this.pump();
    });
  }

  private closeHandle(): void {
    const handle = this.handle;
    this.handle = undefined;
    if (handle !== undefined) this.env.disk.close(handle, () => {});
  }

  private finish(result: TransferResult): void {
    if (this.aborted) return;
    this.aborted = true;
    this.done(result);
  }
}
