import type { afterUnloadDocumentPayload, Extension } from "@hocuspocus/server";
import type { DocumentStore } from "../documents/store.ts";

/** A client id of the document that someone else wrote under first. */
export interface TakenClientId {
  clientId: number;
  /** Null for an account that has since been deleted. */
  ownerId: string | null;
}

/**
 * Each Yjs client id of a document belongs to the user who first added content under it. Yjs trusts
 * the client id and clock a struct claims: an editor who sends a struct under another writer's
 * client id at that writer's next clock makes the server take the writer's own change, when it
 * comes, for one it already has. It would be acknowledged and never stored.
 *
 * Ownership is stored (so it holds across restarts and processes) and cached here per loaded
 * document: it never changes once taken, so a cached answer never goes stale, and the per-update
 * cost is a map look-up for every client id the update adds content under (one, for a keystroke).
 * Only an id this process has not seen yet costs a database round trip.
 */
export class ClientIds implements Extension {
  extensionName = "ClientIds";

  private readonly owners = new Map<string, Map<number, string | null>>();

  constructor(private readonly store: DocumentStore) {}

  /**
   * Claims for `userId` the ids among `clientIds` nobody holds yet; answers the first one held by
   * someone else, or null when the user may write under all of them.
   */
  async claim(documentName: string, userId: string, clientIds: Iterable<number>): Promise<TakenClientId | null> {
    let owners = this.owners.get(documentName);
    if (!owners) this.owners.set(documentName, (owners = new Map()));
    let unknown: number[] | undefined;
    for (const clientId of clientIds) {
      if (!owners.has(clientId)) (unknown ??= []).push(clientId);
      else if (owners.get(clientId) !== userId) return { clientId, ownerId: owners.get(clientId) ?? null };
    }
    if (!unknown) return null;
    const claimed = await this.store.claimClientIds(documentName, userId, unknown);
    // The document may have been unloaded meanwhile; answers are still right, just not kept.
    const current = this.owners.get(documentName);
    for (const [clientId, ownerId] of claimed) current?.set(clientId, ownerId);
    for (const clientId of unknown) {
      const ownerId = claimed.get(clientId);
      if (ownerId !== userId) return { clientId, ownerId: ownerId ?? null };
    }
    return null;
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.owners.delete(documentName);
  }
}
