// One timeline entry of a column, as an article of the column's feed: a post (with "reposted by"
// when this column met it through a repost, and the post it quotes inside), or a notification
// saying who did what ("Gina and 3 others liked your post") with the post it is about.
// Everything folded (content warning, filter, label, sensitive media) is said in words with one
// button to show it; user-written text takes its direction from its own first strong character.
// Polls are read-only: each option's share in words and as a bar. An unread entry carries a
// visible "New" marker. A post's own buttons reply, repost, quote and like; its time opens its
// thread and its author's name (or picture) the author's profile, in the side panel; its "More
// actions" menu does the same, opens it in the browser, copies its link and, where the CM has
// several profiles on its network, chooses which of them acts.
import { formatDistanceToNowStrict } from 'date-fns';
import { enGB, fr } from 'date-fns/locale';
import type { TFunction } from 'i18next';
import {
  AtSign,
  Bell,
  Check,
  ExternalLink,
  Heart,
  MessageCircle,
  Paperclip,
  Quote,
  Repeat2,
  SmilePlus,
  UserPlus,
  type LucideIcon,
} from 'lucide-react';
import { Fragment, memo, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostAction } from '../../shared/adapter';
import {
  NETWORK_NAMES,
  type CustomEmoji,
  type Media,
  type Moderation,
  type NotificationKind,
  type Poll,
  type Post,
  type Profile,
  type QuotedPost,
} from '../../shared/model';
import type { ShownEntry } from '../db/database';
import { useAppStore } from '../state/store';
import { PostLinkCard } from './LinkCard';
import { MenuButton, type MenuEntry } from './MenuButton';
import { initialsOf, pollShares, pollTurnout, segmentText, spokenName, splitEmoji, webUrlOf } from './post-text';
import { formatAge, formatFull, formatShortAge } from './time';

/** Like or repost (or undo) `post` as the profile `as` (the column's own profile when absent). */
type Act = (
  post: Post,
  action: Extract<PostAction, 'like' | 'unlike' | 'repost' | 'unrepost'>,
  as?: string | null,
) => void;

/**
 * What a post's buttons and menu ask of the column (which does the work and says what happened):
 * open it in the browser, copy its link, reply to it or quote it in the composer, open its thread
 * or its author's profile in the side panel.
 */
export type PostTool = 'open' | 'copy' | 'reply' | 'quote' | 'thread' | 'profile';

/** `tool` on `post`, as the profile `as` (the acting profile of the post's network, when known). */
export type OnTool = (post: Post, tool: PostTool, as?: string | null) => void;

/** Which of the CM's profiles on the post's network likes and reposts it, where she has several. */
export interface ActAs {
  options: ReadonlyArray<{ id: string; handle: string }>;
  value: string | null;
  choose: (profileId: string) => void;
}

