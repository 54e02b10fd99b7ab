// Accounts: the profiles the CM manages, their health, and the form to connect another one.
// What the user types goes to main once; nothing secret is kept in the renderer's state after.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectMethod, ConnectRequest } from '../../shared/accounts';
import { NETWORK_NAMES, type Account } from '../../shared/model';
import { ApiError } from '../api';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { DEFAULTS, METHODS, methodFor, reconnectForm, type Field, type Network } from './connect-forms';
import { Dialog } from './Dialog';
import { useDialogAction } from './use-dialog-action';
import { describeError } from './errors';
import { describeThrown } from './errors';
import { formatTime } from './time';
import { UsagePanel } from './UsagePanel';

/** The fields of each method, in order; `optional` ones may stay empty. */
const FIELDS: Record<ConnectMethod, Array<{ name: Field; secret?: boolean; optional?: boolean }>> = {
  'x-oauth2': [
    { name: 'clientId' },
    { name: 'clientSecret', secret: true, optional: true },
    { name: 'callbackPort' },
    { name: 'apiBase', optional: true },
  ],
  'x-oauth1': [
    { name: 'appKey' },
    { name: 'appSecret', secret: true },
    { name: 'accessToken', secret: true },
    { name: 'accessSecret', secret: true },
    { name: 'apiBase', optional: true },
  ],
  'bluesky-app-password': [{ name: 'service' }, { name: 'identifier' }, { name: 'appPassword', secret: true }],
  'mastodon-oauth': [{ name: 'instanceUrl' }, { name: 'callbackPort' }],
  'mastodon-token': [{ name: 'instanceUrl' }, { name: 'accessToken', secret: true }],
};

function buildRequest(method: ConnectMethod, values: Partial<Record<Field, string>>): ConnectRequest {
  const network = (Object.keys(METHODS) as Network[]).find((n) => METHODS[n].includes(method))!;
  const request: Record<string, unknown> = { network, method };
  for (const field of FIELDS[method]) {
    const value = (values[field.name] ?? '').trim();
    if (value === '' && field.optional) continue;
    request[field.name] = field.name === 'callbackPort' ? Number(value) : value;
  }
  return request as ConnectRequest;
}

