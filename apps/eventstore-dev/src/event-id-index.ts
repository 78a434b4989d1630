/**
 * Event id → log index, for idempotent re-appends. An open-addressing table
 * over typed arrays: it stores hashes and log indexes only and confirms a hit
 * by comparing the id bytes of the stored record.
 */
export class EventIdIndex {
  private hashes = new Uint32Array(1 << 12);
  private slots = new Int32Array(1 << 12);
  private size = 0;

  constructor(private readonly idAt: (logIndex: number) => Buffer) {}

  add(id: Buffer, logIndex: number): void {
    if ((this.size + 1) * 2 > this.slots.length) this.resize(this.slots.length * 2);
    this.insert(hashId(id), logIndex);
    this.size += 1;
  }

  /** The latest log index holding `id`, or -1. */
  find(id: Buffer): number {
    const hash = hashId(id);
    const mask = this.slots.length - 1;
    let found = -1;
    for (let slot = hash & mask; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.hashes[slot] !== hash) continue;
      const logIndex = this.slots[slot] - 1;
      if (logIndex > found && this.idAt(logIndex).equals(id)) found = logIndex;
    }
    return found;
  }

  private insert(hash: number, logIndex: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.hashes[slot] = hash;
    this.slots[slot] = logIndex + 1;
  }

  private resize(capacity: number): void {
    const { hashes, slots } = this;
    this.hashes = new Uint32Array(capacity);
    this.slots = new Int32Array(capacity);
    for (let slot = 0; slot < slots.length; slot += 1) {
      if (slots[slot] !== 0) this.insert(hashes[slot], slots[slot] - 1);
    }
  }
}

function hashId(id: Buffer): number {
  let hash = 0x811c9dc5;
  for (let word = 0; word < 16; word += 4) {
    hash = Math.imul(hash ^ id.readUInt32LE(word), 0x01000193);
    hash ^= hash >>> 15;
  }
  return hash >>> 0;
}
