/**
 * @fedzip/client-sdk for Node: everything of `index.ts`, plus the Node adapters (backend set-up
 * and Socket.IO in one call; residuals in files). Browser bundles import `index.browser.ts`.
 */
export * from './index.js';
export { FileResidualStore } from './node/file-residual-store.node.js';
export { type NodeClientOptions, createNodeClient } from './node/node-client.node.js';
