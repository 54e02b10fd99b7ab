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

const cache = new Map<string, Array<{ code: string; name: string }>>();

/**
 * The ISO 639-1 languages named in `uiLanguage` ("French", "Français"), sorted by name in that
 * language's order. A code the browser cannot name keeps its code as its name.
 */
export function languageChoices(uiLanguage: string): Array<{ code: string; name: string }> {
  let choices = cache.get(uiLanguage);
  if (!choices) {
    const names = new Intl.DisplayNames([uiLanguage], { type: 'language', fallback: 'code' });
    const collator = new Intl.Collator(uiLanguage);
    // A name's first letter in capitals, as a list shows it ("Français"): CLDR writes French
    // names in lower case, as they are written inside a sentence.
    const capital = (name: string) => name.charAt(0).toLocaleUpperCase(uiLanguage) + name.slice(1);
    choices = ISO_639_1.map((code) => ({ code, name: capital(names.of(code) ?? code) })).sort((a, b) =>
      collator.compare(a.name, b.name),
    );
    cache.set(uiLanguage, choices);
  }
  return choices;
}
