/**
 * Kubernetes objects as the operator writes and reads them: plain JSON. (The client's
 * model classes are for its typed APIs; the operator applies whole objects by
 * server-side apply, and the API server checks them against its schemas.)
 */
import type { KubernetesObject } from '@kubernetes/client-node';

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly deletionTimestamp?: string;
  readonly finalizers?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
}

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec?: unknown;
  readonly status?: unknown;
  readonly data?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

/** A pod template or any other nested part of an object. */
export type Json = Record<string, unknown>;

/** A plain object as the client's generic object API takes it. */
export function asKubernetesObject(o: KubeObject): KubernetesObject {
  return o as unknown as KubernetesObject;
}
