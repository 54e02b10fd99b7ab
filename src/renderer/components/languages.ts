// Languages a CM can pick for a monitor (or a filter): the ISO 639-1 codes, named in the UI's
// language by the browser's own data (Intl.DisplayNames, CLDR), so no list of names ships here.

/**
 * Every ISO 639-1 (two-letter) code in force: 183 since `bh` (Bihari) was deprecated in 2021
 * (ISO 639-3 Registration Authority, SIL: "Change to Part 1 Language Code"). Networks state a
 * post's language with these (X `lang`, Mastodon `language`, Bluesky `langs`, BCP-47 tags whose
 * first subtag is one of them).
 */
export const ISO_639_1: readonly string[] = (
  'aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv ' +
  'dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ' +
  'ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv ' +
  'mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm ' +
  'rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts ' +
  'tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
).split(' ');

/**
 * English and French names of the ISO 639-1 languages that Chromium (hence Electron) cannot name:
 * it ships a reduced ICU data file without them, so `Intl.DisplayNames` answers the bare code
 * ("ab", "dz", "iu"…; 49 codes in Chromium 156). The names are CLDR's own, as full ICU gives them
 * (Node 24: ICU 78.3, CLDR 48), so the list reads the same whichever engine names a language.
 */
const NAMES_MISSING_FROM_CHROMIUM: Readonly<Record<string, readonly [en: string, fr: string]>> = {
  aa: ['Afar', 'afar'],
  ab: ['Abkhazian', 'abkhaze'],
  ae: ['Avestan', 'avestique'],
  av: ['Avaric', 'avar'],
  ba: ['Bashkir', 'bachkir'],
  bi: ['Bislama', 'bichelamar'],
  bo: ['Tibetan', 'tibétain'],
  ce: ['Chechen', 'tchétchène'],
  ch: ['Chamorro', 'chamorro'],
  cr: ['Cree', 'cree'],
  cu: ['Church Slavic', 'slavon d’église'],
  cv: ['Chuvash', 'tchouvache'],
  dz: ['Dzongkha', 'dzongkha'],
  ff: ['Fula', 'peul'],
  fj: ['Fijian', 'fidjien'],
  gv: ['Manx', 'mannois'],
  ho: ['Hiri Motu', 'hiri motu'],
  hz: ['Herero', 'héréro'],
  ie: ['Interlingue', 'interlingue'],
  ii: ['Sichuan Yi', 'yi du Sichuan'],
  ik: ['Inupiaq', 'inupiaq'],
  io: ['Ido', 'ido'],
  iu: ['Inuktitut', 'inuktitut'],
  kg: ['Kongo', 'kikongo'],
  ki: ['Kikuyu', 'kikuyu'],
  kj: ['Kuanyama', 'kuanyama'],
  kl: ['Kalaallisut', 'groenlandais'],
  kr: ['Kanuri', 'kanouri'],
  ks: ['Kashmiri', 'cachemiri'],
  kv: ['Komi', 'komi'],
  kw: ['Cornish', 'cornique'],
  li: ['Limburgish', 'limbourgeois'],
  lu: ['Luba-Katanga', 'luba-katanga (kiluba)'],
  mh: ['Marshallese', 'marshallais'],
  na: ['Nauru', 'nauruan'],
  nd: ['North Ndebele', 'ndébélé du Nord'],
  ng: ['Ndonga', 'ndonga'],
  nr: ['South Ndebele', 'ndébélé du Sud'],
  nv: ['Navajo', 'navajo'],
  oj: ['Ojibwa', 'ojibwa'],
  os: ['Ossetic', 'ossète'],
  pi: ['Pali', 'pali'],
  rn: ['Rundi', 'roundi'],
  sc: ['Sardinian', 'sarde'],
  se: ['Northern Sami', 'same du Nord'],
  sg: ['Sango', 'sango'],
  ss: ['Swati', 'swati'],
  ty: ['Tahitian', 'tahitien'],
  ve: ['Venda', 'venda'],
  vo: ['Volapük', 'volapük'],
  za: ['Zhuang', 'zhuang'],
};

/**
 * Codes CLDR names as another code's language, so that the list would show the same name twice:
 * `tw` (Twi) is an alias of `ak` (Akan) in CLDR's language aliases, and `Intl.DisplayNames` names
 * both "Akan". The list keeps the code listed first; a saved `tw` is still shown (see `withSaved`).
 */
const SAME_LANGUAGE_AS: Readonly<Record<string, string>> = { tw: 'ak' };

const cache = new Map<string, Array<{ code: string; name: string }>>();

/** The name of `code` in `uiLanguage` (English or French), or null when neither engine nor table has one. */
function nameOf(names: Intl.DisplayNames, uiLanguage: string, code: string): string | null {
  const named = names.of(code);
  if (named && named.toLowerCase() !== code) return named;
  const table = NAMES_MISSING_FROM_CHROMIUM[code];
  if (!table) return null;
  return uiLanguage.toLowerCase().startsWith('fr') ? table[1] : table[0];
}

/**
 * The ISO 639-1 languages named in `uiLanguage` ("French", "Français"), each once, sorted by name
 * with that language's collation (`Intl.Collator`). `code` is the ISO 639-1 code to save; `name`
 * comes from `Intl.DisplayNames` (CLDR), else from the English and French names above where the
 * engine's data lacks one; a language nobody can name is left out rather than shown as a code.
 */
export function languageChoices(uiLanguage: string): Array<{ code: string; name: string }> {
  let choices = cache.get(uiLanguage);
  if (!choices) {
    const names = new Intl.DisplayNames([uiLanguage], { type: 'language', fallback: 'code' });
    const collator = new Intl.Collator(uiLanguage);
    // A name's first letter in capitals, as a list shows it ("Français"): CLDR writes French
    // names in lower case, as they are written inside a sentence.
    const capital = (name: string) => name.charAt(0).toLocaleUpperCase(uiLanguage) + name.slice(1);
    const seen = new Set<string>();
    choices = [];
    for (const code of ISO_639_1) {
      if (SAME_LANGUAGE_AS[code]) continue;
      const name = nameOf(names, uiLanguage, code);
      if (name === null) continue;
      const key = name.toLocaleLowerCase(uiLanguage);
      if (seen.has(key)) continue;
      seen.add(key);
      choices.push({ code, name: capital(name) });
    }
    choices.sort((a, b) => collator.compare(a.name, b.name));
    cache.set(uiLanguage, choices);
  }
  return choices;
}

/**
 * `choices` with `saved` (a monitor's language as stored) added where the list lacks it, so a
 * form opened on an older monitor still shows, and keeps, what it holds: named when the engine
 * can, else by its code.
 */
export function withSaved(
  choices: ReadonlyArray<{ code: string; name: string }>,
  saved: string,
  uiLanguage: string,
): Array<{ code: string; name: string }> {
  if (!saved || choices.some((c) => c.code === saved)) return [...choices];
  const names = new Intl.DisplayNames([uiLanguage], { type: 'language', fallback: 'code' });
  const name = nameOf(names, uiLanguage, saved) ?? saved;
  return [
    ...choices,
    { code: saved, name: `${name.charAt(0).toLocaleUpperCase(uiLanguage)}${name.slice(1)} (${saved})` },
  ];
}
