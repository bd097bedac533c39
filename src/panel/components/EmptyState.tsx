/** What the panel shows before anything is captured, or when the filter hides everything: the next step to take. */
import type { ComponentChildren } from 'preact';

export function EmptyState({ title, children, busy = false }: { title: string; children?: ComponentChildren; busy?: boolean }) {
  return (
    <div class="empty-state" role="status" aria-busy={busy}>
      <p class="empty-title">{title}</p>
      {children}
    </div>
  );
}
