// @vitest-environment jsdom
// One part's text box (issue 8: input handling under 4 ms a keystroke): what she types stays in the
// box and reaches the composer a render later (a React transition), so a composer render one
// keystroke behind must never take a character away, while a text the composer sets itself (a
// hashtag suggestion taken, a thread split) replaces what the box holds.
import 'fake-indexeddb/auto';
import { act, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ComposeDialog } from '../../../src/renderer/components/ComposeDialog';
import { ComposerPart } from '../../../src/renderer/components/ComposerPart';
import type { AppServices } from '../../../src/renderer/components/context';
import { accountOn, freshAppPerTest, mainAnswering, showDialog } from './test-app';
import { byRole, click, render, textOf, type } from './dom';

freshAppPerTest({ accounts: [accountOn('x', 'brand')] });

describe('a part’s text box', () => {
  it('keeps what she typed when the composer renders a keystroke behind, and takes a text the composer sets', async () => {
    const handed: string[] = [];
    let setComposerText: (text: string) => void = () => {};
    function Composer() {
      const [text, setText] = useState('');
      setComposerText = setText;
      return (
        <ComposerPart
          idBase="compose-0"
          first
          label="Text"
          text={text}
          onText={(t) => handed.push(t)}
          networks={['x']}
          counters={[]}
          language="en"
        />
      );
    }
    const { container } = await render(<Composer />, {} as AppServices);
    const box = byRole(container, 'textbox', 'Text') as HTMLTextAreaElement;
    await type(box, 'R');
    await type(box, 'Ri');
    expect(handed).toEqual(['R', 'Ri']);
    // The composer's render for the first keystroke comes after the second one.
    await act(async () => setComposerText('R'));
    expect(box.value).toBe('Ri');
    await act(async () => setComposerText('Ri'));
    expect(box.value).toBe('Ri');
    // The mirror behind the box shows what the network will make a hashtag, from the composer's text.
    await act(async () => setComposerText('Ride with #ebike'));
    expect(box.value).toBe('Ride with #ebike');
    expect(textOf(container.querySelector('.compose-mirror mark.hl-hashtag'))).toBe('#ebike');
  });

  it('shows a hashtag suggestion taken in the composer', async () => {
    const { services } = mainAnswering(() => null);
    const dialog = await showDialog(
      <ComposeDialog onClose={() => {}} language="en" knownHashtags={['UrbanMobility', 'ebike']} />,
      services,
    );
    const box = byRole(dialog, 'textbox', 'Text') as HTMLTextAreaElement;
    await type(box, 'Ride with #urb');
    const suggestions = dialog.querySelector<HTMLElement>('[role="group"][aria-label="Hashtag suggestions"]')!;
    await click(byRole(suggestions, 'button', '#UrbanMobility'));
    expect(box.value).toBe('Ride with #UrbanMobility ');
    expect(dialog.querySelector('.compose-suggestions')).toBeNull();
  });
});
