// Reads and changes the admin settings; a stored value that no longer validates falls back to its default.
import type { Db } from '../../db/client.js';
import { readAllSettings, writeSetting } from './settings-repository.js';
import { defaultSettings, type Settings, settingsSchema } from './settings-schema.js';

export type SettingsService = ReturnType<typeof createSettingsService>;

export function createSettingsService({ db }: { db: Db }) {
  return {
    current(): Settings {
      const stored: Record<string, unknown> = {};
      for (const row of readAllSettings(db)) stored[row.key] = row.value;
      const result: Record<string, unknown> = { ...defaultSettings };
      for (const [key, field] of Object.entries(settingsSchema.shape)) {
        if (!(key in stored)) continue;
        const parsed = field.safeParse(stored[key]);
        if (parsed.success) result[key] = parsed.data;
      }
      return result as Settings;
    },

    update(changes: Partial<Settings>): void {
      const valid = settingsSchema.partial().parse(changes);
      db.transaction((tx) => {
        for (const [key, value] of Object.entries(valid)) {
          if (value !== undefined) writeSetting(tx, key, value);
        }
      });
    },
  };
}
