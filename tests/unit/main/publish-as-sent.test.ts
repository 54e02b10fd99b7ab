// A post goes out as published: main's outbox measures and sends the same text, trimmed
// (`textToPublish`), when the renderer posts now (outbox.submit, when now).
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/app-core';
import { memoryPorts } from '../../doubles/ports';
import { postNow, sentPost } from '../../support/post-now';

describe('a post sent now', () => {
  it('publishes a post at the limit with a trailing line break, trimmed, and refuses one over it', async () => {
    const ports = memoryPorts();
    const core = await createCore(ports);
    const profileId = 'sandbox:practice';
    const sent = await sentPost(core, await postNow(core, { profileId, text: `${'a'.repeat(500)}\n\n` }, ports.clock));
    expect(sent.text).toBe('a'.repeat(500));
    const over = await postNow(core, { profileId, text: `${'a'.repeat(501)}\n` }, ports.clock);
    expect(over).toMatchObject({
      ok: false,
      error: { code: 'invalid', reason: 'too-long', params: { length: '501', max: '500' } },
    });
    core.stop();
  });
});
