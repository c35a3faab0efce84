/**
 * The tfjs this library uses, for browser bundles: the core (with its gradients and chained ops),
 * the layers API and the cpu backend. `apps/web/build.mjs` aliases `@tensorflow/tfjs` to this file,
 * so browsers skip what the umbrella package adds and fedzip never uses (the WebGL backend, the
 * graph-model converter, tf.data): about 40 % of the SDK bundle. Node keeps the umbrella package,
 * whose Node build registers the gradients itself (tfjs-core's Node build does not).
 */
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
