import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'tools/**/*.js', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The domain is plain functions: no framework, no storage, no event-store client.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: 'libs/domain must not depend on NestJS.' },
            { group: ['typeorm', 'typeorm/*', 'pg'], message: 'libs/domain must not depend on storage.' },
            { group: ['@eventstore/*', '@grpc/*'], message: 'libs/domain must not depend on the event store.' },
            { group: ['@revops/*'], message: 'libs/domain depends on nothing of ours.' },
          ],
        },
      ],
    },
  },
  {
    // Only libs/event-store (and the dev server, which serves the protocol) may touch the client.
    files: ['apps/api/**/*.ts', 'apps/projector/**/*.ts', 'apps/cli/**/*.ts', 'libs/attribution/**/*.ts', 'libs/projections/**/*.ts', 'libs/read-models/**/*.ts', 'libs/platform/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@eventstore/*'], message: 'Only libs/event-store imports @eventstore/db-client.' }] },
      ],
    },
  },
  {
    // The attribution engine is pure: journeys in, credits out. It comes after the block
    // above, which it would otherwise lose to, since a later block replaces a rule's options.
    files: ['libs/attribution/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: 'libs/attribution must not depend on NestJS.' },
            { group: ['typeorm', 'typeorm/*', 'pg'], message: 'libs/attribution must not depend on storage.' },
            { group: ['@eventstore/*', '@grpc/*'], message: 'libs/attribution must not depend on the event store.' },
            { group: ['@revops/*'], message: 'libs/attribution depends on nothing of ours.' },
            { group: ['fs', 'fs/*', 'node:*', 'http', 'https', 'net', 'child_process'], message: 'libs/attribution does no I/O.' },
          ],
        },
      ],
    },
  },
);
