import type { connectedPayload, Extension, onAuthenticatePayload, onDisconnectPayload } from "@hocuspocus/server";
import type { Logger } from "pino";
import type { AccessControl, Role } from "../../accounts/access.ts";
import { CollabTokenError, type CollabTokens } from "../../accounts/collab-token.ts";
import { isDatabaseUnreachable } from "../../db/errors.ts";
import { isDocumentId } from "../../documents/document-id.ts";
import type { Metrics } from "../../metrics.ts";
import { Refusal } from "./refusal.ts";

/** What an authenticated connection carries: who it is and what it may do. */
export interface CollabContext {
  user: { id: string; name: string; color: string };
  role: Role;
  /** The client address the socket came from (set by the transport), for logs. */
  address?: string;
  /** This connection's place in the document, held from authentication until it disconnects. */
  admission: Admission;
}

/** What the transport tells every hook about the socket a session arrived on. */
export interface SocketContext {
  /** The client address the socket came from, for logs. */
  address: string;
  /** Settles when the socket closes, whatever state its sessions were in. */
  socketClosed: Promise<void>;
}

/** How many places in a document one party may take. */
export interface AdmissionLimits {
  maxClientsPerDocument: number;
  maxConnectionsPerUserPerDocument: number;
  /** Sessions (documents, or session-keyed copies of one) a single socket may hold at once. */
  maxSessionsPerSocket: number;
}

/** One place in a document: admitted at authentication, released when the connection goes. */
interface Admission {
  documentName: string;
  userId: string;
  socketId: string;
  connected: boolean;
  /** Its connection has closed: nothing may take the place again. */
  closed: boolean;
}

/**
 * A place whose connection was never set up (its document failed to load) is given back after
 * this long; Hocuspocus runs no hook for that case. Longer than any load that succeeds.
 */
const UNCONNECTED_ADMISSION_MS = 60_000;

/**
 * The places taken in each document and by each socket, counted at authentication rather than from
 * Hocuspocus's connections: authentications run concurrently, and a connection exists only once its
 * document has loaded, so 250 joins sent at once would all see an empty document.
 */
class Admissions {
  private readonly byDocument = new Map<string, Set<Admission>>();
  private readonly bySocket = new Map<string, Set<Admission>>();

  inDocument(documentName: string): ReadonlySet<Admission> {
    return this.byDocument.get(documentName) ?? new Set();
  }

  ofSocket(socketId: string): number {
    return this.bySocket.get(socketId)?.size ?? 0;
  }

  admit(admission: Admission): void {
    add(this.byDocument, admission.documentName, admission);
    add(this.bySocket, admission.socketId, admission);
  }

  release(admission: Admission): void {
    remove(this.byDocument, admission.documentName, admission);
    remove(this.bySocket, admission.socketId, admission);
  }
}

function add<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function remove<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  const set = map.get(key);
  if (!set?.delete(value)) return;
  if (set.size === 0) map.delete(key);
}

/**
 * Places of a document kept for owners and editors: viewers (and anyone a viewer link lets in) may
 * fill all but these, so a crowd of readers never locks out the people who write.
 */
export function writersReserve(maxClientsPerDocument: number): number {
  return maxClientsPerDocument > 1 ? Math.max(1, Math.floor(maxClientsPerDocument / 10)) : 0;
}

/**
 * Nothing of a document is sent before this passes: the collaboration token must be signed by us,
 * unexpired and issued for this very document, and the user must still have a role on it now (a
 * token outlives a removed role by minutes at most, the database does not). Viewers get a read-only
 * connection, whose updates Hocuspocus refuses.
 *
 * One socket can authenticate many sessions (`<document>\0<session>`), so the places in a document
 * are counted per user and per socket too, and viewers leave a reserve to owners and editors.
 */
export class DocumentAccess implements Extension {
  extensionName = "DocumentAccess";

  constructor(
    private readonly tokens: CollabTokens,
    private readonly access: AccessControl,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly limits: AdmissionLimits,
    private readonly accounts: { isDisabled(userId: string): Promise<boolean> },
  ) {}

  private readonly admissions = new Admissions();

