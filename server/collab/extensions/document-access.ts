import type { Extension, onAuthenticatePayload } from "@hocuspocus/server";
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
}

/**
 * Nothing of a document is sent before this passes: the collaboration token must be signed by us,
 * unexpired and issued for this very document, and the user must still have a role on it now (a
 * token outlives a removed role by minutes at most, the database does not). Viewers get a read-only
 * connection, whose updates Hocuspocus refuses.
 */
export class DocumentAccess implements Extension {
  extensionName = "DocumentAccess";

  constructor(
    private readonly tokens: CollabTokens,
    private readonly access: AccessControl,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly maxClientsPerDocument: number,
  ) {}

  async onAuthenticate(payload: onAuthenticatePayload): Promise<CollabContext> {
    try {
      return await this.authenticate(payload);
    } catch (error) {
      if (error instanceof Refusal) this.metrics.refusedConnections.inc({ reason: error.reason });
      throw error;
    }
  }

  private async authenticate({ token, documentName, connectionConfig, socketId, instance }: onAuthenticatePayload): Promise<CollabContext> {
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
      role = await this.access.roleOf(claims.userId, documentName);
    } catch (error) {
      this.logger.error({ documentName, socketId, err: error }, "access check failed");
      throw new Refusal(isDatabaseUnreachable(error) ? "database-unavailable" : "access-check-failed");
    }
    if (!role) throw new Refusal("document-not-found");
    if ((instance.documents.get(documentName)?.getConnectionsCount() ?? 0) >= this.maxClientsPerDocument) {
      throw new Refusal("document-full");
    }

    connectionConfig.readOnly = role === "viewer";
    return { user: { id: claims.userId, name: claims.name, color: claims.color }, role };
  }
}
