import { z } from "zod";

// Words that would collide with dashboard routes or read as something they are not.
const RESERVED = new Set(["new", "api", "admin", "settings", "endpoint", "docs", "signin", "signup", "invite", "projects"]);

export const projectSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "Use at least 3 characters.")
  .max(40, "Use at most 40 characters.")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens.")
  .refine((s) => !RESERVED.has(s), "This slug is reserved.")
  // URLs take a project's slug or its id (a cuid): a slug shaped like another project's id could
  // capture the requests meant for that project.
  .refine((s) => !/^c[a-z0-9]{24}$/.test(s), "This slug looks like a project id; choose another.");

export const projectName = z.string().trim().min(1, "Enter a name.").max(80, "Use at most 80 characters.");

/** "Acme Inc." → "acme-inc"; the user can still edit it before creating. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}

export const createProjectInput = z
  .object({ name: projectName, slug: z.string().trim().optional() })
  .transform((v) => ({ name: v.name, slug: v.slug && v.slug.length > 0 ? v.slug : slugify(v.name) }))
  .pipe(z.object({ name: projectName, slug: projectSlug }));

export const renameProjectInput = z.object({ name: projectName });

export const deleteProjectInput = z.object({ confirmSlug: z.string().trim() });
