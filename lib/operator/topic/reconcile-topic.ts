/**
 * One reconcile of a KafscaleTopic, level-based: it reads the topic from the controlplane
 * and converges it on the spec through the AdminService: CreateTopic when missing,
 * CreatePartitions when the spec has more partitions, AlterTopicConfigs for the overrides
 * that differ (overrides the spec does not name are removed). A finalizer holds the
 * KafscaleTopic until its topic is deleted. What is wrong (a bad spec, a refused change,
 * fewer partitions than the topic has, an unreachable controlplane) is the Ready
 * condition's reason and message; nothing here throws on bad input.
 */
import { Code, ConnectError } from '@connectrpc/connect';
import type { ReconcileResult } from '../cluster/reconcile-cluster.js';
import { TOPIC, TOPIC_FINALIZER } from '../api-groups.js';
import type { KubeClients } from '../kube/kube-clients.js';
import type { KubeObject } from '../kube/kube-object.js';
import { statusOf, writeStatus, type Readiness } from '../status.js';
import { setFinalizer } from './topic-finalizer.js';
import {
  ClusterNotFoundError,
  type AdminClient,
  type TopicControlplanes,
} from './topic-controlplane.js';
import { parseTopicSpec, type TopicSpec } from './topic-spec.js';

/** Each admin call's deadline. */
const CALL_TIMEOUT_MS = 10_000;

interface Converged {
  readonly topicId: string;
  readonly partitions: number;
  readonly readiness: Readiness;
}

async function existing(admin: AdminClient, name: string) {
  try {
    return await admin.describeTopic({ name }, { timeoutMs: CALL_TIMEOUT_MS });
  } catch (e) {
    if (e instanceof ConnectError && e.code === Code.NotFound) return undefined;
    throw e;
  }
}

async function converge(admin: AdminClient, spec: TopicSpec): Promise<Converged> {
  const opts = { timeoutMs: CALL_TIMEOUT_MS };
  const name = spec.topicName;
  const found = await existing(admin, name);
  if (found?.topic === undefined) {
    const created = await admin.createTopic(
      { name, partitions: spec.partitions, configs: spec.configs },
      opts,
    );
    return {
      topicId: created.topicId,
      partitions: created.partitions,
      readiness: { ready: true, reason: 'TopicCreated', message: `created topic '${name}'` },
    };
  }
  const actual = found.topic;
  const done: string[] = [];
  let partitions = actual.partitions;
  if (spec.partitions > partitions) {
    partitions = (await admin.createPartitions({ name, partitions: spec.partitions }, opts))
      .partitions;
    done.push(`partitions raised from ${actual.partitions} to ${partitions}`);
  }
  const set = Object.fromEntries(
    Object.entries(spec.configs).filter(([k, v]) => actual.configs[k] !== v),
  );
  const remove = Object.keys(actual.configs).filter((k) => !Object.hasOwn(spec.configs, k));
  if (Object.keys(set).length > 0 || remove.length > 0) {
    await admin.alterTopicConfigs({ name, set, remove }, opts);
    done.push(
      `configs set: ${Object.keys(set).join(', ') || '-'}, removed: ${remove.join(', ') || '-'}`,
    );
  }
  if (spec.partitions < partitions) {
    return {
      topicId: actual.topicId,
      partitions,
      readiness: {
        ready: false,
        reason: 'PartitionsCannotShrink',
        message: `spec.partitions: ${spec.partitions} is fewer than the ${partitions} topic '${name}' has; a topic's partitions can only be added`,
      },
    };
  }
  return {
    topicId: actual.topicId,
    partitions,
    readiness: {
      ready: true,
      reason: 'TopicInSync',
      message: done.length > 0 ? done.join('; ') : `topic '${name}' matches the spec`,
    },
  };
}

/** A failed admin call as the Ready condition, and whether to try again later. */
function failure(e: unknown): { readiness: Readiness; retry: boolean } {
  if (e instanceof ClusterNotFoundError) {
    return {
      readiness: { ready: false, reason: 'ClusterNotFound', message: e.message },
      retry: true,
    };
  }
  if (e instanceof ConnectError) {
    const refused = [
      Code.InvalidArgument,
      Code.AlreadyExists,
      Code.FailedPrecondition,
      Code.NotFound,
    ].includes(e.code);
    return {
      readiness: {
        ready: false,
        reason: refused ? 'Refused' : 'ControlplaneUnavailable',
        message: e.rawMessage,
      },
      retry: !refused,
    };
  }
  return {
    readiness: {
      ready: false,
      reason: 'ControlplaneUnavailable',
      message: e instanceof Error ? e.message : String(e),
    },
    retry: true,
  };
}

async function deleteTopic(
  kube: KubeClients,
  controlplanes: TopicControlplanes,
  topic: KubeObject,
  spec: TopicSpec | undefined,
): Promise<ReconcileResult> {
  if (!(topic.metadata.finalizers ?? []).includes(TOPIC_FINALIZER)) {
    return { retry: false, summary: 'being deleted' };
  }
  if (spec !== undefined) {
    try {
      const url = await controlplanes.urlFor(spec, topic.metadata.namespace ?? '');
      await controlplanes
        .client(url)
        .deleteTopic({ name: spec.topicName }, { timeoutMs: CALL_TIMEOUT_MS });
    } catch (e) {
      if (!(e instanceof ConnectError && e.code === Code.NotFound)) {
        const f = failure(e);
        const readiness = { ...f.readiness, reason: 'DeleteFailed' };
        await writeStatus(kube, TOPIC.plural, topic, statusOf(topic, readiness, {}));
        return { retry: true, summary: readiness.message };
      }
    }
  }
  await setFinalizer(kube, topic, false);
  return { retry: false, summary: `deleted topic '${spec?.topicName ?? '?'}'` };
}

export async function reconcileTopic(
  kube: KubeClients,
  controlplanes: TopicControlplanes,
  topic: KubeObject,
): Promise<ReconcileResult> {
  const parsed = parseTopicSpec(topic);
  if (topic.metadata.deletionTimestamp !== undefined) {
    // A spec that never parsed never made a topic.
    return deleteTopic(kube, controlplanes, topic, parsed.ok ? parsed.spec : undefined);
  }
  if (!parsed.ok) {
    const readiness = { ready: false, reason: 'InvalidSpec', message: parsed.problems.join('; ') };
    await writeStatus(kube, TOPIC.plural, topic, statusOf(topic, readiness, {}));
    return { retry: false, summary: readiness.message };
  }
  const spec = parsed.spec;
  // The finalizer is in place before the topic can exist.
  if (!(topic.metadata.finalizers ?? []).includes(TOPIC_FINALIZER)) {
    topic = await setFinalizer(kube, topic, true);
  }
  try {
    const url = await controlplanes.urlFor(spec, topic.metadata.namespace ?? '');
    const c = await converge(controlplanes.client(url), spec);
    await writeStatus(
      kube,
      TOPIC.plural,
      topic,
      statusOf(topic, c.readiness, {
        topicName: spec.topicName,
        topicId: c.topicId,
        partitions: c.partitions,
      }),
    );
    return { retry: false, summary: c.readiness.message };
  } catch (e) {
    const f = failure(e);
    await writeStatus(
      kube,
      TOPIC.plural,
      topic,
      statusOf(topic, f.readiness, { topicName: spec.topicName }),
    );
    return { retry: f.retry, summary: f.readiness.message };
  }
}
