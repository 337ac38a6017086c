/**
 * The clients, in a process of their own (started by bench/run.ts, driven over IPC), so the
 * server's CPU and memory are measured apart from theirs.
 *
 * Typists and observers are full Yjs documents behind the target's own provider. Readers that only
 * need to receive every broadcast (the crowd in a 200-client room, idle connections) can be "light":
 * real sockets that speak the protocol and read every byte without applying it, so that on a
 * two-core machine the clients do not become what is measured.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { seededRandom } from "./stats.ts";
import type { Patch } from "./trace.ts";

export type Protocol = "y-websocket" | "hocuspocus";

export interface TargetInfo {
  protocol: Protocol;
  /** ws://host:port/collab for Hocuspocus-style servers, ws://host:port for y-websocket. */
  url: string;
  /** Ours hands out collaboration tokens over HTTP, to a signed-in account. */
  auth?: { baseUrl: string; cookie: string };
}

export type Command =
  | { type: "open"; target: TargetInfo; docs: string[]; clients: { doc: number; light: boolean }[]; concurrency: number }
  | { type: "type"; typists: number[]; observers: number[]; keysPerSecond: number; seconds: number; warmupSeconds: number; patches: Patch[]; seed: number }
  /** Waits until every client is synced; `since` (Date.now()) is when the clock starts. */
  | { type: "synced"; timeoutMs: number; since?: number }
  | { type: "states" }
  /** Fetches (and caches) a collaboration token for each document, before anything is timed. */
  | { type: "tokens"; target: TargetInfo; docs: string[] }
  /** Applies an update to the first client's document and waits until the server has it. */
  | { type: "seed"; update: string }
  /** Types as fast as acknowledgements allow, at most `window` unacknowledged per writer. */
  | { type: "hammer"; writers: number[]; seconds: number; window: number }
  /** Destroys the clients from index `from` on (all by default). */
  | { type: "close"; from?: number };

interface Client {
  doc: number;
  ydoc?: Y.Doc;
  /** Changes sent and not yet acknowledged; y-websocket has no acknowledgements. */
  unacknowledged?: () => number;
  onAcknowledged?: (listener: () => void) => () => void;
  synced(): Promise<void>;
  isSynced(): boolean;
  destroy(): void;
}

const clients: Client[] = [];
// y-websocket's provider adds a process "exit" listener per client under Node (to say goodbye to the
// others); a worker holding dozens of them is expected, not a leak.
process.setMaxListeners(0);
const tokenCache = new Map<string, { token: string; at: number }>();

