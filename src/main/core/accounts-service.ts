// Connected accounts. Owner: main (this service). Credentials are encrypted with the SecretStore
// (safeStorage in the app) before they touch the "accounts" document, decrypted only in memory,
// and never leave main: the renderer gets Account views (profile, health, server), nothing else.
// An account whose token stops working is marked "needs reconnect"; it is never deleted by the
// app, and its columns stay.
import { z } from 'zod';
import type { NetworkAdapter, RateWindow } from '../../shared/adapter';
import { ConnectMethodSchema, type ConnectRequest } from '../../shared/accounts';
import { ColonnadeError, type AppError } from '../../shared/errors';
import { AccountHealthSchema, ProfileSchema, type Account, type AccountHealth } from '../../shared/model';
import type { AdapterContext, AdapterMemory, NetworkModule } from '../networks/module';
import type { Clock, DocumentStore, Logger, SecretStore } from './ports';
import { openVersionedDocument, type VersionedDocument } from './versioned-document';

const AccountRecordSchema = z.object({
  id: z.string(),
  network: z.enum(['x', 'bluesky', 'mastodon']),
  profile: ProfileSchema,
  server: z.string(),
  health: AccountHealthSchema,
  addedAt: z.string(),
  /** How it was connected ("Reconnect" offers that form again); absent in records from before. */
  method: ConnectMethodSchema.optional(),
  /** Ciphertext of the credentials' JSON, from the SecretStore. */
  credentials: z.string(),
});
type AccountRecord = z.infer<typeof AccountRecordSchema>;
const AccountsDocSchema = z.object({ accounts: z.array(AccountRecordSchema) });
type AccountsDoc = z.infer<typeof AccountsDocSchema>;

export const WEAK_STORAGE_MESSAGE =
  'This computer has no keyring to protect saved passwords, so Colonnade can only obfuscate them on disk.';

export interface AccountsDeps {
  store: DocumentStore;
  secrets: SecretStore;
  clock: Clock;
  log: Logger;
  modules: readonly NetworkModule[];
  onChange(accounts: AccountRecordView[]): void;
  /** Show an authorization page (system browser / renderer link). */
  authorize(url: string): void;
  onReads?(accountId: string, reads: { posts: number; ownPosts: number; purpose: 'timeline' | 'counts' }): void;
  /** A response stated a rate-limit window of this account (for its shared budget). */
  onRateWindow?(accountId: string, window: RateWindow): void;
  /**
   * The document an account's adapter keeps across restarts (AdapterContext.memory); `delete`
   * removes it when the account is removed.
   */
  memory?(accountId: string): AdapterMemory & { delete(): void };
  /**
   * The account was just (re)connected (`connected`), or its health came back from "needs
   * reconnect" (`recovered`): its columns should poll now rather than sleep out their back-off.
   * Never called while `open` runs.
   */
  onConnected?(accountId: string, how: 'connected' | 'recovered'): void;
}

export type AccountRecordView = Omit<Account, 'practice' | 'columnKinds' | 'textRules'> & { server: string };

export class AccountsService {
  private readonly doc: VersionedDocument<AccountsDoc>;
  private readonly adapters = new Map<string, NetworkAdapter>();
  private flow: AbortController | undefined;

  private constructor(private readonly deps: AccountsDeps) {
    this.doc = openVersionedDocument(
      deps.store,
      { name: 'accounts', schema: AccountsDocSchema, version: 1, migrations: {}, defaults: () => ({ accounts: [] }) },
      deps.log,
    );
  }

  /** Opens the document and decrypts every account's credentials into adapters. */
  static async open(deps: AccountsDeps): Promise<AccountsService> {
    const service = new AccountsService(deps);
    for (const record of service.records()) {
      try {
        const credentials = await service.decrypt(record);
        const method = record.method ?? service.module(record.network).connectMethod?.(credentials);
        if (method && !record.method) service.patch(record.id, { method }, false);
        await service.buildAdapter(record, credentials);
      } catch (err) {
        // Keep the account (and its columns); the user can reconnect it.
        deps.log.warn('an account could not be opened', { accountId: record.id, error: String(err) });
        service.patch(record.id, { health: { state: 'needs-reconnect' } }, false);
      }
    }
    return service;
  }

