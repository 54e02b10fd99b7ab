// When a post goes out: now, at a date and time in a zone (shown also in the CM's zone and in
// each target's audience zone, its queue's), or in the next free slot of each profile's queue.
// What each network can do is said: a Mastodon instance posts by itself at the time (at least 5
// minutes ahead); X and Bluesky need Colonnade running then.
import { memo, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NETWORK_NAMES, type Account } from '../../shared/model';
import type { When } from '../../shared/outbox';
import { instantToZoned, isKnownZone, zonedToInstant } from '../../shared/schedule/zoned-time';
import { currentZoneName, knownZones } from '../../shared/schedule/zones';
import { systemZone } from './outbox-time';

/** Every zone the runtime knows, under current names, the CM's first. */
function zones(): string[] {
  const mine = currentZoneName(systemZone());
  return [mine, ...knownZones().filter((z) => z !== mine)];
}

/** "09:00 Paris" style wording of an instant in a zone, in the UI language. */
export function timeIn(at: number, zone: string, language: string): string {
  return new Intl.DateTimeFormat(language, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  }).format(at);
}

/** The instant a schedule stands for, or null while it is incomplete or wrong. */
export function whenInstant(when: When): number | null {
  if (when.kind !== 'at') return null;
  try {
    return zonedToInstant(when.local, when.zone).at;
  } catch {
    return null;
  }
}

/** Memoized: a keystroke in the text changes none of its props (the composer keeps them stable). */
export const ComposerWhen = memo(function ComposerWhen(props: {
  value: When;
  onChange(when: When): void;
  targets: Account[];
  /** Each target's audience zone (its queue's), where known. */
  audienceZones: Record<string, string | undefined>;
  language: string;
  now: number;
}) {
  const { t } = useTranslation();
  const name = useId();
  const when = props.value;
  const [date, time] = when.kind === 'at' ? when.local.split('T') : ['', ''];
  // The computer's zone, read once per composer (an Intl formatter per keystroke costs).
  const [mine] = useState(() => currentZoneName(systemZone()));
  const zone = when.kind === 'at' ? when.zone : mine;
  const at = whenInstant(when);
  const setAt = (d: string, tm: string, z: string) => {
    if (d && tm) props.onChange({ kind: 'at', local: `${d}T${tm}`, zone: z });
  };
  const pickAt = () => {
    // A sensible start: the next full hour, in the CM's zone.
    const next = new Date(props.now + 3_600_000);
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: systemZone(),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(next);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    props.onChange({
      kind: 'at',
      local: `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:00`,
      zone: mine,
    });
  };
  const past = at !== null && at < props.now;
  // A time the clocks skip (spring forward): said, with the time it will go at (RFC 5545's rule).
  const gapNote = (() => {
    if (when.kind !== 'at' || at === null) return null;
    try {
      if (zonedToInstant(when.local, when.zone).shifted !== 'gap') return null;
    } catch {
      return null;
    }
    return t('composer.gap', {
      time: time ?? '',
      zone: when.zone.replace(/_/g, ' '),
      actual: instantToZoned(at, when.zone).local.slice(11),
    });
  })();
  const networks = new Set(props.targets.map((a) => a.network));
  // A Mastodon instance holds a post only 5 minutes ahead or more (with a minute's margin for the
  // request): sooner, or in the queue (its time not known yet), Colonnade sends it itself.
  const onServer = at !== null && at - props.now >= 6 * 60_000;
  const colonnadeSends = [...networks].filter((n) => n !== 'mastodon' || (when.kind === 'at' && !onServer));
  const others = [
    ...new Set(props.targets.map((a) => props.audienceZones[a.id]).filter((z): z is string => !!z && z !== zone)),
  ];
  return (
    <fieldset className="compose-when">
      <legend>{t('composer.when')}</legend>
      <label className="radio">
        <input
          type="radio"
          name={name}
          checked={when.kind === 'now'}
          onChange={() => props.onChange({ kind: 'now' })}
        />
        {t('composer.now')}
      </label>
      <label className="radio">
        <input type="radio" name={name} checked={when.kind === 'at'} onChange={pickAt} />
        {t('composer.at')}
      </label>
      <label className="radio">
        <input
          type="radio"
          name={name}
          checked={when.kind === 'queue'}
          onChange={() => props.onChange({ kind: 'queue' })}
        />
        {t('composer.queue')}
      </label>
      {when.kind === 'at' && (
        <div className="compose-when-at">
          <label className="field">
            <span>{t('composer.date')}</span>
            <input type="date" value={date} required onChange={(e) => setAt(e.target.value, time ?? '', zone)} />
          </label>
          <label className="field">
            <span>{t('composer.time')}</span>
            <input type="time" value={time} required onChange={(e) => setAt(date ?? '', e.target.value, zone)} />
          </label>
          <label className="field">
            <span>{t('composer.zone')}</span>
            <select value={zone} onChange={(e) => setAt(date ?? '', time ?? '', e.target.value)}>
              {(isKnownZone(zone) ? zones() : [zone, ...zones()]).map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </label>
          {at !== null && (
            <ul className="compose-when-zones" aria-live="polite">
              {zone !== mine && <li>{t('composer.inYourZone', { time: timeIn(at, mine, props.language) })}</li>}
              {others.map((z) => (
                <li key={z}>
                  {t('composer.inAudienceZone', { zone: z.replace(/_/g, ' '), time: timeIn(at, z, props.language) })}
                </li>
              ))}
            </ul>
          )}
          {gapNote && <p className="compose-when-gap">{gapNote}</p>}
          {past && (
            <p className="form-error" role="alert">
              {t('reasons.schedule-in-past')}
            </p>
          )}
        </div>
      )}
      {when.kind !== 'now' && (
        <ul className="compose-when-notes">
          {networks.has('mastodon') && (when.kind === 'queue' || onServer) && <li>{t('composer.mastodonOnServer')}</li>}
          {colonnadeSends.length > 0 && (
            <li>
              {t('composer.mustRun', {
                networks: new Intl.ListFormat(props.language).format(colonnadeSends.map((n) => NETWORK_NAMES[n])),
              })}
            </li>
          )}
          {when.kind === 'queue' && <li>{t('composer.queueNote')}</li>}
        </ul>
      )}
    </fieldset>
  );
});
