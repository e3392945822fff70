/**
 * The Node.js flags every Kafscale service runs with. They size V8's heap, so they must
 * be given when node starts; the launchers carry them: the `kafscale` command's shebang
 * (bin/kafscale.js; `env -S` needs GNU coreutils 8.30+, a BSD or macOS env), `npm
 * start`, the image's entrypoint (deploy/docker/Dockerfile), and the fixtures that start
 * the edge, controlplane and storage node and `kafscale dev` for the tests and the
 * benchmark. They go on node's command line: Node refuses `--initial-old-space-size` in
 * NODE_OPTIONS. A test checks that the launchers agree.
 *
 * `--max-semi-space-size=64`: a 64 MiB young generation instead of Node 20's 16 MiB. The
 * services allocate buffers per request (records in, Fetch answers out) that die young, and
 * a larger young generation is scavenged less often. In quick benchmark runs A/B on the
 * same machine (docs/performance.md, "Node.js young generation") it halved the produce p50
 * at 10 MiB/s, lowered its p99 by about a quarter and the CPU of a warm read by about a
 * third, for about 140 MiB more peak RSS across the three services (90 of it in the
 * storage node).
 *
 * `--initial-old-space-size=256`: a floor under the old generation's limit. Without it the
 * edge ran a mark-compact every 80-100 ms of a warm read, each marking its whole 34 MB
 * heap: V8 counts the buffers allocated since the last one against that limit, it seems,
 * and a few Fetch answers passed it. With the floor the buffers die in scavenges. In
 * warm-read probes the edge's CPU per read halved and reads ran about a quarter faster;
 * in the full benchmark the warm read went from 63 to 120 MiB/s, for 125 MiB more peak
 * RSS in the edge and 10-60 MiB in the others (docs/performance.md, "Node.js old
 * generation").
 */
export const SERVICE_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=64',
  '--initial-old-space-size=256',
];
