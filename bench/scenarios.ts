import * as Y from "yjs";
import { median, quantile } from "./stats.ts";
import { type Target, type TargetName, walPosition } from "./targets.ts";
import type { Trace } from "./trace.ts";
import { ClientWorker } from "./worker-handle.ts";

/** One figure of the suite, ours beside the plain Yjs server (and the other targets, where measured). */
export interface Row {
  scenario: string;
  metric: string;
  unit: string;
  ours: number | null;
  baseline: number | null;
  ratio: number | null;
  goal: string;
  met: boolean | null;
  hocuspocus?: number | null;
  embedded?: number | null;
  /** The collaboration process of a split deployment (SERVICES=collaboration), where measured. */
  split?: number | null;
}

export interface Context {
  quick: boolean;
  targets: Map<TargetName, Target>;
  typing: Trace;
  loadTrace: Trace;
  log(line: string): void;
}

type PerTarget = Partial<Record<TargetName, number>>;

/** ours/baseline with a goal on the ratio, the absolute value, or both. */
function row(
  scenario: string,
  metric: string,
  unit: string,
  values: PerTarget,
  goal: string,
  isMet: (ours: number, ratio: number | null) => boolean,
  oursIs: TargetName = "ours-postgres",
): Row {
  const ours = values[oursIs] ?? null;
  const baseline = values.yjs ?? null;
  const ratio = ours !== null && baseline ? ours / baseline : null;
  return {
    scenario,
    metric,
    unit,
    ours,
    baseline,
    ratio,
    goal,
    met: ours === null || Number.isNaN(ours) ? null : isMet(ours, ratio),
    hocuspocus: values.hocuspocus ?? null,
    embedded: values["ours-embedded"] ?? null,
    split: values["ours-split"] ?? null,
  };
}

/** Runs `measure` for every target, round after round, alternating the order; medians per target. */
export async function alternate(context: Context, names: TargetName[], rounds: number, measure: (target: Target) => Promise<Record<string, number>>) {
  const samples = new Map<TargetName, Record<string, number[]>>();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const target = context.targets.get(name);
      if (!target) continue;
      const figures = await measure(target);
      const bucket = samples.get(name) ?? {};
      for (const [key, value] of Object.entries(figures)) (bucket[key] ??= []).push(value);
      samples.set(name, bucket);
    }
  }
  return (key: string): PerTarget => Object.fromEntries([...samples].map(([name, figures]) => [name, median(figures[key] ?? [])]));
}

const ALL: TargetName[] = ["yjs", "ours-postgres", "hocuspocus", "ours-embedded"];

export async function withWorker<T>(run: (worker: ClientWorker) => Promise<T>): Promise<T> {
  const worker = new ClientWorker();
  try {
    return await run(worker);
  } finally {
    await worker.call({ type: "close" }).catch(() => {});
    await worker.stop();
  }
}

