/**
 * The names of the operator's custom resources (deploy/helm/kafscale/crds/) and of the
 * labels and field manager it puts on what it makes.
 */
export const GROUP = 'kafscale.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export const CLUSTER = { kind: 'KafscaleCluster', plural: 'kafscaleclusters' } as const;
export const TOPIC = { kind: 'KafscaleTopic', plural: 'kafscaletopics' } as const;

/** The server-side apply field manager of every object the operator writes. */
export const FIELD_MANAGER = 'kafscale-operator';

/** Set on every object the operator makes for a cluster; its value is the cluster's name. */
export const CLUSTER_LABEL = 'kafscale.io/cluster';

/** Held on a KafscaleTopic until its topic is deleted. */
export const TOPIC_FINALIZER = 'kafscale.io/topic';
