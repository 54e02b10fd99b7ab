// The X cost meter of one account: reads and their estimated cost today and this month (each post
// once, the account's own at their price), what count refreshes cost of it, the unit prices
// (editable: X changes them), and a monthly budget that stops the account's polling.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountUsage } from '../../shared/ipc/contract';
import { useServices } from './context';
import { describeThrown } from './errors';

/** Accepts "0.005" and "0,005"; empty is null; anything else undefined (invalid). */
function amount(text: string): number | null | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function UsagePanel(props: { usage: AccountUsage; handle: string; language: string }) {
  const { usage, language } = props;
  const { t } = useTranslation();
  const { actions } = useServices();
  const [post, setPost] = useState(String(usage.prices.post));
  const [own, setOwn] = useState(String(usage.prices.ownPost));
  const [budget, setBudget] = useState(usage.monthlyBudget === null ? '' : String(usage.monthlyBudget));
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const money = new Intl.NumberFormat(language, { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
  const count = new Intl.NumberFormat(language);

  const save = async () => {
    const prices = { post: amount(post), ownPost: amount(own) };
    const monthlyBudget = amount(budget);
    if (prices.post == null || prices.ownPost == null || monthlyBudget === undefined) {
      setMessage({ error: true, text: t('usage.invalid') });
      return;
    }
    try {
      await actions.configureUsage(usage.accountId, {
        prices: { post: prices.post, ownPost: prices.ownPost },
        monthlyBudget,
      });
      setMessage({ error: false, text: t('usage.saved') });
    } catch (err) {
      setMessage({ error: true, text: describeThrown(t, err, language) });
    }
  };

  return (
    <section className="usage" aria-label={`${t('usage.title')} @${props.handle}`}>
      <h4>{t('usage.title')}</h4>
      <p className="small">
        {t('usage.today', {
          count: usage.today.posts + usage.today.ownPosts,
          posts: count.format(usage.today.posts + usage.today.ownPosts),
          cost: money.format(usage.today.cost),
        })}
      </p>
      <p className="small">
        {t('usage.month', {
          count: usage.month.posts + usage.month.ownPosts,
          posts: count.format(usage.month.posts + usage.month.ownPosts),
          cost: money.format(usage.month.cost),
        })}
      </p>
      <p className="small">
        {t('usage.counts', {
          today: count.format(usage.today.counts.posts + usage.today.counts.ownPosts),
          todayCost: money.format(usage.today.counts.cost),
          month: count.format(usage.month.counts.posts + usage.month.counts.ownPosts),
          monthCost: money.format(usage.month.counts.cost),
        })}
      </p>
      <div className="usage-fields">
        <label className="field">
          <span>{t('usage.pricePost')}</span>
          <input inputMode="decimal" value={post} onChange={(e) => setPost(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('usage.priceOwn')}</span>
          <input inputMode="decimal" value={own} onChange={(e) => setOwn(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('usage.budget')}</span>
          <input inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} />
        </label>
      </div>
      <button type="button" onClick={() => void save()}>
        {t('usage.save')}
      </button>
      {message && (
        <p className={message.error ? 'form-error' : 'notice'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