  list(): AccountRecordView[] {
    return this.records().map(({ id, network, profile, server, health, method }) => ({
      id,
      network,
      profile,
      server,
      health,
      ...(method ? { connectedWith: method } : {}),
    }));
  }

  adapter(accountId: string): NetworkAdapter | undefined {
    return this.adapters.get(accountId);
  }

  /**
   * Runs the network's connect flow and stores the account (a known profile is reconnected:
   * new credentials, same account, columns untouched).
   */
  async connect(request: ConnectRequest, allowWeakStorage: boolean): Promise<AccountRecordView> {
    if (!allowWeakStorage && !(await this.deps.secrets.isStrong())) {
      throw new ColonnadeError('not-allowed', WEAK_STORAGE_MESSAGE, { field: 'allowWeakStorage' });
    }
    const module = this.module(request.network);
    this.flow?.abort();
    const flow = new AbortController();
    this.flow = flow;
    try {
      const credentials = await module.connect(request, {
        clock: this.deps.clock,
        log: this.deps.log,
        authorize: (url) => this.deps.authorize(url),
        signal: flow.signal,
      });
      // The adapter that checks the account becomes the account's adapter: a pair it renews while
      // checking (X refresh tokens are single-use) is the one stored, and no second adapter
      // ever holds the spent one.
      let accountId = `${request.network}:pending`;
      let latest: unknown = credentials;
      const self: { adapter?: NetworkAdapter } = {};
      const ctx = this.context(
        () => accountId,
        module,
        async (next) => {
          latest = next;
          if (self.adapter && this.adapters.get(accountId) === self.adapter) {
            await this.storeCredentials(accountId, next);
          }
        },
      );
      const adapter = await module.createAdapter(credentials, ctx);
      self.adapter = adapter;
      const profile = await adapter.verify();
      let stored: unknown;
      let cipher: string;
      do {
        stored = latest;
        cipher = await this.encrypt(stored);
      } while (stored !== latest);
      const record: AccountRecord = {
        id: profile.id,
        network: request.network,
        profile,
        server: module.server(stored),
        health: { state: 'connected' },
        addedAt: new Date(this.deps.clock.now()).toISOString(),
        method: request.method,
        credentials: cipher,
      };
      const doc = this.doc.get();
      const existing = doc.accounts.some((a) => a.id === record.id);
      this.doc.set({
        accounts: existing
          ? doc.accounts.map((a) => (a.id === record.id ? { ...record, addedAt: a.addedAt } : a))
          : [...doc.accounts, record],
      });
      accountId = record.id;
      // Replaces (retires) the adapter of a reconnected account: what it saves from now on is ignored.
      this.adapters.set(record.id, adapter);
      this.deps.log.info(existing ? 'account reconnected' : 'account connected', { accountId: record.id });
      this.changed();
      this.deps.onConnected?.(record.id, 'connected');
      return this.list().find((a) => a.id === record.id)!;
    } finally {
      if (this.flow === flow) this.flow = undefined;
    }
  }

  cancelConnect(): void {
    this.flow?.abort();
  }

  remove(accountId: string): void {
    const doc = this.doc.get();
    if (!doc.accounts.some((a) => a.id === accountId))
      throw new ColonnadeError('not-found', 'That account is not connected.');
    this.doc.set({ accounts: doc.accounts.filter((a) => a.id !== accountId) });
    this.adapters.delete(accountId);
    // What the adapter remembered for this account (X: the CM's likes and reposts) goes with it.
    try {
      this.deps.memory?.(accountId).delete();
    } catch (err) {
      this.deps.log.warn('the memory of a removed account could not be deleted', { accountId, error: String(err) });
    }
    this.deps.log.info('account removed', { accountId });
    this.changed();
  }

  /** What a column or job learned about an account's health from its network. */
  noteOutcome(accountId: string, error: AppError | null): void {
    const record = this.records().find((a) => a.id === accountId);
    if (!record) return;
    let health: AccountHealth = { state: 'connected' };
    if (error?.code === 'auth-expired') health = { state: 'needs-reconnect' };
    else if (error?.code === 'rate-limited' && error.resetAt) health = { state: 'rate-limited', until: error.resetAt };
    else if (error?.code === 'not-allowed') health = { state: 'not-allowed', reason: error.message, error };
    else if (error) return; // transient trouble does not change the account's health
    if (JSON.stringify(health) === JSON.stringify(record.health)) return;
    this.patch(accountId, { health }, true);
    if (health.state === 'connected' && record.health.state === 'needs-reconnect') {
      this.deps.onConnected?.(accountId, 'recovered');
    }
  }

