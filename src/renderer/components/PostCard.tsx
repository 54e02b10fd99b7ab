import { Heart, MessageCircle, Repeat2 } from 'lucide-react';
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Post } from '../../shared/model';
import { segmentText } from './post-text';
import { formatAge, formatFull } from './time';

export const PostCard = memo(function PostCard(props: {
  post: Post;
  position: number;
  total: number;
  language: string;
  onAct?: ((post: Post, action: 'like' | 'unlike' | 'repost' | 'unrepost') => void) | undefined;
}) {
  const { post, language, onAct } = props;
  const liked = post.viewer?.liked ?? false;
  const reposted = post.viewer?.reposted ?? false;
  const [unfolded, setUnfolded] = useState(false);
  const folded = post.contentWarning !== undefined && !unfolded;
  const { t } = useTranslation();
  const age = formatAge(post.createdAt, language) ?? t('post.now');
  return (
    <article
      className="post"
      tabIndex={0}
      aria-posinset={props.position}
      aria-setsize={props.total}
      aria-label={t('post.label', { name: post.author.displayName, time: age })}
      data-post-id={post.id}
    >
      {post.author.avatarUrl ? (
        <img
          className="avatar"
          src={post.author.avatarUrl}
          alt={t('post.avatar', { name: post.author.displayName })}
          width={40}
          height={40}
        />
      ) : (
        <div className="avatar" aria-hidden="true" />
      )}
      <div className="post-main">
        {post.repostedBy && (
          <p className="post-reposted-by">
            <Repeat2 size={13} aria-hidden="true" /> {t('post.repostedBy', { name: post.repostedBy.displayName })}
          </p>
        )}
        <header className="post-head">
          <span className="post-name">{post.author.displayName}</span>
          <span className="post-handle">@{post.author.handle}</span>
          <time dateTime={post.createdAt} title={formatFull(post.createdAt, language)}>
            {age}
          </time>
        </header>
        {post.contentWarning !== undefined && (
          <p className="post-cw">
            <strong>{post.contentWarning}</strong>{' '}
            <button type="button" aria-expanded={unfolded} onClick={() => setUnfolded((u) => !u)}>
              {unfolded ? t('post.hide') : t('post.show')}
            </button>
          </p>
        )}
        {!folded && (
          <p className="post-text">
            {segmentText(post.text, post.entities).map((s, i) => {
              switch (s.kind) {
                case 'text':
                  return <span key={i}>{s.text}</span>;
                case 'link':
                  return (
                    <a key={i} href={s.value} target="_blank" rel="noreferrer noopener" title={t('post.openLink')}>
                      {s.text}
                    </a>
                  );
                case 'hashtag':
                  return (
                    <span key={i} className="hashtag">
                      {s.text}
                    </span>
                  );
                case 'mention':
                  return (
                    <span key={i} className="mention">
                      {s.text}
                    </span>
                  );
              }
            })}
          </p>
        )}
        {!folded &&
          post.media.map((m, i) => (
            <div
              key={i}
              className="media"
              role="img"
              aria-label={t('post.media', { alt: m.alt })}
              style={{ aspectRatio: `${m.width} / ${m.height}`, backgroundColor: m.placeholderColor }}
            >
              {m.url ? <img src={m.url} alt="" /> : <span className="media-alt">{m.alt}</span>}
            </div>
          ))}
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