export const PostCard = memo(function PostCard(props: {
  entry: ShownEntry;
  position: number;
  total: number;
  language: string;
  onAct?: Act | undefined;
  /** Open in the browser, copy the link, reply, quote, open the thread or the author's profile. */
  onTool?: OnTool | undefined;
  /** Media previews shown (the column's option); false names each medium in words instead. */
  previews?: boolean | undefined;
  /** Newer than the column's reading position. */
  unread?: boolean | undefined;
  actAs?: ActAs | undefined;
  /** In a thread (the side panel): the post it answers, said before its words and in its name. */
  replyingTo?: Profile | undefined;
  /** In a thread: the post the thread was opened on (highlighted, `aria-current`). */
  focal?: boolean | undefined;
}) {
  const { entry, language, onAct, onTool, actAs } = props;
  const previews = props.previews ?? true;
  const { t, i18n } = useTranslation();
  // Words every card repeats, translated once per language (`said`).
  const lang = i18n.resolvedLanguage ?? i18n.language;
  const say = (key: string, count?: number) => said(t, lang, key, count);
  const { post, notification } = entry;
  // The age it shows stays true while the card stays on screen (the card is drawn again only then).
  const about = notification && !['mention', 'reply', 'quote'].includes(notification.kind);
  useAgeStep(about || !post ? entry.at : post.createdAt);
  // A like or repost sent and not answered yet (the core may be away): said so by the counts.
  const pending = useAppStore((s) => (post ? s.pendingActs[post.id] === true : false));
  // Cross-network columns: the CM's profile that met the entry ("X · @brand").
  const viaHandle = useAppStore((s) =>
    entry.via ? (s.accounts.find((a) => a.profile.id === entry.via)?.profile.handle ?? null) : null,
  );
  const marks = `${props.unread ? ' unread' : ''}${entry.filtered ? ' filtered' : ''}`;
  const common = {
    className: `post${marks}`,
    tabIndex: 0,
    'aria-posinset': props.position,
    'aria-setsize': props.total,
    'data-entry-key': entry.key,
    ...(post ? { 'data-post-id': post.id } : {}),
    ...(props.unread ? { 'data-unread': true } : {}),
  };
  /** The article's name, with "new" when unread. */
  const named = (label: string) => (props.unread ? t('reading.unreadLabel', { label }) : label);
  const flags = (
    <>
      {props.unread && (
        <span className="unread-mark" aria-hidden="true">
          {t('reading.new')}
        </span>
      )}
      {entry.filtered && <p className="filtered-note">{t('reading.filters.shownAnyway')}</p>}
    </>
  );

  if (notification && !['mention', 'reply', 'quote'].includes(notification.kind)) {
    // Likes, reposts, follows and the rest: who did it, then the post it is about (if any).
    const age = formatAge(entry.at, language) ?? t('post.now');
    const shortAge = formatShortAge(entry.at, language) ?? t('post.now');
    const Icon = notification.reaction ? SmilePlus : NOTIFICATION_ICONS[notification.kind];
    return (
      <article
        {...common}
        className={`post notification ${notification.kind}${marks}`}
        aria-label={named(t('post.labelNotification', { context: notificationText(t, notification), time: age }))}
      >
        <div className="notification-icon" aria-hidden="true">
          <Icon size={20} />
        </div>
        <div className="post-main">
          {flags}
          <div className="notification-actors" aria-hidden="true">
            {notification.actors.slice(0, 6).map((a) => (
              <AvatarView key={a.id} t={t} profile={a} size="small" decorative />
            ))}
          </div>
          <p className="notification-head">
            <span className="notification-text">
              <NotificationSentence t={t} notification={notification} />
            </span>
            {/* A no-break space: the time wraps with the sentence's last word, never alone. */}
            {'\u00a0'}
            <time dateTime={entry.at} title={formatFull(entry.at, language)}>
              {shortAge}
            </time>
          </p>
          {post ? (
            <div className="notification-post">
              <PostContent t={t} post={post} language={language} previews={previews} />
            </div>
          ) : (
            notification.kind === 'follow' && (
              <p className="notification-who">
                {notification.actors.slice(0, 3).map((a) => (
                  <span key={a.id} className="post-handle" dir="ltr">
                    @{a.handle}
                  </span>
                ))}
              </p>
            )
          )}
        </div>
      </article>
    );
  }

  if (!post) return null;
  const liked = post.viewer?.liked ?? false;
  const reposted = post.viewer?.reposted ?? false;
  const age = formatAge(post.createdAt, language) ?? say('post.now');
  const shortAge = formatShortAge(post.createdAt, language) ?? say('post.now');
  const base = postLabel(t, entry, post, age);
  const label = named(
    props.replyingTo ? t('reading.post.labelReplying', { label: base, name: spokenName(props.replyingTo) }) : base,
  );
  // No profile of the CM on the post's network can act on it.
  const canAct = !!onAct && (!actAs || actAs.value !== null);
  const canWrite = !!onTool && (!actAs || actAs.value !== null);
  const as = actAs?.value;
  const web = webUrlOf(post.url);
  const menu: MenuEntry[] = [
    { label: say('reading.post.thread'), onSelect: () => onTool?.(post, 'thread', as), disabled: !onTool },
    {
      label: t('reading.post.profile', { handle: post.author.handle }),
      onSelect: () => onTool?.(post, 'profile', as),
      disabled: !onTool,
    },
    {
      label: say('post.openInBrowser'),
      onSelect: () => onTool?.(post, 'open'),
      disabled: !web || !onTool,
      ...(web ? {} : { description: say('reading.post.noAddress') }),
    },
    {
      label: say('reading.post.copyLink'),
      onSelect: () => onTool?.(post, 'copy'),
      disabled: !web || !onTool,
      ...(web ? {} : { description: say('reading.post.noAddress') }),
    },
  ];
  if (actAs && actAs.options.length > 1) {
    menu.push({
      kind: 'choices',
      label: t('reading.post.actAs', { network: NETWORK_NAMES[post.network] }),
      options: actAs.options.map((o) => ({ value: o.id, label: `@${o.handle}` })),
      value: actAs.value,
      onChoose: actAs.choose,
    });
  }
  return (
    <article
      {...common}
      {...(props.focal ? { className: `${common.className} focal`, 'aria-current': true } : {})}
      aria-label={label}
    >
      {onTool ? (
        // The picture opens the profile too, for the pointer; the keyboard has the name's button.
        <div className="avatar-button" onClick={() => onTool(post, 'profile', as)}>
          <AvatarView t={t} profile={post.author} />
        </div>
      ) : (
        <AvatarView t={t} profile={post.author} />
      )}
      <div className="post-main">
        {flags}
        {entry.via && (
          <p className="post-via">
            <span className="badge via">
              {viaHandle
                ? t('reading.via', { network: NETWORK_NAMES[post.network], handle: viaHandle })
                : NETWORK_NAMES[post.network]}
            </span>
          </p>
        )}
        {notification && (
          <p className="post-context">
            <NotificationIcon kind={notification.kind} size={13} />{' '}
            <span>
              <NotificationSentence t={t} notification={notification} />
            </span>
          </p>
        )}
        {props.replyingTo && (
          <p className="post-context post-replying-to">
            <MessageCircle size={13} aria-hidden="true" />{' '}
            <span>
              {fillName(t('reading.post.replyingTo', { name: MARK }), <ProfileName profile={props.replyingTo} />)}
            </span>
          </p>
        )}
        {entry.repostedBy && (
          <p className="post-context post-reposted-by">
            {GLYPHS.reposted}{' '}
            <span>{fillName(t('post.repostedBy', { name: MARK }), <ProfileName profile={entry.repostedBy} />)}</span>
          </p>
        )}
        <PostHead
          t={t}
          author={post.author}
          createdAt={post.createdAt}
          age={shortAge}
          language={language}
          {...(onTool
            ? {
                onThread: () => onTool(post, 'thread', as),
                onProfile: () => onTool(post, 'profile', as),
                threadLabel: t('reading.post.threadAt', { time: age }),
              }
            : {})}
        />
        <PostContent t={t} post={post} language={language} previews={previews} />
        <footer className={`post-counts${pending ? ' pending' : ''}`} aria-busy={pending || undefined}>
          <button
            type="button"
            aria-label={`${say('reading.post.reply')}, ${say('post.replies', post.metrics.replies)}`}
            title={say('reading.post.reply')}
            disabled={!canWrite}
            onClick={() => onTool?.(post, 'reply', as)}
          >
            {GLYPHS.reply} {post.metrics.replies}
          </button>
          <button
            type="button"
            className="reposted"
            aria-pressed={reposted}
            aria-label={`${say('post.repost')}, ${say('post.reposts', post.metrics.reposts)}`}
            disabled={!canAct}
            onClick={() => onAct?.(post, reposted ? 'unrepost' : 'repost', actAs?.value)}
          >
            {GLYPHS.repost} {post.metrics.reposts}
          </button>
          <button
            type="button"
            aria-label={`${say('reading.post.quote')}, ${say('reading.post.quotes', post.metrics.quotes)}`}
            title={say('reading.post.quote')}
            disabled={!canWrite}
            onClick={() => onTool?.(post, 'quote', as)}
          >
            {GLYPHS.quote} {post.metrics.quotes}
          </button>
          <button
            type="button"
            aria-pressed={liked}
            aria-label={`${say('post.like')}, ${say('post.likes', post.metrics.likes)}`}
            data-testid="likes"
            disabled={!canAct}
            onClick={() => onAct?.(post, liked ? 'unlike' : 'like', actAs?.value)}
          >
            {liked ? GLYPHS.liked : GLYPHS.like} {post.metrics.likes}
          </button>
          {actAs && actAs.options.length > 1 && actAs.value && (
            <span className="acting-as" title={t('reading.post.actingAs', { handle: handleOf(actAs) })}>
              {t('reading.post.as', { handle: handleOf(actAs) })}
            </span>
          )}
          <MenuButton className="post-more" label={say('reading.post.more')} icon={GLYPHS.more} entries={menu} />
          {pending && (
            <span className="act-pending" role="status">
              {say('post.pending')}
            </span>
          )}
        </footer>
      </div>
    </article>
  );
});

