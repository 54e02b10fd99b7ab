// A post's link preview card (Bluesky `app.bsky.embed.external`, Mastodon `card`) and, when the
// post carries something Colonnade cannot show (an embed type it does not know), a note saying so.
// The card is one link, reachable with Tab like any other: thumbnail, host, title, description.
import type { TFunction } from 'i18next';
import { Link2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Post, QuotedPost } from '../../shared/model';
import { hostOf, webUrlOf } from './post-text';

type Card = NonNullable<Post['card']>;

/**
 * The post's link card, then the note for what it carries that Colonnade cannot show; nothing when
 * it has neither. The thumbnail is left out while the post's media is folded by moderation
 * (a label or "sensitive" on the post covers its card's picture too).
 */
export function LinkCard(props: { post: Post | QuotedPost }) {
  const { t } = useTranslation();
  return <PostLinkCard t={t} post={props.post} />;
}

/** `LinkCard` with the caller's `t` (a post card translates once for all its parts). */
export function PostLinkCard(props: { t: TFunction; post: Post | QuotedPost }) {
  const { t, post } = props;
  const [brokenUrl, setBrokenUrl] = useState<string | null>(null);
  const mediaFolded = (post.moderation ?? []).some((m) => m.scope === 'media');
  const imageUrl = post.card?.imageUrl && !mediaFolded ? post.card.imageUrl : null;
  return (
    <>
      {post.card && (
        <LinkCardView
          t={t}
          card={post.card}
          imageUrl={imageUrl && imageUrl !== brokenUrl ? imageUrl : null}
          onBroken={() => setBrokenUrl(imageUrl)}
        />
      )}
      {post.unsupported && <UnsupportedNote t={t} what={post.unsupported} postUrl={post.url} />}
    </>
  );
}

/**
 * The card as markup, without state: `imageUrl` null shows the placeholder (no picture, one that
 * failed to load, or one folded by moderation), as PostCard's media show their words instead.
 * A card whose address is not a web link is shown, not linked.
 */
export function LinkCardView(props: { t: TFunction; card: Card; imageUrl: string | null; onBroken: () => void }) {
  const { t, card, imageUrl, onBroken } = props;
  const web = webUrlOf(card.url);
  const host = hostOf(card.url);
  const title = card.title.trim();
  const body = (
    <>
      <span className="link-card-thumb" aria-hidden="true">
        {imageUrl ? <img src={imageUrl} alt="" loading="lazy" onError={onBroken} /> : <Link2 size={20} />}
      </span>
      <span className="link-card-body">
        <span className="link-card-host" dir="ltr">
          {host}
        </span>
        {title && (
          <span className="link-card-title" dir="auto">
            {title}
          </span>
        )}
        {card.description && (
          <span className="link-card-description" dir="auto">
            {card.description}
          </span>
        )}
      </span>
    </>
  );
  if (!web) {
    return (
      <div className="link-card inert" role="group" aria-label={t('post.card.notWeb', { url: card.url })}>
        {body}
      </div>
    );
  }
  return (
    <a
      className="link-card"
      href={web.href}
      target="_blank"
      rel="noreferrer noopener"
      title={t('post.openLinkTo', { url: web.href })}
    >
      {body}
    </a>
  );
}

/** "Colonnade cannot show part of this post (app.bsky.embed.poll#view)", with the post's page. */
function UnsupportedNote(props: { t: TFunction; what: string; postUrl: string | null }) {
  const { t, what, postUrl } = props;
  const web = webUrlOf(postUrl);
  return (
    <p className="post-unsupported">
      {t('post.unsupported', { what })}
      {web && (
        <>
          {' '}
          <a href={web.href} target="_blank" rel="noreferrer noopener">
            {t('post.openPost')}
          </a>
        </>
      )}
    </p>
  );
}
