-- Invitations are claimed through a one-time link: only the SHA-256 of its token is kept, with an
-- expiry, and a used link is marked rather than deleted so a second use can be told so.
-- Invitations from before this have no link and are expired at once: signing up with their email no
-- longer grants them, and the owner gets a fresh link for each from the Share dialog.
ALTER TABLE "document_invitations"
    ADD COLUMN "token_hash" TEXT,
    ADD COLUMN "expires_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN "accepted_at" TIMESTAMPTZ(3);
ALTER TABLE "document_invitations" ALTER COLUMN "expires_at" DROP DEFAULT;

CREATE UNIQUE INDEX "document_invitations_token_hash_key" ON "document_invitations"("token_hash");

-- People an owner removed from a document: its share links do not let them back in until an owner
-- shares it with them again.
CREATE TABLE "link_exclusions" (
    "document_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "link_exclusions_pkey" PRIMARY KEY ("document_id","user_id")
);

CREATE INDEX "link_exclusions_user_id_idx" ON "link_exclusions"("user_id");

ALTER TABLE "link_exclusions" ADD CONSTRAINT "link_exclusions_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "link_exclusions" ADD CONSTRAINT "link_exclusions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
