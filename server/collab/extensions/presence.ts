import type { beforeHandleAwarenessPayload, beforeHandleMessagePayload, Connection, Extension, onDisconnectPayload } from "@hocuspocus/server";
import * as decoding from "lib0/decoding";
import type { Logger } from "pino";
import type { Metrics } from "../../metrics.ts";
import type { ClientIds } from "../client-ids.ts";
import type { CollabContext } from "./document-access.ts";

export interface PresenceLimits {
  /** Largest awareness state (as JSON) one client may publish; a cursor and a name need a few hundred. */
  maxStateBytes: number;
  /** Awareness updates per second a connection may send, with a burst of twice that. */
  updatesPerSecond: number;
}

/** Longest name presence shows; accounts from before sign-up capped names may have longer ones. */
export const MAX_PRESENCE_NAME_CHARACTERS = 80;

/**
 * Client ids one connection may publish presence for. A browser tab publishes one (its document's);
 * a few more allow for an editor that moved its changes to a fresh id.
 */
const MAX_CLIENT_IDS_PER_CONNECTION = 4;

const MESSAGE_AWARENESS = 1;

/**
 * The client ids an awareness frame publishes a state for (removals left out), or null for every
 * other kind of frame. Hocuspocus's decoded `states` cannot say this: they always hold one more
 * entry, the scratch copy's own.
 */
function publishedClientIds(frame: Uint8Array): number[] | null {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarString(decoder);
  if (decoding.readVarUint(decoder) !== MESSAGE_AWARENESS) return null;
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const published: number[] = [];
  for (let count = decoding.readVarUint(update); count > 0; count--) {
    const clientId = decoding.readVarUint(update);
    decoding.readVarUint(update);
    if (decoding.readVarString(update) !== "null") published.push(clientId);
  }
  return published;
}

/** The first `max` characters (code points, so a cut never splits one), without copying a long name. */
function shortened(name: string, max = MAX_PRESENCE_NAME_CHARACTERS): string {
  if (name.length <= max) return name;
  let end = 0;
  for (let characters = 0; characters < max && end < name.length; characters++) end += name.codePointAt(end)! > 0xffff ? 2 : 1;
  return name.slice(0, end);
}

/**
 * Presence shows the name and colour of the account behind each connection, whatever a client claims,
 * and no client can flood a room or speak for someone else:
 * - a connection publishes presence only for its own Yjs client ids: ids its user wrote under (the
 *   client-id binding), or the one id it announced alone while nobody else held it (a viewer, or
 *   an editor before it types). States for any other id are dropped, so nobody can add people who
 *   do not exist or take over another person's caret;
 * - the name is the account's, cut to 80 characters, and the size limit applies to the state as
 *   it is broadcast, name included;
 * - updates beyond the rate are dropped (the next cursor position supersedes them anyway).
 * What is dropped never reaches the document's awareness, so late joiners never receive it either.
 */
export class Presence implements Extension {
  extensionName = "Presence";
  private readonly buckets = new WeakMap<Connection, { tokens: number; at: number }>();
  /** Per document: client id → the connection that publishes its presence. */
  private readonly publishers = new Map<string, Map<number, Connection>>();
  /** The client ids each connection publishes presence for. */
  private readonly ownIds = new WeakMap<Connection, Set<number>>();
  /** Connections that have taken an id nobody wrote under: one each. */
  private readonly announced = new WeakSet<Connection>();
  /** What the awareness frame being handled publishes, read before Hocuspocus decodes it. */
  private readonly published = new WeakMap<Connection, number[]>();

