"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createWorkloadAction } from "@/app/(dashboard)/projects/[project]/workloads/actions";
import { Button } from "@/components/ui/button";

/** One click: a vLLM-style workload served by the inference simulator. */
export function DemoWorkloadButton({ projectSlug }: { projectSlug: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="space-y-2">
      <Button
        disabled={pending}
        data-testid="demo-workload"
        onClick={() =>
          start(async () => {
            const r = await createWorkloadAction(projectSlug, {
              name: "Demo chat", slug: "demo-chat", model: "meta-llama/Llama-3.1-8B-Instruct", backend: "vllm", provider: "simulator",
              command: "vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192", gpu: { type: null, count: 0 },
              env: { SIMULATOR_ITL_MS: "20" },
            });
            if (!r.ok) return setError(r.message);
            router.push(`/projects/${projectSlug}/workloads/${r.data.workload_slug}`);
          })
        }
      >
        {pending ? "Starting…" : "Start a demo workload (simulator)"}
      </Button>
      {error ? <p role="alert" className="text-sm text-red-600">{error}</p> : null}
    </div>
  );
}
