// Connected accounts. Owner: main (this service). Credentials are encrypted with the SecretStore
// (safeStorage in the app) before they touch the "accounts" document, decrypted only in memory,
// and never leave main: the renderer gets Account views (profile, health, server), nothing else.
// An account whose token stops working is marked "needs reconnect"; it is never deleted by the
// app, and its columns stay.
import { z } from 'zod';
import type { NetworkAdapter } from '../../shared/adapter';
import type { ConnectRequest } from '../../shared/accounts';
import { ColonnadeError, type AppError } from '../../shared/errors';
import { AccountHealthSchema, ProfileSchema, type Account, type AccountHealth } from '../../shared/model';
import type { AdapterContext, NetworkModule } from '../networks/module';
import type { Clock, DocumentStore, Logger, SecretStore } from './ports';
import { openVersionedDocument, type VersionedDocument } from './versioned-document';

const AccountRecordSchema = z.object({
  id: z.string(),
  network: z.enum(['x', 'bluesky', 'mastodon']),
  profile: ProfileSchema,
  server: z.string(),
  health: AccountHealthSchema,
  addedAt: z.string(),
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
  onReads?(accountId: string, reads: { posts: number; ownPosts: number }): void;
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
        await service.buildAdapter(record, await service.decrypt(record));
      } catch (err) {
        // Keep the account (and its columns); the user can reconnect it.
        deps.log.warn('an account could not be opened', { accountId: record.id, error: String(err) });
        service.patch(record.id, { health: { state: 'needs-reconnect' } }, false);
      }
    }
    return service;
  }

  list(): AccountRecordView[] {
    return this.records().map(({ id, network, profile, server, health }) => ({ id, network, profile, server, health }));
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
      const probe = await module.createAdapter(
        credentials,
        this.context(`${request.network}:pending`, module, () => undefined),
      );
      const profile = await probe.verify();
      const record: AccountRecord = {
        id: profile.id,
        network: request.network,
        profile,
        server: module.server(credentials),
        health: { state: 'connected' },
        addedAt: new Date(this.deps.clock.now()).toISOString(),
        credentials: await this.encrypt(credentials),
      };
      const doc = this.doc.get();
      const existing = doc.accounts.some((a) => a.id === record.id);
      this.doc.set({
        accounts: existing
          ? doc.accounts.map((a) => (a.id === record.id ? { ...record, addedAt: a.addedAt } : a))
          : [...doc.accounts, record],
      });
      await this.buildAdapter(record, credentials);
      this.deps.log.info(existing ? 'account reconnected' : 'account connected', { accountId: record.id });
      this.changed();
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
    else if (error?.code === 'not-allowed') health = { state: 'not-allowed', reason: error.message };
    else if (error) return; // transient trouble does not change the account's health
    if (JSON.stringify(health) !== JSON.stringify(record.health)) this.patch(accountId, { health }, true);
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
    accountId: string,
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
      onReads: (reads) => this.deps.onReads?.(accountId, reads),
    };
  }

  private async buildAdapter(record: AccountRecord, credentials: unknown): Promise<void> {
    const module = this.module(record.network);
    const adapter = await module.createAdapter(
      credentials,
      this.context(record.id, module, async (next) =>
        this.patch(record.id, { credentials: await this.encrypt(next) }, false),
      ),
    );
    this.adapters.set(record.id, adapter);
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
    textRules: adapter?.textRules() ?? { counting: 'characters', maxLength: 500, maxImages: 4, maxAltLength: 1000 },
  };
}
