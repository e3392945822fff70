/**
 * The classic group protocol's membership rules, as Apache Kafka's GroupCoordinator applies
 * them: JoinGroup (the join barrier, MEMBER_ID_REQUIRED, static members), SyncGroup,
 * Heartbeat, LeaveGroup, session expiry and the rebalance that each of them may start.
 *
 * States: Empty -> PreparingRebalance (members join; the barrier waits for every known
 * member or the longest rebalance timeout) -> CompletingRebalance (the leader computes the
 * assignment) -> Stable (assignment stored and handed out). Heartbeats only reset timers
 * in memory; the group is written to etcd when a generation completes (the leader's
 * SyncGroup) and when it becomes empty.
 */
import { randomUUID } from 'node:crypto';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { JoinGroupRequest } from '../../../lib/gen/proto/kafscale/controlplane/v1/groups_pb.js';
import { Group, Member, type JoinAnswer, type SyncAnswer } from './group.js';
import type { GroupProtocolEntry } from './group-record.js';
import { NEW_MEMBER_JOIN_TIMEOUT_MS, type GroupSettings } from './group-settings.js';
import { ShardLostError } from './shard-fence.js';

export interface MembershipHooks {
  /** Writes the group's state to etcd (fenced); rejects with ShardLostError when fenced. */
  persist(group: Group): Promise<void>;
  /** The group has no members, no pending members and no offsets: it may be forgotten. */
  maybeForget(group: Group): void;
}

export interface SyncRequest {
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string;
  readonly protocolType: string;
  readonly protocolName: string;
  readonly assignments: readonly { memberId: string; assignment: Uint8Array }[];
}

export interface LeavingMember {
  readonly memberId: string;
  readonly groupInstanceId: string;
}

