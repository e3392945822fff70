/** ACL bindings and filters between the model (acl-binding.ts) and the gRPC messages (acl.proto). */
import { create } from '@bufbuild/protobuf';
import {
  AclBindingFilterSchema,
  AclBindingSchema,
  type AclBindingFilter as AclBindingFilterMessage,
  type AclBinding as AclBindingMessage,
} from '../../gen/proto/kafscale/controlplane/v1/acl_pb.js';
import type { AclBinding } from './acl-binding.js';
import type { AclBindingFilter } from './acl-filter.js';

export function bindingMessage(b: AclBinding): AclBindingMessage {
  return create(AclBindingSchema, {
    resourceType: b.resourceType,
    resourceName: b.resourceName,
    patternType: b.patternType,
    principal: b.principal,
    host: b.host,
    operation: b.operation,
    permissionType: b.permission,
  });
}

export function bindingFromMessage(m: AclBindingMessage): AclBinding {
  return {
    resourceType: m.resourceType,
    resourceName: m.resourceName,
    patternType: m.patternType,
    principal: m.principal,
    host: m.host,
    operation: m.operation,
    permission: m.permissionType,
  };
}

export function filterMessage(f: AclBindingFilter): AclBindingFilterMessage {
  return create(AclBindingFilterSchema, {
    resourceType: f.resourceType,
    patternType: f.patternType,
    operation: f.operation,
    permissionType: f.permission,
    ...(f.resourceName === null ? {} : { resourceName: f.resourceName }),
    ...(f.principal === null ? {} : { principal: f.principal }),
    ...(f.host === null ? {} : { host: f.host }),
  });
}

export function filterFromMessage(m: AclBindingFilterMessage): AclBindingFilter {
  return {
    resourceType: m.resourceType,
    resourceName: m.resourceName ?? null,
    patternType: m.patternType,
    principal: m.principal ?? null,
    host: m.host ?? null,
    operation: m.operation,
    permission: m.permissionType,
  };
}
