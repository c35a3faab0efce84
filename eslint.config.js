// ESLint flat config. The `no-restricted-imports` blocks keep ARCHITECTURE.md's layering true:
// pure libs never import Nest, Socket.IO or tfjs, and only libs/model may import tfjs.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const heavy = {
  nest: { group: ['@nestjs/*'], message: 'Pure libs stay free of Nest: put Nest glue in apps/.' },
  socket: { group: ['socket.io', 'socket.io-*'], message: 'Pure libs stay free of Socket.IO.' },
  tfjs: { group: ['@tensorflow/*'], message: 'Only libs/model imports tfjs.' },
};
const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', '.cache/', 'runs/', 'bench/results/', 'test/artifacts/'],
  },
  { ignores: ['data/'] }, // the default store folder (libs/store)
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // Nest's DI reads constructor types from decorator metadata: tell the type-import rule so it
  // keeps those imports as values.
  {
    files: ['apps/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
  },
  { files: ['libs/codec/**/*.ts'], rules: restrict(heavy.nest, heavy.socket, heavy.tfjs) },
  { files: ['libs/data/**/*.ts'], rules: restrict(heavy.nest, heavy.socket, heavy.tfjs) },
  { files: ['libs/model/**/*.ts'], rules: restrict(heavy.nest, heavy.socket) },
  { files: ['libs/protocol/**/*.ts'], rules: restrict(heavy.nest, heavy.tfjs) },
  { files: ['libs/aggregation/**/*.ts'], rules: restrict(heavy.nest, heavy.socket, heavy.tfjs) },
  { files: ['libs/config/**/*.ts'], rules: restrict(heavy.nest, heavy.socket, heavy.tfjs) },
  { files: ['libs/store/**/*.ts'], rules: restrict(heavy.nest, heavy.socket, heavy.tfjs) },
  { files: ['libs/client-sdk/**/*.ts'], rules: restrict(heavy.nest) },
  { files: ['libs/plot/**/*.ts'], rules: restrict(heavy.nest, heavy.socket, heavy.tfjs) },
  { files: ['libs/privacy/**/*.ts'], rules: restrict(heavy.nest, heavy.socket, heavy.tfjs) },
  { files: ['bench/codec/**/*.ts'], rules: restrict(heavy.nest, heavy.socket, heavy.tfjs) },
  { files: ['**/*.spec.ts', '**/*.e2e.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
  prettier,
);