/**
 * The icons of a post's buttons and of "reposted by", the ones every card repeats: lucide's
 * drawings (message-circle, repeat-2, quote, heart, ellipsis) painted by styles.css (`.glyph`) as
 * masks in the text's colour, on one empty element each. Inline SVG (lucide-react) costs each card
 * five SVG trees to build and, in Chromium, paint chunks of their own that every frame's
 * compositing update walks again (about 40% of it on a deck of ten columns, bench/deck-scroll.mjs).
 * Decorative: each button is named by its `aria-label`.
 */
const glyph = (name: string, size = '') => <span className={`glyph glyph-${name}${size}`} aria-hidden="true" />;
const GLYPHS = {
  reply: glyph('reply'),
  repost: glyph('repost'),
  quote: glyph('quote'),
  like: glyph('like'),
  liked: glyph('liked'),
  more: glyph('more'),
  reposted: glyph('repost', ' small'),
};

/**
 * The clock post cards read their ages from: one timer for every card on screen, ticking every
 * 30 s while any card listens (`useAgeStep`).
 */
const ageClock = {
  now: Date.now(),
  listeners: new Set<() => void>(),
  timer: null as ReturnType<typeof setInterval> | null,
};
function listenToAgeClock(listener: () => void): () => void {
  ageClock.listeners.add(listener);
  if (!ageClock.timer) {
    ageClock.now = Date.now();
    ageClock.timer = setInterval(() => {
      ageClock.now = Date.now();
      for (const l of ageClock.listeners) l();
    }, 30_000);
  }
  return () => {
    ageClock.listeners.delete(listener);
    if (ageClock.listeners.size === 0 && ageClock.timer) {
      clearInterval(ageClock.timer);
      ageClock.timer = null;
    }
  };
}

