import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Awareness, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as Y from "yjs";
import { signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, eventually, type TestClient } from "../support/client.ts";
import { freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { authFrame, frame, metricSample as sample } from "../support/wire.ts";


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
    const awarenessFrame = (update: Uint8Array) => frame(documentId, (e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, update)));
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
      socket.send(awarenessFrame(update));
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
    socket.send(awarenessFrame(encodeAwarenessUpdate(rawAwareness, [rawDoc.clientID])));
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
