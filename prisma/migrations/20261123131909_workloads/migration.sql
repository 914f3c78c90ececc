-- CreateEnum
CREATE TYPE "Backend" AS ENUM ('vllm', 'sglang', 'tgi', 'openai');

-- CreateEnum
CREATE TYPE "DesiredState" AS ENUM ('running', 'stopped', 'deleted');

-- CreateEnum
CREATE TYPE "WorkloadStatus" AS ENUM ('pending', 'provisioning', 'running', 'failed', 'stopped', 'deleting');

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "providerSettingsCiphertext" TEXT;

-- AlterTable
ALTER TABLE "Workload" ADD COLUMN     "backend" "Backend" NOT NULL DEFAULT 'vllm',
ADD COLUMN     "command" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "completionPriceMicros" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "costPerHourMicros" INTEGER,
ADD COLUMN     "desiredState" "DesiredState" NOT NULL DEFAULT 'running',
ADD COLUMN     "envCiphertext" TEXT,
ADD COLUMN     "failureCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "generation" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "gpuCount" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "gpuType" TEXT,
ADD COLUMN     "model" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "nextReconcileAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "observedGeneration" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "promptPriceMicros" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "provider" TEXT NOT NULL DEFAULT 'simulator',
ADD COLUMN     "providerState" JSONB,
ADD COLUMN     "readinessProbe" JSONB,
ADD COLUMN     "replicas" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "status" "WorkloadStatus" NOT NULL DEFAULT 'pending',
ADD COLUMN     "statusChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "statusMessage" TEXT,
ADD COLUMN     "upstreamKeyCiphertext" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "upstreamUrl" TEXT;

-- CreateTable
CREATE TABLE "WorkloadEvent" (
    "id" TEXT NOT NULL,
    "workloadId" TEXT NOT NULL,
    "status" "WorkloadStatus" NOT NULL,
    "message" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkloadEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GpuSession" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "workloadId" TEXT,
    "workloadSlug" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "gpuType" TEXT,
    "gpuCount" INTEGER NOT NULL,
    "costPerHourMicros" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "GpuSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WorkloadEvent_workloadId_createdAt_idx" ON "WorkloadEvent"("workloadId", "createdAt");

-- CreateIndex
CREATE INDEX "GpuSession_projectId_startedAt_idx" ON "GpuSession"("projectId", "startedAt");

-- CreateIndex
CREATE INDEX "Workload_nextReconcileAt_idx" ON "Workload"("nextReconcileAt");

-- AddForeignKey
ALTER TABLE "WorkloadEvent" ADD CONSTRAINT "WorkloadEvent_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "Workload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GpuSession" ADD CONSTRAINT "GpuSession_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "Workload"("id") ON DELETE SET NULL ON UPDATE CASCADE;
