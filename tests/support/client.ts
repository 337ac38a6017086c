import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as Y from "yjs";
import { dropQueuedMessages } from "../../editor/provider-queue.ts";

/** Hocuspocus message types, as the first number after the document name in every frame. */
export const MESSAGE = { Sync: 0, Awareness: 1, Auth: 2, SyncReply: 4, Stateless: 5, Close: 7, SyncStatus: 8 } as const;

export interface TestClient {
  doc: Y.Doc;
  /** The message type of every frame this client received, in order. */
  received: number[];
  /** Stateless payloads the server sent this client. */
  stateless: string[];
  provider: HocuspocusProvider;
  /** Bytes of every frame this client received so far (pings included). */
  bytesReceived(): number;
  /** Resolves once the server has acknowledged (and so committed) every local change. */
  saved(): Promise<void>;
  synced(): Promise<void>;
  /** Resolves with the reason when the server refuses the document. */
  refused(): Promise<string>;
  text(): string;
  /** Appends a paragraph with the given text to the document, as an editor would. */
  type(text: string): void;
  destroy(): void;
}

/**
 * A real Yjs client over a real WebSocket, as any app embedding Inkwell would connect; with `doc`,
 * a client coming back with the document it had (typed into while it was away).
 */
export function connectClient(
  baseUrl: string,
  documentId: string,
  token: string | (() => Promise<string>),
  { doc = new Y.Doc(), ...tuning }: { messageReconnectTimeout?: number; doc?: Y.Doc } = {},
): TestClient {
  const websocket = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace(/^http/, "ws")}/collab`,
    WebSocketPolyfill: WebSocket,
    // Tests restart servers; reconnect quickly rather than after the browser-friendly default.
    delay: 100,
    minDelay: 100,
    maxDelay: 1000,
    ...tuning,
  });
  let refusal: string | undefined;
  const refusalWaiters: ((reason: string) => void)[] = [];
  const provider = new HocuspocusProvider({
    websocketProvider: websocket,
    name: documentId,
    document: doc,
    token,
    onAuthenticationFailed: ({ reason }) => {
      refusal = reason;
      for (const resolve of refusalWaiters.splice(0)) resolve(reason);
    },
  });
  const received: number[] = [];
  let bytesReceived = 0;
  websocket.on("message", (event: MessageEvent) => {
    const data = new Uint8Array(event.data as ArrayBuffer);
    bytesReceived += data.byteLength;
    // A one-byte frame is a connection-level ping, addressed to no document.
    if (data.length <= 1) return;
    const decoder = decoding.createDecoder(data);
    decoding.readVarString(decoder);
    received.push(decoding.readVarUint(decoder));
  });
  // As the editor does: otherwise `saved()` can resolve after a reconnect before the server has the
  // sync step 2 that carries the changes made while disconnected.
  provider.on("open", () => dropQueuedMessages(websocket));
  const stateless: string[] = [];
  provider.on("stateless", ({ payload }: { payload: string }) => stateless.push(payload));
  provider.attach();
  const fragment = doc.getXmlFragment("default");

  const waitFor = (done: () => boolean, events: string[]) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!done()) return;
        for (const event of events) provider.off(event, check);
        resolve();
      };
      for (const event of events) provider.on(event, check);
      check();
    });

  return {
    doc,
    received,
    stateless,
    provider,
    bytesReceived: () => bytesReceived,
    synced: () => waitFor(() => provider.isSynced, ["synced"]),
    saved: () =>
      waitFor(() => provider.isSynced && provider.unsyncedChanges === 0, ["synced", "unsyncedChanges"]),
    refused: () => (refusal ? Promise.resolve(refusal) : new Promise((resolve) => refusalWaiters.push(resolve))),
    text: () => fragmentText(fragment),
    type(text) {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(text)]);
      fragment.insert(fragment.length, [paragraph]);
    },
    destroy() {
      // A socket still in its handshake (a client retrying a document that is gone) reports the abort
      // as an 'error' event on the next tick, after the provider has dropped its listeners; unheard, it
      // would be an uncaught exception in whichever test file destroyed it. Nobody awaits it any more.
      (websocket as unknown as { webSocket: { on?(event: string, listener: () => void): void } | null }).webSocket?.on?.("error", () => {});
      provider.destroy();
      websocket.destroy();
    },
  };
}

export function fragmentText(fragment: Y.XmlFragment): string {
  return fragment
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((child) => child.toString()).join("") : node.toString()))
    .join("\n");
}

/** Polls until the condition holds, failing with the message after the timeout. */
export async function eventually(condition: () => boolean | Promise<boolean>, message: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every close of the client's socket, as it happens: code and reason. */
export function closesOf(client: TestClient): { code: number; reason: string }[] {
  const seen: { code: number; reason: string }[] = [];
  client.provider.configuration.websocketProvider.on("close", ({ event }: { event: { code: number; reason: string } }) =>
    seen.push({ code: event.code, reason: event.reason }),
  );
  return seen;
}

/**
 * What a hostile editor can do through its own connection: send a paragraph written under someone
 * else's client id, at that id's next clock (both are visible to every participant). The paragraph
 * goes first in the document.
 */
export function sendUnderClientId(client: TestClient, clientId: number, text: string): void {
  const forger = new Y.Doc();
  Y.applyUpdate(forger, Y.encodeStateAsUpdate(client.doc));
  // Set afterwards: Yjs moves a document off a client id that content arrives under.
  forger.clientID = clientId;
  const before = Y.encodeStateVector(forger);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  forger.getXmlFragment("default").insert(0, [paragraph]);
  Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(forger, before));
}

/**
 * A bare collaboration socket that sends whatever frames a script writes, as an attacker would,
 * and records how the server answered each authentication (by the address it named).
 */
export interface RawSocket {
  socket: WebSocket;
  /** Routing key → "authenticated", or the reason the server refused it. */
  answers: Map<string, string>;
  bytesReceived(): number;
  send(frame: Uint8Array): void;
  /** Sends one authentication frame per routing key, in quick bursts, and waits for every answer. */
  authenticateAll(keys: string[], token: string, timeoutMs?: number): Promise<Map<string, string>>;
  close(): void;
}

const AUTH_PERMISSION_DENIED = 1;
const AUTH_AUTHENTICATED = 2;

export async function openRawSocket(baseUrl: string, headers: Record<string, string> = {}): Promise<RawSocket> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/collab`, { headers });
  const answers = new Map<string, string>();
  let bytesReceived = 0;
  socket.on("message", (data: Buffer) => {
    bytesReceived += data.byteLength;
    if (data.byteLength <= 1) return;
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const key = decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== MESSAGE.Auth) return;
    const answer = decoding.readVarUint(decoder);
    if (answer === AUTH_AUTHENTICATED) answers.set(key, "authenticated");
    else if (answer === AUTH_PERMISSION_DENIED) answers.set(key, decoding.readVarString(decoder));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const send = (frame: Uint8Array) => socket.send(frame);
  return {
    socket,
    answers,
    bytesReceived: () => bytesReceived,
    send,
    async authenticateAll(keys, token, timeoutMs = 15_000) {
      // In bursts of 50: Hocuspocus resets a socket with more than 100 authentications pending at once.
      for (let start = 0; start < keys.length; start += 50) {
        const burst = keys.slice(start, start + 50);
        for (const key of burst) {
          const encoder = encoding.createEncoder();
          encoding.writeVarString(encoder, key);
          encoding.writeVarUint(encoder, MESSAGE.Auth);
          encoding.writeVarUint(encoder, 0);
          encoding.writeVarString(encoder, token);
          send(encoding.toUint8Array(encoder));
        }
        await eventually(() => burst.every((key) => answers.has(key)), `the server answered ${burst.length} authentications`, timeoutMs);
      }
      return new Map(keys.map((key) => [key, answers.get(key)!]));
    },
    close: () => socket.close(),
  };
}

/** How many times each answer occurs, e.g. { authenticated: 20, "too-many-connections": 230 }. */
export function tally(answers: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) counts[answer] = (counts[answer] ?? 0) + 1;
  return counts;
}