export function AccountsDialog(props: { onClose: () => void; language: string }) {
  const { t } = useTranslation();
  const { actions } = useServices();
  const accounts = useAppStore((s) => s.accounts);
  const authorizeUrl = useAppStore((s) => s.authorizeUrl);
  const usage = useAppStore((s) => s.usage);
  const [network, setNetwork] = useState<Network>('mastodon');
  // The method chosen on each network, kept while switching between networks.
  const [chosen, setChosen] = useState<Partial<Record<Network, ConnectMethod>>>({});
  const method = methodFor(chosen, network);
  const setMethod = (next: ConnectMethod) => setChosen((c) => ({ ...c, [network]: next }));
  const [values, setValues] = useState<Partial<Record<Field, string>>>({ ...DEFAULTS });
  const { busy, error, setError, run } = useDialogAction(props.language, 'accounts');
  const [notice, setNotice] = useState<string | null>(null);
  const [askWeak, setAskWeak] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  /** The account "Reconnect" was pressed for, while its form is shown. */
  const [reconnecting, setReconnecting] = useState<Account | null>(null);

  const choose = (next: Network) => {
    setNetwork(next);
    setReconnecting(null);
    setError(null);
  };

  const reconnect = (account: Account) => {
    const form = reconnectForm(account);
    setNetwork(account.network as Network);
    setChosen((c) => ({ ...c, [account.network]: form.method }));
    setValues(form.values);
    setReconnecting(account);
    setNotice(null);
    setError(null);
  };

  const submit = async (allowWeakStorage: boolean) => {
    setNotice(null);
    setAskWeak(false);
    await run(
      async () => {
        const account = await actions.connectAccount(buildRequest(method, values), allowWeakStorage);
        setValues({ ...DEFAULTS });
        setReconnecting(null);
        setNotice(t('accounts.connected', { handle: `@${account.profile.handle}` }));
      },
      // The keyring question is asked in the dialog itself, not shown as an error.
      (err) => {
        const weak = err instanceof ApiError && err.error.field === 'allowWeakStorage';
        if (weak) setAskWeak(true);
        return weak;
      },
    );
  };

  /** A refusal in the UI's words (the error's reason), where main kept the error; else null. */
  const refusal = (a: Account) =>
    a.health.state === 'not-allowed' && a.health.error
      ? describeError(t, a.health.error, props.language, 'accounts', a.network)
      : null;
  const health = (a: Account) =>
    a.health.state === 'rate-limited'
      ? t('accounts.health.rate-limited', { time: formatTime(a.health.until, props.language) })
      : a.health.state === 'not-allowed'
        ? t('accounts.health.not-allowed', { reason: refusal(a) ?? a.health.reason })
        : t(`accounts.health.${a.health.state}`);
  /** What the badge leaves out of a refusal, said apart (French badges say only "Non autorisé"). */
  const healthDetails = (a: Account) => {
    if (a.health.state !== 'not-allowed') return null;
    const words = refusal(a);
    if (words) return health(a).includes(words) ? null : words;
    return a.health.reason && !health(a).includes(a.health.reason)
      ? t('errors.details', { detail: a.health.reason })
      : null;
  };

  return (
    <Dialog
      title={t('accounts.title')}
      onClose={props.onClose}
      onSubmit={() => void submit(false)}
      submitLabel={busy ? t('accounts.connecting') : t('accounts.connect')}
      submitDisabled={busy}
    >
      <ul className="account-list" aria-label={t('accounts.title')}>
        {accounts.map((a) => (
          <li key={a.id} className="account">
            {a.profile.avatarUrl ? (
              <img className="avatar small" src={a.profile.avatarUrl} alt="" />
            ) : (
              <span className="avatar small" aria-hidden="true" />
            )}
            <div className="account-main">
              <strong>{a.profile.displayName}</strong> <span className="muted handle">@{a.profile.handle}</span>
              <div className="muted small">
                {a.practice ? t('accounts.practice') : `${NETWORK_NAMES[a.network]} · ${a.server ?? ''}`}
              </div>
            </div>
            <span className={`badge health-${a.health.state}`}>{health(a)}</span>
            {/* Main's words for a refusal are English: where the badge's words leave them out (French), they follow apart. */}
            {healthDetails(a) && <p className="health-details muted small">{healthDetails(a)}</p>}
            {!a.practice &&
              (removing === a.id ? (
                <span
                  className="confirm"
                  role="group"
                  aria-label={t('accounts.removeConfirm', { handle: `@${a.profile.handle}` })}
                >
                  <span className="small">{t('accounts.removeConfirm', { handle: `@${a.profile.handle}` })}</span>
                  <button
                    type="button"
                    className="danger"
                    onClick={() =>
                      void actions.removeAccount(a.id).then(
                        () => setRemoving(null),
                        (err: unknown) => setError(describeThrown(t, err, props.language, 'accounts')),
                      )
                    }
                  >
                    {t('accounts.remove')}
                  </button>
                  <button type="button" onClick={() => setRemoving(null)}>
                    {t('actions.cancel')}
                  </button>
                </span>
              ) : (
                <>
                  <button
                    type="button"
                    aria-label={`${t('accounts.reconnect')} @${a.profile.handle}`}
                    onClick={() => reconnect(a)}
                  >
                    {t('accounts.reconnect')}
                  </button>
                  <button
                    type="button"
                    aria-label={`${t('accounts.remove')} @${a.profile.handle}`}
                    onClick={() => setRemoving(a.id)}
                  >
                    {t('accounts.remove')}
                  </button>
                </>
              ))}
            {usage[a.id] && <UsagePanel usage={usage[a.id]!} handle={a.profile.handle} language={props.language} />}
          </li>
        ))}
      </ul>
      {accounts.every((a) => a.practice) && <p className="muted">{t('accounts.none')}</p>}

      <h3 className="section-title">
        {reconnecting ? t('accounts.reconnectTitle', { handle: `@${reconnecting.profile.handle}` }) : t('accounts.add')}
      </h3>
      <fieldset className="segmented">
        <legend>{t('accounts.network')}</legend>
        {(Object.keys(METHODS) as Network[]).map((n) => (
          <label key={n}>
            <input type="radio" name="network" checked={network === n} onChange={() => choose(n)} /> {NETWORK_NAMES[n]}
          </label>
        ))}
      </fieldset>
      {METHODS[network].length > 1 && (
        <label className="field">
          <span>{t('accounts.method')}</span>
          <select value={method} onChange={(e) => setMethod(e.target.value as ConnectMethod)}>
            {METHODS[network].map((m) => (
              <option key={m} value={m}>
                {t(`accounts.methods.${m}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {FIELDS[method].map((field) => (
        <label key={field.name} className="field">
          <span>
            {t(
              `accounts.fields.${field.name === 'callbackPort' && network !== 'x' ? 'callbackPortLocal' : field.name}`,
            )}
          </span>
          <input
            type={field.secret ? 'password' : field.name === 'callbackPort' ? 'number' : 'text'}
            autoComplete="off"
            spellCheck={false}
            value={values[field.name] ?? ''}
            onChange={(e) => setValues((v) => ({ ...v, [field.name]: e.target.value }))}
          />
        </label>
      ))}
      {busy && authorizeUrl && (
        <div className="waiting" role="status">
          <p>{t('accounts.waiting')}</p>
          <a href={authorizeUrl} target="_blank" rel="noreferrer noopener">
            {t('accounts.openPage')}
          </a>{' '}
          <button type="button" onClick={() => void actions.cancelConnect()}>
            {t('actions.cancel')}
          </button>
        </div>
      )}
      {askWeak && (
        <div className="warning" role="alertdialog" aria-label={t('accounts.weakTitle')}>
          <p>
            <strong>{t('accounts.weakTitle')}</strong> {t('accounts.weakBody')}
          </p>
          <button type="button" className="danger" onClick={() => void submit(true)}>
            {t('accounts.weakStore')}
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
    </Dialog>
  );
}
