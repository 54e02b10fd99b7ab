// User settings. Owner: main (this service, persisted in the "settings" document).
// Mirror: the renderer's settings slice, refreshed from responses and 'settings.changed'.
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/settings';
import type { DocumentStore, Logger } from './ports';
import { openVersionedDocument, type VersionedDocument } from './versioned-document';

export const SETTINGS_VERSION = 1;

export class SettingsService {
  private readonly doc: VersionedDocument<Settings>;

  constructor(
    store: DocumentStore,
    log: Logger,
    private readonly onChange: (settings: Settings) => void,
  ) {
    this.doc = openVersionedDocument(
      store,
      {
        name: 'settings',
        schema: SettingsSchema,
        version: SETTINGS_VERSION,
        migrations: {},
        defaults: () => ({ ...DEFAULT_SETTINGS }),
      },
      log,
    );
  }

  get(): Settings {
    return this.doc.get();
  }

  update(patch: Partial<Settings>): Settings {
    this.doc.set({ ...this.get(), ...patch });
    this.onChange(this.get());
    return this.get();
  }
}
