import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Awareness, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as Y from "yjs";
import { openDatabase } from "../../server/db/database.ts";
import { asUser, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, eventually, openRawSocket, type RawSocket, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { authFrame, awarenessFrame, frame, metricSample as sample } from "../support/wire.ts";

describe("presence", () => {
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser;
  let observer: TestClient;
  let flooder: TestClient;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { MAX_AWARENESS_UPDATES_PER_SECOND: "20", MAX_AWARENESS_BYTES: "4096" });
    owner = await signUp(server.url, "Real Name");
    const { id } = await owner.createDocument("Presence");
    observer = connectClient(server.url, id, () => owner.collabToken(id));
    flooder = connectClient(server.url, id, () => owner.collabToken(id));
    await Promise.all([observer.synced(), flooder.synced()]);
  });
  afterAll(async () => {
    observer?.destroy();
    flooder?.destroy();
    await server?.stop();
    await storage?.dispose();
  });

  const seenByObserver = () => observer.provider.awareness!.getStates().get(flooder.doc.clientID);

  it("shows the account's name and colour, whatever a client claims", async () => {
    flooder.provider.setAwarenessField("user", { name: "Impostor", color: "#000000" });
    await eventually(() => seenByObserver()?.user !== undefined, "the observer sees the other writer");
    expect(seenByObserver()?.user.name).toBe("Real Name");
    expect(seenByObserver()?.user.color).not.toBe("#000000");
  });

  it("a flood of 1,000 cursor updates reaches others only at the capped rate, and the writer is not locked out", async () => {
    // Raw frames on a bare socket: the provider would merge a burst before sending it.
    const documentId = observer.provider.configuration.name;
    const encodedAwarenessFrame = (update: Uint8Array) => frame(documentId, (e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, update)));
    const rawDoc = new Y.Doc();
    const rawAwareness = new Awareness(rawDoc);
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab`);
    await new Promise((resolve) => socket.once("open", resolve));
    const token = await owner.collabToken(documentId);
    const authenticated = new Promise((resolve) => socket.once("message", resolve));
    socket.send(authFrame(documentId, token));
    await authenticated;
    const dropped = async () => sample(await (await fetch(`${server.url}/metrics`)).text(), 'inkwell_refused_connections_total{reason="awareness-rate"}');
    const droppedBefore = await dropped();

    let received = 0;
    observer.provider.awareness!.on("update", ({ updated, added }: { updated: number[]; added: number[] }) => {
      if ([...updated, ...added].includes(rawDoc.clientID)) received += 1;
    });
    const started = performance.now();
    for (let i = 0; i < 1_000; i++) {
      rawAwareness.setLocalStateField("cursor", { i });
      const update = encodeAwarenessUpdate(rawAwareness, [rawDoc.clientID]);
      socket.send(encodedAwarenessFrame(update));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const seconds = (performance.now() - started) / 1000;
    // A burst of 40, then 20 a second; the server drops the rest (and coalesces what it broadcasts).
    const passed = 1_000 - ((await dropped()) - droppedBefore);
    expect(passed).toBeGreaterThanOrEqual(40);
    expect(passed).toBeLessThanOrEqual(40 + Math.ceil(20 * seconds) + 5);
    expect(received).toBeLessThanOrEqual(passed);
    console.log(`presence flood: ${passed} of 1000 awareness updates accepted in ${seconds.toFixed(1)} s, ${received} broadcasts reached another writer`);

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    rawAwareness.setLocalStateField("cursor", { final: true });
    socket.send(encodedAwarenessFrame(encodeAwarenessUpdate(rawAwareness, [rawDoc.clientID])));
    await eventually(() => observer.provider.awareness!.getStates().get(rawDoc.clientID)?.cursor?.final === true, "a later cursor update gets through");
    socket.close();
  });

  it("a state larger than MAX_AWARENESS_BYTES is never broadcast", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    flooder.provider.setAwarenessField("cursor", { huge: "x".repeat(10_000) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seenByObserver()?.cursor?.huge).toBeUndefined();
    flooder.provider.setAwarenessField("cursor", { small: true });
    await eventually(() => seenByObserver()?.cursor?.small === true, "a normal state after it gets through");
  });
});

const someClientId = () => Math.floor(Math.random() * 2 ** 31);
const settle = (ms = 500) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends())("presence against a hostile viewer (%s)", (backend) => {
  const HUGE_NAME = "M".repeat(1_000_000);
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser;
  let mallory: TestUser;
  let documentId: string;
  /** Another participant, whose received bytes are the measure of each attack. */
  let watcher: TestClient;
  const clients: TestClient[] = [];
  const sockets: RawSocket[] = [];

  beforeAll(async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    owner = await signUp(server.url, "Olive Owner");
    ({ id: documentId } = await owner.createDocument("Presence under attack"));
    const link = await (await owner.request(`/api/documents/${documentId}/links`, { method: "POST", body: JSON.stringify({ role: "viewer" }) })).json();
    mallory = await signUp(server.url, "Mallory");
    expect((await mallory.request(`/api/join/${link.url.split("/").at(-1)}`, { method: "POST" })).status).toBe(200);
    // Sign-up and profile updates cap names; an account from before that cap may have any length.
    await server.stop();
    const database = await openDatabase(storage);
    try {
      await database.prisma.$executeRaw`UPDATE users SET name = ${HUGE_NAME} WHERE id = ${mallory.id}`;
    } finally {
      await database.close();
    }
    server = await startServer(storage);
    // Same accounts and sessions, on the restarted server's port.
    owner = asUser(server.url, owner);
    mallory = asUser(server.url, mallory);
    watcher = connectClient(server.url, documentId, () => owner.collabToken(documentId));
    clients.push(watcher);
    await watcher.synced();
  }, 120_000);
  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const socket of sockets.splice(0)) socket.close();
    await server?.stop();
    await storage?.dispose();
  });

  /** Mallory's own socket, authenticated for the document with her (million-character-name) token. */
  const attacker = async () => {
    const socket = await openRawSocket(server.url);
    sockets.push(socket);
    const [answer] = (await socket.authenticateAll([documentId], await mallory.collabToken(documentId))).values();
    expect(answer).toBe("authenticated");
    await settle(300);
    return socket;
  };
  const seenByWatcher = () => watcher.provider.awareness!.getStates();

  it("30 tiny presence frames from an account with a 1,000,000-character name reach another client as a few KB, the name cut to 80 characters", async () => {
    const socket = await attacker();
    const clientId = someClientId();
    const before = watcher.bytesReceived();
    let sent = 0;
    for (let clock = 1; clock <= 30; clock++) {
      const presence = awarenessFrame(documentId, [{ clientId, clock, state: { cursor: { at: clock } } }]);
      sent += presence.byteLength;
      socket.send(presence);
    }
    await eventually(() => seenByWatcher().get(clientId)?.cursor?.at === 30, "the watcher sees the last cursor", 60_000);
    await settle();
    const delivered = watcher.bytesReceived() - before;
    console.log(`long name: ${sent} bytes of presence sent, ${delivered} bytes delivered to another client`);
    expect(seenByWatcher().get(clientId)?.user.name).toBe("M".repeat(80));
    expect(delivered).toBeLessThan(10_000);
  });

  it("one frame listing 10 client ids adds at most one presence entry, for others and for a late joiner", async () => {
    const socket = await attacker();
    const ids = Array.from({ length: 10 }, someClientId);
    const entriesBefore = seenByWatcher().size;
    const before = watcher.bytesReceived();
    const listing = awarenessFrame(documentId, ids.map((clientId) => ({ clientId, clock: 1, state: {} })));
    socket.send(listing);
    await settle(1_000);
    const delivered = watcher.bytesReceived() - before;
    const late = connectClient(server.url, documentId, () => owner.collabToken(documentId));
    clients.push(late);
    await late.synced();
    await settle();
    const lateFakes = ids.filter((id) => late.provider.awareness!.getStates().has(id)).length;
    console.log(`10 ids in a ${listing.byteLength}-byte frame: ${seenByWatcher().size - entriesBefore} entries added, ${delivered} bytes delivered; a late joiner got ${late.bytesReceived()} bytes and ${lateFakes} of the ids`);
    expect(seenByWatcher().size - entriesBefore).toBeLessThanOrEqual(1);
    expect(delivered).toBeLessThan(2_000);
    expect(lateFakes).toBeLessThanOrEqual(1);
    expect(late.bytesReceived()).toBeLessThan(20_000);
  });

  it("a viewer's awareness update for the editor's client id, at a higher clock, changes neither the editor's caret nor name as others see them", async () => {
    const editor = connectClient(server.url, documentId, () => owner.collabToken(documentId));
    clients.push(editor);
    await editor.synced();
    const victim = editor.doc.clientID;
    editor.provider.setAwarenessField("cursor", { anchor: 7, head: 7 });
    await eventually(() => seenByWatcher().get(victim)?.cursor?.anchor === 7, "the watcher sees the editor's caret");
    const socket = await attacker();
    const clock = editor.provider.awareness!.meta.get(victim)!.clock;
    const before = watcher.bytesReceived();
    socket.send(awarenessFrame(documentId, [{ clientId: victim, clock: clock + 10, state: { user: { name: "Mallory" }, cursor: null } }]));
    socket.send(awarenessFrame(documentId, [{ clientId: victim, clock: clock + 20, state: null }]));
    await settle(1_000);
    const delivered = watcher.bytesReceived() - before;
    console.log(`overwrite attempt on the editor's presence: the watcher sees ${JSON.stringify(seenByWatcher().get(victim)?.user?.name?.slice(0, 20))} with caret ${JSON.stringify(seenByWatcher().get(victim)?.cursor)}, ${delivered} bytes delivered`);
    expect(seenByWatcher().get(victim)?.user.name).toBe("Olive Owner");
    expect(seenByWatcher().get(victim)?.cursor).toEqual({ anchor: 7, head: 7 });
    expect(delivered).toBeLessThan(2_000);
  });

  it("a viewer cannot publish presence under the client id of an editor who wrote under it and left", async () => {
    const editor = connectClient(server.url, documentId, () => owner.collabToken(documentId));
    await editor.synced();
    const departed = editor.doc.clientID;
    editor.type("written, then gone");
    await editor.saved();
    editor.destroy();
    await eventually(() => !seenByWatcher().has(departed), "the editor's presence is gone with it");
    const socket = await attacker();
    socket.send(awarenessFrame(documentId, [{ clientId: departed, clock: 1_000, state: { cursor: { anchor: 1, head: 1 } } }]));
    await settle(1_000);
    expect(seenByWatcher().has(departed)).toBe(false);
  });

  it("a frame of 40 made-up people adds none of them", async () => {
    const socket = await attacker();
    const own = someClientId();
    socket.send(awarenessFrame(documentId, [{ clientId: own, clock: 1, state: { cursor: null } }]));
    await eventually(() => seenByWatcher().has(own), "the watcher sees the viewer itself");
    const fakes = Array.from({ length: 40 }, (_, n) => ({ clientId: someClientId(), clock: 1, state: { user: { name: `P${n}` } } }));
    const crowd = awarenessFrame(documentId, fakes);
    const entriesBefore = seenByWatcher().size;
    const before = watcher.bytesReceived();
    socket.send(crowd);
    await settle(1_000);
    const delivered = watcher.bytesReceived() - before;
    console.log(`40 made-up people in a ${crowd.byteLength}-byte frame: ${seenByWatcher().size - entriesBefore} added, ${delivered} bytes delivered`);
    expect(seenByWatcher().size - entriesBefore).toBe(0);
    expect(delivered).toBeLessThan(2_000);
  });
});
