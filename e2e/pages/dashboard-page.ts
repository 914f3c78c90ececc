// The signed-in dashboard: top bar (current user, project switcher, sign out), the home page with
// its "Create your first project" form, and a project's overview and audit log.
import { expect, type Locator, type Page } from "@playwright/test";

export class DashboardPage {
  readonly currentUser: Locator;
  readonly signOutButton: Locator;
  readonly switcher: Locator;
  readonly createProjectForm: Locator;
  readonly projectTitle: Locator;

  constructor(readonly page: Page) {
    this.currentUser = page.getByTestId("current-user");
    this.signOutButton = page.getByTestId("sign-out");
    this.switcher = page.getByTestId("project-switcher");
    this.createProjectForm = page.getByTestId("create-project-form");
    this.projectTitle = page.getByTestId("project-title");
  }

  get firstProjectHeading() {
    return this.page.getByRole("heading", { name: "Create your first project" });
  }

  async expectSignedInAs(email: string) {
    await expect(this.currentUser).toHaveText(email);
  }

  async signOut() {
    await this.signOutButton.click();
    await expect(this.page).toHaveURL(/\/signin(\?|$)/);
  }

  /** Opens the project switcher; returns its menu. Close it with Escape. */
  async openSwitcher() {
    await this.switcher.click();
    const menu = this.page.getByRole("menu");
    await expect(menu).toBeVisible();
    return menu;
  }

  async switcherProjectNames(): Promise<string[]> {
    const menu = await this.openSwitcher();
    const names = (await menu.getByRole("menuitem").allInnerTexts()).map((t) => t.trim());
    await this.page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    return names.filter((n) => n !== "New project");
  }

  projectNameField() {
    return this.createProjectForm.getByLabel("Project name", { exact: true });
  }

  slugField() {
    return this.createProjectForm.getByLabel("Slug", { exact: true });
  }

  /** Types the name, lets the form fill the slug, creates the project; returns the slug shown. */
  async createProject(name: string): Promise<string> {
    await this.projectNameField().fill(name);
    const slug = await this.slugField().inputValue();
    await this.createProjectForm.getByRole("button", { name: "Create project" }).click();
    await expect(this.page).toHaveURL(new RegExp(`/projects/${slug}$`));
    await expect(this.projectTitle).toHaveText(name);
    return slug;
  }
}

export class ProjectPage {
  readonly title: Locator;
  readonly memberCount: Locator;
  readonly notFound: Locator;
  readonly auditEvents: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByTestId("project-title");
    this.memberCount = page.getByTestId("member-count");
    this.notFound = page.getByTestId("not-found");
    this.auditEvents = page.getByTestId("audit-event");
  }

  async goto(slug: string, tab: "" | "members" | "settings" | "audit" = "") {
    await this.page.goto(`/projects/${slug}${tab ? `/${tab}` : ""}`);
  }

  tab(name: "Overview" | "Members" | "Audit log" | "Settings") {
    return this.page.getByRole("navigation", { name: "Project" }).getByRole("link", { name, exact: true });
  }

  auditEvent(action: string) {
    return this.page.locator(`[data-testid="audit-event"][data-action="${action}"]`);
  }
}
