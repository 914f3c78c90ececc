-- AlterTable
ALTER TABLE "Workload" ADD COLUMN     "maxTokens" INTEGER;

-- CreateTable
CREATE TABLE "UsageRecord" (
    "id" BIGSERIAL NOT NULL,
    "projectId" TEXT NOT NULL,
    "workloadId" TEXT NOT NULL,
    "workloadSlug" TEXT NOT NULL,
    "tokenId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL,
    "ttftMs" INTEGER,
    "costMicros" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GatewayInstance" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseExpiresAt" TIMESTAMPTZ(3) NOT NULL,
    "ackedSeq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "GatewayInstance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TokenInvalidation" (
    "seq" BIGSERIAL NOT NULL,
    "tokenId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TokenInvalidation_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "UsageRecord_projectId_createdAt_idx" ON "UsageRecord"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "UsageRecord_tokenId_createdAt_idx" ON "UsageRecord"("tokenId", "createdAt");

-- CreateIndex
CREATE INDEX "TokenInvalidation_tokenId_idx" ON "TokenInvalidation"("tokenId");

-- Gateways cache token lookups; these triggers tell them, in the same transaction as the change,
-- when a cached answer may be wrong. Written as triggers so that every path (dashboard, CLI,
-- cascading deletes) notifies, not only the code paths that remember to.
CREATE OR REPLACE FUNCTION inferencekey_token_invalidated() RETURNS trigger AS $$
DECLARE
  changed_id TEXT := COALESCE(OLD."id", NEW."id");
  new_seq BIGINT;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW."revokedAt" IS NOT DISTINCT FROM OLD."revokedAt"
     AND NEW."expiresAt" IS NOT DISTINCT FROM OLD."expiresAt"
     AND NEW."workloadId" IS NOT DISTINCT FROM OLD."workloadId" THEN
    RETURN NEW; -- e.g. lastUsedAt: nothing a gateway caches changed
  END IF;
  INSERT INTO "TokenInvalidation" ("tokenId") VALUES (changed_id) RETURNING "seq" INTO new_seq;
  PERFORM pg_notify('inferencekey_token', new_seq::text || ':' || changed_id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ApiToken_invalidate"
  AFTER UPDATE OR DELETE ON "ApiToken"
  FOR EACH ROW EXECUTE FUNCTION inferencekey_token_invalidated();

CREATE OR REPLACE FUNCTION inferencekey_workload_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW."status", NEW."desiredState", NEW."upstreamUrl", NEW."upstreamKeyCiphertext",
      NEW."promptPriceMicros", NEW."completionPriceMicros", NEW."slug")
      IS NOT DISTINCT FROM (OLD."status", OLD."desiredState", OLD."upstreamUrl", OLD."upstreamKeyCiphertext",
      OLD."promptPriceMicros", OLD."completionPriceMicros", OLD."slug") THEN
    RETURN NULL; -- reconciler bookkeeping only
  END IF;
  PERFORM pg_notify('inferencekey_workload', COALESCE(OLD."id", NEW."id"));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Workload_changed"
  AFTER UPDATE OR DELETE ON "Workload"
  FOR EACH ROW EXECUTE FUNCTION inferencekey_workload_changed();