/**
 * Where an age (`iso`, an ISO instant) is at `now` (ms) in the units it is said in (`formatAge`,
 * `formatShortAge`: minutes under an hour, hours under a day, then days): the number changes
 * exactly when the words may. Each unit has its own range (minutes < 60, hours 61–83, days 101+).
 */
export function ageStep(iso: string, now: number): number {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 60) return minutes;
  if (minutes < 24 * 60) return 60 + Math.floor(minutes / 60);
  return 100 + Math.floor(minutes / (24 * 60));
}

/**
 * Draws the calling card again when its age in words changes ("2 min" → "3 min"), and only then:
 * the cards are memoized (PostCard), so nothing else would redraw a card that stays on screen.
 */
function useAgeStep(iso: string): void {
  const step = () => ageStep(iso, ageClock.now);
  useSyncExternalStore(listenToAgeClock, step, step);
}

/** Translations remembered by `said`: language, key and count → text. */
const repeatedWords = new Map<string, string>();

/**
 * `t(key)`, or `t(key, { count })`, remembered per language: the names and counts every card
 * repeats (about fifteen a card) are translated once, not each time a card scrolls into a column
 * (i18next resolves the key, picks the plural and interpolates at every call). Only for keys
 * whose text depends on nothing else.
 */
function said(t: TFunction, language: string, key: string, count?: number): string {
  const id = `${language}\u0000${key}\u0000${count ?? ''}`;
  let text = repeatedWords.get(id);
  if (text === undefined) {
    text = count === undefined ? t(key) : t(key, { count });
    if (repeatedWords.size >= 4096) repeatedWords.clear();
    repeatedWords.set(id, text);
  }
  return text;
}

/** The handle of the profile that acts (without '@'). */
const handleOf = (actAs: ActAs) => actAs.options.find((o) => o.id === actAs.value)?.handle ?? '';

const NOTIFICATION_ICONS: Record<NotificationKind, LucideIcon> = {
  like: Heart,
  repost: Repeat2,
  follow: UserPlus,
  mention: AtSign,
  reply: MessageCircle,
  quote: Quote,
  other: Bell,
};

function NotificationIcon(props: { kind: NotificationKind; size: number }) {
  const Icon = NOTIFICATION_ICONS[props.kind];
  return <Icon size={props.size} aria-hidden="true" />;
}

type Notification = NonNullable<ShownEntry['notification']>;

/** A character no translation contains: where the name goes in a translated sentence. */
const MARK = '\uE000';

/** The translated sentence with the element `name` in place of MARK. */
function fillName(sentence: string, name: ReactNode): ReactNode {
  const [before, after] = sentence.split(MARK);
  if (after === undefined) return sentence;
  return (
    <>
      {before}
      {name}
      {after}
    </>
  );
}

/**
 * The notification in words, with `name` for the lead actor: a kind of its own ("Gina liked your
 * post", "Gina and 3 others liked your post"); else the type the network names, when Colonnade has
 * words for it (`notifications.types`: Mastodon `poll`, `follow_request`, `admin.sign_up`…,
 * Bluesky `starterpack-joined`, `like-via-repost`…), with "Gina and 2 others" as the name when
 * several did it; else a generic sentence that names who and gives the network's word.
 */
function sentence(t: TFunction, n: Notification, name: string, emoji: string = n.reaction ?? ''): string {
  const others = Math.max(n.count, n.actors.length) - 1;
  if (n.reaction) {
    // An emoji reaction (Pleroma, Akkoma, Misskey forks): "Gina reacted 🎉 to your post".
    return others > 0
      ? t('notifications.reactionMany', { name, count: others, emoji })
      : t('notifications.reaction', { name, emoji });
  }
  if (n.kind === 'other' && n.type) {
    // i18next reads '.' in a key as nesting: `admin.sign_up` is the key `admin_sign_up`.
    const key = `notifications.types.${n.type.replace(/[^A-Za-z0-9]/g, '_')}`;
    const who = others > 0 ? t('notifications.several', { name, count: others }) : name;
    const said = t(key, { name: who, defaultValue: '' });
    if (said) return said;
  }
  return others > 0
    ? t(`notifications.${n.kind}Many`, { name, count: others, type: n.type ?? n.kind })
    : t(`notifications.${n.kind}`, { name, type: n.type ?? n.kind });
}

/**
 * "Gina liked your post", "Gina and 3 others liked your post": the notification in words, for an
 * accessible name (custom emoji in the name, and a custom reaction, said by their shortcode).
 */
export function notificationText(t: TFunction, n: Notification): string {
  return sentence(t, n, spokenName(n.actors[0]!), n.reaction?.replace(/^:(.+):$/, '$1'));
}

/**
 * A post article's accessible name, from translated templates (`post.label*`): "Ada, 5 minutes
 * ago"; "Ada, 1 day ago, reposted by Bob" for an entry met through a repost; "Gina mentioned you,
 * now" for a mention, reply or quote by the post's author (the name is not said twice), else
 * "<sentence>: <author>, <time>" (French: a narrow no-break space before the colon).
 */
