/**
 * npm run bench [-- --quick] [--traces DIR] [--only latency,throughput,idle,load,durability,storm,history,history-cost]
 *
 * Starts the plain Yjs server, bare Hocuspocus and Inkwell (on Postgres when DATABASE_URL is set,
 * and on embedded Postgres) side by side, drives them from a separate client process, and prints
 * ours beside the baseline for every figure. Writes bench/results/latest.json.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { coldLoad, type Context, durability, idleConnections, keystrokeLatency, type Row, reconnectStorm, throughput } from "./scenarios.ts";
import { history, historyCost } from "./history.ts";
import { ROOT, Target, TARGET_LABELS, type TargetName } from "./targets.ts";
import { loadTrace } from "./trace.ts";

const SCENARIOS = { latency: keystrokeLatency, throughput, idle: idleConnections, load: coldLoad, durability, storm: reconnectStorm, history, "history-cost": historyCost };

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    traces: { type: "string" },
    only: { type: "string" },
  },
});

const quick = values.quick!;
const chosen = (values.only?.split(",") ?? Object.keys(SCENARIOS)) as (keyof typeof SCENARIOS)[];
for (const name of chosen) if (!(name in SCENARIOS)) throw new Error(`Unknown scenario "${name}"; choose from ${Object.keys(SCENARIOS).join(", ")}`);

if (!existsSync(path.join(ROOT, ".next", "BUILD_ID")) || !existsSync(path.join(ROOT, "dist", "server", "index.js"))) {
  console.log("No production build yet: running npm run build first.");
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
}

const names: TargetName[] = ["yjs", "hocuspocus", "ours-embedded"];
if (process.env.DATABASE_URL) names.splice(2, 0, "ours-postgres", "ours-split");
else console.log("DATABASE_URL is not set: Inkwell runs on embedded Postgres only, and the table's \"ours\" column stays empty.");
// The smoke test only checks that every scenario runs end to end: the plain Yjs server and one of ours.
if (quick) names.splice(0, names.length, "yjs", process.env.DATABASE_URL ? "ours-postgres" : "ours-embedded");
// What history costs is measured against the same server keeping none (Postgres only).
if (chosen.includes("history-cost") && process.env.DATABASE_URL) names.push("ours-no-history");

const typing = loadTrace(values.traces, "seph-blog1");
const loaded = loadTrace(values.traces, "automerge-paper", 260_000);
const started = performance.now();
// The split deployment is measured only where it differs from one process: idle connections and
// the reconnect storm.
if (!chosen.includes("idle") && !chosen.includes("storm") && names.includes("ours-split")) names.splice(names.indexOf("ours-split"), 1);
const targets = new Map(names.map((name) => [name, new Target(name)]));
const rows: Row[] = [];
try {
  // Started side by side: they are measured one at a time later, and this saves the suite ~10 s.
  await Promise.all([...targets.values()].map((target) => target.start()));
  const context: Context = { quick, targets, typing, loadTrace: loaded, log: (line) => console.log(line) };
  for (const name of chosen) {
    console.log(`\n${name}`);
    const scenarioStarted = performance.now();
    rows.push(...(await SCENARIOS[name](context)));
    console.log(`  (${((performance.now() - scenarioStarted) / 1000).toFixed(0)} s)`);
  }
} finally {
  for (const target of targets.values()) await target.dispose().catch((error) => console.error(`stopping ${target.name}:`, error));
}

const format = (value: number | null | undefined) =>
  value === null || value === undefined || Number.isNaN(value) ? "–" : Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
const table = [
  "| Scenario | Metric | Unit | Inkwell (Postgres) | Plain Yjs | Ratio | Bare Hocuspocus | Inkwell (embedded) | Inkwell (split) | Goal | Met |",
  "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.metric} | ${r.unit} | ${format(r.ours)} | ${format(r.baseline)} | ${r.ratio === null ? "–" : `${r.ratio.toFixed(2)}x`} | ${format(r.hocuspocus)} | ${format(r.embedded)} | ${format(r.split)} | ${r.goal} | ${r.met === null ? "–" : r.met ? "yes" : "**no**"} |`,
  ),
].join("\n");

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
const credits = [...new Set([typing, loaded].map((trace) => `${trace.name}: ${trace.credit}`))];
console.log(`\n${table}\n\nMachine: ${machine}\nTraces: ${credits.join("; ")}\nTargets: ${[...targets.keys()].map((name) => `${name} = ${TARGET_LABELS[name]}`).join("; ")}`);
console.log(`Total ${((performance.now() - started) / 1000).toFixed(0)} s${quick ? " (--quick: a smoke test, not a measurement)" : ""}`);

await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
// Only a full run replaces latest.json, the figures the README quotes.
const file = path.join(ROOT, "bench", "results", quick ? "quick.json" : values.only ? "partial.json" : "latest.json");
await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), quick, machine, traces: credits, targets: Object.fromEntries([...targets.keys()].map((name) => [name, TARGET_LABELS[name]])), results: rows }, null, 2)}\n`);
console.log(`Written to ${path.relative(ROOT, file)}`);
