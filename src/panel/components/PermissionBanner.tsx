/** Offers the optional host permission for the selected request's host, saying what it adds. */
export function PermissionBanner({ host, pattern, onGrant }: { host: string; pattern: string; onGrant?: (origins: string[]) => void }) {
  return (
    <div class="banner" role="region" aria-label="Host permission">
      <span>
        Access to <strong>{host}</strong> adds the preflight's headers and errors to the capture, and lets the panel probe the bucket and fetch its CORS
        configuration — only when you click.
      </span>
      <button type="button" class="button primary" aria-label={`Grant access to ${host}`} disabled={!onGrant} onClick={() => onGrant?.([pattern])}>
        Grant access
      </button>
    </div>
  );
}