export function postLabel(t: TFunction, entry: ShownEntry, post: Post, age: string): string {
  const name = spokenName(post.author);
  const n = entry.notification;
  if (n) {
    const context = notificationText(t, n);
    const lead = n.actors[0]!;
    const byAuthor =
      n.actors.length === 1 && n.count <= 1 && (lead.id === post.author.id || lead.handle === post.author.handle);
    return byAuthor
      ? t('post.labelNotification', { context, time: age })
      : t('post.labelContext', { context, name, time: age });
  }
  if (entry.repostedBy) return t('post.labelReposted', { name, time: age, by: spokenName(entry.repostedBy) });
  return t('post.label', { name, time: age });
}

/** A character no translation contains: where the reaction's emoji goes in a translated sentence. */
const EMOJI_MARK = '\uE001';

function NotificationSentence(props: { t: TFunction; notification: Notification }) {
  const { t, notification: n } = props;
  const name = <ProfileName profile={n.actors[0]!} />;
  if (!n.reaction) return fillName(sentence(t, n, MARK), name);
  // The reaction's emoji: as text, or a custom one's image with its `:shortcode:` as alt.
  const [before = '', after = ''] = sentence(t, n, MARK, EMOJI_MARK).split(EMOJI_MARK);
  const emoji = n.reactionUrl ? (
    <EmojiImage emoji={{ shortcode: n.reaction.replace(/^:|:$/g, ''), url: n.reactionUrl }} />
  ) : (
    <span className="reaction">{n.reaction}</span>
  );
  return (
    <>
      {fillName(before, name)}
      {emoji}
      {fillName(after, name)}
    </>
  );
}

/** A display name as written (custom emoji as images), isolated in its own direction. */
function ProfileName(props: { profile: Profile }) {
  const { profile } = props;
  return (
    <bdi className="profile-name" dir="auto">
      {profile.displayName ? <EmojiText text={profile.displayName} emojis={profile.emojis} /> : `@${profile.handle}`}
    </bdi>
  );
}

/**
 * The author and the time. With `onProfile` the author's name is a button that opens their
 * profile, and with `onThread` the time is one that opens the thread (named `threadLabel`).
 */
function PostHead(props: {
  t: TFunction;
  author: Profile;
  createdAt: string;
  age: string;
  language: string;
  onProfile?: () => void;
  onThread?: () => void;
  threadLabel?: string;
}) {
  const { t, author, createdAt, age, language, onProfile, onThread } = props;
  // Name and handle on one line that hides the handle whole when it does not fit beside the
  // name (it wraps onto a clipped second line), never leaving a lone "@".
  const who = (
    <>
      <span className="post-name" dir="auto">
        <EmojiText text={author.displayName} emojis={author.emojis} />
      </span>
      <span className="post-handle" dir="ltr">
        @{author.handle}
      </span>
    </>
  );
  const time = (
    <time dateTime={createdAt} title={formatFull(createdAt, language)}>
      {age}
    </time>
  );
  return (
    <header className="post-head">
      {onProfile ? (
        <button
          type="button"
          className="post-who"
          title={`@${author.handle}`}
          aria-label={t('reading.post.profileOf', { name: spokenName(author), handle: author.handle })}
          onClick={onProfile}
        >
          {who}
        </button>
      ) : (
        <span className="post-who" title={`@${author.handle}`}>
          {who}
        </span>
      )}
      {onThread ? (
        <button type="button" className="post-time" aria-label={props.threadLabel} onClick={onThread}>
          {time}
        </button>
      ) : (
        time
      )}
    </header>
  );
}

/**
 * A post shown read-only, compact (the composer's "Replying to" / "Quoting"): its author, time,
 * words (in their own direction), media named in words, and the post it quotes.
 */
export function PostPreview(props: { post: Post; language: string }) {
  const { post, language } = props;
  const { t } = useTranslation();
  const age = formatShortAge(post.createdAt, language) ?? t('post.now');
  return (
    <div className="post-preview">
      <AvatarView t={t} profile={post.author} size="small" />
      <div className="post-main">
        <PostHead t={t} author={post.author} createdAt={post.createdAt} age={age} language={language} />
        <PostContent t={t} post={post} language={language} previews={false} />
      </div>
    </div>
  );
}

