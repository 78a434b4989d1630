import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const LOCK_FILE = 'LOCK';
const heldHere = new Set<string>();

/**
 * Claims the data directory for this process (two writers would corrupt the
 * journal) and returns the release function. A lock left by a process that
 * is gone, e.g. after kill -9, is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  if (heldHere.has(path)) throw new Error(`${dataDir} is already open in this process`);
  try {
    await writeFile(path, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(await readFile(path, 'utf8'));
    // Our own pid here is a lock from an earlier life (a container restarted with the same pid).
    if (holder !== process.pid && isAlive(holder)) throw new Error(`${dataDir} is in use by process ${holder}`);
    await writeFile(path, String(process.pid));
  }
  heldHere.add(path);
  return async () => {
    heldHere.delete(path);
    await rm(path, { force: true });
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
