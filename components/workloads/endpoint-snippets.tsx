"use client";
import { useState } from "react";
import { CopyField } from "@/components/ui/copy-field";
import { cn } from "@/components/ui/cn";

/** Ready-to-copy calls of the data-plane endpoint; the key stays a placeholder (tokens are shown once). */
export function EndpointSnippets({ endpoint, model, projectSlug, workloadSlug }: { endpoint: string; model: string; projectSlug: string; workloadSlug: string }) {
  const snippets = {
    curl: `curl ${endpoint}/chat/completions \\\n  -H "Authorization: Bearer $INFERENCEKEY_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello"}]}'`,
    Python: `from openai import OpenAI\n\nclient = OpenAI(base_url="${endpoint}", api_key=os.environ["INFERENCEKEY_API_KEY"])\nout = client.chat.completions.create(model="${model}", messages=[{"role": "user", "content": "Hello"}])\nprint(out.choices[0].message.content)`,
    TypeScript: `import OpenAI from "openai";\n\nconst client = new OpenAI({ baseURL: "${endpoint}", apiKey: process.env.INFERENCEKEY_API_KEY });\nconst out = await client.chat.completions.create({ model: "${model}", messages: [{ role: "user", content: "Hello" }] });\nconsole.log(out.choices[0].message.content);`,
    "InferenceKey SDK": `from inferencekey import DataClient\n\nep = DataClient.from_env(project="${projectSlug}").endpoint("${workloadSlug}")\nprint(ep.generate_text(prompt="Hello", max_tokens=100).text)`,
  };
  const [tab, setTab] = useState<keyof typeof snippets>("curl");
  return (
    <div className="space-y-3">
      <CopyField value={endpoint} label="Endpoint" testId="workload-endpoint" />
      <div className="flex flex-wrap gap-1" role="tablist">
        {(Object.keys(snippets) as (keyof typeof snippets)[]).map((k) => (
          <button key={k} role="tab" aria-selected={tab === k} onClick={() => setTab(k)}
            className={cn("rounded px-2.5 py-1 text-xs font-medium", tab === k ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100")}>{k}</button>
        ))}
      </div>
      <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{snippets[tab]}</pre>
      <p className="text-xs text-slate-500">Use a data token (ik_live_) scoped to this workload or to {projectSlug}/*.</p>
    </div>
  );
}
