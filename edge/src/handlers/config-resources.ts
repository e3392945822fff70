/**
 * Shared by the config handlers (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs):
 * the check only an edge can make. In Kafka a broker or broker-logger resource must name
 * the broker answering; here every edge serves the same configs, so any live edge's id is
 * accepted (an embedded edge is not registered in etcd, so the controlplane cannot tell).
 * Every other check is the controlplane's; the alterations go to it through alterVia.
 * Authorization (configDenied) is the edge's too: DESCRIBE_CONFIGS or ALTER_CONFIGS on the
 * topic (TOPIC_AUTHORIZATION_FAILED) or, for brokers and broker loggers, on the cluster
 * (CLUSTER_AUTHORIZATION_FAILED), as Kafka.
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { ClusterView } from '../cluster-view.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import { AclOperation, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import { onCluster, type RequestAuthorizer } from '../security/request-authorizer.js';
import type { RequestContext } from './kafka-handler.js';

export const TOPIC = 2;
export const BROKER = 4;
export const BROKER_LOGGER = 8;

/** What the controlplane answers for one resource, or what the edge answers instead. */
export interface ResourceError {
  readonly errorCode: number;
  readonly errorMessage: string;
}

/**
 * INVALID_REQUEST when a broker or broker-logger resource names an integer id that is not
 * a live edge (Kafka's "Unexpected broker id"); undefined otherwise, for the controlplane.
 * `emptyAllowed`: whether "" (the cluster default) is a valid name, for the message.
 */
export function notALiveEdge(
  cluster: ClusterView,
  resourceType: number,
  resourceName: string,
  emptyAllowed: boolean,
): ResourceError | undefined {
  if (resourceType !== BROKER && resourceType !== BROKER_LOGGER) return undefined;
  if (!/^[+-]?\d{1,10}$/.test(resourceName)) return undefined;
  const id = Number(resourceName);
  const live = cluster.edges().map((e) => e.nodeId);
  if (live.includes(id)) return undefined;
  return {
    errorCode: KafkaError.INVALID_REQUEST,
    errorMessage:
      `Unexpected broker id, expected one of the live brokers (${live.join(', ')})` +
      `${emptyAllowed ? ' or empty string' : ''}, but received ${resourceName}`,
  };
}

/** The authorization failure for `operation` on a config resource, or undefined. */
export function configDenied(
  authorizer: RequestAuthorizer,
  ctx: RequestContext,
  operation: number,
  resourceType: number,
  resourceName: string,
): ResourceError | undefined {
  if (resourceType === TOPIC)
    return authorizer.authorize(ctx, operation, ResourceType.TOPIC, resourceName)
      ? undefined
      : { errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED, errorMessage: 'Authorization failed.' };
  if (resourceType === BROKER || resourceType === BROKER_LOGGER)
    return onCluster(authorizer, ctx, operation)
      ? undefined
      : {
          errorCode: KafkaError.CLUSTER_AUTHORIZATION_FAILED,
          errorMessage: 'Cluster authorization failed.',
        };
  return undefined;
}

/** The answer when the controlplane could not be asked. */
export const CONTROLPLANE_DOWN: ResourceError = {
  errorCode: KafkaError.REQUEST_TIMED_OUT,
  errorMessage: 'the controlplane did not answer',
};

/** One resource of AlterConfigs or IncrementalAlterConfigs (op: Kafka's operation code). */
export interface ResourceChange {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configs: readonly {
    readonly name: string;
    readonly op: number;
    readonly value: string | null;
  }[];
}

/**
 * Asks the controlplane for the changes (the edge refuses broker ids that are not live
 * edges itself) and gives one error (code 0 on success) per resource, in request order.
 */
export async function alterVia(
  cluster: ClusterView,
  controlplane: ControlPlaneClient,
  resources: readonly ResourceChange[],
  options: {
    readonly validateOnly: boolean;
    readonly incremental: boolean;
  },
  /** Who asks: resources the principal may not ALTER_CONFIGS are refused (configDenied). */
  who: { readonly authorizer: RequestAuthorizer; readonly ctx: RequestContext },
): Promise<ResourceError[]> {
  const local = resources.map(
    (r) =>
      configDenied(
        who.authorizer,
        who.ctx,
        AclOperation.ALTER_CONFIGS,
        r.resourceType,
        r.resourceName,
      ) ?? notALiveEdge(cluster, r.resourceType, r.resourceName, false),
  );
  const asked = resources.filter((_r, i) => local[i] === undefined);
  let answered: readonly ResourceError[] | undefined;
  if (asked.length > 0) {
    try {
      const res = await controlplane.alterConfigs(
        {
          resources: asked.map((r) => ({
            resourceType: r.resourceType,
            resourceName: r.resourceName,
            configs: r.configs.map((c) => ({
              name: c.name,
              op: c.op,
              ...(c.value === null ? {} : { value: c.value }),
            })),
          })),
          validateOnly: options.validateOnly,
          incremental: options.incremental,
        },
        { timeoutMs: 30_000 },
      );
      answered = res.results;
    } catch (err) {
      who.ctx.log.warn({ err }, 'controlplane AlterConfigs failed');
    }
  }
  let next = 0;
  return local.map((refused) => refused ?? answered?.[next++] ?? CONTROLPLANE_DOWN);
}
