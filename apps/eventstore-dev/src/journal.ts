import { crc32 } from 'node:zlib';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The append-only journal file. It starts with a 16-byte header; every commit
 * after it is one frame:
 *
 *   u32 payload length | u32 CRC-32 of the payload | payload
 *
 * A frame is acknowledged only once it has been written and fdatasync'ed.
 * Frames queued while a sync is running are written and synced together
 * (group commit). On open, a frame that is cut short or fails its checksum
 * marks a torn write: it and everything after it are cut off.
 */
export const JOURNAL_FILE = 'journal.dat';
export const JOURNAL_HEADER_SIZE = 16;
export const FRAME_HEADER_SIZE = 8;

const MAGIC = Buffer.from('RVLEDGERJOURNAL1', 'latin1');
const READ_BLOCK_SIZE = 16 * 1024 * 1024;

export interface RecoveredFrame {
  /** File offset of the frame header. */
  offset: number;
  payload: Buffer;
}

export interface JournalRecovery {
  frames: number;
  bytes: number;
  truncatedBytes: number;
}

interface PendingFrame {
  frame: Buffer;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class Journal {
  private queue: PendingFrame[] = [];
  private flushing: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    private readonly file: FileHandle,
    private durableEnd: number,
    private reservedEnd: number,
  ) {}

  /** Opens (or creates) the journal and hands every intact frame to `onFrame`, in order. */
  static async open(
    dataDir: string,
    onFrame: (frame: RecoveredFrame) => void,
  ): Promise<{ journal: Journal; recovery: JournalRecovery }> {
    await mkdir(dataDir, { recursive: true });
    const path = join(dataDir, JOURNAL_FILE);
    const file = await open(path, 'a+').then((handle) => handle.close()).then(() => open(path, 'r+'));
    const size = (await file.stat()).size;
    if (size < JOURNAL_HEADER_SIZE) {
      await writeFully(file, MAGIC, 0);
      await file.truncate(JOURNAL_HEADER_SIZE);
      await file.sync();
      await syncDirectory(dataDir);
      return {
        journal: new Journal(file, JOURNAL_HEADER_SIZE, JOURNAL_HEADER_SIZE),
        recovery: { frames: 0, bytes: JOURNAL_HEADER_SIZE, truncatedBytes: Math.max(0, size) },
      };
    }
    const header = Buffer.alloc(JOURNAL_HEADER_SIZE);
    await file.read(header, 0, JOURNAL_HEADER_SIZE, 0);
    if (!header.equals(MAGIC)) {
      await file.close();
      throw new Error(`${path} is not an event-store dev journal`);
    }
    const { end, frames } = await scanFrames(file, size, onFrame);
    if (end < size) {
      await file.truncate(end);
      await file.sync();
    }
    return {
      journal: new Journal(file, end, end),
      recovery: { frames, bytes: end, truncatedBytes: size - end },
    };
  }

  /** Offset the next frame will be written at. */
  get nextOffset(): number {
    return this.reservedEnd;
  }

  /**
   * Queues a frame (built with a FRAME_HEADER_SIZE gap in front of its
   * payload) and returns its file offset at once; `durable` settles once it
   * is on disk.
   */
  write(frame: Buffer): { offset: number; durable: Promise<void> } {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error('The journal is closed');
    const payload = frame.subarray(FRAME_HEADER_SIZE);
    frame.writeUInt32LE(payload.length, 0);
    frame.writeUInt32LE(crc32(payload), 4);
    const offset = this.reservedEnd;
    this.reservedEnd += frame.length;
    const durable = new Promise<void>((resolve, reject) => this.queue.push({ frame, resolve, reject }));
    if (!this.flushing) this.flushing = this.flush();
    return { offset, durable };
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.file.close();
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const bytes = batch.length === 1 ? batch[0].frame : Buffer.concat(batch.map((pending) => pending.frame));
      try {
        await writeFully(this.file, bytes, this.durableEnd);
        await this.file.datasync();
        this.durableEnd += bytes.length;
        for (const pending of batch) pending.resolve();
      } catch (cause) {
        // The file state is unknown after a failed write or sync: refuse
        // everything from here on rather than acknowledge a lost event.
        this.failure = new Error('The journal could not be written', { cause });
        for (const pending of [...batch, ...this.queue]) pending.reject(this.failure);
        this.queue = [];
      }
    }
    this.flushing = undefined;
  }
}

async function writeFully(file: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await file.write(bytes, written, bytes.length - written, position + written);
    written += bytesWritten;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function scanFrames(
  file: FileHandle,
  size: number,
  onFrame: (frame: RecoveredFrame) => void,
): Promise<{ end: number; frames: number }> {
  let blockStart = JOURNAL_HEADER_SIZE;
  let block = Buffer.alloc(0);
  let cursor = JOURNAL_HEADER_SIZE;
  let frames = 0;

  const ensure = async (bytes: number): Promise<boolean> => {
    if (cursor + bytes > size) return false;
    if (cursor + bytes <= blockStart + block.length) return true;
    const length = Math.min(size - cursor, Math.max(READ_BLOCK_SIZE, bytes));
    block = Buffer.allocUnsafe(length);
    const { bytesRead } = await file.read(block, 0, length, cursor);
    block = block.subarray(0, bytesRead);
    blockStart = cursor;
    return cursor + bytes <= blockStart + block.length;
  };

  for (;;) {
    if (!(await ensure(FRAME_HEADER_SIZE))) break;
    const headerAt = cursor - blockStart;
    const length = block.readUInt32LE(headerAt);
    const checksum = block.readUInt32LE(headerAt + 4);
    if (length === 0 || !(await ensure(FRAME_HEADER_SIZE + length))) break;
    const payloadAt = cursor - blockStart + FRAME_HEADER_SIZE;
    const payload = block.subarray(payloadAt, payloadAt + length);
    if (crc32(payload) !== checksum) break;
    onFrame({ offset: cursor, payload });
    frames += 1;
    cursor += FRAME_HEADER_SIZE + length;
  }
  return { end: cursor, frames };
}
