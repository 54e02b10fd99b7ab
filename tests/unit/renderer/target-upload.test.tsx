// @vitest-environment jsdom
// A large video going out, as the Outbox can show it per target (TargetUpload): the share sent in
// words and as a bar, in English and French, then "preparing the video" while the network
// processes it; nothing once the send is over.
import { afterEach, describe, expect, it } from 'vitest';
import { TargetUpload } from '../../../src/renderer/components/TargetUpload';
import type { AppServices } from '../../../src/renderer/components/context';
import type { Target } from '../../../src/shared/outbox';
import { render, textOf, type Rendered } from './dom';

const MB = 1024 * 1024;
let shown: Rendered | null = null;
afterEach(() => {
  shown?.unmount();
  shown = null;
});

async function show(target: Pick<Target, 'state' | 'upload'>, language: 'en' | 'fr' = 'en') {
  shown = await render(
    <TargetUpload target={target} network="Bluesky" language={language} />,
    {} as AppServices,
    language,
  );
  return shown.container;
}

describe('a target’s upload in the Outbox', () => {
  it('says how much of its media went, with a bar', async () => {
    const c = await show({ state: 'sending', upload: { sent: 45 * MB, total: 100 * MB } });
    expect(textOf(c)).toBe('Sending its media: 45% (45 MB of 100 MB)');
    const bar = c.querySelector('progress')!;
    expect(bar.getAttribute('value')).toBe(String(45 * MB));
    expect(bar.getAttribute('max')).toBe(String(100 * MB));
  });

  it('says it in French', async () => {
    const c = await show({ state: 'sending', upload: { sent: 45 * MB, total: 100 * MB } }, 'fr');
    expect(textOf(c)).toBe('Envoi de ses médias\u202f: 45\u00a0% (45\u202fMo sur 100\u202fMo)');
  });

  it('says the network is preparing the video, with a bar that shows no share', async () => {
    const c = await show({ state: 'sending', upload: { sent: 100 * MB, total: 100 * MB, processing: true } });
    expect(textOf(c)).toBe('Bluesky is preparing the video…');
    expect(c.querySelector('progress')!.hasAttribute('value')).toBe(false);
  });

  it('shows nothing once the send is over', async () => {
    const c = await show({ state: 'sent', upload: { sent: 1, total: 1 } });
    expect(textOf(c)).toBe('');
  });
});
