/**
 * The spec of a KafscaleTopic: the topic's name (default: the object's name), partitions,
 * config overrides, and which controlplane holds it: a URL, or a KafscaleCluster in the
 * same namespace, or the operator's KAFSCALE_CONTROLPLANE_URL. The CRD schema checks the
 * types; this reads them without trusting that it did.
 */
import type { KubeObject } from '../kube/kube-object.js';

export interface TopicSpec {
  readonly topicName: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
  readonly controlplaneUrl: string | undefined;
  readonly clusterRef: string | undefined;
}

type Parsed = { ok: true; spec: TopicSpec } | { ok: false; problems: string[] };

export function parseTopicSpec(topic: KubeObject): Parsed {
  const raw = (topic.spec ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const topicName = raw.topicName ?? topic.metadata.name;
  if (typeof topicName !== 'string' || topicName === '') {
    problems.push('spec.topicName: must be a non-empty string');
  }
  const partitions = raw.partitions;
  if (typeof partitions !== 'number' || !Number.isInteger(partitions) || partitions < 1) {
    problems.push(
      `spec.partitions: must be an integer of at least 1, got ${JSON.stringify(partitions)}`,
    );
  }
  const configs: Record<string, string> = {};
  const rawConfigs: unknown = raw.configs ?? {};
  if (typeof rawConfigs !== 'object' || rawConfigs === null || Array.isArray(rawConfigs)) {
    problems.push('spec.configs: must be a map of config names to strings');
  } else {
    for (const [k, v] of Object.entries(rawConfigs)) {
      if (typeof v === 'string') configs[k] = v;
      else problems.push(`spec.configs.${k}: must be a string, got ${JSON.stringify(v)}`);
    }
  }
  const url = raw.controlplaneUrl;
  const ref = (raw.clusterRef as { name?: unknown } | undefined)?.name;
  if (url !== undefined && ref !== undefined) {
    problems.push('spec.controlplaneUrl and spec.clusterRef: give one of them, not both');
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    spec: {
      topicName: topicName as string,
      partitions: partitions as number,
      configs,
      controlplaneUrl: typeof url === 'string' ? url : undefined,
      clusterRef: typeof ref === 'string' ? ref : undefined,
    },
  };
}
