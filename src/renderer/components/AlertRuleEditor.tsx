// A column's alert rule (issue 7, "Alert rules"): whether it alerts, on which posts (every new
// one, those from listed accounts, those above an engagement threshold, or a burst of N posts in
// M minutes), with a sound or not, and quiet hours. Each choice says what it does. Saved in main's
// layout (`column.configure` with `alerts`); main fires the alerts (src/main/core/alerts.ts).
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertRuleSchema, type AlertRule, type Column } from '../../shared/model';
import { splitList } from '../state/filters';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { useDialogAction } from './use-dialog-action';
import './monitor.css';

const WHEN = ['every', 'accounts', 'engagement', 'burst'] as const;

/** The bounds of AlertRuleSchema (src/shared/model.ts), said in the errors. */
export const ALERT_LIMITS = {
  accounts: 100,
  minEngagement: { min: 0, max: 10_000_000 },
  burstPosts: { min: 2, max: 10_000 },
  burstMinutes: { min: 1, max: 1440 },
} as const;

/** Quiet hours offered when first turned on: the night. */
const DEFAULT_QUIET = { from: '22:00', to: '07:00' } as const;

type Field = 'accounts' | 'minEngagement' | 'burstPosts' | 'burstMinutes' | 'quiet';

/** A whole number typed in `text` within [min, max], else null. */
function wholeIn(text: string, bounds: { min: number; max: number }): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= bounds.min && n <= bounds.max ? n : null;
}

/** "HH:MM" from an <input type="time"> value (which may carry seconds), or '' when empty. */
const hhmm = (value: string) => (/^\d{2}:\d{2}/.test(value) ? value.slice(0, 5) : '');

/**
 * The alert rule editor, as a dialog. `title`: the column's title as its header shows it (its
 * kind's name when not given). `onDone` runs after saving, and on Cancel or Escape.
 */
