// The owner creates a project: slug filled from the name, listed in the switcher, shown on its
// overview, and recorded in the audit log.
import { expect, owner, project, signInAsOwner, test } from "./fixtures";

test("the owner creates a project and finds it in the switcher, overview and audit log", async ({ page, dashboard, projectPage }) => {
  await signInAsOwner(page);
  await page.goto("/");
  await expect(dashboard.firstProjectHeading).toBeVisible();

  await dashboard.projectNameField().fill(project.name);
  await expect(dashboard.slugField()).toHaveValue(project.slug);
  const slug = await dashboard.createProject(project.name);
  expect(slug).toBe(project.slug);

  // Overview
  await expect(page).toHaveURL(`/projects/${project.slug}`);
  await expect(projectPage.title).toHaveText(project.name);
  await expect(projectPage.memberCount).toHaveText("1");
  await expect(page.getByText(`/endpoint/${project.slug}/…`)).toBeVisible();
  await expect(projectPage.tab("Overview")).toHaveAttribute("aria-current", "page");

  // Switcher
  await expect(dashboard.switcher).toHaveText(project.name);
  expect(await dashboard.switcherProjectNames()).toEqual([project.name]);

  // The home page now opens the project.
  await page.goto("/");
  await expect(page).toHaveURL(`/projects/${project.slug}`);

  // Audit log
  await projectPage.tab("Audit log").click();
  await expect(page).toHaveURL(`/projects/${project.slug}/audit`);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const created = projectPage.auditEvent("project.created");
  await expect(created).toHaveCount(1);
  await expect(created).toContainText(`${owner.email} created the project`);
});
