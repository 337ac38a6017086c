import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { asUser, share, signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, eventually, type TestClient } from "../support/client.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";

interface Version {
  id: string;
  createdAt: string;
  name: string | null;
  kind: string;
  authors: { id: string; name: string; color: string }[];
}

/** Every character of every paragraph: a duplicated or lost paragraph shows. */
const paragraphsOf = (doc: Y.Doc) => doc.getXmlFragment("default").toArray().map((node) => (node as Y.XmlElement).toArray().map(String).join(""));

describe.each(backends())("history, versions and restore on %s storage", (backend) => {
  let storage: Storage;
  let server: ServerProcess;
  const clients: TestClient[] = [];
  let ada: TestUser;
  let bob: TestUser;
  let documentId: string;

  const connect = (user: TestUser) => {
    const onThisServer = asUser(server.url, user);
    const client = connectClient(server.url, documentId, () => onThisServer.collabToken(documentId));
    clients.push(client);
    return client;
  };
  const versions = async (user = ada): Promise<Version[]> => (await (await asUser(server.url, user).request(`/api/documents/${documentId}/versions`)).json()).versions;
  const nameVersion = async (name: string, user = ada): Promise<Version> => {
    const response = await asUser(server.url, user).request(`/api/documents/${documentId}/versions`, { method: "POST", body: JSON.stringify({ name }) });
    expect(response.status).toBe(201);
    return (await response.json()).version;
  };
  const contentAt = async (query: string, user = ada) => asUser(server.url, user).request(`/api/documents/${documentId}/content?${query}`);
  const textAt = async (query: string) => {
    const response = await contentAt(query);
    expect(response.status, await response.clone().text()).toBe(200);
    const json = await response.json();
    return (json.content ?? []).map((block: { content?: { text: string }[] }) => (block.content ?? []).map((node) => node.text).join(""));
  };

  const setUp = async (env: Record<string, string> = {}) => {
    storage = await freshStorage(backend);
    server = await startServer(storage, env);
    ada = await signUp(server.url, "Ada");
    bob = await signUp(server.url, "Bob");
    ({ id: documentId } = await ada.createDocument("History"));
    await share(ada, documentId, bob.email, "editor");
  };

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.stop();
    await storage?.dispose();
  });

  it("a named version lists its authors and gives back the content it had, by version and by time, after later edits", async () => {
    await setUp();
    const adaClient = connect(ada);
    const bobClient = connect(bob);
    await Promise.all([adaClient.synced(), bobClient.synced()]);
    adaClient.type("Ada's opening line.");
    await adaClient.saved();
    bobClient.type("Bob's reply.");
    await bobClient.saved();
    await eventually(() => adaClient.text().includes("Bob's reply."), "Ada sees Bob's line");
    const draft = await nameVersion("First draft");
    expect(draft).toMatchObject({ name: "First draft", kind: "named" });
    expect(draft.authors.map((author) => author.name).sort()).toEqual(["Ada", "Bob"]);
    expect(draft.authors[0].color).toMatch(/^#[0-9a-f]{6}$/);
    const draftTime = new Date().toISOString();

    // Later: Bob deletes Ada's line and writes another.
    bobClient.doc.getXmlFragment("default").delete(0, 1);
    bobClient.type("Bob's second thoughts.");
    await bobClient.saved();

    expect(await textAt("format=json")).toEqual(["Bob's reply.", "Bob's second thoughts."]);
    expect(await textAt(`format=json&version=${draft.id}`)).toEqual(["Ada's opening line.", "Bob's reply."]);
    expect(await textAt(`format=json&at=${draftTime}`)).toEqual(["Ada's opening line.", "Bob's reply."]);
    const listed = await versions();
    expect(listed[0]).toMatchObject({ id: draft.id, name: "First draft" });

    // A viewer may browse but not name or restore.
    const viewer = await signUp(server.url, "Vera");
    await share(ada, documentId, viewer.email, "viewer");
    expect((await versions(viewer)).map((version) => version.id)).toContain(draft.id);
    expect((await viewer.request(`/api/documents/${documentId}/versions`, { method: "POST", body: JSON.stringify({ name: "mine" }) })).status).toBe(403);
    expect((await viewer.request(`/api/documents/${documentId}/versions/${draft.id}/restore`, { method: "POST" })).status).toBe(403);
    // Bad moments are told apart from missing ones.
    expect((await contentAt("format=json&at=yesterday")).status).toBe(400);
    expect((await contentAt(`format=json&version=${crypto.randomUUID()}`)).status).toBe(404);
    expect((await contentAt("format=json&at=2001-01-01T00:00:00Z")).status).toBe(404);
  });

  it("a restore while two other writers type: every replica ends byte-identical, the restore is committed once, and nothing is duplicated", async () => {
    await setUp();
    const adaClient = connect(ada);
    await adaClient.synced();
    for (const line of ["one", "two", "three"]) adaClient.type(line);
    await adaClient.saved();
    const version = await nameVersion("Three lines");
    adaClient.doc.getXmlFragment("default").delete(0, 3);
    adaClient.type("replaced");
    await adaClient.saved();

    const bobClient = connect(bob);
    const carla = await signUp(server.url, "Carla");
    await share(ada, documentId, carla.email, "editor");
    const carlaClient = connect(carla);
    await Promise.all([bobClient.synced(), carlaClient.synced()]);
    let typing = true;
    const typeAway = async (client: TestClient, name: string) => {
      for (let i = 0; typing; i++) {
        client.type(`${name} ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      await client.saved();
    };
    const bobTyping = typeAway(bobClient, "bob");
    const carlaTyping = typeAway(carlaClient, "carla");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const restore = await ada.request(`/api/documents/${documentId}/versions/${version.id}/restore`, { method: "POST" });
    expect(restore.status, await restore.clone().text()).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    typing = false;
    await Promise.all([bobTyping, carlaTyping, adaClient.saved()]);

    const reader = connect(ada);
    await reader.synced();
    const replicas = [adaClient, bobClient, carlaClient, reader];
    await eventually(
      () => replicas.every((client) => Buffer.from(Y.encodeStateVector(client.doc)).equals(Buffer.from(Y.encodeStateVector(reader.doc)))),
      "every replica has every change",
    );
    const texts = replicas.map((client) => JSON.stringify(client.doc.getXmlFragment("default").toJSON()));
    expect(new Set(texts).size).toBe(1);
    const paragraphs = paragraphsOf(reader.doc);
    // The restored lines are there once each; the typing that raced the restore is kept, once.
    for (const line of ["one", "two", "three"]) expect(paragraphs.filter((text) => text === line)).toHaveLength(1);
    expect(paragraphs).not.toContain("replaced");
    expect(new Set(paragraphs).size).toBe(paragraphs.length);
    const kinds = (await versions()).map((entry) => entry.kind);
    expect(kinds.filter((kind) => kind === "before-restore")).toHaveLength(1);
    expect(server.logs.filter((line) => line.includes('"version restored"'))).toHaveLength(1);

    // The "before restore" version undoes it.
    const before = (await versions()).find((entry) => entry.kind === "before-restore")!;
    expect(await textAt(`format=json&version=${before.id}`)).toContain("replaced");
  });

  it("a restore survives kill -9 right after its 200", async () => {
    await setUp();
    const adaClient = connect(ada);
    await adaClient.synced();
    adaClient.type("the good text");
    await adaClient.saved();
    const good = await nameVersion("Good");
    adaClient.doc.getXmlFragment("default").delete(0, 1);
    adaClient.type("a bad edit");
    await adaClient.saved();
    const restore = await ada.request(`/api/documents/${documentId}/versions/${good.id}/restore`, { method: "POST" });
    expect(restore.status).toBe(200);
    await server.kill9();
    for (const client of clients.splice(0)) client.destroy();
    server = await startServer(storage);
    const reader = connect(ada);
    await reader.synced();
    expect(paragraphsOf(reader.doc)).toEqual(["the good text"]);
  });

  it("automatic versions: one after a quiet spell, one when the last writer leaves, none when nothing changed", async () => {
    await setUp({ AUTO_VERSION_QUIET_SECONDS: "1", AUTO_VERSION_EVERY_SECONDS: "600" });
    const adaClient = connect(ada);
    await adaClient.synced();
    adaClient.type("quiet now");
    await adaClient.saved();
    await eventually(async () => (await versions()).some((version) => version.kind === "auto"), "an automatic version after the quiet spell", 15_000);
    const [quiet] = await versions();
    expect(quiet.authors.map((author) => author.name)).toEqual(["Ada"]);
    // Nothing changed since: no more automatic versions.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await versions()).filter((version) => version.kind === "auto")).toHaveLength(1);

    const bobClient = connect(bob);
    await bobClient.synced();
    bobClient.type("Bob leaves");
    await bobClient.saved();
    adaClient.destroy();
    bobClient.destroy();
    await eventually(async () => (await versions()).filter((version) => version.kind === "auto").length === 2, "a version when the last writer left", 15_000);
    expect((await versions())[0].authors.map((author) => author.name)).toEqual(["Bob"]);
  });
});
