/**
 * Reading the image's Dockerfile (deploy/docker/Dockerfile) in tests: the runtime stage's
 * text, and its exec-form instructions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOCKERFILE = join(import.meta.dirname, '../../deploy/docker/Dockerfile');

/** The Dockerfile's last stage: what the image runs with. */
export function runtimeStage(): string {
  const text = readFileSync(DOCKERFILE, 'utf8');
  return text.slice(text.lastIndexOf('\nFROM '));
}

/** The exec-form JSON array of an instruction of the runtime stage (ENTRYPOINT, CMD). */
export function dockerfileArray(instruction: string): string[] {
  const line = runtimeStage()
    .split('\n')
    .find((l) => l.startsWith(`${instruction} `));
  if (line === undefined) throw new Error(`the Dockerfile has no ${instruction}`);
  return JSON.parse(line.slice(instruction.length + 1)) as string[];
}