/** The post's words, media and quote, behind its folds (content warning, filter, label). */
function PostContent(props: { t: TFunction; post: Post | QuotedPost; language: string; previews?: boolean }) {
  const { t, post, language } = props;
  const previews = props.previews ?? true;
  const folds = (post.moderation ?? []).filter((m) => m.scope === 'post');
  const foldable = post.contentWarning !== undefined || folds.length > 0;
  const [unfolded, setUnfolded] = useState(false);
  const folded = foldable && !unfolded;
  const quote = 'quote' in post ? post.quote : undefined;
  const quoteUnavailable = 'quoteUnavailable' in post ? post.quoteUnavailable : undefined;
  return (
    <>
      {foldable && (
        <div className="post-cw">
          {post.contentWarning !== undefined && (
            <p className="fold-reason" dir="auto">
              <strong>
                <EmojiText text={post.contentWarning} emojis={post.emojis} />
              </strong>
            </p>
          )}
          {folds.map((m, i) => (
            <p key={i} className="fold-reason">
              {moderationText(t, m)}
            </p>
          ))}
          <button type="button" aria-expanded={unfolded} onClick={() => setUnfolded((u) => !u)}>
            {unfolded ? t('post.hide') : t('post.show')}
          </button>
        </div>
      )}
      {!folded && (
        <>
          {post.text && (
            <p className="post-text" dir="auto">
              <PostText t={t} post={post} />
            </p>
          )}
          {previews ? <MediaList t={t} post={post} /> : <MediaNamed t={t} post={post} />}
          {post.poll && <PollView t={t} poll={post.poll} emojis={post.emojis} language={language} />}
          <PostLinkCard t={t} post={post} />
          {quote && <QuotedCard t={t} post={quote} language={language} previews={previews} />}
          {quoteUnavailable && (
            <p className="quote unavailable">
              {t(`post.quoteUnavailable.${quoteUnavailable}`, {
                defaultValue: t('post.quoteUnavailableOther', { reason: quoteUnavailable }),
              })}
            </p>
          )}
        </>
      )}
    </>
  );
}

/** The quoted post, compact, inside the card of the post that quotes it. */
function QuotedCard(props: { t: TFunction; post: QuotedPost; language: string; previews: boolean }) {
  const { t, post, language, previews } = props;
  useAgeStep(post.createdAt);
  const age = formatShortAge(post.createdAt, language) ?? t('post.now');
  return (
    <div className="quote" role="group" aria-label={t('post.quoteOf', { name: spokenName(post.author) })}>
      <div className="quote-head">
        <AvatarView t={t} profile={post.author} size="tiny" />
        <PostHead t={t} author={post.author} createdAt={post.createdAt} age={age} language={language} />
      </div>
      <PostContent t={t} post={post} language={language} previews={previews} />
    </div>
  );
}

/**
 * The post's text with its entities. Each hashtag, mention and link is isolated in its own
 * direction (`dir="auto"`), so `#IFPower` stays whole inside a right-to-left sentence. A link
 * whose target is not a web address (a Bluesky link facet may carry any URI: `javascript:`,
 * `data:`, `file:`) shows as text, not as a link.
 */
function PostText(props: { t: TFunction; post: Post | QuotedPost }) {
  const { t, post } = props;
  return segmentText(post.text, post.entities).map((s, i) => {
    switch (s.kind) {
      case 'text':
        return <EmojiText key={i} text={s.text} emojis={post.emojis} />;
      case 'link': {
        const web = webUrlOf(s.value);
        if (!web) return <EmojiText key={i} text={s.text} emojis={post.emojis} />;
        return (
          <a
            key={i}
            dir="auto"
            href={web.href}
            target="_blank"
            rel="noreferrer noopener"
            title={t('post.openLinkTo', { url: web.href })}
          >
            {s.text}
          </a>
        );
      }
      case 'hashtag':
        return (
          <span key={i} className="hashtag" dir="auto">
            {s.text}
          </span>
        );
      case 'mention':
        return (
          <span key={i} className="mention" dir="auto">
            {s.text}
          </span>
        );
    }
  });
}

/** Text with its custom emoji as small inline images (the shortcode as alt text). */
function EmojiText(props: { text: string; emojis: readonly CustomEmoji[] | undefined }) {
  return splitEmoji(props.text, props.emojis).map((part, i) =>
    typeof part === 'string' ? <Fragment key={i}>{part}</Fragment> : <EmojiImage key={i} emoji={part} />,
  );
}

/**
 * A custom emoji's image, with the shortcode as alt (and as text if it cannot load). Where the
 * network gives a still image, who prefers reduced motion (`prefers-reduced-motion: reduce`, an OS
 * setting) gets it instead of the animated one: the browser picks, no script.
 */
function EmojiImage(props: { emoji: CustomEmoji }) {
  const [broken, setBroken] = useState(false);
  const { shortcode, url, staticUrl } = props.emoji;
  const code = `:${shortcode}:`;
  if (broken) return <>{code}</>;
  const img = (
    <img className="emoji" src={url} alt={code} title={code} draggable={false} onError={() => setBroken(true)} />
  );
  if (!staticUrl) return img;
  return (
    <picture>
      <source media="(prefers-reduced-motion: reduce)" srcSet={staticUrl} />
      {img}
    </picture>
  );
}

/** The moderation reason in words: "Filtered: Spoilers", "Label: Graphic media", "Sensitive media". */
export function moderationText(t: TFunction, m: Moderation): string {
  switch (m.source) {
    case 'filter':
      return t('post.moderation.filter', { text: m.text });
    case 'label':
      return t('post.moderation.label', {
        text: KNOWN_LABELS.has(m.text) ? t(`post.labels.${m.text}`) : m.text,
      });
    case 'sensitive':
      return m.scope === 'media' ? t('post.moderation.sensitiveMedia') : t('post.moderation.sensitive');
  }
}

