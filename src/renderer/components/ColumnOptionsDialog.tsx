// A column's options (issue 7, "Reading"): width, density, media previews, and the filters
// that hide posts in this column, plus the mute words of every column (settings); for a monitor
// column, "Edit monitor": its query and profiles (MonitorFields, checked by monitor-form.ts as
// when it was added). Saved through main (`column.configure` with `options` and `monitor` in one
// request, `column.resize`, `settings.update`). A mute pattern that is not a valid regular
// expression is named with the engine's words and nothing is saved.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COLUMN_WIDTH, ColumnOptionsSchema, type Column, type MonitorQuery } from '../../shared/model';
import { muteErrors, optionsOf, splitLines, splitList, type MuteError } from '../state/filters';
import { useAppStore } from '../state/store';
import { useServices } from './context';
import { Dialog } from './Dialog';
import { LanguageSelect } from './LanguageSelect';
import { draftOf, EMPTY_MONITOR } from './monitor-form';
import { MonitorFields } from './MonitorFields';
import { useDialogAction } from './use-dialog-action';
import { useMonitorDraft } from './use-monitor-draft';

const count = (text: string) => {
  const n = Number(text.trim() || '0');
  return Number.isInteger(n) && n >= 0 ? n : NaN;
};

/** `title`: the column's title as its header shows it. */
export function ColumnOptionsDialog(props: { column: Column; title: string; onClose: () => void; language: string }) {
  const { column, language } = props;
  const { t } = useTranslation();
  const { actions } = useServices();
  const settings = useAppStore((s) => s.settings);
  const initial = optionsOf(column);
  const f = initial.filters;
  const [width, setWidth] = useState(String(column.width));
  const [density, setDensity] = useState(initial.density);
  const [media, setMedia] = useState(initial.media);
  const [excludeReposts, setExcludeReposts] = useState(f.excludeReposts);
  const [excludeReplies, setExcludeReplies] = useState(f.excludeReplies);
  const [mediaOnly, setMediaOnly] = useState(f.mediaOnly);
  const [minLikes, setMinLikes] = useState(String(f.minLikes || ''));
  const [minReposts, setMinReposts] = useState(String(f.minReposts || ''));
  const [minReplies, setMinReplies] = useState(String(f.minReplies || ''));
  const [from, setFrom] = useState(f.from.join(', '));
  const [mentioning, setMentioning] = useState(f.mentioning.join(', '));
  const [lang, setLang] = useState(f.language ?? '');
  const [mute, setMute] = useState(f.mute.join('\n'));
  const [globalMute, setGlobalMute] = useState((settings.mute ?? []).join('\n'));
  const [muteProblems, setMuteProblems] = useState<MuteError[]>([]);
  const [globalProblems, setGlobalProblems] = useState<MuteError[]>([]);
  const { busy, error, setError, run } = useDialogAction(language);
  const ids = {
    mute: useId(),
    global: useId(),
    muteHelp: useId(),
    lang: useId(),
    langSelect: useId(),
    error: useId(),
    monitorHelp: useId(),
    monitorSet: useId(),
  };

  // "Edit monitor": closed, the query stays as saved; open, the form's query is sent with the options.
  const accounts = useAppStore((s) => s.accounts);
  const saved = column.kind === 'monitor' ? column.monitor : undefined;
  const [editing, setEditing] = useState(false);
  const monitor = useMonitorDraft(saved ? draftOf(saved) : EMPTY_MONITOR, {
    accounts,
    language,
    onEdit: () => setError(null),
  });
  const monitorSet = useRef<HTMLFieldSetElement>(null);
  useEffect(() => {
    // Opening the form puts the keyboard in it, on its first control.
    if (editing) monitorSet.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, [editing]);
  const closeMonitor = () => {
    setEditing(false);
    monitor.reset(saved ? draftOf(saved) : EMPTY_MONITOR);
  };

  const submit = () => {
    let query: MonitorQuery | undefined;
    if (editing && saved) {
      query = monitor.read();
      if (!query) return;
    }
    const columnMute = splitLines(mute);
    const everyMute = splitLines(globalMute);
    const bad = muteErrors(columnMute);
    const badGlobal = muteErrors(everyMute);
    setMuteProblems(bad);
    setGlobalProblems(badGlobal);
    if (bad.length > 0 || badGlobal.length > 0) {
      setError(t('reading.options.fixPatterns'));
      return;
    }
    const w = Number(width);
    if (!Number.isInteger(w) || w < COLUMN_WIDTH.min || w > COLUMN_WIDTH.max) {
      setError(t('reading.options.widthRange', { min: COLUMN_WIDTH.min, max: COLUMN_WIDTH.max }));
      return;
    }
    const minimums = [count(minLikes), count(minReposts), count(minReplies)];
    if (minimums.some((n) => Number.isNaN(n))) {
      setError(t('reading.options.minimumWhole'));
      return;
    }
    const parsed = ColumnOptionsSchema.safeParse({
      density,
      media,
      filters: {
        excludeReposts,
        excludeReplies,
        mediaOnly,
        minLikes: minimums[0],
        minReposts: minimums[1],
        minReplies: minimums[2],
        from: splitList(from).map((h) => h.replace(/^@+/, '')),
        mentioning: splitList(mentioning).map((h) => h.replace(/^@+/, '')),
        ...(lang ? { language: lang } : {}),
        mute: columnMute,
      },
    });
    if (!parsed.success) {
      setError(t('reading.options.tooMuch'));
      return;
    }
    void run(async () => {
      await actions.configureColumn(column.id, parsed.data, query);
      if (w !== column.width) await actions.resizeColumn(column.id, w);
      if (everyMute.join('\n') !== (settings.mute ?? []).join('\n')) await actions.updateSettings({ mute: everyMute });
      props.onClose();
    });
  };

  const problemList = (problems: MuteError[]) =>
    problems.map((p) => t('reading.options.badPattern', { pattern: p.pattern, message: p.message })).join(' ');

  return (
    <Dialog
      title={t('reading.options.title', { title: props.title })}
      onClose={props.onClose}
      onSubmit={submit}
      submitLabel={t('actions.save')}
      submitDisabled={busy}
    >
      {saved && (
        <>
          <button
            type="button"
            className="monitor-edit-open"
            aria-expanded={editing}
            aria-controls={ids.monitorSet}
            onClick={() => (editing ? closeMonitor() : setEditing(true))}
          >
            {t('monitorForm.edit')}
          </button>
          {editing && (
            <fieldset
              id={ids.monitorSet}
              ref={monitorSet}
              className="options-set monitor-edit"
              aria-describedby={ids.monitorHelp}
            >
              <legend>{t('columns.kind.monitor')}</legend>
              <p id={ids.monitorHelp} className="muted small">
                {t('monitorForm.editHelp')}
              </p>
              <MonitorFields {...monitor.fields} />
              <button type="button" className="monitor-edit-close" onClick={closeMonitor}>
                {t('monitorForm.editClose')}
              </button>
            </fieldset>
          )}
        </>
      )}
      <div className="options-grid">
        <label className="field">
          <span>{t('reading.options.width')}</span>
          <input
            type="number"
            min={COLUMN_WIDTH.min}
            max={COLUMN_WIDTH.max}
            step={10}
            value={width}
            onChange={(e) => setWidth(e.target.value)}
          />
        </label>
        <fieldset className="options-set">
          <legend>{t('reading.options.density')}</legend>
          {(['comfortable', 'compact'] as const).map((d) => (
            <label key={d} className="check">
              <input type="radio" name="density" checked={density === d} onChange={() => setDensity(d)} />
              {t(`reading.options.densities.${d}`)}
            </label>
          ))}
        </fieldset>
      </div>
      <label className="check">
        <input type="checkbox" checked={media} onChange={(e) => setMedia(e.target.checked)} />
        {t('reading.options.media')}
      </label>
      <fieldset className="options-set">
        <legend>{t('reading.options.filters')}</legend>
        <label className="check">
          <input type="checkbox" checked={excludeReposts} onChange={(e) => setExcludeReposts(e.target.checked)} />
          {t('reading.options.excludeReposts')}
        </label>
        <label className="check">
          <input type="checkbox" checked={excludeReplies} onChange={(e) => setExcludeReplies(e.target.checked)} />
          {t('reading.options.excludeReplies')}
        </label>
        <label className="check">
          <input type="checkbox" checked={mediaOnly} onChange={(e) => setMediaOnly(e.target.checked)} />
          {t('reading.options.mediaOnly')}
        </label>
        <div className="options-grid three">
          {(
            [
              ['minLikes', minLikes, setMinLikes],
              ['minReposts', minReposts, setMinReposts],
              ['minReplies', minReplies, setMinReplies],
            ] as const
          ).map(([key, value, set]) => (
            <label key={key} className="field">
              <span>{t(`reading.options.${key}`)}</span>
              <input
                type="number"
                min={0}
                step={1}
                inputMode="numeric"
                placeholder="0"
                value={value}
                onChange={(e) => set(e.target.value)}
              />
            </label>
          ))}
        </div>
        <label className="field">
          <span>{t('reading.options.from')}</span>
          <input value={from} dir="auto" placeholder="@ada, bob" onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('reading.options.mentioning')}</span>
          <input value={mentioning} dir="auto" onChange={(e) => setMentioning(e.target.value)} />
        </label>
        <div className="field">
          <label htmlFor={ids.langSelect} className="field-label">
            {t('reading.options.language')}
          </label>
          <LanguageSelect
            id={ids.langSelect}
            value={lang}
            onChange={setLang}
            language={language}
            describedBy={ids.lang}
          />
          <span id={ids.lang} className="muted small">
            {t('reading.options.languageHelp')}
          </span>
        </div>
        <label className="field">
          <span>{t('reading.options.mute')}</span>
          <textarea
            id={ids.mute}
            rows={3}
            dir="auto"
            value={mute}
            aria-invalid={muteProblems.length > 0}
            aria-describedby={`${ids.muteHelp}${muteProblems.length > 0 ? ` ${ids.mute}-problems` : ''}`}
            onChange={(e) => {
              setMute(e.target.value);
              setMuteProblems([]);
              setError(null);
            }}
          />
        </label>
        {muteProblems.length > 0 && (
          <p id={`${ids.mute}-problems`} className="form-error">
            {problemList(muteProblems)}
          </p>
        )}
      </fieldset>
      <label className="field">
        <span>{t('reading.options.globalMute')}</span>
        <textarea
          rows={3}
          dir="auto"
          value={globalMute}
          aria-invalid={globalProblems.length > 0}
          aria-describedby={`${ids.muteHelp}${globalProblems.length > 0 ? ` ${ids.global}` : ''}`}
          onChange={(e) => {
            setGlobalMute(e.target.value);
            setGlobalProblems([]);
            setError(null);
          }}
        />
      </label>
      {globalProblems.length > 0 && (
        <p id={ids.global} className="form-error">
          {problemList(globalProblems)}
        </p>
      )}
      <p id={ids.muteHelp} className="muted small">
        {t('reading.options.muteHelp')}
      </p>
      {error && (
        <p id={ids.error} className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
