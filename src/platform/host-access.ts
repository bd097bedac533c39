/**
 * Firefox only: DevTools panels get no `permissions` API (https://bugzil.la/1796933), so the panel opens this
 * extension page in a tab (panel-host.ts); its button asks for the host permissions inside a real click.
 */
import { browser } from './browser.js';
import { hostPatternsFor } from './permissions.js';

const patterns = hostPatternsFor(new URLSearchParams(location.search).getAll('origin'));
const status = document.getElementById('status');
const hosts = document.getElementById('hosts');
const grant = document.getElementById('grant');
if (!status || !hosts || !grant) throw new Error('host-access.html lacks its #status, #hosts or #grant element');
hosts.textContent = patterns.join(', ');

grant.addEventListener('click', () => {
  // No await before request(): Firefox accepts it only synchronously inside the click.
  browser.permissions.request({ origins: patterns }).then(
    (granted) => {
      status.textContent = granted ? 'Access granted. Return to DevTools.' : 'Access was not granted.';
      if (granted) window.close();
    },
    (error: unknown) => {
      status.textContent = `Could not ask for access: ${error instanceof Error ? error.message : String(error)}`;
    },
  );
});
