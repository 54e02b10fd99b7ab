// Column filters live in src/shared/filters.ts: the renderer hides and counts with them, main's
// alerts skip what they hide.
export * from '../../shared/filters';
