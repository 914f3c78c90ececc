// The `test` every spec imports: page objects as fixtures, the run's fixed users and project,
// and helpers that create what a spec needs when it runs on its own (idempotent in the full run).
import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { APP_URL } from "./env";
import { OidcProviderPages, SignInPage, SignUpPage, type Credentials } from "./pages/auth-pages";
import { DashboardPage, ProjectPage } from "./pages/dashboard-page";
import { InvitationPage, MembersPage } from "./pages/members-page";

export const owner = { name: "Olga Owner", email: "owner@example.test", password: "owner-password-1234" } satisfies Credentials;
export const member = { name: "Max Member", email: "member@example.test", password: "member-password-1234" } satisfies Credentials;
export const outsider = { name: "Otto Outsider", email: "outsider@example.test", password: "outsider-password-1234" } satisfies Credentials;
export const project = { name: "Inference Lab", slug: "inference-lab" } as const;

type Pages = {
  signInPage: SignInPage;
  signUpPage: SignUpPage;
  dashboard: DashboardPage;
  projectPage: ProjectPage;
  membersPage: MembersPage;
  invitationPage: InvitationPage;
  oidcPages: OidcProviderPages;
};

export const test = base.extend<Pages>({
  signInPage: async ({ page }, use) => use(new SignInPage(page)),
  signUpPage: async ({ page }, use) => use(new SignUpPage(page)),
  dashboard: async ({ page }, use) => use(new DashboardPage(page)),
  projectPage: async ({ page }, use) => use(new ProjectPage(page)),
  membersPage: async ({ page }, use) => use(new MembersPage(page)),
  invitationPage: async ({ page }, use) => use(new InvitationPage(page)),
  oidcPages: async ({ page }, use) => use(new OidcProviderPages(page)),
});

export { expect };

/**
 * Signs the owner in; on a fresh install (a spec run on its own) creates the owner account first.
 * Ends on the dashboard.
 */
export async function signInAsOwner(page: Page) {
  const signIn = new SignInPage(page);
  await page.goto("/signin");
  await expect(signIn.heading.or(signIn.ownerHeading)).toBeVisible();
  if (await signIn.ownerHeading.isVisible()) {
    await new SignUpPage(page).signUp(owner, "Create owner account");
  } else {
    await signIn.signIn(owner);
  }
  await new DashboardPage(page).expectSignedInAs(owner.email);
}

/** The run's project, created by the owner when missing. The page stays signed in as the owner. */
export async function ensureProject(page: Page) {
  await signInAsOwner(page);
  const projectPage = new ProjectPage(page);
  await projectPage.goto(project.slug);
  await expect(projectPage.title.or(projectPage.notFound)).toBeVisible();
  if (await projectPage.notFound.isVisible()) {
    await page.goto("/projects/new");
    await new DashboardPage(page).createProject(project.name);
  }
}

/** A second, independent browser session (its own cookies), closed by the caller. */
export async function newSession(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: APP_URL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  return { context, page };
}