/** 1. From one writer's key to its arrival in another writer's document. */
export async function keystrokeLatency(context: Context): Promise<Row[]> {
  const sizes = context.quick ? [2] : [2, 50, 200];
  const rows: Row[] = [];
  for (const size of sizes) {
    // In a big room few type at once: one in twenty (at least two), each at about 8 keys/s.
    const typists = Math.max(2, Math.round(size * 0.05));
    // Each size starts with the other half of the targets, so neither side always goes first.
    const order = sizes.indexOf(size) % 2 === 0 ? ALL : [...ALL].reverse();
    const figures = await alternate(context, order, 1, (target) =>
      withWorker(async (worker) => {
        const [doc] = await target.documents(1);
        // Four observers in a room: twice the samples of two in the same seconds, so one slow
        // sample moves the p99 less.
        const observers = size === 2 ? [0, 1] : Array.from({ length: 4 }, (_, i) => typists + i);
        const full = new Set([...Array.from({ length: typists }, (_, i) => i), ...observers]);
        const clients = Array.from({ length: size }, (_, i) => ({ doc: 0, light: !full.has(i) }));
        await worker.call({ type: "open", target: target.info(), docs: [doc], clients, concurrency: 20 });
        const result = await worker.call<{ keys: number; latencies: number[] }>({
          type: "type",
          typists: Array.from({ length: typists }, (_, i) => i),
          observers,
          keysPerSecond: 8,
          // Two typists give 16 samples a second, so the smallest room types longest for a p99 that is
          // more than its second-worst sample; it is also each server's first traffic, hence the
          // longer warm-up (the first keys open database connections and compile the hot path).
          seconds: context.quick ? 2 : size === 2 ? 12 : 4,
          warmupSeconds: context.quick ? 0.5 : size === 2 ? 2 : 1,
          patches: context.typing.patches.slice(0, 20_000),
          seed: size,
        });
        context.log(`  latency ${size} clients on ${target.name}: ${result.latencies.length} samples, p50 ${quantile(result.latencies, 0.5).toFixed(2)} ms, p99 ${quantile(result.latencies, 0.99).toFixed(2)} ms`);
        return { p50: quantile(result.latencies, 0.5), p99: quantile(result.latencies, 0.99) };
      }),
    );
    const p50Limit = size === 2 ? 2 : 1.5;
    rows.push(row("keystroke latency", `p50, ${size} clients (${typists} typing)`, "ms", figures("p50"), `≤ ${p50Limit}x plain Yjs`, (_, ratio) => ratio !== null && ratio <= p50Limit));
    rows.push(row("keystroke latency", `p99, ${size} clients (${typists} typing)`, "ms", figures("p99"), "≤ 2x plain Yjs", (_, ratio) => ratio !== null && ratio <= 2));
  }
  return rows;
}

const CPU_RATE = 320;

/** 2. The highest keystroke rate into one 200-client document with p99 under 50 ms, and CPU per key. */
export async function throughput(context: Context): Promise<Row[]> {
  const clientsInRoom = context.quick ? 20 : 200;
  const typists = 10;
  const rates = context.quick ? [40, 80] : [160, 320, 640, 1280, 2560];
  // Embedded Postgres is measured in the other scenarios; this ramp is the longest one.
  const figures = await alternate(context, ["yjs", "ours-postgres", "hocuspocus"], 1, (target) =>
    withWorker(async (worker) => {
      const [doc] = await target.documents(1);
      const observers = [typists, typists + 1];
      const clients = Array.from({ length: clientsInRoom }, (_, i) => ({ doc: 0, light: i >= typists + 2 }));
      await worker.call({ type: "open", target: target.info(), docs: [doc], clients, concurrency: 20 });
      let best = 0;
      let cpuPerKey = Number.NaN;
      for (const rate of rates) {
        const before = target.usage();
        const result = await worker.call<{ keys: number; latencies: number[] }>({
          type: "type",
          typists: Array.from({ length: typists }, (_, i) => i),
          observers,
          keysPerSecond: rate / typists,
          seconds: context.quick ? 1.5 : 3,
          warmupSeconds: 0.5,
          patches: context.typing.patches.slice(0, 20_000),
          seed: rate,
        });
        const after = target.usage();
        const p99 = quantile(result.latencies, 0.99);
        if (rate === CPU_RATE || (context.quick && rate === rates[1])) cpuPerKey = (after.cpuMs - before.cpuMs) / result.keys;
        context.log(`  throughput on ${target.name}: ${rate} keys/s → p99 ${p99.toFixed(1)} ms, server CPU ${((after.cpuMs - before.cpuMs) / result.keys).toFixed(3)} ms/key`);
        if (p99 < 50) best = rate;
        else break;
      }
      return { best, cpuPerKey };
    }),
  );
  return [
    row("throughput", `keys/s into one document, ${clientsInRoom} clients, p99 < 50 ms`, "keys/s", figures("best"), "≥ 0.8x plain Yjs", (_, ratio) => ratio !== null && ratio >= 0.8),
    row("throughput", `server CPU per keystroke at ${context.quick ? rates[1] : CPU_RATE} keys/s`, "ms", figures("cpuPerKey"), "(measured)", () => true),
  ];
}

/**
 * 3. Server memory per idle connection (10 per document) and how fast connections are taken. Tokens
 * are fetched and a first hundred connections opened and closed before measuring, so neither the
 * HTTP API's garbage nor JIT warm-up is counted; each step counts only the connections it added.
 */
