// An online backup of everything under DATA_DIR: the database through SQLite's backup API, then the stored files.
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../../db/client.js';

export type BackupSummary = { target: string; databaseFile: string; files: number; integrity: string; takenAt: string };

/** The database and its WAL companions are copied by the backup API, never as files mid-write. */
function isDatabaseFile(path: string, databaseName: string): boolean {
  const name = basename(path);
  return name === databaseName || name === `${databaseName}-wal` || name === `${databaseName}-shm` || name === `${databaseName}-journal`;
}

export async function backupDataDir(
  { db, dataDir, databasePath }: { db: Db; dataDir: string; databasePath: string },
  targetDir: string,
  now = new Date(),
): Promise<BackupSummary> {
  const target = resolve(targetDir);
  const source = resolve(dataDir);
  if (target === source || !relative(source, target).startsWith('..')) throw new Error('the backup folder must lie outside DATA_DIR');
  if (existsSync(target) && readdirSync(target).length > 0) throw new Error(`the backup folder ${target} is not empty`);
  mkdirSync(target, { recursive: true });

  const databaseName = basename(databasePath);
  const databaseFile = join(target, databaseName);
  // The database first: every file it names was written before it and is never changed afterwards.
  await db.$client.backup(databaseFile);

  let files = 0;
  cpSync(source, target, {
    recursive: true,
    filter: (path) => {
      if (isDatabaseFile(path, databaseName)) return false;
      files += 1;
      return true;
    },
  });

  const copy = new Database(databaseFile, { readonly: true });
  const integrity = String(copy.pragma('integrity_check', { simple: true }));
  copy.close();
  const summary = { target, databaseFile, files: files - 1, integrity, takenAt: now.toISOString() };
  writeFileSync(join(target, 'backup.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (integrity !== 'ok') throw new Error(`the copied database failed its integrity check: ${integrity}`);
  return summary;
}
