import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// `pnpm test` runs every project but e2e; `pnpm test:e2e` runs the browser tests.
const e2e = process.argv.includes('e2e')

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['shared/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'cms',
          include: ['cms/tests/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup: ['cms/tests/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        plugins: [
          vue(),
        ],
        test: {
          name: 'web-unit',
          include: ['web/test/unit/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'web-server',
          include: ['web/test/server/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup: ['cms/tests/global-setup.ts', 'web/test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      ...(e2e
        ? [
            {
              test: {
                name: 'e2e',
                include: ['web/test/e2e/**/*.test.ts'],
                environment: 'node',
                pool: 'forks' as const,
                fileParallelism: false,
                globalSetup: ['cms/tests/global-setup.ts', 'web/test/support/global-setup.ts'],
                testTimeout: 90_000,
                hookTimeout: 300_000,
              },
            },
          ]
        : []),
    ],
  },
})
