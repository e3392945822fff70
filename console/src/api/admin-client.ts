/** The console's handle on the controlplane: an AdminService client and its call bounds. */
import type { Client } from '@connectrpc/connect';
import type { AdminService } from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';

export type AdminClient = Client<typeof AdminService>;

/** The most a page's call to the admin API may take before the page gets a 504. */
export const ADMIN_CALL_TIMEOUT_MS = 10_000;
