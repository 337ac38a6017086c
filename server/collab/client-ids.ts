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
  /** Per loaded document, the one read of its stored owners that `ownerOf` needs. */
  private readonly stored = new Map<string, Promise<Map<number, string | null>>>();

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

  /**
   * Who wrote under `clientId` first: a user id, null for a deleted account, undefined for nobody
   * (yet). The document's stored owners are read once while it is loaded; after that only this
   * process's claims add to them, so an id another process claims meanwhile reads as nobody's here.
   */
  async ownerOf(documentName: string, clientId: number): Promise<string | null | undefined> {
    const known = this.owners.get(documentName);
    if (known?.has(clientId)) return known.get(clientId);
    let loading = this.stored.get(documentName);
    if (!loading) {
      loading = this.store.clientIdOwners(documentName).then((stored) => {
        // The document may have been unloaded meanwhile; the answer below is still right.
        if (this.stored.get(documentName) !== loading) return stored;
        let owners = this.owners.get(documentName);
        if (!owners) this.owners.set(documentName, (owners = new Map()));
        for (const [id, ownerId] of stored) if (!owners.has(id)) owners.set(id, ownerId);
        return stored;
      });
      this.stored.set(documentName, loading);
      // A failed read is not kept: the next question asks the database again.
      loading.catch(() => this.stored.get(documentName) === loading && this.stored.delete(documentName));
    }
    const stored = await loading;
    const owners = this.owners.get(documentName);
    return owners?.has(clientId) ? owners.get(clientId) : stored.get(clientId);
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.owners.delete(documentName);
    this.stored.delete(documentName);
  }
}
