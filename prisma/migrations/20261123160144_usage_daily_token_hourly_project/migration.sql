-- CreateTable
CREATE TABLE "UsageHourlyProject" (
    "projectId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "costMicros" BIGINT NOT NULL,
    "latencyHist" INTEGER[],
    "ttftHist" INTEGER[],

    CONSTRAINT "UsageHourlyProject_pkey" PRIMARY KEY ("projectId","hour")
);

-- CreateTable
CREATE TABLE "UsageDailyToken" (
    "projectId" TEXT NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "tokenId" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "costMicros" BIGINT NOT NULL,

    CONSTRAINT "UsageDailyToken_pkey" PRIMARY KEY ("projectId","day","tokenId")
);

-- Backfill both from the existing rollups; from here on upsertRollups maintains them with the others.
INSERT INTO "UsageHourlyProject" ("projectId", "hour", "requests", "errors", "promptTokens", "completionTokens", "costMicros", "latencyHist", "ttftHist")
SELECT "projectId", "hour", sum("requests"), sum("errors"), sum("promptTokens"), sum("completionTokens"), sum("costMicros"),
    ARRAY[sum("latencyHist"[1]), sum("latencyHist"[2]), sum("latencyHist"[3]), sum("latencyHist"[4]), sum("latencyHist"[5]), sum("latencyHist"[6]), sum("latencyHist"[7]), sum("latencyHist"[8]), sum("latencyHist"[9]), sum("latencyHist"[10]), sum("latencyHist"[11]), sum("latencyHist"[12]), sum("latencyHist"[13]), sum("latencyHist"[14])]::INTEGER[],
    ARRAY[sum("ttftHist"[1]), sum("ttftHist"[2]), sum("ttftHist"[3]), sum("ttftHist"[4]), sum("ttftHist"[5]), sum("ttftHist"[6]), sum("ttftHist"[7]), sum("ttftHist"[8]), sum("ttftHist"[9]), sum("ttftHist"[10]), sum("ttftHist"[11]), sum("ttftHist"[12]), sum("ttftHist"[13]), sum("ttftHist"[14])]::INTEGER[]
FROM "UsageHourlyWorkload" GROUP BY "projectId", "hour";

INSERT INTO "UsageDailyToken" ("projectId", "day", "tokenId", "requests", "errors", "promptTokens", "completionTokens", "costMicros")
SELECT "projectId", date_trunc('day', "hour", 'UTC'), "tokenId", sum("requests"), sum("errors"), sum("promptTokens"), sum("completionTokens"), sum("costMicros")
FROM "UsageHourlyToken" GROUP BY 1, 2, 3;
