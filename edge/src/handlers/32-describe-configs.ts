/**
 * DescribeConfigs (key 32), answered by the controlplane (controlplane/src/configs/
 * describe-configs.ts has the rules): topic configs with their overrides, defaults and
 * broker synonyms; the broker configs Kafscale runs with, read-only; no broker loggers.
 *
 * v0: is_default per config (true when the value is a default), no config source.
 * v1: include_synonyms; config_source and synonyms per config. v2: same as v1 (throttling
 * before the response). v3: include_documentation; config_type and documentation per
 * config. v4: flexible.
 *
 * A null or empty key list asks for every config, as in Kafka. A broker or broker-logger
 * id that is not a live edge is INVALID_REQUEST, answered here (config-resources.ts).
 *
 * Authorization: DESCRIBE_CONFIGS on the topic, or on the cluster for broker resources.
 */
import {
  defaultDescribeConfigsResponseDescribeConfigsResourceResult,
  defaultDescribeConfigsResponseDescribeConfigsResult,
  describeConfigsApi,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
} from '../../../lib/kafka/gen/index.js';
import type {
  DescribedConfig,
  DescribedConfigResource,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import type { ClusterView } from '../cluster-view.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import {
  BROKER,
  CONTROLPLANE_DOWN,
  configDenied,
  notALiveEdge,
  type ResourceError,
} from './config-resources.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import { allowEverything, type RequestAuthorizer } from '../security/request-authorizer.js';
import type { KafkaHandler } from './kafka-handler.js';

/** Kafka's config source of a default value. */
const DEFAULT_CONFIG = 5;

type Result = DescribeConfigsResponse['results'][number];
type ResultConfig = Result['configs'][number];

export function describeConfigsHandler(
  cluster: ClusterView,
  controlplane: ControlPlaneClient,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<DescribeConfigsRequest, DescribeConfigsResponse> {
  return {
    api: describeConfigsApi,
    minVersion: 0,
    maxVersion: 4,
    async handle(request, ctx) {
      const local = request.resources.map(
        (r) =>
          configDenied(
            authorizer,
            ctx,
            AclOperation.DESCRIBE_CONFIGS,
            r.resourceType,
            r.resourceName,
          ) ?? notALiveEdge(cluster, r.resourceType, r.resourceName, r.resourceType === BROKER),
      );
      const asked = request.resources.filter((_r, i) => local[i] === undefined);
      let answered: DescribedConfigResource[] | undefined;
      if (asked.length > 0) {
        try {
          const res = await controlplane.describeConfigs(
            {
              resources: asked.map((r) => ({
                resourceType: r.resourceType,
                resourceName: r.resourceName,
                configNames: r.configurationKeys ?? [],
                allConfigs: r.configurationKeys === null || r.configurationKeys.length === 0,
              })),
              includeSynonyms: request.includeSynonyms,
              includeDocumentation: request.includeDocumentation,
            },
            { timeoutMs: 30_000 },
          );
          answered = res.results;
        } catch (err) {
          ctx.log.warn({ err }, 'controlplane DescribeConfigs failed');
        }
      }
      let next = 0;
      return {
        throttleTimeMs: 0,
        results: request.resources.map((r, i): Result => {
          const base: Result = {
            ...defaultDescribeConfigsResponseDescribeConfigsResult(),
            resourceType: r.resourceType,
            resourceName: r.resourceName,
          };
          const failed = (e: ResourceError): Result => ({
            ...base,
            errorCode: e.errorCode,
            errorMessage: e.errorMessage,
          });
          const refused = local[i];
          if (refused !== undefined) return failed(refused);
          const a = answered?.[next++];
          if (a === undefined) return failed(CONTROLPLANE_DOWN);
          if (a.errorCode !== 0) return failed(a);
          return {
            ...base,
            errorCode: 0,
            errorMessage: null,
            configs: a.configs.map((c) => toKafka(c, ctx.apiVersion, request.includeDocumentation)),
          };
        }),
      };
    },
  };
}

function toKafka(c: DescribedConfig, version: number, withDocs: boolean): ResultConfig {
  return {
    ...defaultDescribeConfigsResponseDescribeConfigsResourceResult(),
    name: c.name,
    value: c.value ?? null,
    readOnly: c.readOnly,
    isDefault: version === 0 && c.configSource === DEFAULT_CONFIG,
    configSource: c.configSource,
    isSensitive: c.isSensitive,
    synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value ?? null, source: s.source })),
    configType: c.configType,
    documentation: withDocs ? c.documentation : null,
  };
}
