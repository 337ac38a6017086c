import { afterEach, describe, expect, it } from "vitest";
import * as decoding from "lib0/decoding";
import WebSocket from "ws";
import * as Y from "yjs";
import { openDatabase } from "../../server/db/database.ts";
import { signUp } from "../support/accounts.ts";
import { connectClient, eventually, MESSAGE, type TestClient } from "../support/client.ts";
import { type FrameKind, FrameFuzzer } from "../support/fuzz-frames.ts";
import { backends, freshStorage, type ServerProcess, type Storage, startServer } from "../support/server.ts";
import { authFrame, metricSample } from "../support/wire.ts";

/** Frames the server must have received; `npm run test:soak` sends ten times as many. */
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
/**
 * Each socket sends one mix of kinds. A refused update closes its socket (1007) and a frame
 * Hocuspocus cannot route closes its socket too (4401), so mixing everything on one socket would
 * let few updates ever reach the check; lanes keep every kind well exercised.
 */
const LANES: { weights: Partial<Record<FrameKind, number>>; batch: number }[] = [
  // One update at a time, each answered by an acknowledgement or a close, so none is sent into a closing socket.
  { weights: { update: 3, sync: 1 }, batch: 1 },
  { weights: { update: 3, sync: 1 }, batch: 1 },
  { weights: { awareness: 3, other: 1 }, batch: 20 },
  { weights: { update: 3, sync: 2, awareness: 2, auth: 1, other: 1, garbage: 1 }, batch: 20 },
];

/** Hocuspocus's auth sub-message for a refused token. */
const AUTH_PERMISSION_DENIED = 1;

const backend = backends().at(-1)!;

