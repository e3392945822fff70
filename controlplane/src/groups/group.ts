/**
 * One consumer group as its coordinator holds it in memory (Kafka's classic group
 * protocol): its state, generation, protocol, leader and members. The rules that move a
 * group between states live in group-coordinator.ts; this file only keeps the facts and
 * answers questions about them.
 */
import type {
  GroupProtocolEntry,
  GroupRecord,
  MemberRecord,
  OffsetRecord,
} from './group-record.js';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export const GROUP_STATES: readonly GroupState[] = [
  'Empty',
  'PreparingRebalance',
  'CompletingRebalance',
  'Stable',
  'Dead',
];

export interface JoinAnswer {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolType: string;
  readonly protocolName: string;
  readonly leader: string;
  readonly skipAssignment: boolean;
  readonly memberId: string;
  readonly members: readonly { memberId: string; groupInstanceId: string; metadata: Uint8Array }[];
}

export interface SyncAnswer {
  readonly errorCode: number;
  readonly protocolType: string;
  readonly protocolName: string;
  readonly assignment: Uint8Array;
}

export class Member {
  protocols: GroupProtocolEntry[];
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  assignment: Uint8Array = new Uint8Array(0);
  /** Set while the member waits in JoinGroup for the barrier. */
  awaitingJoin: ((answer: JoinAnswer) => void) | undefined;
  /** Set while the member waits in SyncGroup for the leader's assignment. */
  awaitingSync: ((answer: SyncAnswer) => void) | undefined;
  /** Joined in the current rebalance and not yet answered (KIP-394). */
  isNew = false;
  sessionTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string,
    readonly clientId: string,
    readonly clientHost: string,
    protocols: GroupProtocolEntry[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
  ) {
    this.protocols = protocols;
    this.rebalanceTimeoutMs = rebalanceTimeoutMs;
    this.sessionTimeoutMs = sessionTimeoutMs;
  }

  static fromRecord(r: MemberRecord): Member {
    const m = new Member(
      r.memberId,
      r.groupInstanceId,
      r.clientId,
      r.clientHost,
      r.protocols,
      r.rebalanceTimeoutMs,
      r.sessionTimeoutMs,
    );
    m.assignment = r.assignment;
    return m;
  }

  toRecord(): MemberRecord {
    return {
      memberId: this.memberId,
      groupInstanceId: this.groupInstanceId,
      clientId: this.clientId,
      clientHost: this.clientHost,
      protocols: this.protocols,
      rebalanceTimeoutMs: this.rebalanceTimeoutMs,
      sessionTimeoutMs: this.sessionTimeoutMs,
      assignment: this.assignment,
    };
  }

  metadataFor(protocol: string): Uint8Array {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? new Uint8Array(0);
  }