export function joinError(errorCode: number, memberId = ''): JoinAnswer {
  return {
    errorCode,
    generationId: -1,
    protocolType: '',
    protocolName: '',
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export function syncError(errorCode: number): SyncAnswer {
  return { errorCode, protocolType: '', protocolName: '', assignment: new Uint8Array(0) };
}

/** The error a failed group write becomes for a client. */
export function writeFailureCode(error: unknown): number {
  return error instanceof ShardLostError
    ? KafkaError.NOT_COORDINATOR
    : KafkaError.COORDINATOR_NOT_AVAILABLE;
}

export class Membership {
  constructor(
    private readonly settings: GroupSettings,
    private readonly hooks: MembershipHooks,
  ) {}

  // --- JoinGroup -------------------------------------------------------------------------

  join(group: Group, req: JoinGroupRequest): Promise<JoinAnswer> {
    return new Promise((resolve) => {
      const protocols: GroupProtocolEntry[] = req.protocols.map((p) => ({
        name: p.name,
        metadata: p.metadata,
      }));
      if (group.state === 'Dead') {
        resolve(joinError(KafkaError.COORDINATOR_NOT_AVAILABLE, req.memberId));
        return;
      }
      if (!group.supportsProtocols(req.protocolType, protocols)) {
        resolve(joinError(KafkaError.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
        return;
      }
      if (req.memberId === '') this.joinNew(group, req, protocols, resolve);
      else this.joinKnown(group, req, protocols, resolve);
    });
  }

  private joinNew(
    group: Group,
    req: JoinGroupRequest,
    protocols: GroupProtocolEntry[],
    resolve: (a: JoinAnswer) => void,
  ): void {
    const memberId = `${req.groupInstanceId || req.clientId}-${randomUUID()}`;
    if (req.groupInstanceId !== '') {
      this.joinStatic(group, memberId, req, protocols, resolve);
    } else if (req.requireKnownMemberId) {
      // KIP-394: the member comes back with this id; until then it holds up the barrier.
      const timer = setTimeout(() => {
        if (group.pendingMembers.delete(memberId)) {
          this.tryCompleteJoin(group);
          this.hooks.maybeForget(group);
        }
      }, req.sessionTimeoutMs);
      timer.unref();
      group.pendingMembers.set(memberId, timer);
      resolve(joinError(KafkaError.MEMBER_ID_REQUIRED, memberId));
    } else {
      this.addAndRebalance(group, memberId, req, protocols, resolve);
    }
  }

  private joinKnown(
    group: Group,
    req: JoinGroupRequest,
    protocols: GroupProtocolEntry[],
    resolve: (a: JoinAnswer) => void,
  ): void {
    const pending = group.pendingMembers.get(req.memberId);
    if (pending !== undefined) {
      clearTimeout(pending);
      group.pendingMembers.delete(req.memberId);
      this.addAndRebalance(group, req.memberId, req, protocols, resolve);
      return;
    }
    if (isFenced(group, req.groupInstanceId, req.memberId)) {
      resolve(joinError(KafkaError.FENCED_INSTANCE_ID, req.memberId));
      return;
    }
    const member = group.members.get(req.memberId);
    if (member === undefined) {
      resolve(joinError(KafkaError.UNKNOWN_MEMBER_ID, req.memberId));
      return;
    }
    switch (group.state) {
      case 'PreparingRebalance':
        this.updateAndRebalance(group, member, req, protocols, resolve);
        return;
      case 'CompletingRebalance':
        // Same metadata: the member missed the JoinGroup answer; give it again.
        if (member.matches(protocols)) resolve(this.currentAnswer(group, member.memberId, false));
        else this.updateAndRebalance(group, member, req, protocols, resolve);
        return;
      case 'Stable':
        if (group.isLeader(member.memberId) || !member.matches(protocols))
          this.updateAndRebalance(group, member, req, protocols, resolve);
        else resolve(this.currentAnswer(group, member.memberId, false));
        return;
      default:
        resolve(joinError(KafkaError.UNKNOWN_MEMBER_ID, req.memberId));
    }
  }

  /** KIP-345: a static member (re)joins; a known instance id takes over the old member. */
  private joinStatic(
    group: Group,
    memberId: string,
    req: JoinGroupRequest,
    protocols: GroupProtocolEntry[],
    resolve: (a: JoinAnswer) => void,
  ): void {
    const oldId = group.staticMembers.get(req.groupInstanceId);
    const old = oldId === undefined ? undefined : group.members.get(oldId);
    if (old === undefined) {
      this.addAndRebalance(group, memberId, req, protocols, resolve);
      return;
    }
    const oldProtocols = old.protocols;
    const wasLeader = group.isLeader(old.memberId);
    const member = this.replaceStatic(group, old, memberId);
    if (group.state !== 'Stable') {
      this.updateAndRebalance(group, member, req, protocols, resolve);
      return;
    }
    if (!member.matches(protocols) || (wasLeader && !req.supportsSkipAssignment)) {
      this.updateAndRebalance(group, member, req, protocols, resolve);
      return;
    }
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    const generation = group.generationId;
    this.hooks.persist(group).then(
      () => {
        this.scheduleSession(group, member);
        resolve(this.currentAnswer(group, member.memberId, wasLeader));
      },
      (error: unknown) => {
        // Undo the replacement if nothing else changed the group meanwhile.
        if (group.generationId === generation && group.members.get(member.memberId) === member) {
          const restored = this.replaceStatic(group, member, old.memberId);
          restored.protocols = oldProtocols;
        }
        resolve(joinError(writeFailureCode(error), memberId));
      },
    );
  }

  /** Moves a static member to a new member id; the old id's pending calls are fenced. */
  private replaceStatic(group: Group, old: Member, newId: string): Member {
    const member = new Member(
      newId,
      old.groupInstanceId,
      old.clientId,
      old.clientHost,
      old.protocols,
      old.rebalanceTimeoutMs,
      old.sessionTimeoutMs,
    );
    member.assignment = old.assignment;
    old.awaitingJoin?.(joinError(KafkaError.FENCED_INSTANCE_ID, old.memberId));
    old.awaitingJoin = undefined;
    old.awaitingSync?.(syncError(KafkaError.FENCED_INSTANCE_ID));
    old.awaitingSync = undefined;
    const wasLeader = group.isLeader(old.memberId);
    group.remove(old.memberId);
    group.add(member, group.protocolType);
    if (wasLeader) group.leaderId = newId;
    this.scheduleSession(group, member);
    return member;
  }

  private addAndRebalance(
    group: Group,
    memberId: string,
    req: JoinGroupRequest,
    protocols: GroupProtocolEntry[],
    resolve: (a: JoinAnswer) => void,
  ): void {
    const member = new Member(
      memberId,
      req.groupInstanceId,
      req.clientId,
      req.clientHost,
      protocols,
      req.rebalanceTimeoutMs,
      req.sessionTimeoutMs,
    );
    member.isNew = true;
    if (group.initialDelay) group.initialDelay.newMemberAdded = true;
    group.add(member, req.protocolType);
    member.awaitingJoin = resolve;
    this.scheduleSession(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.maybePrepareRebalance(group);
  }

  private updateAndRebalance(
    group: Group,
    member: Member,
    req: JoinGroupRequest,
    protocols: GroupProtocolEntry[],
    resolve: (a: JoinAnswer) => void,
  ): void {
    // A retried JoinGroup replaces the earlier one, which learns it was superseded.
    member.awaitingJoin?.(joinError(KafkaError.REBALANCE_IN_PROGRESS, member.memberId));
    member.protocols = protocols;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.awaitingJoin = resolve;
    this.maybePrepareRebalance(group);
  }

  private currentAnswer(group: Group, memberId: string, skipAssignment: boolean): JoinAnswer {
    const leader = group.isLeader(memberId);
    return {
      errorCode: KafkaError.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId,
      skipAssignment: leader && skipAssignment,
      memberId,
      members: leader ? group.memberMetadata() : [],
    };
  }

  // --- The rebalance ---------------------------------------------------------------------

  private maybePrepareRebalance(group: Group): void {
    if (
      group.state === 'Stable' ||
      group.state === 'CompletingRebalance' ||
      group.state === 'Empty'
    ) {
      this.prepareRebalance(group);
    }
    this.tryCompleteJoin(group);
  }

  private prepareRebalance(group: Group): void {
    if (group.state === 'CompletingRebalance') {
      this.resetAssignments(group, KafkaError.REBALANCE_IN_PROGRESS);
    }
    const fromEmpty = group.state === 'Empty';
    group.transition('PreparingRebalance', Date.now());
    if (group.joinTimer) clearTimeout(group.joinTimer);
    const rebalanceTimeout = group.rebalanceTimeoutMs();
    const delay = this.settings.initialRebalanceDelayMs;
    if (fromEmpty && delay > 0) {
      // group.initial.rebalance.delay.ms: wait for more members while they keep coming,
      // within the rebalance timeout.
      group.initialDelay = {
        remainingMs: Math.max(rebalanceTimeout - delay, 0),
        newMemberAdded: false,
      };
      this.armJoinTimer(group, Math.min(delay, rebalanceTimeout));
    } else {
      group.initialDelay = undefined;
      this.armJoinTimer(group, rebalanceTimeout);
    }
  }

  private armJoinTimer(group: Group, ms: number): void {
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = setTimeout(() => {
      group.joinTimer = undefined;
      this.onJoinTimer(group);
    }, ms);
    group.joinTimer.unref();
  }

  private onJoinTimer(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    const initial = group.initialDelay;
    if (initial && initial.newMemberAdded && initial.remainingMs > 0) {
      const delay = Math.min(this.settings.initialRebalanceDelayMs, initial.remainingMs);
      group.initialDelay = {
        remainingMs: Math.max(initial.remainingMs - this.settings.initialRebalanceDelayMs, 0),
        newMemberAdded: false,
      };
      this.armJoinTimer(group, delay);
      return;
    }
    this.completeJoin(group);
  }

  private tryCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance' || group.initialDelay) return;
    if (group.allMembersJoined()) this.completeJoin(group);
  }

  /** The barrier ends: drop members that did not rejoin, start the next generation. */
  private completeJoin(group: Group): void {
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = undefined;
    group.initialDelay = undefined;
    for (const m of [...group.members.values()]) {
      // Static members keep their place until their session expires (KIP-345).
      if (!m.awaitingJoin && m.groupInstanceId === '') group.remove(m.memberId);
    }
    group.generationId++;
    if (group.members.size === 0) {
      group.protocolName = '';
      group.leaderId = '';
      group.transition('Empty', Date.now());
      this.persistEmpty(group);
      return;
    }
    if (!group.members.has(group.leaderId)) {
      const first = group.members.keys().next();
      group.leaderId = first.done ? '' : first.value;
    }
    group.protocolName = group.selectProtocol();
    group.transition('CompletingRebalance', Date.now());
    for (const m of group.members.values()) {
      const answer = m.awaitingJoin;
      if (answer === undefined) continue;
      m.awaitingJoin = undefined;
      m.isNew = false;
      this.scheduleSession(group, m);
      answer(this.currentAnswer(group, m.memberId, false));
    }
  }

  private persistEmpty(group: Group): void {
    this.hooks.persist(group).then(
      () => {
        this.hooks.maybeForget(group);
      },
      () => {
        // The shard is lost or etcd failed: the last stored generation stays in etcd and
        // the group's next coordinator resumes from it.
      },
    );
  }

  /** Answers members waiting in SyncGroup with `errorCode` and clears assignments. */
  private resetAssignments(group: Group, errorCode: number): void {
    for (const m of group.members.values()) {
      m.assignment = new Uint8Array(0);
      const answer = m.awaitingSync;
      m.awaitingSync = undefined;
      answer?.(syncError(errorCode));
    }
  }

  // --- Sessions --------------------------------------------------------------------------

  scheduleSession(group: Group, member: Member, timeoutMs = member.sessionTimeoutMs): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = setTimeout(() => {
      member.sessionTimer = undefined;
      this.onSessionExpired(group, member);
    }, timeoutMs);
    member.sessionTimer.unref();
  }

  private onSessionExpired(group: Group, member: Member): void {
    if (group.members.get(member.memberId) !== member) return;
    // A member waiting in JoinGroup or SyncGroup is alive; only a new member that never
    // completes its first join is dropped (after NEW_MEMBER_JOIN_TIMEOUT_MS).
    if ((member.awaitingJoin && !member.isNew) || member.awaitingSync) {
      this.scheduleSession(group, member);
      return;
    }
    member.awaitingJoin?.(joinError(KafkaError.UNKNOWN_MEMBER_ID, member.memberId));
    member.awaitingJoin = undefined;
    this.removeAndUpdate(group, member.memberId);
  }

  private removeAndUpdate(group: Group, memberId: string): void {
    group.remove(memberId);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.prepareRebalance(group);
        this.tryCompleteJoin(group);
        return;
      case 'PreparingRebalance':
        this.tryCompleteJoin(group);
        return;
      default:
        return;
    }
  }

  // --- SyncGroup -------------------------------------------------------------------------

  sync(group: Group, req: SyncRequest): Promise<SyncAnswer> {
    if (group.state === 'Dead')
      return Promise.resolve(syncError(KafkaError.COORDINATOR_NOT_AVAILABLE));
    if (isFenced(group, req.groupInstanceId, req.memberId))
      return Promise.resolve(syncError(KafkaError.FENCED_INSTANCE_ID));
    const member = group.members.get(req.memberId);
    if (member === undefined) return Promise.resolve(syncError(KafkaError.UNKNOWN_MEMBER_ID));
    if (req.generationId !== group.generationId)
      return Promise.resolve(syncError(KafkaError.ILLEGAL_GENERATION));
    if (
      (req.protocolType !== '' && req.protocolType !== group.protocolType) ||
      (req.protocolName !== '' && req.protocolName !== group.protocolName)
    ) {
      return Promise.resolve(syncError(KafkaError.INCONSISTENT_GROUP_PROTOCOL));
    }
    switch (group.state) {
      case 'Empty':
        return Promise.resolve(syncError(KafkaError.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return Promise.resolve(syncError(KafkaError.REBALANCE_IN_PROGRESS));
      case 'Stable':
        this.scheduleSession(group, member);
        return Promise.resolve(this.syncAnswer(group, member));
      case 'CompletingRebalance':
        return new Promise((resolve) => {
          member.awaitingSync?.(syncError(KafkaError.REBALANCE_IN_PROGRESS));
          member.awaitingSync = resolve;
          this.scheduleSession(group, member);
          if (group.isLeader(member.memberId)) this.storeAssignment(group, req.assignments);
        });
      default:
        return Promise.resolve(syncError(KafkaError.COORDINATOR_NOT_AVAILABLE));
    }
  }

  private syncAnswer(group: Group, member: Member): SyncAnswer {
    return {
      errorCode: KafkaError.NONE,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment: member.assignment,
    };
  }

  /** The leader's assignment: stored in etcd with the generation, then handed out. */
  private storeAssignment(
    group: Group,
    assignments: readonly { memberId: string; assignment: Uint8Array }[],
  ): void {
    const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    for (const m of group.members.values())
      m.assignment = byMember.get(m.memberId) ?? new Uint8Array(0);
    const generation = group.generationId;
    const current = () =>
      group.state === 'CompletingRebalance' && group.generationId === generation;
    this.hooks.persist(group).then(
      () => {
        if (!current()) return;
        group.transition('Stable', Date.now());
        for (const m of group.members.values()) {
          const answer = m.awaitingSync;
          m.awaitingSync = undefined;
          answer?.(this.syncAnswer(group, m));
        }
      },
      (error: unknown) => {
        if (!current()) return;
        this.resetAssignments(group, writeFailureCode(error));
        this.maybePrepareRebalance(group);
      },
    );
  }

  // --- Heartbeat and LeaveGroup ----------------------------------------------------------

  heartbeat(group: Group, generationId: number, memberId: string, instanceId: string): number {
    if (group.state === 'Dead') return KafkaError.COORDINATOR_NOT_AVAILABLE;
    if (isFenced(group, instanceId, memberId)) return KafkaError.FENCED_INSTANCE_ID;
    const member = group.members.get(memberId);
    if (member === undefined) return KafkaError.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return KafkaError.ILLEGAL_GENERATION;
    switch (group.state) {
      case 'Empty':
        return KafkaError.UNKNOWN_MEMBER_ID;
      case 'PreparingRebalance':
        this.scheduleSession(group, member);
        return KafkaError.REBALANCE_IN_PROGRESS;
      default:
        this.scheduleSession(group, member);
        return KafkaError.NONE;
    }
  }

  /** One error code per leaving member, in order. */
  leave(group: Group, members: readonly LeavingMember[]): number[] {
    return members.map(({ memberId, groupInstanceId }) => {
      if (group.pendingMembers.has(memberId)) {
        const timer = group.pendingMembers.get(memberId);
        if (timer) clearTimeout(timer);
        group.pendingMembers.delete(memberId);
        this.tryCompleteJoin(group);
        return KafkaError.NONE;
      }
      let id = memberId;
      if (groupInstanceId !== '') {
        const known = group.staticMembers.get(groupInstanceId);
        if (known === undefined) return KafkaError.UNKNOWN_MEMBER_ID;
        if (memberId !== '' && memberId !== known) return KafkaError.FENCED_INSTANCE_ID;
        id = known;
      }
      const member = group.members.get(id);
      if (member === undefined) return KafkaError.UNKNOWN_MEMBER_ID;
      member.awaitingJoin?.(joinError(KafkaError.UNKNOWN_MEMBER_ID, id));
      member.awaitingJoin = undefined;
      member.awaitingSync?.(syncError(KafkaError.UNKNOWN_MEMBER_ID));
      member.awaitingSync = undefined;
      this.removeAndUpdate(group, id);
      return KafkaError.NONE;
    });
  }

  /** Cancels every timer and answers every waiting call (the shard is gone). */
  abandon(group: Group, errorCode: number): void {
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = undefined;
    for (const timer of group.pendingMembers.values()) clearTimeout(timer);
    group.pendingMembers.clear();
    for (const m of group.members.values()) {
      if (m.sessionTimer) clearTimeout(m.sessionTimer);
      m.awaitingJoin?.(joinError(errorCode, m.memberId));
      m.awaitingJoin = undefined;
      m.awaitingSync?.(syncError(errorCode));
      m.awaitingSync = undefined;
    }
  }
}

/** A static instance id now names another member: this one was replaced. */
export function isFenced(group: Group, instanceId: string, memberId: string): boolean {
  if (instanceId === '') return false;
  const current = group.staticMembers.get(instanceId);
  return current !== undefined && current !== memberId;
}
