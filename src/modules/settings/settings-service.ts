// Reads and changes the admin settings; a stored value that no longer validates falls back to its default.
import { prepareChangeCounter } from '../../db/change-counter.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { insertAuditEntry } from '../audit/audit-repository.js';
import { readAllSettings, writeSetting } from './settings-repository.js';
import { defaultSettings, type Settings, settingsSchema } from './settings-schema.js';

export type SettingsService = ReturnType<typeof createSettingsService>;

export function createSettingsService({ db, clock }: { db: Db; clock: Clock }) {
  // Every page shows settings, and reading and validating them cost about 5% of a page, so they are kept until the
  // database changes: any write on this connection or any commit by another one to the SQLite file (the CLI, a second
  // process) drops them, so even a write that bypasses update() is seen. Page views write nothing, so they hit the
  // cache. A database shared over the network (PostgreSQL with several instances) would need a change notification.
  const changeCounter = prepareChangeCounter(db);
  let cached: { settings: Settings; version: string } | undefined;

  function load(): Settings {
    const stored: Record<string, unknown> = {};
    for (const row of readAllSettings(db)) stored[row.key] = row.value;
    const result: Record<string, unknown> = { ...defaultSettings };
    for (const [key, field] of Object.entries(settingsSchema.shape)) {
      if (!(key in stored)) continue;
      const parsed = field.safeParse(stored[key]);
      if (parsed.success) result[key] = parsed.data;
    }
    // Frozen, since every caller shares this one object until the next change.
    return Object.freeze(result) as Settings;
  }

  function current(): Settings {
    const version = changeCounter();
    if (cached?.version !== version) cached = { settings: load(), version };
    return cached.settings;
  }

  return {
    current,

    /** With an admin named, the save is written to the audit log (the names of the settings that changed, not their values). */
    update(changes: Partial<Settings>, admin?: { id: number }): void {
      const valid = settingsSchema.partial().parse(changes);
      const before = admin ? current() : undefined;
      db.transaction((tx) => {
        if (admin && before) {
          const changed = Object.keys(changes).filter((key) => valid[key as keyof Settings] !== undefined && valid[key as keyof Settings] !== before[key as keyof Settings]);
          insertAuditEntry(tx, { actorId: admin.id, action: 'settings_saved', details: { changed: changed.join(', ') }, at: clock.now() });
        }
        // Only the keys given: zod fills the defaults of the others in, and those must not overwrite stored values.
        for (const key of Object.keys(changes)) {
          const value = valid[key as keyof Settings];
          if (value !== undefined) writeSetting(tx, key, value);
        }
      });
      cached = undefined;
    },
  };
}
