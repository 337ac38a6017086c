import { startServer } from "./app-server.ts";
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
