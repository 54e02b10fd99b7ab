// Rendering components into jsdom as a person meets them: by the names of their controls (their
// labels), typing through React's change events, pressing buttons. For test files that run with
// `// @vitest-environment jsdom`. jsdom has no modal dialogs: `showModal` only opens the element.
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { ServicesContext, type AppServices } from '../../../src/renderer/components/context';
import { createI18n } from '../../../src/renderer/i18n';
import type { Language } from '../../../src/shared/settings';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
if (typeof HTMLDialogElement !== 'undefined' && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
}

export interface Rendered {
  container: HTMLElement;
  unmount(): void;
}

/** Render `ui` with the app's translations in `language` and these services. */
export async function render(ui: ReactNode, services: AppServices, language: Language = 'en'): Promise<Rendered> {
  const container = document.createElement('div');
  document.body.append(container);
  let root: Root;
  await act(async () => {
    root = createRoot(container);
    root.render(
      <I18nextProvider i18n={createI18n(language)}>
        <ServicesContext.Provider value={services}>{ui}</ServicesContext.Provider>
      </I18nextProvider>,
    );
  });
  return {
    container,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}

// Only the spaces markup makes: a no-break space is part of the words (French "Publications\u202f:").
const squash = (s: string | null | undefined) => (s ?? '').replace(/[ \t\n\r]+/g, ' ').trim();

/** The text of an element as read (spaces squashed). */
export const textOf = (el: Element | null | undefined) => squash(el?.textContent);

/** The element's accessible name: aria-label, aria-labelledby, a <label>, else its text. */
export function nameOf(el: Element): string {
  const label = el.getAttribute('aria-label');
  if (label) return squash(label);
  const by = el.getAttribute('aria-labelledby');
  if (by)
    return by
      .split(' ')
      .map((id) => textOf(document.getElementById(id)))
      .join(' ');
  if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
    const labels = [...(el.labels ?? [])];
    // A label's words, without those of a control it wraps (a select's options).
    const words = (label: HTMLLabelElement) => {
      const copy = label.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('select, textarea').forEach((c) => c.remove());
      return textOf(copy);
    };
    if (labels.length) return labels.map(words).join(' ');
  }
  if (el instanceof HTMLFieldSetElement) return textOf(el.querySelector(':scope > legend'));
  return textOf(el);
}

/** What `aria-describedby` points at, as read. */
export const descriptionOf = (el: Element) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => textOf(document.getElementById(id)))
    .join(' ');

const ROLES: Record<string, string> = {
  button: 'button',
  checkbox: 'input[type="checkbox"]',
  radio: 'input[type="radio"]',
  textbox: 'input:not([type]), input[type="text"], textarea',
  spinbutton: 'input[type="number"]',
  time: 'input[type="time"]',
  combobox: 'select',
  group: 'fieldset',
  dialog: 'dialog',
  listitem: 'li',
  alert: '[role="alert"]',
  log: '[role="log"]',
};

/** All elements of a role (roughly, by element) inside `scope`, optionally with this name. */
export function allByRole(scope: ParentNode, role: keyof typeof ROLES, name?: string | RegExp): HTMLElement[] {
  const found = [...scope.querySelectorAll<HTMLElement>(ROLES[role]!)];
  if (name === undefined) return found;
  return found.filter((el) => (typeof name === 'string' ? nameOf(el) === name : name.test(nameOf(el))));
}

/** The one element of a role with this name inside `scope`; throws, listing what there is, otherwise. */
export function byRole(scope: ParentNode, role: keyof typeof ROLES, name?: string | RegExp): HTMLElement {
  const found = allByRole(scope, role, name);
  if (found.length !== 1) {
    const names = allByRole(scope, role).map(nameOf);
    throw new Error(`${found.length} ${role}(s) named ${String(name)}; there are: ${JSON.stringify(names)}`);
  }
  return found[0]!;
}

/** Type into a text field or pick in a select, as React hears it (its value setter, then input/change). */
export async function type(el: HTMLElement, value: string) {
  await act(async () => {
    const proto = Object.getPrototypeOf(el) as object;
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
}

/** Press a button, tick a box or choose a radio. */
export async function click(el: HTMLElement) {
  await act(async () => el.click());
}

/** Send the dialog's form (as its main button, or Enter in a field, does). */
export async function submit(dialog: HTMLElement) {
  await act(async () => dialog.querySelector('form')!.requestSubmit());
}

/** Let pending promises, effects and the next animation frame (where focus moves) settle. */
export async function settle() {
  await act(async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  });
}
