// A list of languages to choose one from, for a monitor's query or a column's language filter:
// "any language" first, then every ISO 639-1 language named in the UI's language (languages.ts),
// plus the saved code where the list lacks it, so an older choice is still shown and kept.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { languageChoices, withSaved } from './languages';

/**
 * `value`: the ISO 639-1 code chosen ('' for any language); `onChange` receives the new one.
 * `language`: the UI's language (BCP 47), in which the languages are named and sorted.
 * `id` and `describedBy` tie the list to its label and its help.
 */
export function LanguageSelect(props: {
  id: string;
  value: string;
  onChange(code: string): void;
  language: string;
  describedBy: string;
}) {
  const { t } = useTranslation();
  const { value, language } = props;
  const languages = useMemo(() => withSaved(languageChoices(language), value, language), [language, value]);
  return (
    <select
      id={props.id}
      value={value}
      aria-describedby={props.describedBy}
      onChange={(e) => props.onChange(e.target.value)}
    >
      <option value="">{t('monitorForm.anyLanguage')}</option>
      {languages.map((l) => (
        <option key={l.code} value={l.code}>
          {l.name}
        </option>
      ))}
    </select>
  );
}
