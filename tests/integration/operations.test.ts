import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { signUp, type TestUser } from "../support/accounts.ts";
import { connectClient, type TestClient } from "../support/client.ts";
import { freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { metricSample as sample } from "../support/wire.ts";



describe("operating the server", () => {
  const MAX_MESSAGE_BYTES = 64 * 1024;
  let storage: Storage;
  let server: ServerProcess;
  let owner: TestUser;
  let documentId: string;
  let writer: TestClient;

  beforeAll(async () => {
    storage = await freshStorage("embedded");
    server = await startServer(storage, { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) });
    owner = await signUp(server.url, "Operator");
    documentId = (await owner.createDocument("Ops")).id;
    writer = connectClient(server.url, documentId, () => owner.collabToken(documentId));
    await writer.synced();
  });
  afterAll(async () => {
    writer?.destroy();
    await server?.stop();
    await storage?.dispose();
  });

  it("a frame over MAX_MESSAGE_BYTES closes that socket with 1009, and everyone else keeps editing", async () => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab`);
    await new Promise((resolve) => socket.once("open", resolve));
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    socket.send(new Uint8Array(MAX_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009);

    writer.type("still here after the oversized frame");
    await writer.saved();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(sample(metrics, 'inkwell_refused_connections_total{reason="message-too-large"}')).toBe(1);
  });

  it("/healthz says the process is up and the database answers", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("/metrics counts connections, documents, received and committed updates, and commit latency", async () => {
    const before = await (await fetch(`${server.url}/metrics`)).text();
    for (let i = 0; i < 20; i++) {
      writer.type(`counted ${i}`);
      await writer.saved();
    }
    const after = await (await fetch(`${server.url}/metrics`)).text();
    expect(sample(after, "inkwell_open_connections")).toBeGreaterThanOrEqual(1);
    expect(sample(after, "inkwell_loaded_documents")).toBe(1);
    expect(sample(after, "inkwell_updates_received_total") - sample(before, "inkwell_updates_received_total")).toBe(20);
    expect(sample(after, "inkwell_updates_committed_total") - sample(before, "inkwell_updates_committed_total")).toBe(20);
    expect(sample(after, "inkwell_commit_duration_seconds_count")).toBeGreaterThanOrEqual(20);
    expect(after).toContain("inkwell_process_resident_memory_bytes");
  });

  it("refused connections are counted by reason", async () => {
    const refused = connectClient(server.url, documentId, "not-a-token");
    try {
      expect(await refused.refused()).toBe("invalid-token");
    } finally {
      refused.destroy();
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(sample(metrics, 'inkwell_refused_connections_total{reason="invalid-token"}')).toBe(1);
  });
});
