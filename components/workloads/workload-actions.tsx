"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteWorkloadAction, rotateUpstreamKeyAction, updateWorkloadAction } from "@/app/(dashboard)/projects/[project]/workloads/actions";
import { Button, buttonClass } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";

type Props = { projectSlug: string; workload: { id: string; slug: string; name: string; desiredState: string } };

export function WorkloadActions({ projectSlug, workload }: Props) {
  const router = useRouter();
  const [confirm, setConfirm] = useState<"stop" | "delete" | "rotate" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<{ ok: boolean; message?: string }>, after?: () => void) =>
    start(async () => {
      const r = await fn();
      if (!r.ok) return setError(r.message ?? "Failed.");
      setConfirm(null);
      after ? after() : router.refresh();
    });
  const running = workload.desiredState === "running";
  const texts = {
    stop: { title: `Stop ${workload.name}?`, body: "The engine is stopped and requests get 503 until you start it again.", button: "Stop workload" },
    delete: { title: `Delete ${workload.name}?`, body: "Its provider resources and the tokens scoped to it are deleted. This cannot be undone.", button: "Delete workload" },
    rotate: { title: "Rotate the upstream key?", body: "The engine is restarted with a new key. Client tokens are not affected.", button: "Rotate key" },
  };
  return (
    <div className="flex flex-wrap gap-2">
      <Link href={`/projects/${projectSlug}/workloads/${workload.slug}/edit`} className={buttonClass("secondary")}>Edit</Link>
      {running ? (
        <Button variant="secondary" onClick={() => setConfirm("stop")} data-testid="stop-workload">Stop</Button>
      ) : (
        <Button variant="secondary" disabled={pending} data-testid="start-workload" onClick={() => run(() => updateWorkloadAction(projectSlug, workload.id, { desired_state: "running" }))}>Start</Button>
      )}
      <Button variant="secondary" onClick={() => setConfirm("rotate")}>Rotate upstream key</Button>
      <Button variant="danger" onClick={() => setConfirm("delete")} data-testid="delete-workload">Delete</Button>
      {error && !confirm ? <Alert>{error}</Alert> : null}
      <Dialog open={confirm !== null} onOpenChange={(o) => !o && setConfirm(null)} title={confirm ? texts[confirm].title : ""} description={confirm ? texts[confirm].body : undefined}>
        {error ? <Alert>{error}</Alert> : null}
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirm(null)}>Cancel</Button>
          <Button variant={confirm === "rotate" ? "primary" : "danger"} disabled={pending} data-testid="confirm-workload-action"
            onClick={() => {
              if (confirm === "stop") run(() => updateWorkloadAction(projectSlug, workload.id, { desired_state: "stopped" }));
              if (confirm === "rotate") run(() => rotateUpstreamKeyAction(projectSlug, workload.id));
              if (confirm === "delete") run(() => deleteWorkloadAction(projectSlug, workload.id), () => router.push(`/projects/${projectSlug}/workloads`));
            }}>
            {confirm ? texts[confirm].button : ""}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
