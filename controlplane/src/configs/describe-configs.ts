/**
 * DescribeConfigs as Apache Kafka 3.9 answers it (ConfigHelper.describeConfigs), from this
 * replica's metadata view: one result per resource, in request order, a Kafka error as
 * data when a resource cannot be described.
 *
 * - Topic: every topic config (or the ones asked for; unknown names are left out), the
 *   override's value with source TOPIC_CONFIG, else the default with DEFAULT_CONFIG.
 *   Synonyms: the override, then the broker synonym with its default. Never read-only.
 *   An illegal name is INVALID_TOPIC_EXCEPTION, a missing topic UNKNOWN_TOPIC_OR_PARTITION.
 * - Broker "<id>": the broker configs Kafscale has (broker-configs.ts), all read-only. The
 *   id must be an integer; whether it is a live edge is checked by the edge answering
 *   (only edges know themselves: an embedded edge has no registration).
 * - Broker "": the dynamic cluster-wide defaults, of which Kafscale has none: no configs.
 * - Broker logger "<id>": Kafscale has no runtime-adjustable loggers: no configs. An empty
 *   id is INVALID_REQUEST, as in Kafka.
 * - Any other resource type: INVALID_REQUEST.
 */
import { create } from '@bufbuild/protobuf';
import {
  ConfigSynonymSchema,
  DescribeConfigsResponseSchema,
  DescribedConfigResourceSchema,
  DescribedConfigSchema,
  type ConfigResourceQuery,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
  type DescribedConfig,
  type DescribedConfigResource,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import { TOPIC_CONFIGS, type TopicConfigDef } from '../topics/topic-configs.js';
import { topicFailure, type TopicFailure } from '../topics/topic-failure.js';
import { validateTopicName } from '../topics/topic-name.js';
import { brokerConfigs, DEFAULT_BROKER_SETTINGS, type BrokerSettings } from './broker-configs.js';
import {
  canonicalValue,
  CONFIG_TYPE_CODES,
  ConfigSource,
  isSensitive,
  ResourceType,
} from './config-types.js';
import { parseBrokerId } from './resource-names.js';

interface Include {
  readonly synonyms: boolean;
  readonly documentation: boolean;
}

export function describeConfigs(
  view: MetadataView,
  req: DescribeConfigsRequest,
  settings: BrokerSettings = DEFAULT_BROKER_SETTINGS,
): Promise<DescribeConfigsResponse> {
  const include = { synonyms: req.includeSynonyms, documentation: req.includeDocumentation };
  return Promise.resolve(
    create(DescribeConfigsResponseSchema, {
      results: req.resources.map((q) => describeResource(view, q, include, settings)),
    }),
  );
}

function describeResource(
  view: MetadataView,
  q: ConfigResourceQuery,
  include: Include,
  settings: BrokerSettings,
): DescribedConfigResource {
  const wanted = (name: string) => q.allConfigs || q.configNames.includes(name);
  const answer = (outcome: TopicFailure | DescribedConfig[]) =>
    create(DescribedConfigResourceSchema, {
      resourceType: q.resourceType,
      resourceName: q.resourceName,
      ...(Array.isArray(outcome)
        ? { errorCode: KafkaError.NONE, configs: outcome }
        : { errorCode: outcome.errorCode, errorMessage: outcome.message }),
    });
  switch (q.resourceType) {
    case ResourceType.TOPIC: {
      const bad = validateTopicName(q.resourceName);
      if (bad !== undefined) return answer(bad);
      const entry = view.topicByName(q.resourceName);
      if (entry === undefined) {
        return answer(
          topicFailure(
            KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
            `topic ${JSON.stringify(q.resourceName)} does not exist`,
          ),
        );
      }
      const overrides = entry.record.configs;
      return answer(
        [...TOPIC_CONFIGS]
          .filter(([name]) => wanted(name))
          .map(([name, def]) => topicConfig(name, def, overrides[name], include)),
      );
    }
    case ResourceType.BROKER: {
      if (q.resourceName === '') return answer([]);
      const id = parseBrokerId(q.resourceName, 'Broker id');
      if (typeof id !== 'number') return answer(id);
      return answer(
        brokerConfigs(settings, id)
          .filter((c) => wanted(c.name))
          .map((c) =>
            described(
              c.name,
              c.type,
              c.value,
              c.source,
              true,
              c.source === ConfigSource.STATIC_BROKER_CONFIG
                ? [
                    [c.name, c.value, c.source],
                    [c.name, c.kafkaDefault, ConfigSource.DEFAULT_CONFIG],
                  ]
                : [[c.name, c.value, c.source]],
              c.documentation,
              include,
            ),
          ),
      );
    }
    case ResourceType.BROKER_LOGGER: {
      if (q.resourceName === '') {
        return answer(topicFailure(KafkaError.INVALID_REQUEST, 'Broker id must not be empty'));
      }
      const id = parseBrokerId(q.resourceName, 'Broker id');
      return answer(typeof id === 'number' ? [] : id);
    }
    default:
      return answer(
        topicFailure(
          KafkaError.INVALID_REQUEST,
          `Unsupported resource type: ${q.resourceType} (Kafscale describes topics (2), ` +
            'brokers (4) and broker loggers (8))',
        ),
      );
  }
}

function topicConfig(
  name: string,
  def: TopicConfigDef,
  override: string | undefined,
  include: Include,
): DescribedConfig {
  const synonyms: [string, string, number][] = [];
  if (override !== undefined) {
    synonyms.push([name, canonicalValue(def.type, override), ConfigSource.TOPIC_CONFIG]);
  }
  if (def.brokerSynonym !== undefined) {
    synonyms.push([def.brokerSynonym, def.defaultValue, ConfigSource.DEFAULT_CONFIG]);
  }
  const first = synonyms[0];
  return described(
    name,
    def.type,
    override === undefined ? def.defaultValue : canonicalValue(def.type, override),
    first === undefined ? ConfigSource.DEFAULT_CONFIG : first[2],
    false,
    synonyms,
    def.documentation,
    include,
  );
}

function described(
  name: string,
  type: TopicConfigDef['type'],
  value: string,
  source: number,
  readOnly: boolean,
  synonyms: readonly (readonly [string, string, number])[],
  documentation: string,
  include: Include,
): DescribedConfig {
  const sensitive = isSensitive(type);
  return create(DescribedConfigSchema, {
    name,
    ...(sensitive ? {} : { value }),
    readOnly,
    configSource: source,
    isSensitive: sensitive,
    synonyms: include.synonyms
      ? synonyms.map(([n, v, s]) =>
          create(ConfigSynonymSchema, { name: n, ...(sensitive ? {} : { value: v }), source: s }),
        )
      : [],
    configType: CONFIG_TYPE_CODES[type],
    documentation: include.documentation ? documentation : '',
  });
}