  constructor(
    private readonly limits: PresenceLimits,
    private readonly clientIds: ClientIds,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  async beforeHandleMessage({ update: frame, connection }: beforeHandleMessagePayload): Promise<void> {
    let published: number[] | null;
    try {
      published = publishedClientIds(frame);
    } catch {
      // Hocuspocus refuses an unreadable frame itself; nothing of it is accepted here either.
      published = [];
    }
    if (published) this.published.set(connection, published);
  }

  async beforeHandleAwareness({ states, context, connection, documentName }: beforeHandleAwarenessPayload): Promise<void> {
    if (!connection) return;
    const published = this.published.get(connection) ?? [];
    this.published.delete(connection);
    if (!this.withinRate(connection)) {
      this.metrics.refusedConnections.inc({ reason: "awareness-rate" });
      states.clear();
      return;
    }
    const { user, address } = context as CollabContext;
    const own = await this.ownAmong(connection, documentName, user.id, published);
    const foreign = published.filter((clientId) => !own.has(clientId));
    if (foreign.length > 0) {
      this.metrics.refusedConnections.inc({ reason: "awareness-foreign-client" });
      this.logger.warn({ documentName, userId: user.id, address, clientIds: foreign.slice(0, 10), count: foreign.length }, "presence for client ids this connection does not own dropped");
    }
    const shown = { name: shortened(user.name), color: user.color };
    for (const [clientId, state] of states) {
      if (!own.has(clientId)) {
        states.delete(clientId);
        continue;
      }
      state.user = shown;
      // Measured as it will be broadcast: the server's name is part of what everyone receives.
      if (Buffer.byteLength(JSON.stringify(state)) > this.limits.maxStateBytes) {
        this.metrics.refusedConnections.inc({ reason: "awareness-too-large" });
        states.delete(clientId);
      }
    }
  }

  /** Forgets the ids of connections that have left the document (Hocuspocus removed their states). */
  async onDisconnect({ documentName, document }: onDisconnectPayload): Promise<void> {
    const publishers = this.publishers.get(documentName);
    if (!publishers) return;
    for (const [clientId, publisher] of publishers) if (!document.hasConnection(publisher)) publishers.delete(clientId);
    if (publishers.size === 0) this.publishers.delete(documentName);
  }

  /** The ids among `published` this connection may publish presence for, taking those it may claim. */
  private async ownAmong(connection: Connection, documentName: string, userId: string, published: number[]): Promise<Set<number>> {
    let own = this.ownIds.get(connection);
    if (!own) this.ownIds.set(connection, (own = new Set()));
    const accepted = new Set<number>();
    for (const clientId of new Set(published)) {
      if (own.has(clientId)) {
        accepted.add(clientId);
        continue;
      }
      if (own.size >= MAX_CLIENT_IDS_PER_CONNECTION || this.heldBySomeoneElse(documentName, clientId, connection, userId)) continue;
      let owner: string | null | undefined;
      try {
        owner = await this.clientIds.ownerOf(documentName, clientId);
      } catch (error) {
        this.logger.error({ err: error, documentName, userId, clientId }, "could not read who owns a client id; its presence is dropped");
        continue;
      }
      if (owner !== undefined && owner !== userId) continue;
      // An id nobody wrote under proves nothing: a connection gets the one a provider announces alone.
      if (owner === undefined && (published.length !== 1 || this.announced.has(connection))) continue;
      // Looked up again: another connection may have taken it while the owner was read.
      if (this.heldBySomeoneElse(documentName, clientId, connection, userId)) continue;
      this.take(connection, documentName, clientId);
      if (owner === undefined) this.announced.add(connection);
      own.add(clientId);
      accepted.add(clientId);
    }
    return accepted;
  }

  /** The other live connection that publishes this id, if any. */
  private holder(documentName: string, clientId: number, connection: Connection): Connection | undefined {
    const publisher = this.publishers.get(documentName)?.get(clientId);
    return publisher && publisher !== connection && publisher.document.hasConnection(publisher) ? publisher : undefined;
  }

  private heldBySomeoneElse(documentName: string, clientId: number, connection: Connection, userId: string): boolean {
    const holder = this.holder(documentName, clientId, connection);
    return holder !== undefined && (holder.context as CollabContext).user.id !== userId;
  }

  /**
   * Makes the connection the id's publisher. The same person's older connection holding it (a
   * reconnect before the old socket was found dead) gives it up: it could only speak for them.
   */
  private take(connection: Connection, documentName: string, clientId: number): void {
    const older = this.holder(documentName, clientId, connection);
    if (older) {
      this.ownIds.get(older)?.delete(clientId);
      // So the old connection's close no longer removes the state the new one now publishes.
      older.document.getClients(older).delete(clientId);
    }
    let publishers = this.publishers.get(documentName);
    if (!publishers) this.publishers.set(documentName, (publishers = new Map()));
    publishers.set(clientId, connection);
    // Hocuspocus removes a connection's states when it closes, but only the ids it saw that
    // connection add; an id taken over from an older connection was added by that one.
    connection.document.getClients(connection).add(clientId);
  }

  private withinRate(connection: Connection, now = Date.now()): boolean {
    const burst = this.limits.updatesPerSecond * 2;
    const bucket = this.buckets.get(connection) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limits.updatesPerSecond);
    bucket.at = now;
    this.buckets.set(connection, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