  private records(): AccountRecord[] {
    return this.doc.get().accounts;
  }

  private patch(accountId: string, change: Partial<AccountRecord>, notify: boolean): void {
    this.doc.set({ accounts: this.records().map((a) => (a.id === accountId ? { ...a, ...change } : a)) });
    if (notify) this.changed();
  }

  private changed(): void {
    this.deps.onChange(this.list());
  }

  private module(network: string): NetworkModule {
    const module = this.deps.modules.find((m) => m.network === network);
    if (!module) throw new ColonnadeError('not-allowed', `Colonnade cannot connect ${network} accounts yet.`);
    return module;
  }

  private context(
    accountId: () => string,
    module: NetworkModule,
    save: (c: unknown) => Promise<void> | void,
  ): AdapterContext<unknown> {
    return {
      clock: this.deps.clock,
      log: this.deps.log,
      saveCredentials: async (next) => {
        await module.parseCredentials(next);
        await save(next);
      },
      onReads: (reads) => this.deps.onReads?.(accountId(), reads),
      onRateWindow: (window) => this.deps.onRateWindow?.(accountId(), window),
      memory: {
        read: () => this.deps.memory?.(accountId()).read(),
        // A like answered after the account was removed must not bring its memory file back.
        write: (d) => {
          const id = accountId();
          if (this.records().some((a) => a.id === id)) this.deps.memory?.(id).write(d);
        },
      },
    };
  }

  private async buildAdapter(record: AccountRecord, credentials: unknown): Promise<void> {
    const module = this.module(record.network);
    const self: { adapter?: NetworkAdapter } = {};
    const adapter = await module.createAdapter(
      credentials,
      this.context(
        () => record.id,
        module,
        async (next) => {
          // Only the account's current adapter stores credentials: one replaced by a reconnect
          // (or removed) must not write its pair over the new one.
          if (self.adapter && this.adapters.get(record.id) !== self.adapter) {
            this.deps.log.info('credentials from a replaced connection ignored', { accountId: record.id });
            return;
          }
          await this.storeCredentials(record.id, next);
        },
      ),
    );
    self.adapter = adapter;
    this.adapters.set(record.id, adapter);
    // A server that publishes its own limits (a Mastodon instance) gets them in the composer at
    // once after a restart, not only after its first column read.
    if (adapter.loadTextRules) {
      const before = JSON.stringify(adapter.textRules());
      adapter.loadTextRules().then(
        (rules) => {
          if (this.adapters.get(record.id) === adapter && JSON.stringify(rules) !== before) this.changed();
        },
        (err: unknown) => this.deps.log.warn('server limits not loaded', { accountId: record.id, error: String(err) }),
      );
    }
  }

  /** Encrypts and stores renewed credentials of an account (awaited before they are used). */
  private async storeCredentials(accountId: string, next: unknown): Promise<void> {
    this.patch(accountId, { credentials: await this.encrypt(next) }, false);
  }

  private async encrypt(credentials: unknown): Promise<string> {
    return this.deps.secrets.encrypt(JSON.stringify(credentials));
  }

  private async decrypt(record: AccountRecord): Promise<unknown> {
    const module = this.module(record.network);
    return module.parseCredentials(JSON.parse(await this.deps.secrets.decrypt(record.credentials)));
  }
}

export function accountView(record: AccountRecordView, adapter: NetworkAdapter | undefined): Account {
  return {
    id: record.id,
    network: record.network,
    profile: record.profile,
    health: record.health,
    practice: false,
    columnKinds: adapter?.columnKinds() ?? [],
    server: record.server,
    ...(record.connectedWith ? { connectedWith: record.connectedWith } : {}),
    textRules: adapter?.textRules() ?? { counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1000 },
    ...(adapter?.mediaRules ? { mediaRules: adapter.mediaRules() } : {}),
  };
}
