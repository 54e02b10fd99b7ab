// A draft's history in the Drafts column (issue 8: "the last versions of each draft kept as
// history"): its kept versions, newest first, each by its time (the CM's locale and zone) and first
// words, one previewed whole, and any earlier one restored as the draft's content. Restoring keeps
// the text it replaces as a version (DraftStore.restoreVersion), so a restore can be undone.
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DraftVersion } from '../drafts/draft';
import type { DraftStore } from '../drafts/draft-store';

/** A version's text as the list shows a draft's: its parts, a blank line between them. */
function versionText(version: DraftVersion): string {
  return version.content.parts
    .map((p) => p.text)
    .join('\n\n')
    .trim();
}

/** The first `max` characters (code points) of `text` on one line, with "…" when cut. */
function firstWords(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ');
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : line;
}

/**
 * The versions panel of draft `draftId`: live (a save or a restore shows at once). `language` is
 * the app's (BCP 47), for the times; the zone is the computer's.
 */
export function DraftVersions(props: { store: DraftStore; draftId: string; language: string; id?: string }) {
  const { t } = useTranslation();
  const { store, draftId } = props;
  const versions = useLiveQuery(() => store.versions(draftId), [store, draftId]);
  const times = useMemo(
    () => new Intl.DateTimeFormat(props.language, { dateStyle: 'medium', timeStyle: 'medium' }),
    [props.language],
  );
  const [picked, setPicked] = useState<number | undefined>(undefined);
  const [told, setTold] = useState('');
  const headingId = useId();
  const previewId = useId();

  if (versions === undefined) return null;
  // The first version is the draft as it is now; the one shown by default is the one before it.
  const selected = versions.find((v) => v.id === picked) ?? versions[1] ?? versions[0];
  const restore = (v: DraftVersion) => {
    setTold('');
    void store.restoreVersion(draftId, v.id).then(
      () => setTold(t('drafts.versionRestored')),
      () => setTold(t('drafts.versionNotRestored')),
    );
  };

  return (
    <section id={props.id} className="draft-versions" aria-labelledby={headingId}>
      <h3 id={headingId} className="draft-versions-title">
        {t('drafts.versionsTitle')}
      </h3>
      {versions.length < 2 && <p className="draft-versions-note">{t('drafts.noVersions')}</p>}
      <ul className="draft-versions-list">
        {versions.map((v, i) => {
          const time = times.format(v.savedAt);
          const words = firstWords(versionText(v)) || t('drafts.untitled');
          return (
            <li key={v.id} className="draft-version">
              <button
                type="button"
                className="draft-version-pick"
                aria-pressed={v.id === selected?.id}
                aria-controls={previewId}
                onClick={() => setPicked(v.id)}
              >
                <time dateTime={new Date(v.savedAt).toISOString()}>{time}</time>
                {i === 0 ? ` ${t('drafts.versionCurrent')}` : ''}
                {' — '}
                <span dir="auto">{words}</span>
              </button>
              {i > 0 && (
                <button
                  type="button"
                  onClick={() => restore(v)}
                  aria-label={t('drafts.restoreVersionNamed', { time, text: firstWords(words, 30) })}
                >
                  {t('drafts.restoreVersion')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {selected && (
        <div
          id={previewId}
          className="draft-version-preview"
          role="region"
          aria-label={t('drafts.versionPreview', { time: times.format(selected.savedAt) })}
        >
          <p dir="auto">{versionText(selected) || t('drafts.untitled')}</p>
        </div>
      )}
      <p className="draft-versions-told" role="status">
        {told}
      </p>
    </section>
  );
}