export async function idleConnections(context: Context): Promise<Row[]> {
  const steps = context.quick ? [200] : [1_000, 5_000];
  const total = steps[steps.length - 1];
  // Bare Hocuspocus and embedded Postgres are left out here to keep the suite within five minutes:
  // neither is what thousands of connections would run on.
  const figures = await alternate(context, ["yjs", "ours-postgres", "ours-split"], 1, (target) =>
    withWorker(async (worker) => {
      const docs = await target.documents(total / 10);
      await worker.call({ type: "tokens", target: target.info(), docs });
      const warmup = Array.from({ length: 100 }, (_, i) => ({ doc: i % docs.length, light: true }));
      await worker.call({ type: "open", target: target.info(), docs, clients: warmup, concurrency: 50 });
      await worker.call({ type: "close" });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const results: Record<string, number> = {};
      let opened = 0;
      let before = target.usage().rssBytes;
      for (const step of steps) {
        const clients = Array.from({ length: step - opened }, (_, i) => ({ doc: Math.floor((opened + i) / 10), light: true }));
        const result = await worker.call<{ perSecond: number }>({ type: "open", target: target.info(), docs, clients, concurrency: 50 });
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const after = target.usage().rssBytes;
        results[`perConnection${step}`] = (after - before) / clients.length / 1024;
        results[`rss${step}`] = after / 2 ** 20;
        results[`perSecond${step}`] = result.perSecond;
        context.log(`  idle ${step} on ${target.name}: RSS ${(after / 2 ** 20).toFixed(0)} MiB, +${((after - before) / clients.length / 1024).toFixed(1)} KiB per added connection, ${result.perSecond.toFixed(0)} connects/s`);
        before = after;
        opened = step;
      }
      return results;
    }),
  );
  const goalOn = context.targets.has("ours-split") ? "ours-split" : "ours-postgres";
  return steps.flatMap((step, index) => [
    // The first step also pays one-time growth (heap, code, buffers), so the goal is judged on what
    // each further connection adds, where there is a further step.
    index === 0 && steps.length > 1
      ? row("idle connections", `server memory per connection, first ${step}, with one-time growth`, "KiB", figures(`perConnection${step}`), "(measured)", () => true)
      : row("idle connections", `server memory per connection, ${index === 0 ? "first" : "next"} ${step - (steps[index - 1] ?? 0)} (of ${step})`, "KiB", figures(`perConnection${step}`), "≤ 30 KiB", (ours) => ours <= 30),
    row("idle connections", `server RSS with ${step} connections, one process serving pages too`, "MiB", figures(`rss${step}`), "(measured)", () => true),
    ...(step === 5_000
      ? [
          row(
            "idle connections",
            `server RSS with ${step} connections${goalOn === "ours-split" ? ", collaboration process (SERVICES=collaboration)" : ""}`,
            "MiB",
            figures(`rss${step}`),
            "< 250 MB",
            (ours) => ours * 2 ** 20 < 250e6,
            goalOn,
          ),
        ]
      : []),
    row("idle connections", `connects/s up to ${step}`, "1/s", figures(`perSecond${step}`), "(measured)", () => true),
  ]);
}

/** The state of a document holding the whole load trace, built once. */
let loadState: Uint8Array | null = null;
function loadTraceState(trace: Trace): Uint8Array {
  if (loadState) return loadState;
  const doc = new Y.Doc();
  const text = doc.getText("bench");
  for (const [position, deleteCount, insert] of trace.patches) {
    doc.transact(() => {
      if (deleteCount > 0) text.delete(position, deleteCount);
      if (insert) text.insert(position, insert);
    });
  }
  loadState = Y.encodeStateAsUpdate(doc);
  return loadState;
}

/**
 * 4. A fresh client opening the long document. Ours loads it from the database ("cold", the server
 * has it nowhere in memory) and, for comparison, from memory (someone already has it open); the
 * baselines, having no storage, always serve it from memory.
 */