export function AlertRuleEditor(props: { column: Column; onDone: () => void; title?: string }) {
  const { column } = props;
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { actions } = useServices();
  // A column without a rule opens on "every new post", turned on: the CM came here to be alerted.
  const [initial] = useState<AlertRule>(() => AlertRuleSchema.parse(column.alerts ?? { enabled: true, when: 'every' }));
  const [enabled, setEnabled] = useState(initial.enabled);
  const [when, setWhen] = useState<AlertRule['when']>(initial.when);
  const [accounts, setAccounts] = useState(initial.accounts.map((a) => `@${a}`).join(', '));
  const [minEngagement, setMinEngagement] = useState(String(initial.minEngagement));
  const [burstPosts, setBurstPosts] = useState(String(initial.burstPosts));
  const [burstMinutes, setBurstMinutes] = useState(String(initial.burstMinutes));
  const [sound, setSound] = useState(initial.sound);
  const [quietOn, setQuietOn] = useState(initial.quietHours !== null);
  const [quietFrom, setQuietFrom] = useState(initial.quietHours?.from ?? DEFAULT_QUIET.from);
  const [quietTo, setQuietTo] = useState(initial.quietHours?.to ?? DEFAULT_QUIET.to);
  const [problem, setProblem] = useState<{ field: Field; text: string } | null>(null);
  const { busy, error, setError, run } = useDialogAction(language);
  const base = useId();
  const id = (part: string) => `${base}-${part}`;

  // The field a problem is about gets focus: a keyboard user lands where the fix is.
  useEffect(() => {
    if (problem) document.getElementById(id(problem.field === 'quiet' ? 'quietFrom' : problem.field))?.focus();
    // `id` is left out of the dependencies: it depends on useId only, which is stable.
  }, [problem]);

  /** The rule as typed, or the first problem. Fields of the choices not taken keep their last good value. */
  const read = (): { rule: AlertRule } | { problem: { field: Field; text: string } } => {
    const number = (field: 'minEngagement' | 'burstPosts' | 'burstMinutes', text: string, label: string) => {
      const bounds = ALERT_LIMITS[field];
      const n = wholeIn(text, bounds);
      if (n !== null) return n;
      const fmt = new Intl.NumberFormat(language);
      return {
        field,
        text: t('alertRule.errors.number', { what: label, min: fmt.format(bounds.min), max: fmt.format(bounds.max) }),
      };
    };
    const handles = splitList(accounts).map((h) => h.replace(/^@+/u, ''));
    if (when === 'accounts') {
      if (handles.length === 0) return { problem: { field: 'accounts', text: t('alertRule.errors.accountsNeeded') } };
      if (handles.length > ALERT_LIMITS.accounts)
        return {
          problem: {
            field: 'accounts',
            text: t('alertRule.errors.tooManyAccounts', { max: ALERT_LIMITS.accounts, count: handles.length }),
          },
        };
    }
    const min = number('minEngagement', minEngagement, t('alertRule.minEngagement'));
    const posts = number('burstPosts', burstPosts, t('alertRule.burstPosts'));
    const minutes = number('burstMinutes', burstMinutes, t('alertRule.burstMinutes'));
    if (when === 'engagement' && typeof min !== 'number') return { problem: min };
    if (when === 'burst' && typeof posts !== 'number') return { problem: posts };
    if (when === 'burst' && typeof minutes !== 'number') return { problem: minutes };
    const from = hhmm(quietFrom);
    const to = hhmm(quietTo);
    if (quietOn && (!from || !to)) return { problem: { field: 'quiet', text: t('alertRule.errors.quietMissing') } };
    if (quietOn && from === to) return { problem: { field: 'quiet', text: t('alertRule.errors.quietSame') } };
    const rule = AlertRuleSchema.safeParse({
      enabled,
      when,
      accounts: handles.length <= ALERT_LIMITS.accounts ? handles : initial.accounts,
      minEngagement: typeof min === 'number' ? min : initial.minEngagement,
      burstPosts: typeof posts === 'number' ? posts : initial.burstPosts,
      burstMinutes: typeof minutes === 'number' ? minutes : initial.burstMinutes,
      sound,
      quietHours: quietOn ? { from, to } : null,
    });
    // Only a handle over 100 characters gets here (the schema's Word): said on the accounts field.
    if (!rule.success) {
      const long = handles.find((h) => h.length > 100) ?? '';
      return {
        problem: {
          field: 'accounts',
          text: t('monitorForm.errors.tooLong', { item: `${long.slice(0, 30)}…`, max: 100 }),
        },
      };
    }
    return { rule: rule.data };
  };

  const submit = () => {
    const result = read();
    if ('problem' in result) {
      // Turned off: what is typed in the rule's fields does not matter, the rule is kept as it was.
      if (!enabled) return save({ ...initial, enabled: false });
      setProblem({ ...result.problem });
      return;
    }
    save(result.rule);
  };
  const save = (rule: AlertRule) => {
    setProblem(null);
    void run(async () => {
      await actions.configureAlerts(column.id, rule);
      props.onDone();
    });
  };

  // The browser would stop the form on a number out of bounds or a half-typed time with its own
  // words, in its own language: ours are said instead, next to the field.
  const onInvalid = (e: { preventDefault(): void }) => {
    e.preventDefault();
    const result = read();
    if ('problem' in result) setProblem({ ...result.problem });
  };
  const invalid = (field: Field) => problem?.field === field;
  const describedBy = (field: Field, ...ids: string[]) =>
    [...ids, ...(invalid(field) ? [id(`${field}-error`)] : [])].join(' ') || undefined;
  const errorOf = (field: Field) =>
    invalid(field) && (
      <p id={id(`${field}-error`)} className="form-error" role="alert">
        {problem!.text}
      </p>
    );
  const edited =
    <T,>(set: (v: T) => void) =>
    (value: T) => {
      set(value);
      setProblem(null);
      setError(null);
    };
  const numberField = (
    field: 'minEngagement' | 'burstPosts' | 'burstMinutes',
    value: string,
    set: (v: string) => void,
  ) => (
    <div className="field">
      <label htmlFor={id(field)}>{t(`alertRule.${field}`)}</label>
      <input
        id={id(field)}
        type="number"
        inputMode="numeric"
        min={ALERT_LIMITS[field].min}
        max={ALERT_LIMITS[field].max}
        step={1}
        value={value}
        aria-invalid={invalid(field)}
        aria-describedby={describedBy(field)}
        onInvalid={onInvalid}
        onChange={(e) => edited(set)(e.target.value)}
      />
      {errorOf(field)}
    </div>
  );
  const fieldsOf: Record<AlertRule['when'], ReactNode> = {
    every: null,
    accounts: (
      <div className="field wide">
        <label htmlFor={id('accounts')}>{t('alertRule.accountsList')}</label>
        <input
          id={id('accounts')}
          value={accounts}
          dir="auto"
          placeholder={t('alertRule.accountsPlaceholder')}
          aria-invalid={invalid('accounts')}
          aria-describedby={describedBy('accounts', id('accounts-help'))}
          onChange={(e) => edited(setAccounts)(e.target.value)}
        />
        <span id={id('accounts-help')} className="muted small">
          {t('alertRule.accountsListHelp')}
        </span>
        {errorOf('accounts')}
      </div>
    ),
    engagement: numberField('minEngagement', minEngagement, setMinEngagement),
    burst: (
      <>
        {numberField('burstPosts', burstPosts, setBurstPosts)}
        {numberField('burstMinutes', burstMinutes, setBurstMinutes)}
      </>
    ),
  };

  return (
    <Dialog
      title={t('alertRule.title', { title: props.title ?? t(`columns.kind.${column.kind}`) })}
      onClose={props.onDone}
      onSubmit={submit}
      submitLabel={t('actions.save')}
      submitDisabled={busy}
    >
      <div className="alert-rule">
        <div>
          <label className="check">
            <input
              type="checkbox"
              checked={enabled}
              aria-describedby={id('enabled-help')}
              onChange={(e) => edited(setEnabled)(e.target.checked)}
            />
            {t('alertRule.enabled')}
          </label>
          <p id={id('enabled-help')} className="help-line">
            {t('alertRule.enabledHelp')}
          </p>
        </div>
        <fieldset className="options-set" disabled={!enabled}>
          <legend>{t('alertRule.when')}</legend>
          {WHEN.map((w) => (
            <div key={w} className="alert-choice">
              <input
                type="radio"
                id={id(`when-${w}`)}
                name={id('when')}
                value={w}
                checked={when === w}
                aria-describedby={id(`when-${w}-help`)}
                onChange={() => edited(setWhen)(w)}
              />
              <label htmlFor={id(`when-${w}`)}>{t(`alertRule.${w}`)}</label>
              <span id={id(`when-${w}-help`)} className="help">
                {t(`alertRule.${w}Help`)}
              </span>
              {when === w && fieldsOf[w] && <div className="alert-choice-fields">{fieldsOf[w]}</div>}
            </div>
          ))}
        </fieldset>
        <fieldset className="options-set" disabled={!enabled}>
          <legend>{t('alertRule.notification')}</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={sound}
              aria-describedby={id('sound-help')}
              onChange={(e) => edited(setSound)(e.target.checked)}
            />
            {t('alertRule.sound')}
          </label>
          <p id={id('sound-help')} className="help-line">
            {t('alertRule.soundHelp')}
          </p>
          <label className="check">
            <input
              type="checkbox"
              checked={quietOn}
              aria-describedby={id('quiet-help')}
              onChange={(e) => edited(setQuietOn)(e.target.checked)}
            />
            {t('alertRule.quiet')}
          </label>
          <p id={id('quiet-help')} className="help-line">
            {t('alertRule.quietHelp')}
          </p>
          {quietOn && (
            <div className="alert-quiet-times">
              {(
                [
                  ['quietFrom', quietFrom, setQuietFrom],
                  ['quietTo', quietTo, setQuietTo],
                ] as const
              ).map(([key, value, set]) => (
                <div key={key} className="field">
                  <label htmlFor={id(key)}>{t(`alertRule.${key}`)}</label>
                  <input
                    id={id(key)}
                    type="time"
                    value={value}
                    aria-invalid={invalid('quiet')}
                    aria-describedby={describedBy('quiet')}
                    onInvalid={onInvalid}
                    onChange={(e) => edited(set)(e.target.value)}
                  />
                </div>
              ))}
            </div>
          )}
          {errorOf('quiet')}
        </fieldset>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </Dialog>
  );
}
