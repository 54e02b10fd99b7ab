// The "Monitor" column's form, inside "Add a column": the profiles to search with (several, on
// any networks, grouped by network), hashtags, keywords, words to leave out and a language. The
// rules live in monitor-form.ts; this shows them, and says what is wrong next to its field.
import type { TFunction } from 'i18next';
import { useEffect, useId, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { NETWORK_NAMES, NETWORKS, type Account, type NetworkId } from '../../shared/model';
import { codePointOf, isInvisible, type HashtagRefusal } from '../../shared/hashtag-rules';
import { LanguageSelect } from './LanguageSelect';
import { canMonitor, type MonitorDraft, type MonitorProblem } from './monitor-form';
import './monitor.css';

/**
 * Why `item` (a hashtag as typed) is no hashtag on the chosen networks, in the UI's language:
 * the networks named as a list ("X and Mastodon", "X et Mastodon"), an invisible character by its
 * code point ("U+200D (an invisible character)").
 */
export function hashtagRefusalText(t: TFunction, language: string, item: string, refusal: HashtagRefusal): string {
  const shown = `#${item.replace(/^[#＃]+/u, '')}`;
  const networks = (ids: readonly NetworkId[]) =>
    new Intl.ListFormat(language, { type: 'conjunction' }).format(ids.map((n) => NETWORK_NAMES[n]));
  const char = (c: string) =>
    isInvisible(c)
      ? t('monitorForm.invisibleChar', { code: codePointOf(c) })
      : t('monitorForm.quotedChar', { char: c });
  switch (refusal.kind) {
    case 'alone':
      return t('monitorForm.errors.hashtagAlone');
    case 'doubleSign':
      return t('monitorForm.errors.hashtagDoubleSign', { item, tag: refusal.tag });
    case 'needsLetter':
      return t('monitorForm.errors.hashtagNeedsLetter', {
        item: shown,
        networks: networks(refusal.networks),
        count: refusal.networks.length,
      });
    case 'badStart':
      return t('monitorForm.errors.hashtagBadStart', {
        item: shown,
        networks: networks(refusal.networks),
        count: refusal.networks.length,
        char: char(refusal.char),
      });
    case 'stops':
      return t('monitorForm.errors.hashtagStops', {
        item: shown,
        networks: networks(refusal.networks),
        count: refusal.networks.length,
        char: char(refusal.char),
        linked: refusal.linked,
      });
    case 'tooLong':
      return t('monitorForm.errors.hashtagTooLong', { item: shown, max: refusal.max });
  }
}

/** The words of a problem of the monitor form, in the UI's language (`language`: its BCP 47 tag). */
export function monitorProblemText(t: TFunction, p: MonitorProblem, language: string): string {
  switch (p.key) {
    case 'needQuery':
      return t('reasons.monitor-needs-query');
    case 'hashtagHasSpace':
      return t('reasons.hashtag-has-space');
    case 'notHashtag':
      return p.hashtag
        ? hashtagRefusalText(t, language, p.hashtag.item, p.hashtag.refusal)
        : t('monitorForm.errors.invalid');
    default:
      return t(`monitorForm.errors.${p.key}`, p.params ?? {});
  }
}

export function MonitorFields(props: {
  accounts: readonly Account[];
  draft: MonitorDraft;
  onChange(draft: MonitorDraft): void;
  /** The problem to show, a new object each time the form is sent: its field gets focus. */
  problem: MonitorProblem | null;
  /** "Watch … as keywords instead", offered with a hashtag that holds a space. */
  onKeywordsInstead(item: string): void;
  language: string;
}) {
  const { t } = useTranslation();
  const { draft, problem } = props;
  const base = useId();
  const id = (part: string) => `${base}-${part}`;
  const fieldset = useRef<HTMLFieldSetElement>(null);
  const groups = useMemo(
    () =>
      NETWORKS.map(
        (network) => [network, props.accounts.filter((a) => a.network === network && canMonitor(a))] as const,
      ).filter(([, accounts]) => accounts.length > 0) as Array<readonly [NetworkId, Account[]]>,
    [props.accounts],
  );

  // The field a problem is about gets focus, so a keyboard user lands where the fix is.
  useEffect(() => {
    if (!problem) return;
    const target =
      problem.field === 'profiles'
        ? fieldset.current?.querySelector<HTMLInputElement>('input[type="checkbox"]')
        : document.getElementById(id(problem.field));
    target?.focus();
    // `id` is left out of the dependencies: it depends on useId only, which is stable.
  }, [problem]);

  const set = (patch: Partial<MonitorDraft>) => props.onChange({ ...draft, ...patch });
  const toggle = (profileId: string, on: boolean) =>
    set({
      profileIds: on
        ? [...draft.profileIds.filter((p) => p !== profileId), profileId]
        : draft.profileIds.filter((p) => p !== profileId),
    });
  const errorFor = (field: MonitorProblem['field']) => (problem?.field === field ? id(`${field}-error`) : undefined);
  const describedBy = (field: MonitorProblem['field'], help: string) =>
    [help, errorFor(field)].filter(Boolean).join(' ');
  const errorText = (field: MonitorProblem['field']) =>
    problem?.field === field && (
      <p id={id(`${field}-error`)} className="form-error" role="alert">
        {monitorProblemText(t, problem, props.language)}{' '}
        {problem.key === 'hashtagHasSpace' && (
          <button type="button" onClick={() => props.onKeywordsInstead(String(problem.params?.item ?? ''))}>
            {t('monitorForm.keywordsInstead', { item: String(problem.params?.item ?? '').replace(/^#+/u, '') })}
          </button>
        )}
      </p>
    );

  const text = (field: 'hashtags' | 'keywords' | 'exclude', placeholder: string) => (
    <div className="field">
      <label htmlFor={id(field)}>{t(`monitorForm.${field}`)}</label>
      <input
        id={id(field)}
        value={draft[field]}
        dir="auto"
        placeholder={placeholder}
        aria-invalid={problem?.field === field}
        aria-describedby={describedBy(field, id(`${field}-help`))}
        onChange={(e) => set({ [field]: e.target.value })}
      />
      <span id={id(`${field}-help`)} className="muted small">
        {t(`monitorForm.${field}Help`)}
      </span>
      {errorText(field)}
    </div>
  );

  return (
    <div className="monitor-fields">
      <fieldset
        ref={fieldset}
        className="options-set monitor-profiles"
        aria-describedby={describedBy('profiles', id('profiles-help'))}
      >
        <legend>{t('monitorForm.profiles')}</legend>
        <p id={id('profiles-help')} className="muted small">
          {t('monitorForm.profilesHelp')}
        </p>
        {groups.length === 0 && <p className="form-error">{t('monitorForm.noProfiles')}</p>}
        <div className="monitor-networks">
          {groups.map(([network, accounts]) => (
            <fieldset key={network} className="monitor-network">
              <legend>
                {NETWORK_NAMES[network]}{' '}
                {network === 'sandbox' && (
                  <span className="badge practice" title={t('columns.practiceHelp')}>
                    {t('columns.practice')}
                  </span>
                )}
              </legend>
              {accounts.map((a) => (
                <label key={a.profile.id} className="check monitor-profile">
                  <input
                    type="checkbox"
                    checked={draft.profileIds.includes(a.profile.id)}
                    onChange={(e) => toggle(a.profile.id, e.target.checked)}
                  />
                  <span>
                    <span dir="ltr">@{a.profile.handle}</span>
                    {a.profile.displayName && (
                      <span className="muted" dir="auto">
                        {' '}
                        {a.profile.displayName}
                      </span>
                    )}
                  </span>
                </label>
              ))}
            </fieldset>
          ))}
        </div>
        {errorText('profiles')}
      </fieldset>
      {text('hashtags', t('monitorForm.hashtagsPlaceholder'))}
      {text('keywords', t('monitorForm.keywordsPlaceholder'))}
      {text('exclude', t('monitorForm.excludePlaceholder'))}
      <div className="field">
        <label htmlFor={id('language')}>{t('monitorForm.language')}</label>
        <LanguageSelect
          id={id('language')}
          value={draft.language}
          onChange={(language) => set({ language })}
          language={props.language}
          describedBy={id('language-help')}
        />
        <span id={id('language-help')} className="muted small">
          {t('monitorForm.languageHelp')}
        </span>
      </div>
    </div>
  );
}
