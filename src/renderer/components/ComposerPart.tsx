// One post of the composer (the only one, or one part of a thread): its text, with the links,
// mentions and hashtags the network will make of it shown in colour behind the text (a mirror
// layer under a transparent text box: the caret, selection, spelling and IME stay the browser's),
// and one counter per set of rules among the chosen targets, counted as each network counts.
import {
  memo,
  startTransition,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { NetworkId } from '../../shared/model';
import { NETWORK_NAMES } from '../../shared/model';
import type { TextMeasure } from '../../shared/text-length';
import { partialHighlights, sharedHighlightsOf } from './compose-model';

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

export interface ComposerPartProps {
  /** Ids start with this; the first part of the shared text keeps the ids `compose-count` and `compose-over`. */
  idBase: string;
  first: boolean;
  label: string;
  /** The part's text as the composer holds it (it follows the text box a render behind while she types). */
  text: string;
  /** The text box's new text, handed over in a transition (see `ComposerPart`). */
  onText(text: string): void;
  /**
   * The networks this text goes to (a network's version: that one): the mirror marks what each
   * makes a link, mention or hashtag, and what only some of them make in another style, named below.
   */
  networks: readonly NetworkId[];
  counters: PartCounter[];
  language: string;
  /** Controls after the counters (remove this part…). */
  actions?: ReactNode;
  /** Below the text (media). */
  children?: ReactNode;
  textBox?: React.Ref<HTMLTextAreaElement>;
  /** The caret's new position (UTF-16 offset), only when it moved; in a transition like `onText`. */
  onCaret?(caret: number): void;
  autoFocus?: boolean;
}

/**
 * One part's editor. What she types stays in the text box (`PartTextBox`, uncontrolled), so a
 * keystroke renders nothing at once; the composer hears of it through `onText` inside
 * `startTransition` (React 19's non-blocking updates), and the counters, the mirror's highlights,
 * the hashtag suggestions and the draft follow in that render, a task later (the mirror parsed
 * and the counters' words made again only when what they show changed).
 */
export const ComposerPart = memo(function ComposerPart(props: ComposerPartProps) {
  const { t } = useTranslation();
  const mirror = useRef<HTMLDivElement>(null);
  const textId = useId();
  const box = useRef<HTMLTextAreaElement | null>(null);

  const countId = props.first ? 'compose-count' : `${props.idBase}-count`;
  const overId = props.first ? 'compose-over' : `${props.idBase}-over`;
  const overCounters = props.counters.filter((c) => c.measure.over);
  const refused = props.counters.find((c) => c.measure.refused.length > 0);
  const networksKey = props.networks.join(',');
  // The mirror follows the composer's text (a render behind the box: its text is transparent, only
  // the highlights show), parsed again only when that text or the networks change.
  const layers = useMemo(() => mirrorLayers(props.text, networksKey), [props.text, networksKey]);
  const partial = useMemo(
    () => partialHighlights(props.text, networksKey ? (networksKey.split(',') as NetworkId[]) : []),
    [props.text, networksKey],
  );
  const partialId = `${props.idBase}-partial`;
  const describedBy = [
    countId,
    overCounters.length ? overId : null,
    refused ? `${props.idBase}-refused` : null,
    partial.length ? partialId : null,
  ]
    .filter(Boolean)
    .join(' ');

  // The mirror scrolls with the text box: at the frame after its text changed (the layout is due
  // then anyway: reading it now would force one inside the keystroke), and on every scroll.
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      if (mirror.current && box.current) mirror.current.scrollTop = box.current.scrollTop;
    });
    return () => cancelAnimationFrame(frame);
  }, [layers]);
  const onScroll = useCallback((scrollTop: number) => {
    if (mirror.current) mirror.current.scrollTop = scrollTop;
  }, []);

  const counterRow = useMemo(
    () => (
      <>
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
      </>
    ),
    // overCounters derives from the counters.
    [props.counters, props.language, t, overId, countId],
  );
  const refusedRow = useMemo(() => {
    const first = refused?.measure.refused[0];
    if (!first) return null;
    return (
      <p id={`${props.idBase}-refused`} className="form-error" role="alert">
        {t('reasons.invalid-character', { code: first.code, character: first.key, position: first.position })}
      </p>
    );
  }, [refused, props.idBase, t]);

  const { textBox } = props;
  const setBox = useCallback(
    (el: HTMLTextAreaElement | null) => {
      box.current = el;
      if (typeof textBox === 'function') textBox(el);
      else if (textBox) (textBox as React.RefObject<HTMLTextAreaElement | null>).current = el;
    },
    [textBox],
  );

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
          <PartTextBox
            id={textId}
            text={props.text}
            onText={props.onText}
            onCaret={props.onCaret}
            onScroll={onScroll}
            boxRef={setBox}
            describedBy={describedBy}
            invalid={overCounters.length > 0 || !!refused}
            autoFocus={props.autoFocus}
          />
        </div>
      </div>
      {partial.length > 0 && (
        <p id={partialId} className="compose-partial">
          {partial
            .map((g) =>
              t('compose.onlySome', {
                networks: new Intl.ListFormat(props.language, { type: 'conjunction' }).format(
                  g.networks.map((n) => NETWORK_NAMES[n]),
                ),
                spans: g.spans.join(', '),
              }),
            )
            .join(' · ')}
        </p>
      )}
      <div className="counter-row">
        {counterRow}
        {props.actions}
      </div>
      {refusedRow}
      {props.children}
    </div>
  );
});

