import type { beforeHandleAwarenessPayload, Extension } from "@hocuspocus/server";
import type { CollabContext } from "./document-access.ts";

/**
 * Presence shows the name and colour of the account behind each connection, whatever a client claims
 * in its awareness state.
 */
export class PresenceIdentity implements Extension {
  extensionName = "PresenceIdentity";

  async beforeHandleAwareness({ states, context }: beforeHandleAwarenessPayload) {
    const user = (context as CollabContext | undefined)?.user;
    if (!user) return;
    for (const state of states.values()) {
      state.user = { name: user.name, color: user.color };
    }
  }
}
