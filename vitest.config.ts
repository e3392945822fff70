import { defineConfig } from 'vitest/config';

/**
 * Files that start the whole stack as separate processes (etcd, MinIO, controlplane, storage
 * nodes, edges) and measure rates, memory or recovery under faults: they run one at a time,
 * after everything else, so that no other test competes with them for the two cores.
 */
const ALONE = ['test/integration/cluster/**/*.test.ts'];

/**
 * Everything else runs two files at a time: most of their time is spent waiting (group
 * rebalances, client start-up, child processes), not computing.
 */
const SHARED_WORKERS = 2;

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: ALONE,
          maxWorkers: SHARED_WORKERS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
