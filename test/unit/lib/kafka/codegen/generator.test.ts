import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAll } from '../../../../../lib/kafka/codegen/generate.js';
import { kebabCase } from '../../../../../lib/kafka/codegen/model.js';
import { parseMessage, stripJsonComments } from '../../../../../lib/kafka/codegen/spec.js';
import {
  parseVersions,
  subtract,
  versionCondition,
} from '../../../../../lib/kafka/codegen/versions.js';

const root = join(import.meta.dirname, '../../../../..');
const specsDir = join(root, '../shared/kafka-protocol');
const genDir = join(root, 'lib/kafka/gen');

describe('codec generator', () => {
  it('parses version ranges as Kafka writes them', () => {
    expect(parseVersions('none')).toEqual({ min: 1, max: 0 });
    expect(parseVersions('3+')).toEqual({ min: 3, max: Infinity });
    expect(parseVersions('1-4')).toEqual({ min: 1, max: 4 });
    expect(parseVersions('7')).toEqual({ min: 7, max: 7 });
    expect(() => parseVersions('3-')).toThrow(/bad version range/);
  });

  it('folds version conditions against what is already known', () => {
    expect(versionCondition({ min: 3, max: Infinity }, { min: 0, max: 11 })).toBe('v >= 3');
    expect(versionCondition({ min: 0, max: Infinity }, { min: 0, max: 11 })).toBe('true');
    expect(versionCondition({ min: 12, max: Infinity }, { min: 0, max: 11 })).toBe('false');
    expect(versionCondition({ min: 2, max: 5 }, { min: 0, max: 11 })).toBe('v >= 2 && v <= 5');
    expect(subtract({ min: 0, max: 17 }, { min: 12, max: Infinity })).toEqual({ min: 0, max: 11 });
  });

  it('names files and strips comments outside strings only', () => {
    expect(kebabCase('OffsetForLeaderEpoch')).toBe('offset-for-leader-epoch');
    expect(kebabCase('DescribeACLs')).toBe('describe-ac-ls');
    expect(stripJsonComments('// head\n{"a": "x // not a comment"} // tail')).toBe(
      '\n{"a": "x // not a comment"} \n',
    );
  });

  it('reads a field-level flexibleVersions override', () => {
    const spec = parseMessage(
      'X.json',
      '{"type":"header","name":"X","validVersions":"0-2","flexibleVersions":"2+","fields":[{"name":"ClientId","type":"string","versions":"1+","nullableVersions":"1+","flexibleVersions":"none"}]}',
    );
    expect(spec.fields[0]?.flexibleVersions).toEqual({ min: 1, max: 0 });
  });

  // The specs live beside the project (../shared/kafka-protocol); where they are present,
  // the committed output must be exactly what the generator writes from them.
  it.runIf(existsSync(specsDir))(
    'committed lib/kafka/gen is what the generator writes from the specs',
    () => {
      const files = generateAll(specsDir);
      const committed = readdirSync(genDir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.ts'))
        .sort();
      expect(committed).toEqual([...files.keys()].sort());
      for (const [name, text] of files) {
        expect(
          readFileSync(join(genDir, name), 'utf8'),
          `${name} is stale: run npm run codegen`,
        ).toBe(text);
      }
    },
  );
});