/** Bluesky's global label values (atproto: packages/api/src/moderation/const/labels.ts). */
const KNOWN_LABELS = new Set(['porn', 'sexual', 'nudity', 'graphic-media', 'gore', '!warn']);

function MediaList(props: { t: TFunction; post: Post | QuotedPost }) {
  const { t, post } = props;
  const folds = (post.moderation ?? []).filter((m) => m.scope === 'media');
  const [shown, setShown] = useState(false);
  // "Show media" and "Hide media" are two buttons in two places: the one that replaces the button
  // just pressed takes the focus, so the keyboard stays where it was (not on <body>).
  const toggle = useRef<HTMLButtonElement>(null);
  const toggled = useRef(false);
  useEffect(() => {
    if (!toggled.current) return;
    toggled.current = false;
    toggle.current?.focus();
  }, [shown]);
  const flip = (next: boolean) => {
    toggled.current = true;
    setShown(next);
  };
  if (post.media.length === 0) return null;
  if (folds.length > 0 && !shown) {
    return (
      <p className="media-fold">
        <span>{folds.map((m) => moderationText(t, m)).join(' · ')}</span>
        {' — '}
        <button
          ref={toggle}
          type="button"
          aria-expanded={false}
          aria-label={t('post.showMedia')}
          onClick={() => flip(true)}
        >
          {t('post.showShort')}
        </button>
      </p>
    );
  }
  return (
    <>
      {post.media.map((m, i) => (
        <MediaItem key={`${i}:${m.url ?? ''}`} t={t} media={m} />
      ))}
      {folds.length > 0 && (
        <button ref={toggle} type="button" className="media-hide" aria-expanded={true} onClick={() => flip(false)}>
          {t('post.hideMedia')}
        </button>
      )}
    </>
  );
}

/**
 * Media previews off (the column's option): each medium named in words ("Image: a red bike"),
 * nothing loaded.
 */
function MediaNamed(props: { t: TFunction; post: Post | QuotedPost }) {
  const { t } = props;
  if (props.post.media.length === 0) return null;
  return (
    <ul className="media-named">
      {props.post.media.map((m, i) => (
        <li key={i} dir="auto">
          {t(`post.mediaKind.${m.kind}`, { alt: m.alt.trim() || t('post.noAlt') })}
        </li>
      ))}
    </ul>
  );
}

function MediaItem(props: { t: TFunction; media: Media }) {
  const { t, media: m } = props;
  if (m.kind === 'audio') return <AudioItem t={t} media={m} />;
  if (m.kind === 'file') return <FileItem t={t} media={m} />;
  return <VisualItem t={t} media={m} />;
}

function VisualItem(props: { t: TFunction; media: Media }) {
  const { t, media: m } = props;
  const [broken, setBroken] = useState(false);
  const alt = m.alt.trim() || t('post.noAlt');
  // An address that would not load says so in words, beside the description.
  const failed =
    m.url && broken ? t(`post.mediaFailed.${m.kind}`, { defaultValue: t('post.mediaFailed.image') }) : null;
  return (
    <div
      className={`media${failed ? ' failed' : ''}`}
      role="img"
      aria-label={failed ? t('post.mediaFailedLabel', { failed, alt }) : t(`post.mediaKind.${m.kind}`, { alt })}
      style={{ aspectRatio: `${m.width} / ${m.height}`, backgroundColor: m.placeholderColor }}
    >
      {m.url && !broken ? (
        <img src={m.url} alt="" onError={() => setBroken(true)} />
      ) : (
        <span className="media-alt">
          {failed && <span className="media-failed">{failed}</span>}
          <span dir="auto">{alt}</span>
        </span>
      )}
    </div>
  );
}

/** An address the page may load: https only (the CSP's `media-src 'self' blob: https:`). */
const loadable = (url: string | null): URL | null => {
  const web = webUrlOf(url);
  return web?.protocol === 'https:' ? web : null;
};

/**
 * Audio (a podcast episode, music): "Audio: <description>", a native player that loads nothing
 * until played (`preload="none"`, https only, as the CSP allows), and a link to open it in the
 * browser.
 */
function AudioItem(props: { t: TFunction; media: Media }) {
  const { t, media: m } = props;
  const label = t('post.mediaKind.audio', { alt: m.alt.trim() || t('post.noAlt') });
  const source = loadable(m.url);
  const web = webUrlOf(m.url);
  return (
    <div className="media-audio" role="group" aria-label={label}>
      <p className="media-audio-label" dir="auto">
        {label}
      </p>
      {source && (
        <audio controls preload="none" src={source.href} aria-label={label}>
          {label}
        </audio>
      )}
      {web && (
        <a href={web.href} target="_blank" rel="noreferrer noopener" title={t('post.openLinkTo', { url: web.href })}>
          <ExternalLink size={13} aria-hidden="true" /> {t('post.openInBrowser')}
        </a>
      )}
    </div>
  );
}

