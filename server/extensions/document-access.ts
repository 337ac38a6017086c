import type { Extension, onAuthenticatePayload } from "@hocuspocus/server";
import type { Logger } from "pino";
import { type DocumentStore, isDocumentId } from "../documents.ts";
import { Refusal } from "./refusal.ts";

/**
 * Only documents that exist can be joined. Hocuspocus reuses a document that is still in memory
 * without loading it again, so a writer rejoining one deleted a moment ago would otherwise get past
 * the check in Persistence.onLoadDocument.
 */
export class DocumentAccess implements Extension {
  extensionName = "DocumentAccess";

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: Logger,
  ) {}

  async onAuthenticate({ documentName, socketId }: onAuthenticatePayload): Promise<void> {
    // Validated before any database access: a name that cannot be an id is simply not found.
    if (!isDocumentId(documentName)) throw new Refusal("document-not-found");
    let exists: boolean;
    try {
      exists = await this.store.exists(documentName);
    } catch (error) {
      this.logger.error({ documentName, socketId, err: error }, "access check failed");
      throw new Refusal("access-check-failed");
    }
    if (!exists) throw new Refusal("document-not-found");
  }
}
