/**
 * The Kubernetes tools the chart and operator tests run: helm, kubeconform, kube-apiserver
 * and kube-controller-manager (built into the cache by scripts/test-deps.sh) and kubectl
 * (on PATH, or built there when absent).
 * A missing tool fails the test with a message saying how to get it; nothing is skipped.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { cacheDir, findExecutable, makeTempDir } from '../../fixtures/processes.js';

export const REPO = join(import.meta.dirname, '../../..');
export const CHART = join(REPO, 'deploy/helm/kafscale');

export type Tool =
  'helm' | 'kubeconform' | 'kube-apiserver' | 'kube-controller-manager' | 'kubectl';

/** Absolute path of a tool: the cache's bin/ first, then PATH for kubectl. */
export function tool(name: Tool): string {
  const bin = join(cacheDir(), 'bin');
  const found = findExecutable(name, [bin]);
  if (found === undefined || (name !== 'kubectl' && !found.startsWith(bin))) {
    throw new Error(
      `${name} not found in ${bin}${name === 'kubectl' ? ' or on PATH' : ''}: ` +
        'run `bash scripts/test-deps.sh` (it builds the Kubernetes tools; see docs/kubernetes.md)',
    );
  }
  return found;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Helm keeps its config, cache and data in a directory of the test run, not in $HOME.
let helmHome: string | undefined;
function helmEnv(): NodeJS.ProcessEnv {
  helmHome ??= makeTempDir('helm-home');
  return {
    ...process.env,
    HELM_CONFIG_HOME: join(helmHome, 'config'),
    HELM_CACHE_HOME: join(helmHome, 'cache'),
    HELM_DATA_HOME: join(helmHome, 'data'),
  };
}

/** Runs a tool to its end; never rejects on a non-zero exit (the caller reads `code`). */
export function run(
  name: Tool,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  const file = tool(name);
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      {
        env: options.env ?? (name === 'helm' ? helmEnv() : process.env),
        timeout: options.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err !== null && typeof err.code !== 'number') {
          reject(new Error(`${name} ${args.join(' ')}: ${err.message}\n${stderr}`));
          return;
        }
        resolve({ code: err === null ? 0 : Number(err.code), stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs a tool and returns its stdout; throws with its output when it fails. */
export async function runOk(
  name: Tool,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  const r = await run(name, args, options);
  if (r.code !== 0) {
    throw new Error(`${name} ${args.join(' ')} exited with ${r.code}:\n${r.stderr}\n${r.stdout}`);
  }
  return r.stdout;
}

/** Helm's own environment (config, cache and data under the test run's temp dir). */
export function helmEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...helmEnv(), ...extra };
}
