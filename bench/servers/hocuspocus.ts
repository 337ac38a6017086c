import { Server } from "@hocuspocus/server";

// Baseline: Hocuspocus as it comes, no extensions, nothing stored.
const server = new Server({ port: Number(process.env.PORT), address: "127.0.0.1", quiet: true });
await server.listen();
console.log(JSON.stringify({ msg: "listening", port: Number(process.env.PORT) }));
process.once("SIGTERM", () => void server.destroy().then(() => process.exit(0)));
