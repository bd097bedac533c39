/**
 * Keeps one malformed capture from blanking the whole panel: a render error inside shows as a message naming the
 * request, and the rest of the panel (the list, the toolbar) keeps working. Selecting another request retries.
 */
import type { ComponentChildren } from 'preact';
import { useErrorBoundary } from 'preact/hooks';

export function RenderGuard({ what, children }: { what: string; children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary();
  if (error) {
    return (
      <div class="inline-error render-error" role="alert">
        <p>
          Could not show {what}: {error instanceof Error ? error.message : String(error)}
        </p>
        <button type="button" class="button" onClick={reset}>
          Try again
        </button>
      </div>
    );
  }
  return <>{children}</>;
}
