// Splits a post's text into plain runs and its entities (hashtags, links, mentions).
import type { Entity } from '../../shared/model';

export type Segment = { kind: 'text'; text: string } | { kind: Entity['kind']; text: string; value: string };

export function segmentText(text: string, entities: readonly Entity[]): Segment[] {
  const sorted = [...entities].filter((e) => e.start < e.end && e.end <= text.length).sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) continue; // overlapping entity: keep the first
    if (e.start > at) out.push({ kind: 'text', text: text.slice(at, e.start) });
    out.push({ kind: e.kind, text: text.slice(e.start, e.end), value: e.value });
    at = e.end;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}
