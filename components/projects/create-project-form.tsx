"use client";
import { useActionState, useState } from "react";
import { createProjectAction } from "@/app/(dashboard)/projects/actions";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { slugify } from "@/lib/projects/schemas";

export function CreateProjectForm() {
  const [state, action, pending] = useActionState(createProjectAction, null);
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  return (
    <form action={action} className="space-y-4" data-testid="create-project-form">
      {state && !state.ok && !state.fields ? <Alert>{state.message}</Alert> : null}
      <TextField
        label="Project name"
        name="name"
        required
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          if (!slugEdited) setSlug(slugify(e.target.value));
        }}
        errors={state?.fields?.name}
      />
      <TextField
        label="Slug"
        name="slug"
        required
        value={slug}
        onChange={(e) => {
          setSlug(e.target.value);
          setSlugEdited(true);
        }}
        errors={state?.fields?.slug}
        hint="Used in URLs and endpoints: lowercase letters, digits and hyphens."
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create project"}
      </Button>
    </form>
  );
}