/**
 * Remote media the server did not fetch (Mastodon `unknown`): "Attachment (not loaded by the
 * server): <host>", a link that opens it in the browser, and its description when it has one.
 */
function FileItem(props: { t: TFunction; media: Media }) {
  const { t, media: m } = props;
  const web = webUrlOf(m.url);
  const text = web ? t('post.fileLink', { host: web.host }) : t('post.fileNoLink');
  return (
    <div className="media-file">
      <Paperclip size={14} aria-hidden="true" />{' '}
      {web ? (
        <a href={web.href} target="_blank" rel="noreferrer noopener" title={t('post.openLinkTo', { url: web.href })}>
          {text}
        </a>
      ) : (
        <span>{text}</span>
      )}
      {m.alt.trim() && (
        <span className="media-file-alt" dir="auto">
          {m.alt}
        </span>
      )}
    </div>
  );
}

const DATE_LOCALES = { en: enGB, fr } as const;

/** "2 days" until `iso`, in the UI's language (at least a minute). */
function timeUntil(iso: string, language: string): string {
  const when = Math.max(Date.parse(iso), Date.now() + 60_000);
  return formatDistanceToNowStrict(new Date(when), {
    locale: language === 'fr' ? DATE_LOCALES.fr : DATE_LOCALES.en,
    roundingMethod: 'ceil',
  });
}

/**
 * A poll, read-only (Colonnade does not vote): a list of its options, each saying its share
 * ("Dark mode: 60%", "your vote") with a decorative bar, then "10 people · closes in 2 days" or
 * "Closed". While the network hides the counts until the end, the options are listed without
 * shares, with a word that says so.
 */
function PollView(props: { t: TFunction; poll: Poll; emojis: readonly CustomEmoji[] | undefined; language: string }) {
  const { t, poll, emojis, language } = props;
  const shares = pollShares(poll);
  const turnout = pollTurnout(poll);
  const hidden = shares.every((s) => s.percent === null);
  const closed = poll.closed || (poll.endsAt !== null && Date.parse(poll.endsAt) <= Date.now());
  const when = closed
    ? t('post.poll.closed')
    : poll.endsAt
      ? t('post.poll.closesIn', { time: timeUntil(poll.endsAt, language) })
      : undefined;
  return (
    <div className="poll" role="group" aria-label={t(poll.multiple ? 'post.poll.labelMultiple' : 'post.poll.label')}>
      <ul>
        {shares.map((s, i) => (
          <li key={i} className={`poll-option${s.leading ? ' leading' : ''}${s.own ? ' own' : ''}`}>
            {s.exact !== null && <span className="poll-bar" aria-hidden="true" style={{ width: `${s.exact}%` }} />}
            <span className="poll-percent">
              {s.percent !== null && t('post.poll.percent', { percent: s.percent })}
            </span>{' '}
            <span className="poll-title" dir="auto">
              <EmojiText text={s.title} emojis={emojis} />
            </span>
            {s.own && (
              <span className="poll-own">
                <Check size={13} aria-hidden="true" />{' '}
                <span className="visually-hidden">{t('post.poll.yourVote')}</span>
              </span>
            )}
          </li>
        ))}
      </ul>
      <p className="poll-footer">
        {t(`post.poll.${turnout.unit}`, { count: turnout.count })}
        {when && ` · ${when}`}
        {hidden && !closed && ` · ${t('post.poll.hiddenTotals')}`}
      </p>
    </div>
  );
}

/** Avatar sides in CSS pixels (styles.css: `.avatar`, `.avatar.small`…). */
const AVATAR_SIZES = { tiny: 20, small: 28, normal: 40, large: 64 } as const;

type AvatarProps = { profile: Profile; size?: 'small' | 'tiny' | 'large'; decorative?: boolean };

/** A profile picture, or the author's initials where there is none or it cannot load. */
export function Avatar(props: AvatarProps) {
  const { t } = useTranslation();
  return <AvatarView t={t} {...props} />;
}

/** `Avatar` with the caller's `t` (a post card translates once for all its parts). */
function AvatarView(props: AvatarProps & { t: TFunction }) {
  const { t, profile, size, decorative } = props;
  const [brokenUrl, setBrokenUrl] = useState<string | null>(null);
  const className = `avatar${size ? ` ${size}` : ''}`;
  const label = t('post.avatar', { name: spokenName(profile) });
  if (profile.avatarUrl && brokenUrl !== profile.avatarUrl) {
    const url = profile.avatarUrl;
    return (
      <img
        className={className}
        src={url}
        alt={decorative ? '' : label}
        width={AVATAR_SIZES[size ?? 'normal']}
        height={AVATAR_SIZES[size ?? 'normal']}
        onError={() => setBrokenUrl(url)}
      />
    );
  }
  return (
    <div
      className={`${className} placeholder`}
      {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': label })}
    >
      {initialsOf(profile.displayName, profile.handle, profile.emojis)}
    </div>
  );
}
