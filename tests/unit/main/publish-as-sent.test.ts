// main's post.publish measures and sends the same text: the text as published (trimmed).
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/app-core';
import { memoryPorts } from '../../doubles/ports';

describe('post.publish', () => {
  it('publishes a post at the limit with a trailing line break, trimmed, and refuses one over it', async () => {
    const core = await createCore(memoryPorts());
    const request = { profileId: 'sandbox:practice', idempotencyKey: 'key-at-limit' };
    const sent = await core.dispatch('post.publish', { ...request, text: `${'a'.repeat(500)}\n\n` });
    expect(sent).toMatchObject({ ok: true, value: { text: 'a'.repeat(500) } });
    const over = await core.dispatch('post.publish', {
      ...request,
      idempotencyKey: 'key-over',
      text: `${'a'.repeat(501)}\n`,
    });
    expect(over).toMatchObject({
      ok: false,
      error: { code: 'bad-request', reason: 'too-long', params: { length: '501', max: '500' } },
    });
    core.stop();
  });
});
