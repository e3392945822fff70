/** How an edge reaches the controlplane: a gRPC client (HTTP/2, or in-memory when embedded). */
import type { Client } from '@connectrpc/connect';
import type { ControlPlaneService } from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';

export type ControlPlaneClient = Client<typeof ControlPlaneService>;
