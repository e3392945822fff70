/**
 * The `kafscale` command. Subcommands start one service each, or all of them in one
 * process (`dev`, the embedded default).
 *
 *   kafscale dev [--kafka-port N] [--data-dir DIR]
 *   kafscale edge | controlplane | storage-node
 */
import { loadConfig, type KafscaleConfig } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { parsePort } from '../config/parsers.js';
import { createLogger } from '../log/logger.js';
import { startEdge } from '../../edge/src/edge.js';

const USAGE = `usage: kafscale <command>

commands:
  dev [--kafka-port N]   run the embedded default on 127.0.0.1 (Kafka port 9092 by default)
  edge                   run an edge (Kafka listener) configured by KAFSCALE_* variables
  controlplane           not built yet
  storage-node           not built yet
`;

function devConfig(args: string[], config: KafscaleConfig): KafscaleConfig {
  const at = args.indexOf('--kafka-port');
  const port = at >= 0 ? parsePort('--kafka-port', args[at + 1] ?? '') : 9092;
  return Object.freeze({
    ...config,
    edgeAddr: { host: '127.0.0.1', port },
    advertisedAddr: { host: '127.0.0.1', port },
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  let config: KafscaleConfig;
  try {
    config = loadConfig(process.env);
    if (command === 'dev') config = devConfig(args, config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`kafscale: bad configuration: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  switch (command) {
    case 'dev':
    case 'edge': {
      const log = createLogger(command, config.logLevel);
      const server = await startEdge(config, log);
      process.stdout.write(
        `kafscale ${command}: Kafka listener on ${config.edgeAddr.host}:${server.port} ` +
          '(no storage or controlplane is wired into this command yet, so no topic exists)\n',
      );
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case 'controlplane':
    case 'storage-node':
      process.stderr.write(`kafscale: ${command} is not built yet\n`);
      return 2;
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
