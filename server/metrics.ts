import type { Hocuspocus } from "@hocuspocus/server";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** What operators watch, in Prometheus's text format at GET /metrics. */
export class Metrics {
  readonly registry = new Registry();

  readonly updatesReceived = new Counter({
    name: "inkwell_updates_received_total",
    help: "Document updates received from clients (sync step 2 and update messages)",
    registers: [this.registry],
  });

  readonly framesReceived = new Counter({
    name: "inkwell_frames_received_total",
    help: "WebSocket frames received on collaboration sockets, of every kind",
    registers: [this.registry],
  });

  readonly updatesCommitted = new Counter({
    name: "inkwell_updates_committed_total",
    help: "Document updates committed to the update log before being acknowledged",
    registers: [this.registry],
  });

  readonly commitSeconds = new Histogram({
    name: "inkwell_commit_duration_seconds",
    help: "Time to commit one group of updates to the database",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly refusedConnections = new Counter({
    name: "inkwell_refused_connections_total",
    help: "Connections or frames refused, by reason",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  readonly documentLoads = new Counter({
    name: "inkwell_document_loads_total",
    help: "Documents loaded from the database into memory",
    registers: [this.registry],
  });
  readonly firstSyncsFromStorage = new Counter({
    name: "inkwell_first_syncs_from_storage_total",
    help: "Fresh clients sent the stored document while the server was still loading its own copy",
    registers: [this.registry],
  });

  readonly deadConnections = new Counter({
    name: "inkwell_dead_connections_total",
    help: "Connections terminated because the peer stopped answering heartbeats",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "inkwell_" });
  }

  /** Gauges read from Hocuspocus at scrape time, so nothing is counted on the hot path. */
  observe(hocuspocus: Hocuspocus): void {
    new Gauge({
      name: "inkwell_open_connections",
      help: "Open collaboration connections",
      registers: [this.registry],
      collect() {
        this.set(hocuspocus.getConnectionsCount());
      },
    });
    new Gauge({
      name: "inkwell_loaded_documents",
      help: "Documents loaded in memory",
      registers: [this.registry],
      collect() {
        this.set(hocuspocus.getDocumentsCount());
      },
    });
  }
}
