import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { moveToFreshClientId } from "../../editor/fresh-client-id.ts";
import { asUser, share, signUp, type TestUser } from "../support/accounts.ts";
import { closesOf, connectClient, eventually, sendUnderClientId, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

describe.each(backends())("client ids belong to whoever wrote under them first, on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  const clients: TestClient[] = [];
  let writer: TestUser;
  let mallory: TestUser;
  let documentId: string;

  const connect = (user: TestUser, doc?: Y.Doc) => {
    // Tokens from the server running now: one test restarts it on another port.
    const onThisServer = asUser(server.url, user);
    const client = connectClient(server.url, documentId, () => onThisServer.collabToken(documentId), { doc });
    clients.push(client);
    return client;
  };
  /** What a newcomer reading the document from the server sees. */
  const readerText = async () => {
    const reader = connect(writer);
    await reader.synced();
    const text = reader.text();
    reader.destroy();
    return text;
  };
  /**
   * Mallory, a legitimate editor of the document, sends an update of her own making under
   * `clientId` at that client's next clock (both are visible to every participant); resolves with
   * how the server answered it.
   */
  const forgeUnder = async (clientId: number, text: string): Promise<"acknowledged" | { code: number; reason: string }> => {
    const connection = connect(mallory);
    const closed = closesOf(connection);
    await connection.synced();
    sendUnderClientId(connection, clientId, text);
    await Promise.race([connection.saved(), eventually(() => closed.length > 0, "the forged update answered")]);
    connection.destroy();
    return closed[0] ?? "acknowledged";
  };

  const setUp = async () => {
    storage = await freshStorage(backend);
    server = await startServer(storage);
    writer = await signUp(server.url, "Wanda");
    mallory = await signUp(server.url, "Mallory");
    ({ id: documentId } = await writer.createDocument("Forgery target"));
    await share(writer, documentId, mallory.email, "editor");
  };

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.stop();
    await storage?.dispose();
  });

  it("an editor cannot write under another writer's client id: the writer's offline line is saved, and the forgery is refused", async () => {
    await setUp();
    const wanda = connect(writer);
    await wanda.synced();
    wanda.type("saved line");
    await wanda.saved();

    // Wanda goes offline and types; meanwhile Mallory claims Wanda's next change.
    wanda.destroy();
    wanda.type("victim-offline-line");
    const answer = await forgeUnder(wanda.doc.clientID, "FORGED-BY-MALLORY");

    const back = connect(writer, wanda.doc);
    await back.saved();
    const text = await readerText();
    console.log(`forgery: answered ${JSON.stringify(answer)}; Wanda sees ${JSON.stringify(back.text())}, a fresh reader ${JSON.stringify(text)}`);
    expect(answer).toEqual({ code: 4409, reason: "client-id-taken" });
    expect(server.logs.join("\n")).toMatch(new RegExp(`"userId":"${mallory.id}".*"clientId":${wanda.doc.clientID}.*"ownerId":"${writer.id}"`));
    expect(text).toBe("saved line\nvictim-offline-line");
    expect(back.text()).toBe(text);
  });

  it("the binding survives a restart: after one, the forgery is still refused", async () => {
    await setUp();
    const wanda = connect(writer);
    await wanda.synced();
    wanda.type("before the restart");
    await wanda.saved();
    wanda.destroy();

    await server.stop();
    server = await startServer(storage);
    expect(await forgeUnder(wanda.doc.clientID, "FORGED-AFTER-RESTART")).toEqual({ code: 4409, reason: "client-id-taken" });
    const back = connect(writer, wanda.doc);
    back.type("after the restart");
    await back.saved();
    expect(await readerText()).toBe("before the restart\nafter the restart");
  });

  it("one writer in two tabs saves from both, and a first change made offline is taken in a sync step 2", async () => {
    await setUp();
    const tabs = [connect(writer), connect(writer)];
    await Promise.all(tabs.map((tab) => tab.synced()));
    tabs[0].type("from the first tab");
    tabs[1].type("from the second tab");
    await Promise.all(tabs.map((tab) => tab.saved()));

    // A third tab that never wrote online: its client id is first used by its reconnecting sync step 2.
    const third = connect(writer);
    await third.synced();
    third.destroy();
    third.type("first written offline");
    const back = connect(writer, third.doc);
    await back.saved();
    const text = await readerText();
    for (const line of ["from the first tab", "from the second tab", "first written offline"]) expect(text).toContain(line);
  });

  it("a writer whose unused client id was claimed first gets their offline work saved under a fresh one, and loses nothing", async () => {
    await setUp();
    const wanda = connect(writer);
    await wanda.synced();
    // Offline before writing anything, so her client id is still free when Mallory claims it.
    wanda.destroy();
    wanda.type("victim-offline-line");
    expect(await forgeUnder(wanda.doc.clientID, "FORGED-BY-MALLORY")).toBe("acknowledged");

    const back = connect(writer, wanda.doc);
    const closed = closesOf(back);
    await eventually(() => closed.length > 0, "Wanda's refused reconnect");
    expect(closed[0]).toEqual({ code: 4409, reason: "client-id-taken" });
    expect(back.stateless.map((payload) => JSON.parse(payload))).toContainEqual({ type: "client-id-taken", clientId: wanda.doc.clientID });
    back.destroy();

    // What the editor does when told so.
    const moved = connect(writer, moveToFreshClientId(wanda.doc, wanda.doc.clientID));
    await moved.saved();
    const text = await readerText();
    expect(text.split("\n").sort()).toEqual(["FORGED-BY-MALLORY", "victim-offline-line"]);
    expect(moved.text()).toBe(text);
  });
});
