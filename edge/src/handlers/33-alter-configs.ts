/**
 * AlterConfigs (key 33), answered by the controlplane (controlplane/src/configs/
 * alter-configs.ts has the rules): the configs given replace every override of a topic
 * (Kafka's deprecated, non-incremental form); a null value is INVALID_REQUEST. Broker
 * configs cannot be changed (Kafscale has none that are dynamic): INVALID_REQUEST naming
 * them. Broker loggers are not an AlterConfigs resource (INVALID_REQUEST, as in Kafka).
 *
 * v1: same as v0 (throttling before the response). v2: flexible.
 *
 * validate_only checks everything and changes nothing. Edges learn the new overrides from
 * the metadata stream; a broker id that is not a live edge is refused here.
 *
 * Authorization: ALTER_CONFIGS on the topic, or on the cluster for broker resources.
 */
import {
  alterConfigsApi,
  type AlterConfigsRequest,
  type AlterConfigsResponse,
} from '../../../lib/kafka/gen/index.js';
import type { ClusterView } from '../cluster-view.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import { alterVia } from './config-resources.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';
import type { KafkaHandler } from './kafka-handler.js';

/** IncrementalAlterConfigs' SET: what every AlterConfigs entry is. */
const SET = 0;

export function alterConfigsHandler(
  cluster: ClusterView,
  controlplane: ControlPlaneClient,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<AlterConfigsRequest, AlterConfigsResponse> {
  return {
    api: alterConfigsApi,
    minVersion: 0,
    maxVersion: 2,
    async handle(request, ctx) {
      const results = await alterVia(
        cluster,
        controlplane,
        request.resources.map((r) => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          configs: r.configs.map((c) => ({ name: c.name, op: SET, value: c.value })),
        })),
        { validateOnly: request.validateOnly, incremental: false },
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