export async function coldLoad(context: Context): Promise<Row[]> {
  const state = Buffer.from(loadTraceState(context.loadTrace)).toString("base64");
  const expected = textOf(loadTraceState(context.loadTrace));
  const times = context.quick ? 2 : 25;
  const warmup = context.quick ? 1 : 2;
  const figures = await alternate(context, ALL, 1, (target) =>
    withWorker(async (worker) => {
      const docs = await target.documents(1);
      const open = async () => (await worker.call<{ seconds: number }>({ type: "open", target: target.info(), docs, clients: [{ doc: 0, light: false }], concurrency: 1 })).seconds * 1000;
      await open();
      await worker.call({ type: "seed", update: state });
      const fromMemory: number[] = [];
      for (let i = 0; i < warmup + times; i++) {
        const ms = await open();
        if (i >= warmup) fromMemory.push(ms);
        await expectWholeDocument(worker, target, expected);
        await worker.call({ type: "close", from: 1 });
      }
      const fromStorage: number[] = [];
      if (target.isOurs) {
        await worker.call({ type: "close" });
        for (let i = 0; i < warmup + times; i++) {
          await waitUntilUnloaded(target);
          const ms = await open();
          if (i >= warmup) fromStorage.push(ms);
          await expectWholeDocument(worker, target, expected);
          await worker.call({ type: "close" });
        }
      }
      const cold = target.isOurs ? fromStorage : fromMemory;
      context.log(`  load on ${target.name}: from memory p50 ${quantile(fromMemory, 0.5).toFixed(1)} ms${target.isOurs ? `, from the database p50 ${quantile(fromStorage, 0.5).toFixed(1)} ms, p99 ${quantile(fromStorage, 0.99).toFixed(1)} ms` : ""}`);
      return { p50: quantile(cold, 0.5), p99: quantile(cold, 0.99), memoryP50: quantile(fromMemory, 0.5), coldOverMemory: quantile(cold, 0.5) / quantile(fromMemory, 0.5) };
    }),
  );
  const name = context.loadTrace.name;
  return [
    row("cold load", `p50, ${name}: ours from the database, baselines from memory`, "ms", figures("p50"), "< 100 ms", (ours) => ours < 100),
    row("cold load", `p99, ${name}`, "ms", figures("p99"), "(measured)", () => true),
    row("cold load", `p50, ${name}, already open on the server (from memory)`, "ms", figures("memoryP50"), "(measured)", () => true),
    row("cold load", "from the database ÷ from memory, same server", "x", figures("coldOverMemory"), "≤ 1.3x", (ours) => ours <= 1.3),
  ];
}

function textOf(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText("bench").toString();
}

/** A time counts only if the client that was timed really holds the whole document when synced. */
async function expectWholeDocument(worker: ClientWorker, target: Target, expected: string): Promise<void> {
  const states = await worker.call<{ state: string }[]>({ type: "states" });
  const text = textOf(Buffer.from(states[states.length - 1].state, "base64"));
  if (text !== expected) throw new Error(`${target.name}: the client opening the document got ${text.length} characters, not ${expected.length}`);
}

