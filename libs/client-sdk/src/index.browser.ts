/**
 * @fedzip/client-sdk for browsers (bundled by `apps/web/build.mjs` into `dist/web/sdk/`: ESM
 * `fedzip-client.mjs` and the `<script>` global `fedzip` of `fedzip-client.iife.js`): everything of
 * `index.ts`, plus the browser adapters: IndexedDB stores for the residual and the model,
 * `createBrowserClient`, and the coordinator's page endpoints (`fetchClientInfo`, `fetchPartition`).
 */
export * from './index.js';
export {
  type BrowserClientOptions,
  createBrowserClient,
  fetchClientInfo,
  fetchPartition,
} from './browser/browser-client.browser.js';
export {
  DEFAULT_DB_NAME,
  IndexedDbModelStore,
  IndexedDbResidualStore,
  clearStoredState,
} from './browser/indexeddb-stores.browser.js';
