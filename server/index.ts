import v8 from "node:v8";
import { EnvError, parseEnv } from "./env.ts";
import { createLogger } from "./logger.ts";

// A self-hosted editor does not report usage to anyone.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

let env;
try {
  env = parseEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger(env.LOG_LEVEL);

// Prisma's query compiler is a 3.4 MB WebAssembly module, for which V8's optimising compiler holds
// about 50 MB in every process; the baseline compiler serves it as fast (npm run bench, durability:
// within run-to-run noise). Not on the embedded database: Postgres compiled to WebAssembly does need
// the optimising compiler (10-15% fewer durable updates/s without it). Set before anything compiles.
if (env.DATABASE_URL) v8.setFlagsFromString("--liftoff-only");
const { startServer } = await import("./app-server.ts");

try {
  const server = await startServer(env, logger);
  // Tests and scripts read the address from this line when PORT=0.
  logger.info({ url: server.url, pid: process.pid }, "listening");
  const stop = async (signal: string) => {
    logger.info({ signal }, "shutting down");
    try {
      await server.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  logger.fatal({ err: error }, "Inkwell could not start");
  process.exit(1);
}