async function waitUntilUnloaded(target: Target): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (/^inkwell_loaded_documents 0$/m.test(await target.metrics())) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${target.name} kept the document loaded`);
}

/** prom-client's default eventLoopMonitoringPrecision, which the server keeps. */
const EVENT_LOOP_SAMPLING_MS = 10;

/** 5. Acknowledged updates per second with every one committed first, the bytes it writes, the event loop. */
export async function durability(context: Context): Promise<Row[]> {
  const writers = 40;
  const seconds = context.quick ? 2 : 5;
  const figures = await alternate(context, ["hocuspocus", "ours-postgres", "ours-embedded"], 1, (target) =>
    withWorker(async (worker) => {
      const docs = await target.documents(writers / 4);
      const clients = Array.from({ length: writers }, (_, i) => ({ doc: i % docs.length, light: false }));
      await worker.call({ type: "open", target: target.info(), docs, clients, concurrency: 20 });
      if (target.isOurs) await target.metrics(); // resets the event-loop delay histogram
      const walBefore = target.name === "ours-postgres" ? await walPosition() : 0n;
      const result = await worker.call<{ typed: number; acknowledged: number }>({ type: "hammer", writers: clients.map((_, i) => i), seconds, window: 16 });
      const walBytes = target.name === "ours-postgres" ? Number((await walPosition()) - walBefore) : Number.NaN;
      // prom-client samples the loop with a 10 ms timer and reports whole intervals, so an idle loop
      // reads 10 ms: the delay is what exceeds the interval.
      const lagP99 = target.isOurs ? metricValue(await target.metrics(), "inkwell_nodejs_eventloop_lag_p99_seconds") * 1000 - EVENT_LOOP_SAMPLING_MS : Number.NaN;
      const perSecond = result.acknowledged / seconds;
      context.log(`  durability on ${target.name}: ${perSecond.toFixed(0)} acknowledged updates/s, ${(walBytes / result.typed).toFixed(0)} WAL bytes/key, event-loop p99 ${lagP99.toFixed(1)} ms`);
      return { perSecond, walPerKey: walBytes / result.typed, lagP99 };
    }),
  );
  const values = (key: string) => ({ ...figures(key), yjs: undefined });
  const durable = values("perSecond");
  return [
    { ...row("durability", "acknowledged updates/s, each committed before its ack (baseline: bare Hocuspocus, in memory)", "1/s", durable, "≥ 2000/s", (ours) => ours >= 2000), baseline: durable.hocuspocus ?? null, ratio: durable["ours-postgres"] && durable.hocuspocus ? durable["ours-postgres"] / durable.hocuspocus : null },
    row("durability", "database writes per keystroke (Postgres WAL)", "bytes", values("walPerKey"), "≤ 1 KB", (ours) => ours <= 1024),
    row("durability", "event-loop delay p99 while typing", "ms", values("lagP99"), "< 20 ms", (ours) => ours < 20),
  ];
}

function metricValue(text: string, name: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : Number.NaN;
}

/** 6. Everyone reconnecting at once after a restart. */
export async function reconnectStorm(context: Context): Promise<Row[]> {
  const documents = context.quick ? 5 : 50;
  const perDocument = context.quick ? 4 : 10;
  // The split deployment restarts only its collaboration process, which loads no pages at start.
  // Bare Hocuspocus is left out to keep the suite within five minutes.
  const figures = await alternate(context, ["yjs", "ours-postgres", "ours-split", "ours-embedded"], 1, (target) =>
    withWorker(async (worker) => {
      const docs = await target.documents(documents);
      const clients = Array.from({ length: documents * perDocument }, (_, i) => ({ doc: Math.floor(i / perDocument), light: false }));
      await worker.call({ type: "open", target: target.info(), docs, clients, concurrency: 50 });
      await worker.call({ type: "type", typists: clients.map((_, i) => i), observers: [], keysPerSecond: 2, seconds: 1, warmupSeconds: 0, patches: context.typing.patches.slice(0, 5_000), seed: 6 });
      await target.stop();
      await target.start();
      // Timed from the moment the restarted server accepted connections.
      const synced = await worker.call<{ done: boolean; seconds: number; synced: number; total: number }>({ type: "synced", timeoutMs: 30_000, since: target.readyAt });
      // Give the last acknowledgements a moment, then compare every replica of each document.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const replicas = await worker.call<{ doc: number; state: string }[]>({ type: "states" });
      const divergent = new Set(replicas.filter((replica) => replica.state !== replicas.find((other) => other.doc === replica.doc)!.state).map((replica) => replica.doc)).size;
      // A fresh process: its counter holds exactly the loads since the restart.
      const loads = target.isOurs ? metricValue(await target.metrics(), "inkwell_document_loads_total") : Number.NaN;
      context.log(`  reconnect storm on ${target.name}: ${synced.synced}/${synced.total} synced in ${synced.seconds.toFixed(2)} s, ${loads} loads for ${documents} documents, ${divergent} documents diverged`);
      return { seconds: synced.done ? synced.seconds : Number.POSITIVE_INFINITY, loads, divergent };
    }),
  );
  const clients = documents * perDocument;
  return [
    row("reconnect storm", `${clients} clients on ${documents} documents: all synced after restart`, "s", figures("seconds"), "≤ 3 s", (ours) => ours <= 3),
    row("reconnect storm", "database loads per document", "loads", Object.fromEntries(Object.entries(figures("loads")).map(([name, loads]) => [name, loads / documents])), "= 1", (ours) => ours === 1),
    row("reconnect storm", "documents whose replicas differ", "documents", figures("divergent"), "= 0", (ours) => ours === 0),
  ];
}
