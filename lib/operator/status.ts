/**
 * The status of a KafscaleCluster or KafscaleTopic: `observedGeneration` and a `Ready`
 * condition whose reason and message say what is wrong. Written to the status
 * subresource only when it changed, so a reconcile that finds everything in place
 * writes nothing; a condition keeps its lastTransitionTime while its status stays.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { GROUP, VERSION } from './api-groups.js';
import type { KubeClients } from './kube/kube-clients.js';
import type { KubeObject } from './kube/kube-object.js';
import { sameJson } from './kube/same-json.js';

export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration: number;
  readonly lastTransitionTime: string;
}

export interface Readiness {
  readonly ready: boolean;
  /** CamelCase, as Kubernetes reasons are. */
  readonly reason: string;
  readonly message: string;
}

interface WithConditions {
  readonly conditions?: readonly Condition[];
}

function readyCondition(
  previous: Condition | undefined,
  r: Readiness,
  generation: number,
): Condition {
  const status = r.ready ? 'True' : 'False';
  return {
    type: 'Ready',
    status,
    reason: r.reason,
    message: r.message,
    observedGeneration: generation,
    lastTransitionTime:
      previous?.status === status ? previous.lastTransitionTime : new Date().toISOString(),
  };
}

/** The status to write: `fields`, observedGeneration and the Ready condition. */
export function statusOf(
  object: KubeObject,
  readiness: Readiness,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const generation = object.metadata.generation ?? 0;
  const previous = (object.status as WithConditions | undefined)?.conditions?.find(
    (c) => c.type === 'Ready',
  );
  return {
    ...fields,
    observedGeneration: generation,
    conditions: [readyCondition(previous, readiness, generation)],
  };
}

/** Writes `status` unless the object already has it. */
export async function writeStatus(
  kube: KubeClients,
  plural: string,
  object: KubeObject,
  status: Record<string, unknown>,
): Promise<boolean> {
  if (sameJson(object.status ?? {}, status)) return false;
  await kube.custom.patchNamespacedCustomObjectStatus(
    {
      group: GROUP,
      version: VERSION,
      namespace: object.metadata.namespace ?? '',
      plural,
      name: object.metadata.name,
      // Replaces the whole status: fields no longer reported go away.
      body: { status: { ...nulled(object.status), ...status } },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  return true;
}

/** Every top-level field of the old status set to null (a merge patch's deletion). */
function nulled(status: unknown): Record<string, null> {
  if (typeof status !== 'object' || status === null) return {};
  return Object.fromEntries(Object.keys(status).map((k) => [k, null]));
}
