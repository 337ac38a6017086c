-- Who first wrote under each Yjs client id of a document. A client id is claimed by the first user
-- whose update adds content under it; after that, only that user may add content under it.
-- A deleted account keeps its client ids (user_id becomes NULL), so nobody can write under them.
CREATE TABLE "document_clients" (
    "document_id" UUID NOT NULL,
    "client_id" BIGINT NOT NULL,
    "user_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_clients_pkey" PRIMARY KEY ("document_id","client_id")
);

CREATE INDEX "document_clients_user_id_idx" ON "document_clients"("user_id");

ALTER TABLE "document_clients" ADD CONSTRAINT "document_clients_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "document_clients" ADD CONSTRAINT "document_clients_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