describe(`fuzzing the collaboration socket on ${backend} storage`, () => {
  let storage: Storage;
  let server: ServerProcess;
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.stop();
    await storage?.dispose();
  });

  it(`${FRAMES.toLocaleString("en")} mutated frames never crash the server nor reach the document, while a writer beside them keeps saving`, { timeout: 600_000 }, async () => {
    storage = await freshStorage(backend);
    // The subject is the protocol, not the connection rate limit (tested on its own).
    server = await startServer(storage, { MAX_CONNECTIONS_PER_MINUTE: "100000000" });
    const owner = await signUp(server.url, "Fuzz");
    const { id } = await owner.createDocument("Fuzzed");
    let token = await owner.collabToken(id);
    const refreshToken = setInterval(() => void owner.collabToken(id).then((fresh) => (token = fresh)), 60_000);
    const join = () => {
      const client = connectClient(server.url, id, () => owner.collabToken(id));
      clients.push(client);
      return client;
    };
    const framesReceived = async () => metricSample(await (await fetch(`${server.url}/metrics`)).text(), "inkwell_frames_received_total");

    // The healthy writer types throughout and times each acknowledgement.
    const healthy = join();
    // Fuzzed updates are made from this replica's real changes, which it also sends intact.
    const generator = join();
    await Promise.all([healthy.synced(), generator.synced()]);
    let fuzzing = true;
    const healthyTokens: string[] = [];
    const ackMs: number[] = [];
    let stalls = 0;
    const writing = (async () => {
      for (let n = 0; fuzzing; n++) {
        const started = Date.now();
        healthy.type(`healthy ${n}`);
        healthyTokens.push(`healthy ${n}`);
        const saved = await Promise.race([healthy.saved().then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000))]);
        if (!saved) stalls++;
        ackMs.push(Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const metricsBefore = await (await fetch(`${server.url}/metrics`)).text();
    const receivedBefore = metricSample(metricsBefore, "inkwell_frames_received_total");
    const sentByKind = new Map<FrameKind, number>();
    const closeCodes = new Map<number, number>();
    let received = 0;
    const polling = setInterval(() => void framesReceived().then((count) => (received = count - receivedBefore)), 500);
    const fuzzers = LANES.map(async ({ weights, batch: batchSize }, index) => {
      const fuzzer = new FrameFuzzer(SEED + index, id, generator.doc, () => token, weights);
      while (received < FRAMES) {
        const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab`);
        socket.on("error", () => {});
        const closed = new Promise<void>((resolve) =>
          socket.once("close", (code) => {
            closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
            resolve();
          }),
        );
        // The server can also end just this document's session (a Close message, or a refused
        // token) and keep the socket: what follows would wait unauthenticated, so start afresh.
        let sessionOpen = true;
        let reply: (() => void) | undefined;
        socket.on("message", (data: Buffer) => {
          if (data.length <= 1) return;
          const decoder = decoding.createDecoder(new Uint8Array(data));
          decoding.readVarString(decoder);
          const type = decoding.readVarUint(decoder);
          if (type === MESSAGE.Close || (type === MESSAGE.Auth && decoding.readVarUint(decoder) === AUTH_PERMISSION_DENIED)) sessionOpen = false;
          if (type !== MESSAGE.Awareness) reply?.();
        });
        const answered = () =>
          Promise.race([new Promise<void>((resolve) => (reply = resolve)), closed, new Promise((resolve) => setTimeout(resolve, 1_000))]);
        await Promise.race([new Promise((resolve) => socket.once("open", resolve)), closed]);
        if (socket.readyState === WebSocket.OPEN) socket.send(authFrame(id, token));
        await answered();
        while (socket.readyState === WebSocket.OPEN && sessionOpen && received < FRAMES) {
          const batch = Array.from({ length: batchSize }, () => fuzzer.next());
          // Frames that close the whole socket go last: unroutable ones (4401), then refused updates (1007).
          const closesSocket = (frame: (typeof batch)[number]) => (!frame.addressed ? 2 : frame.kind === "update" || frame.kind === "sync" ? 1 : 0);
          batch.sort((a, b) => closesSocket(a) - closesSocket(b));
          for (const { kind, bytes } of batch) {
            if (socket.readyState !== WebSocket.OPEN) break;
            socket.send(bytes);
            sentByKind.set(kind, (sentByKind.get(kind) ?? 0) + 1);
          }
          if (batchSize === 1) {
            // An acknowledgement, a sync answer or a close: the frame has been dealt with.
            await answered();
          } else {
            // A pong means the server has read everything sent before the ping.
            if (socket.readyState === WebSocket.OPEN) socket.ping();
            await Promise.race([new Promise((resolve) => socket.once("pong", resolve)), closed]);
          }
        }
        socket.terminate();
        await closed;
      }
    });
    const fuzzStarted = Date.now();
    await Promise.all(fuzzers);
    const fuzzSeconds = (Date.now() - fuzzStarted) / 1000;
    clearInterval(polling);
    const metricsAfter = await (await fetch(`${server.url}/metrics`)).text();
    received = metricSample(metricsAfter, "inkwell_frames_received_total") - receivedBefore;
    const delta = (name: string) => metricSample(metricsAfter, name) - metricSample(metricsBefore, name);
    const updatesChecked = delta("inkwell_updates_received_total");
    const updatesRefused = delta('inkwell_refused_connections_total{reason="invalid-update"}');
    fuzzing = false;
    await writing;
    clearInterval(refreshToken);

    // Crashes: the process must still be up and healthy.
    const crashes = server.child.exitCode === null && server.child.signalCode === null ? 0 : 1;
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // A newcomer loads the document: nothing pending, and the same document the healthy writer has.
    // (Fuzzed frames that decode to valid changes are applied like any writer's, deletions included,
    // so the healthy writer's lines are compared with the newcomer's rather than counted.)
    await healthy.saved();
    const reader = join();
    await reader.synced();
    expect(reader.doc.store.pendingStructs).toBeNull();
    await eventually(() => reader.text() === healthy.text(), "the healthy writer and a newcomer hold the same document");
    expect(Y.encodeStateVector(reader.doc)).toEqual(Y.encodeStateVector(healthy.doc));
    const survivingHealthyLines = healthyTokens.filter((line) => reader.text().split("\n").includes(line)).length;
    for (const client of clients.splice(0)) client.destroy();
    expect(await server.stop()).toBe(0);
    const problems = server.logs.filter((line) => /compaction failed|document load failed|uncaught|unhandled/i.test(line));
    expect(problems).toEqual([]);

    // What reached storage: the snapshot and each row of the log, replayed in order on a scratch copy.
    const database = await openDatabase(storage);
    let malformedApplied = 0;
    let rows = 0;
    try {
      const scratch = new Y.Doc();
      const stored = await database.prisma.document.findUniqueOrThrow({ where: { id }, select: { snapshot: true, snapshotEncoding: true } });
      const log = await database.prisma.documentUpdate.findMany({ where: { documentId: id }, orderBy: { id: "asc" }, select: { data: true } });
      const snapshot = stored.snapshot && (stored.snapshotEncoding === 2 ? Y.convertUpdateFormatV2ToV1(stored.snapshot) : stored.snapshot);
      for (const update of [snapshot, ...log.map((row) => row.data)]) {
        if (!update) continue;
        rows++;
        try {
          Y.applyUpdate(scratch, update);
        } catch {
          malformedApplied++;
        }
        if (scratch.store.pendingStructs || scratch.store.pendingDs) malformedApplied++;
      }
    } finally {
      await database.close();
    }

    const kinds = [...sentByKind].map(([kind, count]) => `${kind} ${count}`).join(", ");
    const codes = [...closeCodes].sort(([a], [b]) => a - b).map(([code, count]) => `${code}×${count}`).join(" ");
    ackMs.sort((a, b) => a - b);
    console.log(
      `fuzz: ${crashes} crashes, ${malformedApplied} malformed updates applied / ${received} frames (seed ${SEED}, ${fuzzSeconds.toFixed(0)} s; sent ${kinds}; closes ${codes}; ${updatesChecked} updates checked, ${updatesRefused} refused as invalid; ` +
        `${rows} stored snapshot+rows replayed clean; healthy writer saved ${ackMs.length} lines (${survivingHealthyLines} not deleted by fuzzed changes), median ack ${ackMs[ackMs.length >> 1]} ms, max ${ackMs.at(-1)} ms)`,
    );
    expect(crashes).toBe(0);
    expect(malformedApplied).toBe(0);
    expect(received).toBeGreaterThanOrEqual(FRAMES);
    expect(stalls, "the healthy writer waited over 15 s for an acknowledgement").toBe(0);
    expect(ackMs.length).toBeGreaterThan(10);
  });
});
