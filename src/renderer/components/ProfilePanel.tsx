// A profile in the side panel: picture, name, handle, the network's flags ("Bot", "Locked"), bio
// in its own direction, counts in the UI's number format (or "hidden" where the network hides
// them), how the profile the panel reads as relates to it, then its posts, newest first, with
// "Load more posts" paging back through the network's cursor.
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROFILE_FLAGS, type ProfileDetails, type TimelineEntry } from '../../shared/model';
import { type PanelView, useAppStore } from '../state/store';
import { useServices } from './context';
import { describeThrown } from './errors';
import { PanelFeed, panelEntry, type PanelItem } from './PanelFeed';
import { Avatar } from './PostCard';

/** The counts in words, in the UI's number format ("1,234 followers", "1 234 abonnés"); hidden ones said so. */
export function profileCounts(t: TFunction, profile: ProfileDetails, language: string): string[] {
  const numbers = new Intl.NumberFormat(language);
  return (['posts', 'followers', 'following'] as const).map((what) => {
    const count = profile[what];
    return count === null
      ? t(`panel.profile.${what}Hidden`)
      : t(`panel.profile.${what}`, { count, n: numbers.format(count) });
  });
}

/** How `me` (the CM's profile) and the profile follow each other, in words; null when the network does not say. */
export function relationText(t: TFunction, profile: ProfileDetails, me: string): string | null {
  const v = profile.viewer;
  if (!v) return null;
  const key = v.following && v.followedBy ? 'mutual' : v.following ? 'following' : v.followedBy ? 'followedBy' : 'none';
  return t(`panel.profile.relation.${key}`, { me, them: profile.handle });
}

const KNOWN_FLAGS: ReadonlySet<string> = new Set(PROFILE_FLAGS);

/**
 * A network's flag in words: one of PROFILE_FLAGS in the UI's (`profileFlags.<flag>`: "bot" →
 * "Automated account", « Compte automatisé »), anything else (a Bluesky label value such as
 * `!no-unauthenticated` or a labeller's own) as the network says it, never read as a key.
 */
export function flagText(t: TFunction, flag: string): string {
  return KNOWN_FLAGS.has(flag) ? t(`profileFlags.${flag}`) : flag;
}

export function ProfilePanel(props: { view: Extract<PanelView, { kind: 'profile' }>; language: string }) {
  const { view, language } = props;
  const { t } = useTranslation();
  const { actions } = useServices();
  const me = useAppStore((s) => s.accounts.find((a) => a.profile.id === view.profileId)?.profile.handle ?? '');
  const [profile, setProfile] = useState<ProfileDetails | null>(null);
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  // Where the posts continue (null: at their beginning), undefined before the first page.
  const [older, setOlder] = useState<string | null | undefined>(undefined);
  const [loading, setLoading] = useState<'first' | 'more' | null>('first');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (cursor: string | null) => {
      setLoading(cursor === null ? 'first' : 'more');
      setError(null);
      try {
        const page = await actions.profilePage(view.profileId, view.handle, cursor);
        setProfile(page.profile);
        setEntries((was) => {
          const base = cursor === null ? [] : was;
          const known = new Set(base.map((e) => e.key));
          return [...base, ...page.posts.items.filter((e) => !known.has(e.key))];
        });
        setOlder(page.posts.older);
      } catch (err) {
        setError(describeThrown(t, err, language, 'dialog', view.network));
      } finally {
        setLoading(null);
      }
    },
    [actions, language, t, view.handle, view.network, view.profileId],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

  const items = useMemo<PanelItem[]>(
    () =>
      entries.flatMap((e) =>
        e.post
          ? [
              {
                entry: panelEntry(
                  e.post,
                  { ...(e.repostedBy ? { repostedBy: e.repostedBy } : {}), ...(e.via ? { via: e.via } : {}) },
                  e.key,
                ),
              },
            ]
          : [],
      ),
    [entries],
  );

  // "Load more posts" moves focus to the first post it brought (the button may go away at the end).
  const cards = useRef<HTMLDivElement>(null);
  const focusFrom = useRef<number | null>(null);
  useEffect(() => {
    const from = focusFrom.current;
    if (from === null || loading !== null) return;
    focusFrom.current = null;
    const key = items[from]?.entry.key;
    const article = key
      ? [...(cards.current?.querySelectorAll<HTMLElement>('article') ?? [])].find((a) => a.dataset.entryKey === key)
      : undefined;
    article?.focus();
  }, [items, loading]);
  const more = (cursor: string) => {
    if (loading !== null) return;
    focusFrom.current = items.length;
    void load(cursor);
  };

  const failure = error && (
    <div role="alert" className="form-error">
      <p>{error}</p>
      <button type="button" onClick={() => (profile && older ? more(older) : void load(null))}>
        {t('actions.retry')}
      </button>
    </div>
  );
  if (!profile) {
    return (
      <div className="panel-note" aria-busy={loading !== null}>
        {loading && <p role="status">{t('panel.profile.loading')}</p>}
        {failure}
      </div>
    );
  }
  const relation = relationText(t, profile, me);
  return (
    <div ref={cards}>
      <div className="profile-card">
        <div className="profile-who">
          <Avatar profile={profile} size="large" />
          <div className="profile-names">
            <p className="profile-display-name" dir="auto">
              {profile.displayName || `@${profile.handle}`}
            </p>
            <p className="post-handle" dir="ltr">
              @{profile.handle}
            </p>
          </div>
        </div>
        {profile.flags && profile.flags.length > 0 && (
          <ul className="profile-flags" aria-label={t('panel.profile.flagsLabel')}>
            {profile.flags.map((f) => (
              <li key={f} className="badge">
                {flagText(t, f)}
              </li>
            ))}
          </ul>
        )}
        {profile.bio.trim() && (
          <p className="profile-bio" dir="auto">
            {profile.bio.trim()}
          </p>
        )}
        <ul className="profile-counts">
          {profileCounts(t, profile, language).map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        {relation && <p className="profile-relation">{relation}</p>}
      </div>
      <h3 className="panel-subtitle">{t('panel.profile.posts')}</h3>
      <PanelFeed
        view={view}
        items={items}
        label={t('panel.profile.feed', { handle: profile.handle })}
        busy={loading !== null}
        language={language}
        complete={older === null}
        footer={
          <div className="panel-note">
            {failure}
            {older ? (
              !error && (
                // Kept while it loads (focus stays on it), and said busy.
                <button type="button" aria-disabled={loading !== null} onClick={() => more(older)}>
                  {loading === 'more' ? t('panel.profile.loadingMore') : t('panel.profile.loadMore')}
                </button>
              )
            ) : (
              <p>{items.length === 0 ? t('panel.profile.noPosts') : t('panel.profile.end')}</p>
            )}
            <p className="visually-hidden" role="status">
              {loading === 'more' ? t('panel.profile.loadingMore') : ''}
            </p>
          </div>
        }
      />
    </div>
  );
}