/**
 * The text box of a part, holding what she types: uncontrolled, so a keystroke renders nothing
 * (the box already shows it) and only hands the text on. `text` is the composer's text: one it
 * sets itself (a suggestion taken, a thread split, a part removed) replaces what the box holds; the
 * box's own texts coming back (`sent`: handed to `onText`, not back yet) do not, so a render of the
 * composer a keystroke behind never takes a character away.
 */
const PartTextBox = memo(function PartTextBox(props: {
  id: string;
  text: string;
  onText(text: string): void;
  onCaret: ((caret: number) => void) | undefined;
  onScroll(scrollTop: number): void;
  boxRef(el: HTMLTextAreaElement | null): void;
  describedBy: string;
  invalid: boolean;
  autoFocus: boolean | undefined;
}) {
  const box = useRef<HTMLTextAreaElement | null>(null);
  // The box's first text; later ones are set on the element (below), not through React's props.
  const [initial] = useState(props.text);
  /** The texts handed to `onText` that have not come back as `props.text` yet (oldest first). */
  const sent = useRef<string[]>([]);
  const lastCaret = useRef<number | null>(null);
  /** `props.text` when last looked at. */
  const seen = useRef(props.text);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (el.value === props.text) {
      // In step: nothing is in flight any more.
      sent.current = [];
      seen.current = props.text;
      return;
    }
    if (props.text === seen.current) return;
    seen.current = props.text;
    const i = sent.current.indexOf(props.text);
    if (i >= 0) {
      // Its own text, a keystroke or more behind: no longer in flight, nor anything sent before it.
      sent.current = sent.current.slice(i + 1);
      return;
    }
    // A text set by the composer; the caret is wherever the box puts it, to be told again.
    sent.current = [];
    lastCaret.current = null;
    el.value = props.text;
  });

  const { onText, onCaret, boxRef } = props;
  const caretMoved = (at: number) => {
    if (!onCaret || at === lastCaret.current) return;
    lastCaret.current = at;
    startTransition(() => onCaret(at));
  };
  const setBox = useCallback(
    (el: HTMLTextAreaElement | null) => {
      box.current = el;
      boxRef(el);
    },
    [boxRef],
  );
  return (
    <textarea
      id={props.id}
      ref={setBox}
      rows={5}
      dir="auto"
      defaultValue={initial}
      autoFocus={props.autoFocus}
      onChange={(e) => {
        const value = e.target.value;
        sent.current.push(value);
        startTransition(() => onText(value));
        caretMoved(e.target.selectionStart);
      }}
      onSelect={(e) => caretMoved(e.currentTarget.selectionStart)}
      onScroll={(e) => props.onScroll(e.currentTarget.scrollTop)}
      aria-describedby={props.describedBy}
      aria-invalid={props.invalid}
    />
  );
});

/**
 * The mirror's content: `text` with its links, mentions and hashtags (on the comma-separated
 * `networks`) in marks; a piece only some of them make is marked `hl-some` (dashed, fainter).
 */
function mirrorLayers(text: string, networks: string): ReactNode[] {
  const highlights = networks ? sharedHighlightsOf(text, networks.split(',') as NetworkId[]) : [];
  const layers: ReactNode[] = [];
  let at = 0;
  for (const h of highlights) {
    if (h.start > at) layers.push(text.slice(at, h.start));
    layers.push(
      <mark key={h.start} className={`hl-${h.kind}${h.all ? '' : ' hl-some'}`} data-networks={h.networks.join(' ')}>
        {text.slice(h.start, h.end)}
      </mark>,
    );
    at = h.end;
  }
  layers.push(text.slice(at));
  // A last line break needs something after it to take a line in the mirror.
  layers.push('\u200b');
  return layers;
}
