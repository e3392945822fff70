// Pins the shape of the generated gRPC service descriptors and the scalar
// conventions of the API (int64 offsets and timestamps, int32 Kafka error
// codes, 16-byte topic ids as bytes), so a proto edit that breaks what the
// services rely on fails here and not deep inside a handler.
import { ScalarType, type DescField, type DescFile, type DescMessage } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';

import {
  ControlPlaneService,
  file_kafscale_controlplane_v1_controlplane,
} from '../../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import {
  GroupCoordinatorService,
  file_kafscale_controlplane_v1_groups,
} from '../../../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { file_kafscale_controlplane_v1_metadata } from '../../../../../lib/gen/proto/kafscale/controlplane/v1/metadata_pb.js';
import { AdminService } from '../../../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import {
  StorageService,
  file_kafscale_storage_v1_storage,
} from '../../../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';

const files: DescFile[] = [
  file_kafscale_storage_v1_storage,
  file_kafscale_controlplane_v1_controlplane,
  file_kafscale_controlplane_v1_metadata,
  file_kafscale_controlplane_v1_groups,
];

function allMessages(): DescMessage[] {
  const out: DescMessage[] = [];
  const visit = (m: DescMessage): void => {
    out.push(m);
    m.nestedMessages.forEach(visit);
  };
  for (const f of files) f.messages.forEach(visit);
  return out;
}

function allScalarFields(): {
  where: string;
  field: DescField & { fieldKind: 'scalar' | 'list' };
}[] {
  const out: { where: string; field: DescField & { fieldKind: 'scalar' | 'list' } }[] = [];
  for (const m of allMessages()) {
    for (const field of m.fields) {
      if (
        field.fieldKind === 'scalar' ||
        (field.fieldKind === 'list' && field.listKind === 'scalar')
      ) {
        out.push({ where: `${m.typeName}.${field.name}`, field });
      }
    }
  }
  return out;
}

describe('generated service descriptors', () => {
  it('StorageService has unary Append, Fetch, ListOffsets and OffsetForLeaderEpoch, and a bidirectional AppendStream', () => {
    expect(StorageService.typeName).toBe('kafscale.storage.v1.StorageService');
    expect(StorageService.methods.map((m) => [m.name, m.methodKind])).toEqual([
      ['Append', 'unary'],
      ['AppendStream', 'bidi_streaming'],
      ['Fetch', 'unary'],
      ['ListOffsets', 'unary'],
      ['OffsetForLeaderEpoch', 'unary'],
      ['DeleteRecords', 'unary'],
      ['DescribeProducers', 'unary'],
      ['Flush', 'unary'],
    ]);
    expect(StorageService.method.append.input.typeName).toBe('kafscale.storage.v1.AppendRequest');
    expect(StorageService.method.append.output.typeName).toBe('kafscale.storage.v1.AppendResponse');
  });

  it('ControlPlaneService streams WatchMetadata; its admin calls are unary', () => {
    expect(ControlPlaneService.typeName).toBe('kafscale.controlplane.v1.ControlPlaneService');
    expect(ControlPlaneService.methods.map((m) => [m.name, m.methodKind])).toEqual([
      ['WatchMetadata', 'server_streaming'],
      ['CreateTopics', 'unary'],
      ['DeleteTopics', 'unary'],
      ['CreatePartitions', 'unary'],
      ['DescribeConfigs', 'unary'],
      ['AlterConfigs', 'unary'],
      ['InitProducerId', 'unary'],
      ['AlterUserScramCredentials', 'unary'],
      ['DescribeUserScramCredentials', 'unary'],
      ['AlterClientQuotas', 'unary'],
      ['DescribeClientQuotas', 'unary'],
    ]);
  });

  it('AdminService streams the long operations (drain, offset reset); the rest are unary', () => {
    expect(AdminService.typeName).toBe('kafscale.admin.v1.AdminService');
    const streamed = new Set(['DrainStorageNode', 'ResetGroupOffsets']);
    for (const m of AdminService.methods) {
      expect([m.name, m.methodKind]).toEqual([
        m.name,
        streamed.has(m.name) ? 'server_streaming' : 'unary',
      ]);
    }
    expect(AdminService.methods).toHaveLength(15);
  });

  it('GroupCoordinatorService has one unary call per Kafka group API', () => {
    expect(GroupCoordinatorService.typeName).toBe(
      'kafscale.controlplane.v1.GroupCoordinatorService',
    );
    expect(GroupCoordinatorService.methods.map((m) => [m.name, m.methodKind])).toEqual(
      [
        'JoinGroup',
        'SyncGroup',
        'Heartbeat',
        'LeaveGroup',
        'OffsetCommit',
        'OffsetFetch',
        'OffsetDelete',
        'DescribeGroups',
        'ListGroups',
        'DeleteGroups',
      ].map((name) => [name, 'unary']),
    );
  });

  it('offsets, timestamps and epochs-in-ms are int64; Kafka error codes are int32; topic ids are bytes', () => {
    const fields = allScalarFields();
    const offsetLike = fields.filter(({ field }) =>
      /(^|_)offset$|^high_watermark$|^timestamp$|_time_ms$|^revision$/.test(field.name),
    );
    const errorCodes = fields.filter(({ field }) => field.name === 'error_code');
    const topicIds = fields.filter(({ field }) => /(^|_)topic_ids?$/.test(field.name));

    // Guard against the filters silently matching nothing after a rename.
    expect(offsetLike.length).toBeGreaterThan(10);
    expect(errorCodes.length).toBeGreaterThanOrEqual(5);
    expect(topicIds.length).toBeGreaterThanOrEqual(8);

    expect(
      offsetLike.filter(({ field }) => field.scalar !== ScalarType.INT64).map((f) => f.where),
    ).toEqual([]);
    expect(
      errorCodes.filter(({ field }) => field.scalar !== ScalarType.INT32).map((f) => f.where),
    ).toEqual([]);
    expect(
      topicIds.filter(({ field }) => field.scalar !== ScalarType.BYTES).map((f) => f.where),
    ).toEqual([]);
  });
});
