import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { asUser, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, eventually, fragmentText, MESSAGE, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { loadTrace } from "../support/traces.ts";
import { authFrame, frame, metricSample } from "../support/wire.ts";

const STEP_1 = 0;
const STEP_2 = 1;

interface SyncFrame {
  step: number;
  payload: Uint8Array;
}

/**
 * A raw socket that asks for a document as a client holding `has` (nothing, by default) does, and
 * records every sync frame up to Hocuspocus's answer to that request (the sync step 2 that follows
 * its own sync step 1); resolves with them, and whether the server refused instead.
 */
async function openRaw(server: ServerProcess, documentId: string, token: string, has = new Y.Doc()): Promise<{ syncs: SyncFrame[]; refused: boolean }> {
  const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab`);
  socket.binaryType = "nodebuffer";
  await new Promise((resolve) => socket.once("open", resolve));
  const syncs: SyncFrame[] = [];
  const done = new Promise<boolean>((resolve) => {
    socket.on("message", (data: Buffer) => {
      if (data.length <= 1) return;
      const decoder = decoding.createDecoder(new Uint8Array(data));
      decoding.readVarString(decoder);
      const type = decoding.readVarUint(decoder);
      // Auth answers: 1 is "permission denied", 2 "authenticated".
      if (type === MESSAGE.Auth && decoding.readVarUint(decoder) === 1) resolve(true);
      if (type !== MESSAGE.Sync && type !== MESSAGE.SyncReply) return;
      const step = decoding.readVarUint(decoder);
      syncs.push({ step, payload: decoding.readVarUint8Array(decoder) });
      if (step === STEP_2 && syncs.some((sync) => sync.step === STEP_1)) resolve(false);
    });
    socket.once("close", () => resolve(true));
  });
  socket.send(authFrame(documentId, token));
  socket.send(frame(documentId, (e) => (encoding.writeVarUint(e, MESSAGE.Sync), encoding.writeVarUint(e, STEP_1), encoding.writeVarUint8Array(e, Y.encodeStateVector(has)))));
  const refused = await Promise.race([done, new Promise<boolean>((_, reject) => setTimeout(() => reject(new Error("no answer within 10 s")), 10_000))]);
  socket.close();
  return { syncs, refused };
}

function textAfter(updates: Uint8Array[], start = new Y.Doc()): string {
  for (const update of updates) Y.applyUpdate(start, update);
  return fragmentText(start.getXmlFragment("default"));
}

describe.each(backends())("a fresh client's first sync on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser;
  const clients: TestClient[] = [];

  const connect = (documentId: string) => {
    const client = connectClient(server.url, documentId, () => owner.collabToken(documentId));
    clients.push(client);
    return client;
  };

  const metric = async (name: string) => metricSample(await (await fetch(`${server.url}/metrics`)).text(), name);

  /** A document holding the first paragraphs of a real editing trace, written, closed and unloaded. */
  const storedDocument = async () => {
    const { id } = await owner.createDocument("Stored");
    const writer = connect(id);
    await writer.synced();
    const trace = loadTrace("automerge-paper", 3_000);
    const paragraph = new Y.XmlText();
    const element = new Y.XmlElement("paragraph");
    element.insert(0, [paragraph]);
    writer.doc.getXmlFragment("default").insert(0, [element]);
    for (const [position, deleteCount, insert] of trace.patches) {
      writer.doc.transact(() => {
        if (deleteCount > 0) paragraph.delete(position, deleteCount);
        if (insert) paragraph.insert(position, insert);
      });
    }
    await writer.saved();
    expect(writer.text()).toBe(trace.endContent);
    writer.destroy();
    await eventually(async () => (await metric("inkwell_loaded_documents")) === 0, "the document is unloaded once its writer left");
    return { id, text: trace.endContent };
  };

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.stop();
    await storage?.dispose();
  });

  it("a client opening a stored document nobody has open is sent it straight from storage, once: the server's own answer then carries nothing more", async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    owner = await signUp(server.url, "Owner");
    const { id, text } = await storedDocument();
    const answeredBefore = await metric("inkwell_first_syncs_from_storage_total");

    const { syncs, refused } = await openRaw(server, id, await owner.collabToken(id));
    expect(refused).toBe(false);
    const answers = syncs.filter((sync) => sync.step === STEP_2);
    expect(answers).toHaveLength(2);
    const [fromStorage, fromServer] = answers;
    expect(textAfter([fromStorage.payload])).toBe(text);
    // What the server's loaded copy holds beyond what was sent: no content, only the deletions Yjs
    // repeats in every answer.
    expect(Y.parseUpdateMeta(fromServer.payload).to.size).toBe(0);
    expect(textAfter([fromStorage.payload, fromServer.payload])).toBe(text);
    expect((await metric("inkwell_first_syncs_from_storage_total")) - answeredBefore).toBe(1);
  });

  it("two people opening the same stored document at once both get all of it, and then see each other's typing", async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    owner = await signUp(server.url, "Owner");
    const { id, text } = await storedDocument();

    const [alice, bob] = [connect(id), connect(id)];
    await Promise.all([alice.synced(), bob.synced()]);
    await eventually(() => alice.text() === text && bob.text() === text, "both hold the stored document");
    alice.type("alice was here");
    bob.type("bob too");
    await Promise.all([alice.saved(), bob.saved()]);
    await eventually(() => alice.text() === bob.text() && alice.text().includes("alice was here") && alice.text().includes("bob too"), "both see both lines");
    expect(await metric("inkwell_document_loads_total")).toBe(2);
  });

  it("a client that already holds part of the document gets only what it lacks, the ordinary way", async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    owner = await signUp(server.url, "Owner");
    const { id } = await owner.createDocument("Half known");
    const writer = connect(id);
    await writer.synced();
    writer.type("known already");
    await writer.saved();
    const known = new Y.Doc();
    Y.applyUpdate(known, Y.encodeStateAsUpdate(writer.doc));
    writer.type("new since");
    await writer.saved();
    const text = writer.text();
    writer.destroy();
    await eventually(async () => (await metric("inkwell_loaded_documents")) === 0, "the document is unloaded");
    const answeredBefore = await metric("inkwell_first_syncs_from_storage_total");

    const { syncs } = await openRaw(server, id, await owner.collabToken(id), known);
    const answers = syncs.filter((sync) => sync.step === STEP_2);
    expect(answers).toHaveLength(1);
    expect(textAfter([answers[0].payload], known)).toBe(text);
    expect(await metric("inkwell_first_syncs_from_storage_total")).toBe(answeredBefore);
  });

  it("a socket whose token is not for the document is refused and sent nothing of it", async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    owner = await signUp(server.url, "Owner");
    const { id } = await storedDocument();
    const stranger = await signUp(server.url, "Stranger");
    const { id: theirs } = await stranger.createDocument("Theirs");
    const answeredBefore = await metric("inkwell_first_syncs_from_storage_total");

    for (const token of ["not a token", await stranger.collabToken(theirs)]) {
      const { syncs, refused } = await openRaw(server, id, token);
      expect(refused).toBe(true);
      expect(syncs).toEqual([]);
    }
    expect(await metric("inkwell_first_syncs_from_storage_total")).toBe(answeredBefore);
  });

  it("a socket asking for more documents than may wait for authentication is still cut off, however it asks", async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab`);
    await new Promise((resolve) => socket.once("open", resolve));
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    // Hocuspocus lets a socket have 100 documents pending authentication; these ask as a fresh
    // client would, which is the request the first sync holds back.
    for (let i = 0; i < 120; i++) {
      socket.send(frame(crypto.randomUUID(), (e) => (encoding.writeVarUint(e, MESSAGE.Sync), encoding.writeVarUint(e, STEP_1), encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc())))));
    }
    const outcome = await Promise.race([closed, new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 5_000))]);
    socket.terminate();
    expect(outcome).not.toBe("still open");
  });

  it("a document whose log still has rows after a crash is answered whole, snapshot and rows together", async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    owner = await signUp(server.url, "Owner");
    const { id, text } = await storedDocument();
    const writer = connect(id);
    await writer.synced();
    writer.type("after the snapshot");
    await writer.saved();
    await server.kill9();
    writer.destroy();
    server = await startServer(storage);
    owner = asUser(server.url, owner);

    const { syncs } = await openRaw(server, id, await owner.collabToken(id));
    const answers = syncs.filter((sync) => sync.step === STEP_2);
    expect(answers).toHaveLength(1);
    expect(textAfter([answers[0].payload])).toBe(`${text}\nafter the snapshot`);
  });
});
