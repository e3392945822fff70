/**
 * IncrementalAlterConfigs (key 44, KIP-339), answered by the controlplane
 * (controlplane/src/configs/alter-configs.ts has the rules): per-config SET, DELETE (back
 * to the default), APPEND and SUBTRACT (list configs only, else INVALID_CONFIG) on topic
 * overrides; every unknown config name is INVALID_CONFIG, an invalid value INVALID_CONFIG
 * with the reason. Broker configs cannot be changed (Kafscale has none that are dynamic:
 * INVALID_REQUEST; DELETE has nothing to remove and succeeds); Kafscale has no
 * runtime-adjustable broker loggers.
 *
 * v1: flexible.
 *
 * validate_only checks everything and changes nothing. Edges learn the new overrides from
 * the metadata stream; a broker id that is not a live edge is refused here.
 *
 * Authorization: ALTER_CONFIGS on the topic, or on the cluster for broker resources.
 */
import {
  incrementalAlterConfigsApi,
  type IncrementalAlterConfigsRequest,
  type IncrementalAlterConfigsResponse,
} from '../../../lib/kafka/gen/index.js';
import type { ClusterView } from '../cluster-view.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import { alterVia } from './config-resources.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';
import type { KafkaHandler } from './kafka-handler.js';

export function incrementalAlterConfigsHandler(
  cluster: ClusterView,
  controlplane: ControlPlaneClient,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> {
  return {
    api: incrementalAlterConfigsApi,
    minVersion: 0,
    maxVersion: 1,
    async handle(request, ctx) {
      const results = await alterVia(
        cluster,
        controlplane,
        request.resources.map((r) => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          configs: r.configs.map((c) => ({
            name: c.name,
            op: c.configOperation,
            value: c.value,
          })),
        })),
        { validateOnly: request.validateOnly, incremental: true },
        { authorizer, ctx },
      );
      return {
        throttleTimeMs: 0,
        responses: request.resources.map((r, i) => {
          const e = results[i];
          return {
            errorCode: e?.errorCode ?? 0,
            errorMessage: e === undefined || e.errorCode === 0 ? null : e.errorMessage,
            resourceType: r.resourceType,
            resourceName: r.resourceName,
          };
        }),
      };
    },
  };
}
