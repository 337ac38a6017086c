import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import type { Command } from "./client-worker.ts";
import { ROOT } from "./targets.ts";

/** The client process, one command at a time. */
export class ClientWorker {
  private readonly child: ChildProcess;
  private pending: { resolve(value: unknown): void; reject(error: Error): void } | null = null;

  constructor() {
    this.child = fork(path.join(ROOT, "bench/client-worker.ts"), [], { execArgv: ["--import", "tsx", "--max-old-space-size=8192"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.child.on("message", (message: { ok: boolean; result?: unknown; error?: string }) => {
      const pending = this.pending;
      this.pending = null;
      if (message.ok) pending?.resolve(message.result);
      else pending?.reject(new Error(`client worker: ${message.error}`));
    });
    this.child.on("exit", (code) => this.pending?.reject(new Error(`client worker exited with ${code}`)));
  }

  call<T>(command: Command): Promise<T> {
    if (this.pending) throw new Error("one command at a time");
    return new Promise<T>((resolve, reject) => {
      this.pending = { resolve: resolve as (value: unknown) => void, reject };
      this.child.send(command);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    await exited;
  }
}
