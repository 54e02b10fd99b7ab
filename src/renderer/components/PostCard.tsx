// One timeline entry of a column, as an article of the column's feed: a post (with "reposted by"
// when this column met it through a repost, and the post it quotes inside), or a notification
// saying who did what ("Gina and 3 others liked your post") with the post it is about.
// Everything folded (content warning, filter, label, sensitive media) is said in words with one
// button to show it; user-written text takes its direction from its own first strong character.
import type { TFunction } from 'i18next';
import { AtSign, Bell, Heart, MessageCircle, Quote, Repeat2, UserPlus, type LucideIcon } from 'lucide-react';
import { Fragment, memo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostAction } from '../../shared/adapter';
import type { CustomEmoji, Media, Moderation, NotificationKind, Post, Profile, QuotedPost } from '../../shared/model';
import type { ShownEntry } from '../db/database';
import { initialsOf, segmentText, splitEmoji } from './post-text';
import { formatAge, formatFull } from './time';

type Act = (post: Post, action: Extract<PostAction, 'like' | 'unlike' | 'repost' | 'unrepost'>) => void;

export const PostCard = memo(function PostCard(props: {
  entry: ShownEntry;
  position: number;
  total: number;
  language: string;
  onAct?: Act | undefined;
}) {
  const { entry, language, onAct } = props;
  const { t } = useTranslation();
  const { post, notification } = entry;
  const common = {
    className: 'post',
    tabIndex: 0,
    'aria-posinset': props.position,
    'aria-setsize': props.total,
    'data-entry-key': entry.key,
    ...(post ? { 'data-post-id': post.id } : {}),
  };

  if (notification && !['mention', 'reply', 'quote'].includes(notification.kind)) {
    // Likes, reposts, follows and the rest: who did it, then the post it is about (if any).
    const age = formatAge(entry.at, language) ?? t('post.now');
    const Icon = NOTIFICATION_ICONS[notification.kind];
    return (
      <article
        {...common}
        className={`post notification ${notification.kind}`}
        aria-label={`${notificationText(t, notification)}, ${age}`}
      >
        <div className="notification-icon" aria-hidden="true">
          <Icon size={20} />
        </div>
        <div className="post-main">
          <div className="notification-actors" aria-hidden="true">
            {notification.actors.slice(0, 6).map((a) => (
              <Avatar key={a.id} profile={a} size="small" decorative />
            ))}
          </div>
          <p className="notification-head">
            <span className="notification-text">
              <NotificationSentence t={t} notification={notification} />
            </span>
            <time dateTime={entry.at} title={formatFull(entry.at, language)}>
              {age}
            </time>
          </p>
          {post ? (
            <div className="notification-post">
              <PostContent post={post} language={language} />
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
  const age = formatAge(post.createdAt, language) ?? t('post.now');
  const label = notification
    ? `${notificationText(t, notification)}: ${t('post.label', { name: post.author.displayName, time: age })}`
    : t('post.label', { name: post.author.displayName, time: age });
  return (
    <article {...common} aria-label={label}>
      <Avatar profile={post.author} />
      <div className="post-main">
        {notification && (
          <p className="post-context">
            <NotificationIcon kind={notification.kind} size={13} />{' '}
            <span>
              <NotificationSentence t={t} notification={notification} />
            </span>
          </p>
        )}
        {entry.repostedBy && (
          <p className="post-context post-reposted-by">
            <Repeat2 size={13} aria-hidden="true" />{' '}
            <span>{fillName(t('post.repostedBy', { name: MARK }), <ProfileName profile={entry.repostedBy} />)}</span>
          </p>
        )}
        <PostHead author={post.author} createdAt={post.createdAt} age={age} language={language} />
        <PostContent post={post} language={language} />
        <footer className="post-counts">
          <span aria-label={t('post.replies', { count: post.metrics.replies })}>
            <MessageCircle size={15} aria-hidden="true" /> {post.metrics.replies}
          </span>
          <button
            type="button"
            className="reposted"
            aria-pressed={reposted}
            aria-label={`${t('post.repost')}, ${t('post.reposts', { count: post.metrics.reposts })}`}
            disabled={!onAct}
            onClick={() => onAct?.(post, reposted ? 'unrepost' : 'repost')}
          >
            <Repeat2 size={15} aria-hidden="true" /> {post.metrics.reposts}
          </button>
          <button
            type="button"
            aria-pressed={liked}
            aria-label={`${t('post.like')}, ${t('post.likes', { count: post.metrics.likes })}`}
            data-testid="likes"
            disabled={!onAct}
            onClick={() => onAct?.(post, liked ? 'unlike' : 'like')}
          >
            <Heart size={15} aria-hidden="true" fill={liked ? 'currentColor' : 'none'} /> {post.metrics.likes}
          </button>
        </footer>
      </div>
    </article>
  );
});

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
function sentence(t: TFunction, n: Notification, name: string): string {
  const others = Math.max(n.count, n.actors.length) - 1;
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

/** "Gina liked your post", "Gina and 3 others liked your post": the notification in words. */
export function notificationText(t: TFunction, n: Notification): string {
  const lead = n.actors[0]!;
  return sentence(t, n, lead.displayName || `@${lead.handle}`);
}

function NotificationSentence(props: { t: TFunction; notification: Notification }) {
  const { t, notification: n } = props;
  return fillName(sentence(t, n, MARK), <ProfileName profile={n.actors[0]!} />);
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

function PostHead(props: { author: Profile; createdAt: string; age: string; language: string }) {
  const { author, createdAt, age, language } = props;
  return (
    <header className="post-head">
      <span className="post-name" dir="auto">
        <EmojiText text={author.displayName} emojis={author.emojis} />
      </span>
      <span className="post-handle" dir="ltr">
        @{author.handle}
      </span>
      <time dateTime={createdAt} title={formatFull(createdAt, language)}>
        {age}
      </time>
    </header>
  );
}

/** The post's words, media and quote, behind its folds (content warning, filter, label). */
function PostContent(props: { post: Post | QuotedPost; language: string }) {
  const { post, language } = props;
  const { t } = useTranslation();
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
              <PostText post={post} />
            </p>
          )}
          <MediaList post={post} />
          {quote && <QuotedCard post={quote} language={language} />}
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
function QuotedCard(props: { post: QuotedPost; language: string }) {
  const { post, language } = props;
  const { t } = useTranslation();
  const age = formatAge(post.createdAt, language) ?? t('post.now');
  return (
    <div className="quote" role="group" aria-label={t('post.quoteOf', { name: post.author.displayName })}>
      <div className="quote-head">
        <Avatar profile={post.author} size="tiny" />
        <PostHead author={post.author} createdAt={post.createdAt} age={age} language={language} />
      </div>
      <PostContent post={post} language={language} />
    </div>
  );
}

/**
 * The post's text with its entities. Each hashtag, mention and link is isolated in its own
 * direction (`dir="auto"`), so `#IFPower` stays whole inside a right-to-left sentence.
 */
function PostText(props: { post: Post | QuotedPost }) {
  const { post } = props;
  const { t } = useTranslation();
  return segmentText(post.text, post.entities).map((s, i) => {
    switch (s.kind) {
      case 'text':
        return <EmojiText key={i} text={s.text} emojis={post.emojis} />;
      case 'link':
        return (
          <a
            key={i}
            dir="auto"
            href={s.value}
            target="_blank"
            rel="noreferrer noopener"
            title={t('post.openLinkTo', { url: s.value })}
          >
            {s.text}
          </a>
        );
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

function MediaList(props: { post: Post | QuotedPost }) {
  const { post } = props;
  const { t } = useTranslation();
  const folds = (post.moderation ?? []).filter((m) => m.scope === 'media');
  const [shown, setShown] = useState(false);
  if (post.media.length === 0) return null;
  if (folds.length > 0 && !shown) {
    return (
      <p className="media-fold">
        <span>{folds.map((m) => moderationText(t, m)).join(' · ')}</span>
        {' — '}
        <button type="button" aria-expanded={false} aria-label={t('post.showMedia')} onClick={() => setShown(true)}>
          {t('post.showShort')}
        </button>
      </p>
    );
  }
  return (
    <>
      {post.media.map((m, i) => (
        <MediaItem key={`${i}:${m.url ?? ''}`} media={m} />
      ))}
      {folds.length > 0 && (
        <button type="button" className="media-hide" aria-expanded={true} onClick={() => setShown(false)}>
          {t('post.hideMedia')}
        </button>
      )}
    </>
  );
}

function MediaItem(props: { media: Media }) {
  const { media: m } = props;
  const { t } = useTranslation();
  const [broken, setBroken] = useState(false);
  const alt = m.alt.trim() || t('post.noAlt');
  return (
    <div
      className="media"
      role="img"
      aria-label={t(`post.mediaKind.${m.kind}`, { alt })}
      style={{ aspectRatio: `${m.width} / ${m.height}`, backgroundColor: m.placeholderColor }}
    >
      {m.url && !broken ? (
        <img src={m.url} alt="" onError={() => setBroken(true)} />
      ) : (
        <span className="media-alt" dir="auto">
          {alt}
        </span>
      )}
    </div>
  );
}

/** A profile picture, or the author's initials where there is none or it cannot load. */
function Avatar(props: { profile: Profile; size?: 'small' | 'tiny'; decorative?: boolean }) {
  const { profile, size, decorative } = props;
  const { t } = useTranslation();
  const [brokenUrl, setBrokenUrl] = useState<string | null>(null);
  const className = `avatar${size ? ` ${size}` : ''}`;
  const label = t('post.avatar', { name: profile.displayName || profile.handle });
  if (profile.avatarUrl && brokenUrl !== profile.avatarUrl) {
    const url = profile.avatarUrl;
    return (
      <img
        className={className}
        src={url}
        alt={decorative ? '' : label}
        width={size === 'tiny' ? 20 : size === 'small' ? 28 : 40}
        height={size === 'tiny' ? 20 : size === 'small' ? 28 : 40}
        onError={() => setBrokenUrl(url)}
      />
    );
  }
  return (
    <div
      className={`${className} placeholder`}
      {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': label })}
    >
      {initialsOf(profile.displayName, profile.handle)}
    </div>
  );
}
