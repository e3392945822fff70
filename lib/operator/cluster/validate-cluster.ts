/**
 * What the CRD schema cannot check in a KafscaleCluster: refused settings in `config`,
 * the single-address mode without its address, autoscaling bounds the wrong way round, and
 * security settings an edge would refuse (validate-security.ts) and those of the security
 * between the services (validate-service-security.ts).
 * Each problem names its field (`spec.edge.config.KAFSCALE_EDGE_ID: ...`); the reconciler
 * reports them in the Ready condition and makes nothing until they are fixed.
 */
import { COMMAND, type ClusterSettings, type ComponentKey } from './cluster-spec.js';
import { REFUSED_CONFIG } from './refused-config.js';
import { validateSecurity } from './validate-security.js';
import { validateServiceSecurity } from './validate-service-security.js';

function refusedIn(config: Readonly<Record<string, unknown>>, where: string): string[] {
  return Object.keys(config)
    .filter((key) => Object.hasOwn(REFUSED_CONFIG, key))
    .map((key) => `spec.${where}.${key}: ${REFUSED_CONFIG[key] ?? ''}`);
}

export function validateCluster(s: ClusterSettings): string[] {
  const problems = refusedIn(s.config, 'config');
  for (const key of Object.keys(COMMAND) as ComponentKey[]) {
    problems.push(...refusedIn(s[key].config, `${key}.config`));
  }
  if (s.edge.singleAddress.enabled && s.edge.singleAddress.advertisedAddr === '') {
    problems.push(
      'spec.edge.singleAddress.advertisedAddr: required when spec.edge.singleAddress.enabled is true (the load balancer host:port every edge advertises)',
    );
  }
  const a = s.edge.autoscaling;
  if (a.enabled && a.minReplicas > a.maxReplicas) {
    problems.push(
      `spec.edge.autoscaling.minReplicas: ${a.minReplicas} is above spec.edge.autoscaling.maxReplicas (${a.maxReplicas})`,
    );
  }
  problems.push(...validateSecurity(s), ...validateServiceSecurity(s));
  return problems;
}
