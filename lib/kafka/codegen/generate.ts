/** Turns a folder of Kafka JSON specs into the generated files, keyed by relative path. */
import { emitFile } from './emit-file.js';
import { emitIndex, type IndexEntry } from './emit-index.js';
import { emitSchemas } from './emit-schema.js';
import { buildModel, kebabCase, type MessageModel } from './model.js';
import { loadSpecs } from './spec.js';

export function generateAll(specsDir: string): Map<string, string> {
  const specs = loadSpecs(specsDir);
  const files = new Map<string, string>();
  const models = specs.map(buildModel);
  const byName = new Map(models.map((m) => [m.spec.name, m]));
  const entries: IndexEntry[] = [];
  const emitted: MessageModel[] = [];
  const dataModules: string[] = [];

  for (const req of models) {
    const spec = req.spec;
    if (spec.type !== 'request' || !spec.listeners.includes('broker')) continue;
    const apiName = spec.name.replace(/Request$/, '');
    const res = byName.get(`${apiName}Response`);
    if (!res || res.spec.apiKey !== spec.apiKey) throw new Error(`no response for ${spec.name}`);
    const key = spec.apiKey ?? -1;
    const module = `${String(key).padStart(2, '0')}-${kebabCase(apiName)}`;
    files.set(`${module}.ts`, emitFile([req, res], { name: apiName, request: req, response: res }));
    entries.push({
      apiKey: key,
      name: apiName,
      module,
      requestName: spec.name,
      responseName: res.spec.name,
    });
    emitted.push(req, res);
  }
  for (const m of models) {
    if (m.spec.type === 'header') {
      files.set(`${kebabCase(m.spec.name)}.ts`, emitFile([m]));
      emitted.push(m);
    } else if (m.spec.type === 'data') {
      const module = `data/${kebabCase(m.spec.name)}`;
      files.set(`${module}.ts`, emitFile([m]).replaceAll("'../protocol/", "'../../protocol/"));
      dataModules.push(module);
      emitted.push(m);
    }
  }
  files.set('index.ts', emitIndex(entries, dataModules));
  files.set('schemas.ts', emitSchemas(emitted));
  return files;
}
