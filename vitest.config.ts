import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // test/pack installs the packed tarball from the registry: `npm run test:pack` (vitest.pack.config.ts).
    exclude: ['test/pack/**', '**/node_modules/**'],
    // oclif writes through console; without this its output vanishes under vitest.
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
