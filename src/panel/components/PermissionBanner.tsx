/** Offers the optional host permission for the selected request's host, saying what it adds. */
export function PermissionBanner({ host, pattern, onGrant }: { host: string; pattern: string; onGrant?: (origins: string[]) => void }) {
  return (
    <div class="banner" role="region" aria-label="Host permission">
      <span>
        Grant access to <strong>{host}</strong> to see the preflight's headers and error strings as the browser saw them,
        to probe the bucket, and to fetch its CORS configuration. Nothing is sent until you click an action.
      </span>
      <button type="button" class="button primary" disabled={!onGrant} onClick={() => onGrant?.([pattern])}>
        Grant access to {host}
      </button>
    </div>
  );
}
