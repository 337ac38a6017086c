import type { beforeHandleAwarenessPayload, Connection, Extension } from "@hocuspocus/server";
import type { Metrics } from "../../metrics.ts";
import type { CollabContext } from "./document-access.ts";

export interface PresenceLimits {
  /** Largest awareness state (as JSON) one client may publish; a cursor and a name need a few hundred. */
  maxStateBytes: number;
  /** Awareness updates per second a connection may send, with a burst of twice that. */
  updatesPerSecond: number;
}

/**
 * Presence shows the name and colour of the account behind each connection, whatever a client claims,
 * and no client can flood a room: oversized states and updates beyond the rate are dropped (the next
 * cursor position supersedes them anyway), never broadcast.
 */
export class Presence implements Extension {
  extensionName = "Presence";
  private readonly buckets = new WeakMap<Connection, { tokens: number; at: number }>();

  constructor(
    private readonly limits: PresenceLimits,
    private readonly metrics: Metrics,
  ) {}

  async beforeHandleAwareness({ states, context, connection }: beforeHandleAwarenessPayload) {
    if (connection && !this.withinRate(connection)) {
      this.metrics.refusedConnections.inc({ reason: "awareness-rate" });
      states.clear();
      return;
    }
    const user = (context as CollabContext | undefined)?.user;
    for (const [clientId, state] of states) {
      if (JSON.stringify(state).length > this.limits.maxStateBytes) {
        this.metrics.refusedConnections.inc({ reason: "awareness-too-large" });
        states.delete(clientId);
      } else if (user) {
        state.user = { name: user.name, color: user.color };
      }
    }
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