  async onAuthenticate(payload: onAuthenticatePayload): Promise<CollabContext> {
    try {
      return await this.authenticate(payload);
    } catch (error) {
      if (error instanceof Refusal) this.metrics.refusedConnections.inc({ reason: error.reason });
      throw error;
    }
  }

  /** The place is the connection's now; nothing can give it back but its disconnect. */
  async connected({ context }: connectedPayload): Promise<void> {
    const admission = (context as CollabContext | undefined)?.admission;
    if (!admission || admission.closed) return;
    admission.connected = true;
    // Given back already if the load took longer than the grace period; taken again, as it is in use.
    this.admissions.admit(admission);
  }

  async onDisconnect({ context }: onDisconnectPayload): Promise<void> {
    const admission = (context as CollabContext | undefined)?.admission;
    if (!admission) return;
    admission.closed = true;
    this.admissions.release(admission);
  }

  private async authenticate({ token, documentName, connectionConfig, socketId, context }: onAuthenticatePayload): Promise<CollabContext> {
    // Validated before any database access: a name that cannot be an id is simply not found.
    if (!isDocumentId(documentName)) throw new Refusal("document-not-found");
    if (!token) throw new Refusal("token-required");
    let claims;
    try {
      claims = await this.tokens.verify(token);
    } catch (error) {
      if (error instanceof CollabTokenError) throw new Refusal(error.problem);
      throw error;
    }
    if (claims.documentId !== documentName) throw new Refusal("token-for-another-document");

    let role: Role | null;
    try {
      // A collaboration token outlives the disabling of its account by minutes at most; this does not.
      // Side by side, not one after the other: this runs on every connect, reconnect storms included.
      const [disabled, found] = await Promise.all([this.accounts.isDisabled(claims.userId), this.access.roleOf(claims.userId, documentName)]);
      if (disabled) throw new Refusal("account-disabled");
      role = found;
    } catch (error) {
      if (error instanceof Refusal) throw error;
      this.logger.error({ documentName, socketId, err: error }, "access check failed");
      throw new Refusal(isDatabaseUnreachable(error) ? "database-unavailable" : "access-check-failed");
    }
    if (!role) throw new Refusal("document-not-found");
    const { address, socketClosed } = (context ?? {}) as Partial<SocketContext>;
    // From here to admit() nothing awaits: the count and the place taken are one step.
    const refusal = this.placeRefusal(documentName, claims.userId, socketId, role);
    if (refusal) {
      this.logger.warn({ reason: refusal, documentName, userId: claims.userId, role, address, socketId }, "collaboration join refused");
      throw new Refusal(refusal);
    }
    const admission: Admission = { documentName, userId: claims.userId, socketId, connected: false, closed: false };
    this.admissions.admit(admission);
    // A socket that closes while this authentication runs never gets a connection, nor so a
    // disconnect hook: Hocuspocus 4.7 has dropped the session's state by the time setup starts. Five
    // such sockets held a user's five places for the minute below and locked them out (the test
    // "sockets closed the moment they joined give their places back"). The socket's own close gives
    // every place it took back.
    void socketClosed?.then(() => {
      admission.closed = true;
      this.admissions.release(admission);
    });
    setTimeout(() => {
      if (!admission.connected) this.admissions.release(admission);
    }, UNCONNECTED_ADMISSION_MS).unref();

    connectionConfig.readOnly = role === "viewer";
    return { user: { id: claims.userId, name: claims.name, color: claims.color }, role, address, admission };
  }

  /** Why this user may not take a place in the document now, or null if they may. */
  private placeRefusal(documentName: string, userId: string, socketId: string, role: Role): string | null {
    const { maxClientsPerDocument, maxConnectionsPerUserPerDocument, maxSessionsPerSocket } = this.limits;
    if (this.admissions.ofSocket(socketId) >= maxSessionsPerSocket) return "too-many-sessions";
    const inDocument = this.admissions.inDocument(documentName);
    let byUser = 0;
    for (const admission of inDocument) if (admission.userId === userId) byUser += 1;
    if (byUser >= maxConnectionsPerUserPerDocument) return "too-many-connections";
    const forViewers = maxClientsPerDocument - writersReserve(maxClientsPerDocument);
    if (inDocument.size >= (role === "viewer" ? forViewers : maxClientsPerDocument)) return "document-full";
    return null;
  }
}
