// One reconciliation step for one workload: compare desired with observed, call the adapter,
// record the outcome. Provider errors that may pass (429, 5xx, network) back off exponentially,
// honouring Retry-After; others mark the workload failed with a message users can act on.
import type { PrismaClient } from "@/lib/db";
import type { Workload } from "@/lib/db/generated/client";
import { logger } from "@/lib/log";
import { ProviderError, type ProviderAdapter, type ProviderContext } from "@/lib/providers/types";
import { NULL_STATE, recordOutcome, type Outcome } from "./record-observation";
import { providerSettings, readEnvelope, runtimeSpec } from "./runtime-spec";
import { closeGpuSessions } from "./gpu-time";

export type AdapterLookup = (provider: string) => ProviderAdapter | undefined;

const POLL_MS = { provisioning: 1000, pending: 1000, running: 10_000, failed: 30_000, stopped: 60_000, deleting: 1000 } as const;

export async function reconcileWorkload(db: PrismaClient, adapters: AdapterLookup, w: Workload): Promise<void> {
  const project = await db.project.findUniqueOrThrow({ where: { id: w.projectId }, select: { slug: true, providerSettingsCiphertext: true } });
  const adapter = adapters(w.provider);
  if (!adapter) return recordOutcome(db, w, { status: "failed", message: `Unknown provider "${w.provider}".`, nextInMs: 60_000 });
  try {
    const spec = runtimeSpec(w, project.slug);
    const ctx: ProviderContext = { settings: providerSettings(project.providerSettingsCiphertext) };
    let envelope = readEnvelope(w.providerState);

    // Resources made by another provider (the spec switched providers): remove them first.
    if (envelope && envelope.provider !== adapter.name) {
      await adapters(envelope.provider)?.delete(spec, envelope.state, ctx);
      envelope = null;
    }
    if (w.desiredState === "deleted") {
      if (envelope) await adapter.delete(spec, envelope.state, ctx);
      await db.$transaction(async (tx) => {
        await closeGpuSessions(tx, w.id);
        await tx.workload.delete({ where: { id: w.id } });
      });
      return;
    }
    if (w.desiredState === "stopped") {
      const state = envelope ? await adapter.stop(spec, envelope.state, ctx) : null;
      return recordOutcome(db, w, {
        status: "stopped", message: "stopped", upstreamUrl: null, observedGeneration: w.generation, nextInMs: POLL_MS.stopped,
        providerState: state ? { provider: adapter.name, state } : NULL_STATE,
      });
    }

    let state = envelope?.state;
    let observedGeneration: number | undefined;
    // Provision when nothing exists yet, or to start again after a stop (adapters' provision is
    // idempotent by workload id and brings stopped resources back with the current spec).
    if (!state || Object.keys(state).length === 0 || w.status === "stopped") {
      state = await adapter.provision(spec, ctx);
      observedGeneration = w.generation;
    } else if (w.observedGeneration < w.generation) {
      state = await adapter.update(spec, state, ctx);
      observedGeneration = w.generation;
    }
    const seen = await adapter.observe(spec, state, ctx);
    if (seen.state !== undefined) state = seen.state;
    const outcome: Outcome = {
      status: seen.status,
      message: seen.message ?? null,
      upstreamUrl: seen.status === "running" ? (seen.upstreamUrl ?? null) : null,
      costPerHourMicros: seen.costPerHourMicros,
      providerState: { provider: adapter.name, state },
      observedGeneration,
      // Empty state (e.g. the local process is gone after a restart): provision again right away.
      nextInMs: Object.keys(state).length === 0 ? 0 : POLL_MS[seen.status],
    };
    await recordOutcome(db, w, outcome);
  } catch (err) {
    if (err instanceof ProviderError && err.opts.retryable) {
      const failures = w.failureCount + 1;
      const delay = Math.max((err.opts.retryAfterSeconds ?? 0) * 1000, Math.min(300_000, 1000 * 2 ** failures));
      return recordOutcome(db, w, {
        status: w.status, message: `${err.message} (retrying in ${Math.ceil(delay / 1000)} s)`, nextInMs: delay, failureCount: failures,
      });
    }
    const message = err instanceof ProviderError ? err.message : `Provider call failed: ${(err as Error).message}`;
    if (!(err instanceof ProviderError)) logger.warn("reconcile failed", { workloadId: w.id, err });
    return recordOutcome(db, w, { status: "failed", message, upstreamUrl: null, nextInMs: POLL_MS.failed, observedGeneration: w.generation });
  }
}