async function tokenFor(target: TargetInfo, documentId: string): Promise<string> {
  if (!target.auth) return "";
  const cached = tokenCache.get(documentId);
  // Tokens live five minutes; take a fresh one well before that.
  if (cached && performance.now() - cached.at < 120_000) return cached.token;
  const response = await fetch(`${target.auth.baseUrl}/api/documents/${documentId}/collab-token`, {
    method: "POST",
    headers: { cookie: target.auth.cookie, origin: target.auth.baseUrl },
  });
  if (!response.ok) throw new Error(`collab token for ${documentId}: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  tokenCache.set(documentId, { token, at: performance.now() });
  return token;
}

function waiter(isDone: () => boolean, subscribe: (check: () => void) => () => void): Promise<void> {
  if (isDone()) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = subscribe(() => {
      if (!isDone()) return;
      unsubscribe();
      resolve();
    });
  });
}

function fullClient(target: TargetInfo, documentId: string, doc: number): Client {
  const ydoc = new Y.Doc();
  if (target.protocol === "y-websocket") {
    const provider = new WebsocketProvider(target.url, documentId, ydoc, { WebSocketPolyfill: WebSocket as never, disableBc: true, maxBackoffTime: 1000 });
    return {
      doc,
      ydoc,
      isSynced: () => provider.synced,
      synced: () => waiter(() => provider.synced, (check) => (provider.on("sync", check), () => provider.off("sync", check))),
      destroy: () => provider.destroy(),
    };
  }
  const websocket = new HocuspocusProviderWebsocket({ url: target.url, WebSocketPolyfill: WebSocket, delay: 100, minDelay: 100, maxDelay: 1000 });
  const provider = new HocuspocusProvider({ websocketProvider: websocket, name: documentId, document: ydoc, token: () => tokenFor(target, documentId) });
  provider.attach();
  return {
    doc,
    ydoc,
    isSynced: () => provider.isSynced,
    synced: () => waiter(() => provider.isSynced, (check) => (provider.on("synced", check), () => provider.off("synced", check))),
    unacknowledged: () => provider.unsyncedChanges,
    onAcknowledged: (listener) => (provider.on("unsyncedChanges", listener), () => provider.off("unsyncedChanges", listener)),
    destroy: () => {
      provider.destroy();
      websocket.destroy();
    },
  };
}

/** A socket that joins the document and reads every broadcast, answering pings, applying nothing. */
function lightClient(target: TargetInfo, documentId: string, doc: number): Client {
  let synced = false;
  const listeners = new Set<() => void>();
  const hocuspocus = target.protocol === "hocuspocus";
  const socket = new WebSocket(hocuspocus ? target.url : `${target.url}/${documentId}`);
  socket.binaryType = "nodebuffer";
  const frame = (write: (encoder: encoding.Encoder) => void) => {
    const encoder = encoding.createEncoder();
    if (hocuspocus) encoding.writeVarString(encoder, documentId);
    write(encoder);
    return encoding.toUint8Array(encoder);
  };
  socket.on("open", async () => {
    if (hocuspocus) {
      const token = await tokenFor(target, documentId);
      socket.send(frame((e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 0), encoding.writeVarString(e, token))));
    }
    socket.send(frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 0), encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc())))));
  });
  socket.on("message", (data: Buffer) => {
    // Hocuspocus's connection-level ping is one byte; the answer keeps the server's heartbeat happy.
    if (data.length === 1) {
      if (data[0] === 9) socket.send(Uint8Array.of(10));
      return;
    }
    if (synced) return;
    const decoder = decoding.createDecoder(data);
    if (hocuspocus) decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === 1) {
      synced = true;
      for (const listener of listeners) listener();
    }
  });
  socket.on("error", () => {});
  return {
    doc,
    isSynced: () => synced,
    synced: () => waiter(() => synced, (check) => (listeners.add(check), () => listeners.delete(check))),
    destroy: () => socket.terminate(),
  };
}

async function open(command: Extract<Command, { type: "open" }>) {
  const started = performance.now();
  let next = 0;
  const connectOne = async () => {
    while (next < command.clients.length) {
      const spec = command.clients[next++];
      const documentId = command.docs[spec.doc];
      const client = spec.light ? lightClient(command.target, documentId, spec.doc) : fullClient(command.target, documentId, spec.doc);
      clients.push(client);
      await client.synced();
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, connectOne));
  const seconds = (performance.now() - started) / 1000;
  return { clients: clients.length, seconds, perSecond: command.clients.length / seconds };
}

/**
 * Open loop: every typist presses a key every 1/keysPerSecond seconds (with a random phase), whether
 * or not earlier keys have arrived anywhere, as people do. Latency is measured from the local edit
 * to the moment an observer's document has applied it, on this process's monotonic clock.
 */
async function type(command: Extract<Command, { type: "type" }>) {
  const random = seededRandom(command.seed);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const started = performance.now();
  const warmupEnds = started + command.warmupSeconds * 1000;
  const stopAt = started + command.seconds * 1000;

  const observed = command.observers.map((index) => {
    const ydoc = clients[index].ydoc!;
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === null) return;
      const arrived = performance.now();
      const { from } = Y.parseUpdateMeta(update);
      for (const [client, clock] of from) {
        const sent = sentAt.get(`${client}:${clock}`);
        if (sent !== undefined && sent >= warmupEnds) latencies.push(arrived - sent);
      }
    };
    ydoc.on("update", onUpdate);
    return () => ydoc.off("update", onUpdate);
  });

  const interval = 1000 / command.keysPerSecond;
  const schedule = command.typists.map((index, n) => ({ index, next: started + random() * interval, patch: (n * 9973) % command.patches.length }));
  let keys = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      for (const typist of schedule) {
        while (typist.next <= now && typist.next < stopAt) {
          const ydoc = clients[typist.index].ydoc!;
          const text = ydoc.getText("bench");
          const [position, deleteCount, insert] = command.patches[typist.patch++ % command.patches.length];
          const at = Math.min(position, text.length);
          const clock = Y.getState(ydoc.store, ydoc.clientID);
          ydoc.transact(() => {
            if (deleteCount > 0) text.delete(at, Math.min(deleteCount, text.length - at));
            if (insert) text.insert(at, insert);
          });
          if (insert) sentAt.set(`${ydoc.clientID}:${clock}`, typist.next);
          typist.next += interval;
          keys++;
        }
      }
      if (now >= stopAt) return resolve();
      const soonest = Math.min(...schedule.map((typist) => typist.next));
      setTimeout(tick, Math.max(0, soonest - performance.now()));
    };
    tick();
  });
  // Let the last keys arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const stop of observed) stop();
  return { keys, latencies };
}

async function allSynced(timeoutMs: number, since = Date.now()) {
  const everyone = Promise.all(clients.map((client) => client.synced()));
  const done = await Promise.race([everyone.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs))]);
  return { done, seconds: (Date.now() - since) / 1000, synced: clients.filter((client) => client.isSynced()).length, total: clients.length };
}

async function seed(update: Uint8Array) {
  const client = clients[0];
  Y.applyUpdate(client.ydoc!, update);
  if (client.unacknowledged) await waiter(() => client.unacknowledged!() === 0, client.onAcknowledged!);
  else await new Promise((resolve) => setTimeout(resolve, 2_000));
}

/**
 * Closed loop per writer, a window of unacknowledged changes deep: what the server can make durable
 * and acknowledge per second, not what the clients can send.
 */
async function hammer(command: Extract<Command, { type: "hammer" }>) {
  const stopAt = performance.now() + command.seconds * 1000;
  let typed = 0;
  let unacknowledgedAtEnd = 0;
  await Promise.all(
    command.writers.map(async (index) => {
      const client = clients[index];
      const text = client.ydoc!.getText("bench");
      while (performance.now() < stopAt) {
        if (client.unacknowledged!() >= command.window) {
          await waiter(() => client.unacknowledged!() < command.window || performance.now() >= stopAt, client.onAcknowledged!);
          continue;
        }
        text.insert(text.length, "k");
        typed++;
        // Yield now and then so acknowledgements are read between keys.
        if (typed % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      unacknowledgedAtEnd += client.unacknowledged!();
    }),
  );
  return { typed, acknowledged: typed - unacknowledgedAtEnd, seconds: command.seconds };
}

function states() {
  return clients.flatMap((client) => (client.ydoc ? [{ doc: client.doc, state: Buffer.from(Y.encodeStateAsUpdate(client.ydoc)).toString("base64") }] : []));
}

process.on("message", async (command: Command) => {
  try {
    let result: unknown;
    if (command.type === "open") result = await open(command);
    else if (command.type === "type") result = await type(command);
    else if (command.type === "synced") result = await allSynced(command.timeoutMs, command.since);
    else if (command.type === "states") result = states();
    else if (command.type === "tokens") {
      for (let i = 0; i < command.docs.length; i += 20) await Promise.all(command.docs.slice(i, i + 20).map((doc) => tokenFor(command.target, doc)));
      result = {};
    } else if (command.type === "seed") result = await seed(Buffer.from(command.update, "base64"));
    else if (command.type === "hammer") result = await hammer(command);
    else {
      for (const client of clients.splice(command.from ?? 0)) client.destroy();
      result = {};
    }
    process.send!({ ok: true, result });
  } catch (error) {
    process.send!({ ok: false, error: error instanceof Error ? error.stack : String(error) });
  }
});
