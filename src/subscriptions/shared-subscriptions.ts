/**
 * Shared execution of identical live subscriptions over graphql-ws. Subscribers of the same live operation
 * (`logEvents` or `logEventBatches` without `after`/`since`; same printed document, operation name and variables;
 * same schema) form one group: the operation runs once, through yoga's envelop like any other (so masking and
 * limits apply), each result is serialized once, and every member gets those bytes with its own subscription id
 * spliced in (shared-member.ts). Per-subscriber semantics stay: each member holds a subscription slot, has its own
 * bounded buffer and is dropped alone as SLOW_CONSUMER with its own last cursor. Only root fields whose results
 * depend on the event alone (never on the connection or request) are shared.
 */
import { getOperationAST, GraphQLError, Kind, print, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { WebSocket } from 'ws';
import { encodeCursor } from './log-stream/resume-token.ts';
import type { LogHub } from './log-stream/log-hub.ts';
import type { StreamConnection } from './log-streams.ts';
import type { OpenedStream } from './log-stream/log-subscription.ts';
import { SharedMember } from './shared-member.ts';

const SHAREABLE_FIELDS = new Set(['logEvents', 'logEventBatches']);
/** Arguments that give a subscriber a start of its own (replay, backfill): never shared. */
const PER_SUBSCRIBER_ARGS = new Set(['after', 'since']);

export interface ShareableOperation {
  readonly key: string;
  /** Alias or name of the root field. */
  readonly responseKey: string;
}

const schemaIds = new WeakMap<GraphQLSchema, number>();
let nextSchemaId = 0;

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
}

/** The sharing key of an operation, or undefined when it must run on its own. */
export function shareableOperation(
  schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined,
): ShareableOperation | undefined {
  const op = getOperationAST(document, operationName);
  if (!op || op.operation !== 'subscription' || (op.directives?.length ?? 0) > 0) return undefined;
  const [field, ...more] = op.selectionSet.selections;
  if (!field || more.length > 0 || field.kind !== Kind.FIELD || (field.directives?.length ?? 0) > 0) return undefined;
  if (!SHAREABLE_FIELDS.has(field.name.value) || field.arguments?.some((a) => PER_SUBSCRIBER_ARGS.has(a.name.value))) return undefined;
  let schemaId = schemaIds.get(schema);
  if (schemaId === undefined) schemaIds.set(schema, (schemaId = nextSchemaId++));
  const key = `${schemaId}\n${operationName ?? ''}\n${stableJson(variables ?? {})}\n${print(document)}`;
  return { key, responseKey: field.alias?.value ?? field.name.value };
}

export interface JoinOptions {
  operation: ShareableOperation;
  socket: WebSocket;
  /** The graphql-ws subscription id. */
  id: string;
  hub: LogHub;
  bufferSize: number;
  /** The member's connection (its slot is counted there; told about SLOW_CONSUMER drops). */
  connection: StreamConnection;
  /** Runs the operation for a new group on `connection` (whose streams take no slot: the members hold them). */
  execute(connection: StreamConnection): Promise<AsyncIterable<ExecutionResult> | ExecutionResult>;
}

export interface SharedSubscriptions {
  /** Joins (or starts) the operation's group: the member's iterator, or the result of a failed start. */
  join(o: JoinOptions): Promise<AsyncIterableIterator<never> | ExecutionResult>;
  /** Running groups. */
  readonly groups: number;
}

class Group {
  readonly members = new Set<SharedMember>();
  stream: OpenedStream | undefined;
  iterator: AsyncIterator<ExecutionResult> | undefined;
  ended = false;
  /** Resolves once running (undefined) or with the result of a failed start. */
  ready!: Promise<ExecutionResult | undefined>;
}

export function createSharedSubscriptions(): SharedSubscriptions {
  const groups = new Map<string, Group>();

  function end(key: string, group: Group): void {
    group.ended = true;
    if (groups.get(key) === group) groups.delete(key);
  }

  function start(key: string, o: JoinOptions): Group {
    const group = new Group();
    const connection: StreamConnection = { key: group, shared: true, onOpened: (s) => void (group.stream ??= s) };
    groups.set(key, group);
    group.ready = o.execute(connection).then(
      (result) => {
        if (!(Symbol.asyncIterator in result)) {
          end(key, group);
          return result;
        }
        group.iterator = result[Symbol.asyncIterator]();
        if (group.ended) void group.iterator.return?.(); // its only member left while it started
        else void run(key, group);
        return undefined;
      },
      (e: unknown) => {
        end(key, group);
        throw e;
      },
    );
    return group;
  }

  async function run(key: string, group: Group): Promise<void> {
    let last: ExecutionResult | undefined;
    try {
      for (;;) {
        const { value, done } = await group.iterator!.next();
        if (done) break;
        // The stream's terminal fault (SLOW_CONSUMER, SHUTTING_DOWN): each member ends with its own last cursor.
        if (value.data == null && value.errors?.length) {
          last = value;
          break;
        }
        const pulled = group.stream?.lastPulled as { cursor: string; events?: readonly unknown[] } | undefined;
        const json = Buffer.from(JSON.stringify(value));
        const weight = pulled?.events?.length ?? 1;
        for (const member of group.members) member.offer(json, pulled?.cursor ?? null, weight);
      }
    } finally {
      end(key, group);
      for (const member of [...group.members]) member.endWith(last);
    }
  }

  function leave(key: string, group: Group, member: SharedMember): void {
    group.members.delete(member);
    if (group.members.size > 0 || group.ended) return;
    end(key, group);
    void group.iterator?.return?.();
  }

  return {
    get groups() {
      return groups.size;
    },
    async join(o) {
      let reservation;
      try {
        reservation = o.hub.reserve(o.connection.key);
      } catch (e) {
        if (e instanceof GraphQLError) return { errors: [e] };
        throw e;
      }
      try {
        for (;;) {
          let group = groups.get(o.operation.key);
          if (!group || group.ended) group = start(o.operation.key, o);
          const failed = await group.ready;
          if (failed) {
            reservation.release();
            return failed;
          }
          if (group.ended) continue;
          const joined = group;
          const positions = o.hub.positions();
          const member: SharedMember = new SharedMember({
            socket: o.socket, id: o.id, capacity: o.bufferSize, responseKey: o.operation.responseKey,
            startCursor: positions.length > 0 ? encodeCursor(positions) : null,
            onSlowConsumer: o.connection.onSlowConsumer,
            onLeave: (slow) => {
              reservation.release();
              if (slow) o.hub.countSlowConsumer();
              leave(o.operation.key, joined, member);
            },
          });
          group.members.add(member);
          return member;
        }
      } catch (e) {
        reservation.release();
        throw e;
      }
    },
  };
}
