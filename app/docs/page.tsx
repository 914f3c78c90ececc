import Link from "next/link";
import { ApiDocs } from "@/components/api-docs";

export const metadata = { title: "API reference" };

export default function DocsPage() {
  return (
    <main id="main" className="min-h-screen bg-white">
      <div className="mx-auto max-w-5xl px-4 pt-6 text-sm text-slate-600">
        <Link href="/" className="text-brand-600 hover:underline">← InferenceKey</Link>
        <p className="mt-2">
          Authorize with a control token (<code>ik_sdk_…</code>) to try calls. The raw document is at{" "}
          <a className="text-brand-600 hover:underline" href="/api/openapi.json">/api/openapi.json</a>.
        </p>
      </div>
      <div data-testid="api-docs"><ApiDocs /></div>
    </main>
  );
}
