import * as encoding from "lib0/encoding";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { openDatabase } from "../../server/db/database.ts";
import { connectClient, eventually, type TestClient } from "../support/client.ts";
import { asUser, signUp, type TestUser } from "../support/accounts.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { authFrame, frame } from "../support/wire.ts";

describe.each(backends())("collaboration on %s storage", (backend) => {
  let storage: Storage;
  const servers: ServerProcess[] = [];
  const clients: TestClient[] = [];

  const start = async () => {
    const server = await startServer(storage);
    servers.push(server);
    return server;
  };
  let owner: TestUser;
  /** A fresh owner account on a server, and a document of theirs. */
  const ownDocument = async (server: ServerProcess) => {
    owner = await signUp(server.url, "Owner");
    return owner.createDocument();
  };
  /** Connects as the owner; the token is fetched anew on every (re)connect, as the editor does. */
  const connect = (server: ServerProcess, documentId: string) => {
    const onThisServer = asUser(server.url, owner);
    const client = connectClient(server.url, documentId, () => onThisServer.collabToken(documentId));
    clients.push(client);
    return client;
  };

  /** Authenticates a raw socket as the owner and sends one sync update (0, 2); resolves with how it closed. */
  const sendRawUpdate = async (server: ServerProcess, documentId: string, update: Uint8Array) => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab`);
    await new Promise((resolve) => socket.once("open", resolve));
    const closed = new Promise<[number, string]>((resolve) => socket.once("close", (code, reason) => resolve([code, reason.toString()])));
    socket.send(authFrame(documentId, await owner.collabToken(documentId)));
    socket.send(frame(documentId, (e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, update))));
    return closed;
  };

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const server of servers.splice(0)) await server.stop();
    await storage?.dispose();
  });

  it("two writers typing at once converge on the same document", async () => {
    storage = await freshStorage(backend);
    const server = await start();
    const { id } = await ownDocument(server);
    const alice = connect(server, id);
    const bob = connect(server, id);
    await Promise.all([alice.synced(), bob.synced()]);

    for (let i = 0; i < 20; i++) {
      alice.type(`alice ${i}`);
      bob.type(`bob ${i}`);
    }
    await Promise.all([alice.saved(), bob.saved()]);

    await eventually(() => alice.text() === bob.text() && alice.text().split("\n").length === 40, "both replicas hold all 40 paragraphs");
    expect(Y.encodeStateVector(alice.doc)).toEqual(Y.encodeStateVector(bob.doc));
    for (let i = 0; i < 20; i++) {
      expect(alice.text()).toContain(`alice ${i}`);
      expect(alice.text()).toContain(`bob ${i}`);
    }
  });

  it("a third writer joining after a server restart sees exactly the same content", async () => {
    storage = await freshStorage(backend);
    const first = await start();
    const { id } = await ownDocument(first);
    const alice = connect(first, id);
    const bob = connect(first, id);
    await Promise.all([alice.synced(), bob.synced()]);
    alice.type("written before the restart");
    bob.type("also before the restart");
    await Promise.all([alice.saved(), bob.saved()]);
    await eventually(() => alice.text() === bob.text() && bob.text().split("\n").length === 2, "converged");
    const before = alice.text();

    expect(await first.stop()).toBe(0);
    const second = await start();
    const carol = connect(second, id);
    await carol.synced();
    expect(carol.text()).toBe(before);
  });

  it("every update the client saw acknowledged survives kill -9 of the server", async () => {
    storage = await freshStorage(backend);
    const first = await start();
    const { id } = await ownDocument(first);
    const writer = connect(first, id);
    await writer.synced();
    const typed: string[] = [];
    for (let i = 0; i < 25; i++) {
      writer.type(`acknowledged line ${i}`);
      typed.push(`acknowledged line ${i}`);
      await writer.saved();
    }
    // Killed well inside the compaction debounce: what survives comes from the update log alone.
    await first.kill9();

    const second = await start();
    const reader = connect(second, id);
    await reader.synced();
    expect(reader.text().split("\n")).toEqual(typed);
  });

  it("a document whose load fails is refused, and what is stored is never overwritten", async () => {
    storage = await freshStorage(backend);
    const first = await start();
    const { id } = await ownDocument(first);
    const writer = connect(first, id);
    await writer.synced();
    writer.type("precious content");
    await writer.saved();
    writer.destroy();
    expect(await first.stop()).toBe(0);

    // A corrupt row in the log makes the document unloadable.
    const garbage = new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
    expect(() => Y.applyUpdate(new Y.Doc(), garbage)).toThrow();
    const stored = async () => {
      const database = await openDatabase(storage);
      try {
        const document = await database.prisma.document.findUniqueOrThrow({ where: { id }, include: { updates: { orderBy: { id: "asc" } } } });
        return { snapshot: document.snapshot, updates: document.updates.map((row) => [row.id, row.data]) };
      } finally {
        await database.close();
      }
    };
    {
      const database = await openDatabase(storage);
      await database.prisma.documentUpdate.create({ data: { documentId: id, data: garbage } });
      await database.close();
    }
    const before = await stored();

    const second = await start();
    const victim = connect(second, id);
    expect(await victim.refused()).toBe("document-load-failed");
    // The refused client keeps typing locally; none of it may reach storage.
    victim.type("this must not replace anything");
    await new Promise((resolve) => setTimeout(resolve, 500));
    victim.destroy();
    expect(await second.stop()).toBe(0);
    expect(await stored()).toEqual(before);

    // Once the bad row is removed, the original content is all there.
    {
      const database = await openDatabase(storage);
      await database.prisma.documentUpdate.deleteMany({ where: { documentId: id, data: { equals: garbage } } });
      await database.close();
    }
    const third = await start();
    const reader = connect(third, id);
    await reader.synced();
    expect(reader.text()).toBe("precious content");
  });

  // Only Postgres lets the test delete the row while the server keeps the document loaded.
  it.runIf(backend === "postgres")("nobody can join a document deleted while it is still loaded in memory", async () => {
    storage = await freshStorage(backend);
    const server = await start();
    const { id } = await ownDocument(server);
    const stayer = connect(server, id);
    await stayer.synced();
    // Issued while the document still existed: the server must check the database, not trust the token.
    const token = await owner.collabToken(id);
    const database = await openDatabase(storage);
    await database.prisma.document.delete({ where: { id } });
    await database.close();

    const latecomer = connectClient(server.url, id, token);
    clients.push(latecomer);
    expect(await latecomer.refused()).toBe("document-not-found");
  });

  it("a malformed update closes that socket with a reason and never reaches storage", async () => {
    storage = await freshStorage(backend);
    const server = await start();
    const { id } = await ownDocument(server);
    const writer = connect(server, id);
    await writer.synced();
    writer.type("intact");
    await writer.saved();

    // Bytes that are not a Yjs update.
    expect(await sendRawUpdate(server, id, new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]))).toEqual([1007, "invalid-update"]);

    writer.type("still editing");
    await writer.saved();
    writer.destroy();
    expect(await server.stop()).toBe(0);
    const restarted = await start();
    const reader = connect(restarted, id);
    await reader.synced();
    expect(reader.text()).toBe("intact\nstill editing");
  });

  it("an update that depends on changes the server never received is refused and never stored", async () => {
    storage = await freshStorage(backend);
    const server = await start();
    const { id } = await ownDocument(server);
    const writer = connect(server, id);
    await writer.synced();
    writer.type("intact");
    await writer.saved();

    // A replica that typed twice; the server gets only the second change, which builds on the first.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(writer.doc));
    const fragment = replica.getXmlFragment("default");
    const paragraph = new Y.XmlElement("paragraph");
    fragment.insert(fragment.length, [paragraph]);
    const afterFirst = Y.encodeStateVector(replica);
    paragraph.insert(0, [new Y.XmlText("orphan")]);
    const second = Y.encodeStateAsUpdate(replica, afterFirst);

    expect(await sendRawUpdate(server, id, second)).toEqual([1007, "invalid-update"]);

    writer.type("still editing");
    await writer.saved();
    writer.destroy();
    expect(await server.stop()).toBe(0);
    const reader = connect(await start(), id);
    await reader.synced();
    expect(reader.text()).toBe("intact\nstill editing");
    expect(reader.doc.store.pendingStructs).toBeNull();
  });
});
