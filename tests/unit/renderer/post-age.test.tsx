// @vitest-environment jsdom
// A post card that stays on screen keeps its age true ("2 min" becomes "3 min", and its name
// says so), although nothing else about it changes and cards are drawn again only when their
// props change (PostCard is memoized: the column keeps unchanged entries as the same objects).
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ageStep, PostCard } from '../../../src/renderer/components/PostCard';
import type { ShownEntry } from '../../../src/renderer/db/database';
import { createI18n } from '../../../src/renderer/i18n';
import { samplePost } from './samples';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const start = Date.UTC(2026, 10, 25, 8, 0, 10);
let root: Root | null = null;
beforeEach(() => {
  vi.useFakeTimers({ now: start });
});
afterEach(() => {
  if (root) act(() => root!.unmount());
  root = null;
  document.body.innerHTML = '';
  vi.useRealTimers();
});

describe('a post card on screen', () => {
  it('says its age anew as minutes, then hours, go by, and only then draws itself again', () => {
    const createdAt = new Date(start - 2 * 60_000).toISOString();
    const entry: ShownEntry = { key: 'p1', at: createdAt, post: { ...samplePost(1, createdAt), cachedAt: 0 } };
    const host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
    const i18n = createI18n('en');
    // The same element every time: nothing but the clock can draw the card again.
    const card = <PostCard entry={entry} position={1} total={1} language="en" />;
    act(() => root!.render(<I18nextProvider i18n={i18n}>{card}</I18nextProvider>));
    const article = host.querySelector('article')!;
    const time = () => host.querySelector('.post-head time')!.textContent;
    expect(time()).toBe('2 min');
    expect(article.getAttribute('aria-label')).toMatch(/2 minutes ago/);

    act(() => vi.advanceTimersByTime(60_000));
    expect(time()).toBe('3 min');
    expect(article.getAttribute('aria-label')).toMatch(/3 minutes ago/);

    act(() => vi.advanceTimersByTime(60 * 60_000));
    expect(time()).toBe('1 hr');
    expect(article.getAttribute('aria-label')).toMatch(/1 hour ago/);
  });
});

describe('ageStep', () => {
  const now = Date.UTC(2026, 10, 25, 12, 0);
  const ago = (ms: number) => new Date(now - ms).toISOString();
  it('changes when the age in words changes, and not in between', () => {
    expect(ageStep(ago(30_000), now)).toBe(ageStep(ago(59_000), now)); // "now"
    expect(ageStep(ago(61_000), now)).not.toBe(ageStep(ago(59_000), now)); // "1 min"
    expect(ageStep(ago(59 * 60_000), now)).not.toBe(ageStep(ago(60 * 60_000), now)); // "59 min", "1 hr"
    expect(ageStep(ago(61 * 60_000), now)).toBe(ageStep(ago(119 * 60_000), now)); // "1 hr"
    expect(ageStep(ago(23 * 3_600_000), now)).not.toBe(ageStep(ago(24 * 3_600_000), now)); // "23 hr", "1 day"
    expect(ageStep(ago(25 * 3_600_000), now)).toBe(ageStep(ago(47 * 3_600_000), now)); // "1 day"
    expect(ageStep(ago(47 * 3_600_000), now)).not.toBe(ageStep(ago(49 * 3_600_000), now)); // "2 days"
  });
});