  /** Same protocols, same metadata, same order. */
  matches(protocols: readonly GroupProtocolEntry[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every((p, i) => {
        const mine = this.protocols[i];
        return mine?.name === p.name && bytesEqual(mine.metadata, p.metadata);
      })
    );
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType = '';
  protocolName = '';
  leaderId = '';
  /** When the group last changed state (ms since epoch): offsets retention counts from it. */
  stateTimestamp: number;
  readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, not yet joined with. */
  readonly pendingMembers = new Map<string, NodeJS.Timeout>();
  /** Static members: group.instance.id -> member id. */
  readonly staticMembers = new Map<string, string>();
  /** The join barrier's timer while PreparingRebalance. */
  joinTimer: NodeJS.Timeout | undefined;
  /**
   * Set while the first rebalance of an empty group is held for more members
   * (group.initial.rebalance.delay.ms): the barrier cannot complete early meanwhile.
   */
  initialDelay: { remainingMs: number; newMemberAdded: boolean } | undefined;
  /** Committed offsets, by topic and partition. */
  readonly offsets = new Map<string, Map<number, OffsetRecord>>();

  constructor(
    readonly groupId: string,
    readonly shard: number,
    now: number,
  ) {
    this.stateTimestamp = now;
  }

  transition(state: GroupState, now: number): void {
    this.state = state;
    this.stateTimestamp = now;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  /** Adds a member; the first member of an empty group sets its protocol type. */
  add(member: Member, protocolType: string): void {
    if (this.members.size === 0) this.protocolType = protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== '')
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    if (this.leaderId === '') this.leaderId = member.memberId;
  }

  remove(memberId: string): Member | undefined {
    const member = this.members.get(memberId);
    if (!member) return undefined;
    this.members.delete(memberId);
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    if (
      member.groupInstanceId !== '' &&
      this.staticMembers.get(member.groupInstanceId) === memberId
    )
      this.staticMembers.delete(member.groupInstanceId);
    if (this.leaderId === memberId) {
      const next = this.members.keys().next();
      this.leaderId = next.done ? '' : next.value;
    }
    return member;
  }

  /** True when every member waits in JoinGroup and no issued member id is outstanding. */
  allMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.awaitingJoin) return false;
    return this.pendingMembers.size === 0;
  }

  /** The longest rebalance timeout of the members: how long the join barrier waits. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Protocols every member supports. */
  candidateProtocols(): Set<string> {
    let candidates: Set<string> | undefined;
    for (const m of this.members.values()) {
      const names = new Set(m.protocols.map((p) => p.name));
      candidates =
        candidates === undefined ? names : new Set([...candidates].filter((n) => names.has(n)));
    }
    return candidates ?? new Set();
  }

  /**
   * Whether a member with this protocol type and these protocols may join: an empty group
   * takes any non-empty offer; otherwise the type must match and at least one protocol
   * must be one every member supports.
   */
  supportsProtocols(protocolType: string, protocols: readonly GroupProtocolEntry[]): boolean {
    if (this.members.size === 0) return protocolType !== '' && protocols.length > 0;
    if (protocolType !== this.protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocols.some((p) => candidates.has(p.name));
  }

  /**
   * Kafka's choice: among the protocols every member supports, each member votes for the
   * first one in its own preference order; the most votes win (ties: the earliest
   * candidate in the leader's order).
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.protocols.find((p) => candidates.has(p.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    const leader = this.members.get(this.leaderId);
    const order = (leader?.protocols ?? []).map((p) => p.name);
    let best = '';
    let bestVotes = -1;
    for (const name of order) {
      const v = votes.get(name) ?? 0;
      if (candidates.has(name) && v > bestVotes) {
        best = name;
        bestVotes = v;
      }
    }
    return best;
  }

  /**
   * True when nothing is left to keep: never stored (generation 0), no members, none
   * pending, no offsets. A stored empty group stays until offsets retention removes it.
   */
  isForgettable(): boolean {
    return (
      this.state === 'Empty' &&
      this.generationId === 0 &&
      this.members.size === 0 &&
      this.pendingMembers.size === 0 &&
      this.offsets.size === 0
    );
  }

  toRecord(): GroupRecord {
    return {
      protocolType: this.protocolType,
      generationId: this.generationId,
      protocolName: this.protocolName,
      leaderId: this.leaderId,
      stateTimestamp: this.stateTimestamp,
      members: [...this.members.values()].map((m) => m.toRecord()),
    };
  }

  /** A group resumed from etcd: Stable with its stored members, or Empty. */
  static fromRecord(groupId: string, shard: number, r: GroupRecord): Group {
    const g = new Group(groupId, shard, r.stateTimestamp);
    g.protocolType = r.protocolType;
    g.generationId = r.generationId;
    for (const m of r.members) g.add(Member.fromRecord(m), r.protocolType);
    if (g.members.size > 0) {
      g.protocolName = r.protocolName;
      g.leaderId = g.members.has(r.leaderId) ? r.leaderId : g.leaderId;
      g.state = 'Stable';
    }
    return g;
  }

  /** Every member with its metadata for the selected protocol, for the leader. */
  memberMetadata(): JoinAnswer['members'] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(this.protocolName),
    }));
  }
}
