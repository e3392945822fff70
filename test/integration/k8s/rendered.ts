/** `helm template` of the chart, parsed into Kubernetes objects the tests look into. */
import { parseAllDocuments } from 'yaml';
import { CHART, run, runOk } from './k8s-tools.js';

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly fieldRef?: { readonly fieldPath: string };
  };
}

export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: string | number };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly { readonly configMapRef?: { readonly name: string } }[];
  readonly ports?: readonly { readonly name: string; readonly containerPort: number }[];
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly resources?: {
    readonly requests?: Record<string, string>;
    readonly limits?: Record<string, string>;
  };
  readonly securityContext?: Record<string, unknown>;
  readonly volumeMounts?: readonly {
    readonly name: string;
    readonly mountPath: string;
    readonly readOnly?: boolean;
  }[];
}

export interface PodSpec {
  readonly containers: readonly Container[];
  readonly securityContext?: Record<string, unknown>;
  readonly volumes?: readonly {
    readonly name: string;
    readonly emptyDir?: unknown;
    readonly secret?: {
      readonly secretName: string;
      readonly items?: readonly { readonly key: string; readonly path: string }[];
    };
  }[];
}

export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

/** Options after `helm template RELEASE CHART`. */
export async function template(args: readonly string[] = []): Promise<string> {
  return runOk('helm', ['template', 'kafscale', CHART, '--namespace', 'kafscale', ...args]);
}

/** `helm template` expected to fail: its exit code and stderr. */
export async function templateFailure(args: readonly string[]): Promise<string> {
  const r = await run('helm', ['template', 'kafscale', CHART, ...args]);
  if (r.code === 0)
    throw new Error(`helm template ${args.join(' ')} succeeded; expected a refusal`);
  return r.stderr;
}

export function parseObjects(yamlText: string): K8sObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (o === undefined) {
    const have = objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ');
    throw new Error(`no ${kind}/${name} among ${have}`);
  }
  return o;
}

export function podSpec(workload: K8sObject): PodSpec {
  const template = workload.spec?.template as { spec: PodSpec } | undefined;
  if (template === undefined)
    throw new Error(`${workload.kind}/${workload.metadata.name} has no pod template`);
  return template.spec;
}

export function workloads(objects: readonly K8sObject[]): K8sObject[] {
  return objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
}

/** The one container of a Kafscale workload. */
export function container(workload: K8sObject): Container {
  const [c, ...more] = podSpec(workload).containers;
  if (c === undefined || more.length > 0)
    throw new Error(`${workload.metadata.name}: expected one container`);
  return c;
}
