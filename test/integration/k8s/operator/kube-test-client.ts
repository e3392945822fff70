/** kubectl against the test's API server, with JSON in and out, for the operator tests. */
import { run } from '../k8s-tools.js';
import type { KubeApiserver } from '../kube-apiserver.js';

export interface Item {
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly uid: string;
    readonly generation?: number;
    readonly resourceVersion: string;
    readonly finalizers?: string[];
    readonly ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
  };
  readonly spec?: Record<string, unknown> & { replicas?: number; maxReplicas?: number };
  readonly status?: {
    readonly phase?: string;
    readonly observedGeneration?: number;
    readonly partitions?: number;
    readonly topicId?: string;
    readonly conditions?: { type: string; status: string; reason: string; message: string }[];
  };
  readonly data?: Record<string, string>;
}

export class Kubectl {
  constructor(private readonly api: KubeApiserver) {}

  /** Runs kubectl; the result whatever the exit code. */
  run(args: readonly string[], input?: string) {
    return run(
      'kubectl',
      ['--kubeconfig', this.api.kubeconfig, ...args],
      input === undefined ? {} : { input },
    );
  }

  async ok(args: readonly string[], input?: string): Promise<string> {
    const r = await this.run(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  async apply(object: object): Promise<void> {
    await this.ok(['apply', '--validate=strict', '-f', '-'], JSON.stringify(object));
  }

  async get(what: string, namespace: string): Promise<Item | undefined> {
    const r = await this.run(['get', what, '-n', namespace, '-o', 'json']);
    if (r.code !== 0) {
      if (r.stderr.includes('NotFound')) return undefined;
      throw new Error(`kubectl get ${what}: ${r.stderr}`);
    }
    return JSON.parse(r.stdout) as Item;
  }

  async list(kinds: string, namespace: string, selector?: string): Promise<Item[]> {
    const args = ['get', kinds, '-n', namespace, '-o', 'json'];
    if (selector !== undefined) args.push('-l', selector);
    return (JSON.parse(await this.ok(args)) as { items: Item[] }).items;
  }
}

/** The Ready condition of a KafscaleCluster or KafscaleTopic, if written. */
export function ready(item: Item | undefined) {
  return item?.status?.conditions?.find((c) => c.type === 'Ready');
}
