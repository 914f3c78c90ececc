// Someone who signed up on their own but is not a member: every page of the project is a 404,
// indistinguishable from a project that does not exist, and the switcher does not list it.
import { ensureProject, expect, newSession, outsider, project, test } from "./fixtures";

test.beforeAll(async ({ browser }) => {
  const { context, page } = await newSession(browser);
  try {
    await ensureProject(page);
  } finally {
    await context.close();
  }
});

test("a signed-in non-member gets 404 on the project's pages and does not see it in the switcher", async ({ page, signInPage, signUpPage, dashboard, projectPage }) => {
  await signInPage.goto();
  await signInPage.createAccountLink().click();
  await expect(signUpPage.heading("Create an account")).toBeVisible();
  await signUpPage.signUp(outsider);
  await expect(dashboard.firstProjectHeading).toBeVisible();
  await dashboard.expectSignedInAs(outsider.email);

  for (const tab of ["", "members", "settings", "audit"] as const) {
    await projectPage.goto(project.slug, tab);
    await expect(projectPage.notFound, `/projects/${project.slug}/${tab}`).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
    await expect(projectPage.title).toHaveCount(0);
    await expect(page.getByText(project.name)).toHaveCount(0);
  }

  // Same answer as for a project that does not exist.
  await projectPage.goto("no-such-project-e2e");
  await expect(projectPage.notFound).toBeVisible();

  await page.goto("/");
  await expect(dashboard.firstProjectHeading).toBeVisible();
  await expect(dashboard.switcher).toHaveText("Select a project");
  expect(await dashboard.switcherProjectNames()).toEqual([]);
});
