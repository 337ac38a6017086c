import type { beforeHandleMessagePayload, Extension } from "@hocuspocus/server";
import * as decoding from "lib0/decoding";
import type { Logger } from "pino";
import * as Y from "yjs";
import type { GroupCommit } from "../group-commit.ts";
import type { Metrics } from "../../metrics.ts";
import type { ClientIds } from "../client-ids.ts";
import { inspectUpdate } from "../update-check.ts";
import type { CollabContext } from "./document-access.ts";
import { Refusal } from "./refusal.ts";

const MESSAGE_SYNC = 0;
const MESSAGE_SYNC_REPLY = 4;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;
/** Closes a connection that wrote under a client id another user wrote under first. */
const CLIENT_ID_TAKEN = 4409;

/** A client update carried by a Hocuspocus frame, or null for every other kind of frame. */
export function readClientUpdate(frame: Uint8Array): { update: Uint8Array; isSyncStep2: boolean } | null {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarString(decoder);
  const type = decoding.readVarUint(decoder);
  if (type !== MESSAGE_SYNC && type !== MESSAGE_SYNC_REPLY) return null;
  const syncType = decoding.readVarUint(decoder);
  if (syncType !== SYNC_STEP_2 && syncType !== SYNC_UPDATE) return null;
  return { update: decoding.readVarUint8Array(decoder), isSyncStep2: syncType === SYNC_STEP_2 };
}

/**
 * Hocuspocus acknowledges an update as soon as it has applied it in memory. This hook runs before that
 * and waits until the update is committed to the update log, so an acknowledged update ("Saved" in the
 * editor) is always on disk. Commits of concurrent frames are grouped by GroupCommit. When Hocuspocus
 * then applies the update, it is already in the document: nothing changes and only the ack goes out.
 */
export class DurableUpdates implements Extension {
  extensionName = "DurableUpdates";

  constructor(
    private readonly commits: GroupCommit,
    private readonly clientIds: ClientIds,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  async beforeHandleMessage({ update: frame, documentName, document, connection }: beforeHandleMessagePayload) {
    // Hocuspocus refuses a read-only connection's updates itself; they must not reach the log either.
    if (connection.readOnly) return;
    let message: ReturnType<typeof readClientUpdate>;
    try {
      message = readClientUpdate(frame);
    } catch (error) {
      this.refuse(connection.webSocket, new Refusal("invalid-update", 1007), { documentName, error });
    }
    if (!message) return;
    // Checked against the document as it is now: Hocuspocus handles one connection's frames in order,
    // and another client's update can only be depended on once the server has applied it.
    const { problem, writers } = inspectUpdate(message.update, document);
    if (problem) this.refuse(connection.webSocket, new Refusal("invalid-update", 1007), { documentName, problem });
    this.metrics.updatesReceived.inc();
    // Only content new to the server is judged: a reconnecting client's sync step 2 repeats other
    // people's changes, which are harmless.
    if (writers.length > 0) await this.claimClientIds(connection, documentName, writers);
    // A reconnecting client's sync step 2 repeats what the server already has (its delete set always);
    // logging it again would only grow the log.
    if (message.isSyncStep2 && Y.snapshotContainsUpdate(Y.snapshot(document), message.update)) return;
    // The other writers see the change now; only its author's acknowledgement waits for the commit.
    // Safe because commits keep arrival order: a change made on top of this one arrives later and is
    // committed after it, so the log never holds a change without what it builds on. If this commit
    // fails, the author is disconnected and resends, and every writer who saw it holds it too.
    // (Applied first so the broadcast is queued ahead of the commit's own work.)
    Y.applyUpdate(document, message.update, { source: "connection", connection });
    // A copy: the frame is a view into a socket buffer, and the driver should see exactly these bytes.
    const committed = this.commits.append(documentName, message.update.slice(), (connection.context as CollabContext).user.id);
    try {
      await committed;
    } catch (error) {
      // Closing the socket (not just this document) makes the provider reconnect and send everything
      // it has not seen acknowledged again, once storage is back.
      this.refuse(connection.webSocket, new Refusal("storage-unavailable", 1011), { documentName, error });
    }
  }

  /**
   * Refuses content under a client id someone else wrote under first. The connection is told which
   * id before it is closed: its editor then sends its unsaved work again under a fresh one.
   */
  private async claimClientIds(connection: beforeHandleMessagePayload["connection"], documentName: string, writers: number[]): Promise<void> {
    const { user } = connection.context as CollabContext;
    let taken;
    try {
      taken = await this.clientIds.claim(documentName, user.id, writers);
    } catch (error) {
      this.refuse(connection.webSocket, new Refusal("storage-unavailable", 1011), { documentName, userId: user.id, writers, error });
    }
    if (!taken) return;
    connection.sendStateless(JSON.stringify({ type: "client-id-taken", clientId: taken.clientId }));
    this.refuse(connection.webSocket, new Refusal("client-id-taken", CLIENT_ID_TAKEN), {
      documentName,
      userId: user.id,
      clientId: taken.clientId,
      ownerId: taken.ownerId,
    });
  }

  /** Throwing from the hook makes Hocuspocus drop the frame: neither applied nor acknowledged. */
  private refuse(socket: { close(code?: number, reason?: string): void }, refusal: Refusal, context: object): never {
    this.logger.error({ ...context, code: refusal.code, reason: refusal.reason }, "update refused, closing connection");
    this.metrics.refusedConnections.inc({ reason: refusal.reason });
    socket.close(refusal.code, refusal.reason);
    throw refusal;
  }
}
