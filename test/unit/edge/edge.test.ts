import { createClient, createRouterTransport } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { StaticClusterView } from '../../../edge/src/cluster-view.js';
import { buildRegistry } from '../../../edge/src/edge.js';
import { ViewGroupCoordinators } from '../../../edge/src/routing/group-coordinators.js';
import { FixedStorageClients } from '../../../edge/src/routing/storage-clients.js';
import { GroupCoordinatorService } from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';

const GROUP_KEYS = [8, 9, 10, 11, 12, 13, 14, 15, 16, 42, 47];

describe('buildRegistry', () => {
  const cluster = new StaticClusterView('c', { nodeId: 0, host: 'h', port: 9092, rack: null });
  const storage = new FixedStorageClients(new Map());

  it('serves the consumer group APIs only with group coordinators, each at every codec version', () => {
    const without = buildRegistry({ cluster, storage });
    for (const key of GROUP_KEYS) expect(without.get(key)).toBeUndefined();
    const client = createClient(
      GroupCoordinatorService,
      createRouterTransport(() => undefined),
    );
    const registry = buildRegistry({
      cluster,
      storage,
      groupCoordinators: new ViewGroupCoordinators(cluster, () => client),
    });
    for (const key of GROUP_KEYS) {
      const h = registry.get(key);
      expect([h?.minVersion, h?.maxVersion]).toEqual([h?.api.minVersion, h?.api.maxVersion]);
    }
  });
});
