import {defineConfig} from 'vitest/config'

// The package test (npm run test:pack): packs this checkout, installs the tarball from the npm
// registry into an empty prefix and runs the installed CLI. Separate from `npm test` because it
// needs the registry and takes a minute; .ci/run runs both.
export default defineConfig({
  test: {
    include: ['test/pack/**/*.test.ts'],
    disableConsoleIntercept: true,
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
})
