// The count on a top-bar button (unseen alerts, outbox posts that need the CM): styles.css's
// `.tool-badge`. Hidden from assistive technology: the button's own name says the count in words.

/** `count` in the UI language's digits ("99+" past 99); nothing at 0. */
export function ToolBadge(props: { count: number; language: string }) {
  if (props.count <= 0) return null;
  return (
    <span className="tool-badge" aria-hidden="true">
      {props.count > 99 ? '99+' : new Intl.NumberFormat(props.language).format(props.count)}
    </span>
  );
}
