// One post of the composer (the only one, or one part of a thread): its text, with the links,
// mentions and hashtags the network will make of it shown in colour behind the text (a mirror
// layer under a transparent text box: the caret, selection, spelling and IME stay the browser's),
// and one counter per set of rules among the chosen targets, counted as each network counts.
import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { NetworkId } from '../../shared/model';
import { NETWORK_NAMES } from '../../shared/model';
import type { TextMeasure } from '../../shared/text-length';
import { highlightsOf } from './compose-model';

export interface PartCounter {
  key: string;
  network: NetworkId;
  label: string;
  measure: TextMeasure;
}

/** The counter's words for one measure: "21 / 500", "290 / 300 characters", "3,025 / 3,000 bytes". */
const numberFormats = new Map<string, Intl.NumberFormat>();

export function counterWords(t: TFunction, measure: TextMeasure, language: string) {
  // One formatter per language (making one costs about half a millisecond, at every keystroke).
  let numbers = numberFormats.get(language);
  if (!numbers) numberFormats.set(language, (numbers = new Intl.NumberFormat(language)));
  const binding = measure.binding;
  const params = { length: numbers.format(binding.length), max: numbers.format(binding.max) };
  const short =
    binding.unit === 'bytes'
      ? t('compose.countBytes', params)
      : measure.limits.length > 1
        ? t('compose.countCharacters', params)
        : t('compose.count', params);
  const unit = binding.unit === 'bytes' ? t('compose.countBytes', params) : t('compose.countCharacters', params);
  return { short, unit };
}

export function ComposerPart(props: {
  /** Ids start with this; the first part of the shared text keeps the ids `compose-count` and `compose-over`. */
  idBase: string;
  first: boolean;
  label: string;
  text: string;
  onText(text: string): void;
  network: NetworkId | undefined;
  counters: PartCounter[];
  language: string;
  /** Controls after the counters (remove this part…). */
  actions?: ReactNode;
  /** Below the text (media). */
  children?: ReactNode;
  textBox?: React.Ref<HTMLTextAreaElement>;
  onCaret?(caret: number): void;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const mirror = useRef<HTMLDivElement>(null);
  const textId = useId();
  const box = useRef<HTMLTextAreaElement | null>(null);
  const countId = props.first ? 'compose-count' : `${props.idBase}-count`;
  const overId = props.first ? 'compose-over' : `${props.idBase}-over`;
  const overCounters = props.counters.filter((c) => c.measure.over);
  const refused = props.counters.find((c) => c.measure.refused.length > 0);
  const refusedText = refused?.measure.refused[0]
    ? t('reasons.invalid-character', {
        code: refused.measure.refused[0].code,
        character: refused.measure.refused[0].key,
        position: refused.measure.refused[0].position,
      })
    : '';
  const describedBy = [countId, overCounters.length ? overId : null, refused ? `${props.idBase}-refused` : null]
    .filter(Boolean)
    .join(' ');
  // The mirror scrolls with the text box.
  useLayoutEffect(() => {
    if (mirror.current && box.current) mirror.current.scrollTop = box.current.scrollTop;
  });
  const highlights = props.network ? highlightsOf(props.text, props.network) : [];
  const layers: ReactNode[] = [];
  let at = 0;
  for (const h of highlights) {
    if (h.start > at) layers.push(props.text.slice(at, h.start));
    layers.push(
      <mark key={h.start} className={`hl-${h.kind}`}>
        {props.text.slice(h.start, h.end)}
      </mark>,
    );
    at = h.end;
  }
  layers.push(props.text.slice(at));
  // A last line break needs something after it to take a line in the mirror.
  layers.push('\u200b');
  return (
    <div className="compose-part">
      <div className="field">
        <label htmlFor={textId} className="field-label">
          {props.label}
        </label>
        <div className="compose-editor">
          <div ref={mirror} className="compose-mirror" aria-hidden="true" dir="auto">
            {layers}
          </div>
          <textarea
            id={textId}
            ref={(el) => {
              box.current = el;
              if (typeof props.textBox === 'function') props.textBox(el);
              else if (props.textBox) (props.textBox as React.RefObject<HTMLTextAreaElement | null>).current = el;
            }}
            rows={5}
            dir="auto"
            value={props.text}
            autoFocus={props.autoFocus}
            onChange={(e) => {
              props.onText(e.target.value);
              props.onCaret?.(e.target.selectionStart);
            }}
            onSelect={(e) => props.onCaret?.(e.currentTarget.selectionStart)}
            onScroll={(e) => {
              if (mirror.current) mirror.current.scrollTop = e.currentTarget.scrollTop;
            }}
            aria-describedby={describedBy}
            aria-invalid={overCounters.length > 0 || !!refused}
          />
        </div>
      </div>
      <div className="counter-row">
        {overCounters.length > 0 && (
          <p id={overId} className="counter-why">
            {overCounters
              .map((c) =>
                t('compose.overLimit', {
                  network: c.label || NETWORK_NAMES[c.network],
                  amount: counterWords(t, c.measure, props.language).unit,
                }),
              )
              .join(' · ')}
          </p>
        )}
        <p id={countId} className="counters">
          {props.counters.map((c, i) => (
            <span
              key={c.key}
              className={`counter${c.measure.over || c.measure.refused.length ? ' error' : c.measure.near ? ' near' : ''}`}
              title={c.measure.near ? t('compose.nearLimit') : undefined}
            >
              {i > 0 ? ' · ' : ''}
              {props.counters.length > 1 ? `${c.label} ` : ''}
              {counterWords(t, c.measure, props.language).short}
            </span>
          ))}
        </p>
        {props.actions}
      </div>
      {refused && (
        <p id={`${props.idBase}-refused`} className="form-error" role="alert">
          {refusedText}
        </p>
      )}
      {props.children}
    </div>
  );
}
