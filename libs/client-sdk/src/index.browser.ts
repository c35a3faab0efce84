// Placeholder: the browser entry of @fedzip/client-sdk. Filled in with issue 5.
export * from './index.js';
