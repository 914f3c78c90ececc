-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "monthlyBudgetMicros" BIGINT;

-- CreateTable
CREATE TABLE "UsageHourly" (
    "projectId" TEXT NOT NULL,
    "workloadId" TEXT NOT NULL,
    "workloadSlug" TEXT NOT NULL,
    "tokenId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "costMicros" BIGINT NOT NULL,
    "latencyHist" INTEGER[],
    "ttftHist" INTEGER[],

    CONSTRAINT "UsageHourly_pkey" PRIMARY KEY ("projectId","workloadId","tokenId","hour")
);

-- CreateTable
CREATE TABLE "UsageHourlyWorkload" (
    "projectId" TEXT NOT NULL,
    "workloadId" TEXT NOT NULL,
    "workloadSlug" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "costMicros" BIGINT NOT NULL,
    "latencyHist" INTEGER[],
    "ttftHist" INTEGER[],

    CONSTRAINT "UsageHourlyWorkload_pkey" PRIMARY KEY ("projectId","workloadId","hour")
);

-- CreateTable
CREATE TABLE "UsageHourlyToken" (
    "projectId" TEXT NOT NULL,
    "tokenId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "costMicros" BIGINT NOT NULL,

    CONSTRAINT "UsageHourlyToken_pkey" PRIMARY KEY ("projectId","tokenId","hour")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secretCiphertext" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetAlert" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "month" TIMESTAMPTZ(3) NOT NULL,
    "threshold" INTEGER NOT NULL,
    "spentMicros" BIGINT NOT NULL,
    "budgetMicros" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BudgetAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UsageHourly_projectId_hour_idx" ON "UsageHourly"("projectId", "hour");

-- CreateIndex
CREATE INDEX "UsageHourlyWorkload_projectId_hour_idx" ON "UsageHourlyWorkload"("projectId", "hour");

-- CreateIndex
CREATE INDEX "UsageHourlyToken_projectId_hour_idx" ON "UsageHourlyToken"("projectId", "hour");

-- CreateIndex
CREATE INDEX "Webhook_projectId_idx" ON "Webhook"("projectId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_state_nextAttemptAt_idx" ON "WebhookDelivery"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_idx" ON "WebhookDelivery"("webhookId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetAlert_projectId_scope_month_threshold_key" ON "BudgetAlert"("projectId", "scope", "month", "threshold");

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;
