/**
 * The `kafscale` command. Subcommands start one service each, or all of them in one
 * process (`dev`, the embedded default).
 *
 *   kafscale dev [--kafka-port N] [--data-dir DIR]
 *   kafscale edge | controlplane | storage-node
 *   kafscale console
 *   kafscale operator
 *   kafscale status | topics | partitions | nodes | groups ...   (admin/admin-cli.ts)
 *   kafscale sasl-plain-hash USER   (password on stdin; sasl-plain-hash.ts)
 */
import { loadConfig, type KafscaleConfig } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { parsePort } from '../config/parsers.js';
import { createLogger, type Logger } from '../log/logger.js';
import { resolve } from 'node:path';
import { openServiceSecurity } from './services/service-security.js';
import { ADMIN_COMMANDS, ADMIN_USAGE, runAdminCommand } from './admin/admin-cli.js';
import { startDev, type DevOptions } from './dev.js';
import { runSaslPlainHash, SASL_PLAIN_HASH_USAGE } from './sasl-plain-hash.js';
import { runConsole } from './services/run-console.js';
import { runControlplane } from './services/run-controlplane.js';
import { runEdge } from './services/run-edge.js';
import { runStorageNode } from './services/run-storage-node.js';

const USAGE = `usage: kafscale <command>

commands:
  dev [--data-dir DIR] [--kafka-port N]
                         run the embedded default: controlplane, storage node and edge in
                         one process, data under DIR (./kafscale-data), Kafka on
                         127.0.0.1:N (9092)
  edge, controlplane, storage-node
                         one service each, configured by KAFSCALE_* variables; they find
                         each other through etcd (KAFSCALE_ETCD_ENDPOINTS)
  console                the web console on KAFSCALE_CONSOLE_ADDR (127.0.0.1:48080/ui/),
                         over the controlplane at KAFSCALE_CONTROLPLANE_URL and the metrics
                         endpoints in KAFSCALE_CONSOLE_BROKER_METRICS_URL; \`dev\` serves it too
  operator               the Kubernetes operator: reconciles KafscaleCluster and
                         KafscaleTopic resources (docs/kubernetes.md); replicas elect a
                         leader through a Lease
${SASL_PLAIN_HASH_USAGE}
${ADMIN_USAGE}`;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--'))
    throw new ConfigError(name, '', 'needs a value');
  return value;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command !== undefined && Object.hasOwn(ADMIN_COMMANDS, command)) {
    return runAdminCommand(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      controlplaneUrl: process.env.KAFSCALE_CONTROLPLANE_URL,
      dialer: async () => {
        const config = loadConfig(process.env);
        return (await openServiceSecurity(config, createLogger('kafscale', config.logLevel)))
          .adminDialer;
      },
    });
  }
  if (command === 'sasl-plain-hash')
    return runSaslPlainHash(args, {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  let config: KafscaleConfig;
  let dev: DevOptions | undefined;
  try {
    config = loadConfig(process.env);
    if (command === 'dev') {
      const port = option(args, '--kafka-port');
      dev = {
        dataDir: resolve(option(args, '--data-dir') ?? 'kafscale-data'),
        kafkaHost: '127.0.0.1',
        kafkaPort: port === undefined ? 9092 : parsePort('--kafka-port', port),
        ...(config.explicitListeners ? { listeners: config.listeners } : {}),
        adminAddr: config.controlplaneAddr,
        consoleAddr: config.console.addr,
      };
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`kafscale: bad configuration: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  switch (command) {
    case 'dev': {
      if (dev === undefined) return 2;
      const log = createLogger('dev', config.logLevel);
      const broker = await startDev(dev, config, log);
      process.stdout.write(
        `kafscale dev: Kafka on ${broker.kafka}, ${broker.stores}, ` +
          `metrics on port ${broker.metricsPort}, ` +
          `admin API on port ${broker.adminPort ?? '-'}, console on ${broker.consoleUrl ?? '-'}\n`,
      );
      const stop = () => {
        void broker.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case 'edge':
    case 'controlplane':
    case 'storage-node':
    case 'console':
    case 'operator': {
      const log = createLogger(command, config.logLevel);
      const run = {
        edge: runEdge,
        controlplane: runControlplane,
        'storage-node': runStorageNode,
        console: runConsole,
        // Loaded only here: the Kubernetes client takes about 0.6 s of CPU to import.
        operator: async (c: KafscaleConfig, l: Logger) =>
          (await import('./services/run-operator.js')).runOperator(c, l),
      }[command];
      const service = await run(config, log);
      process.stdout.write(`kafscale ${command}: ${service.description}\n`);
      const stop = () => {
        void service.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`kafscale: unknown command ${JSON.stringify(command)}\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(
      `kafscale: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
