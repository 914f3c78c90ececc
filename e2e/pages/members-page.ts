// A project's Members page: the invite form (with the one-time invitation link), members and invitations.
import { expect, type Locator, type Page } from "@playwright/test";

export class MembersPage {
  readonly inviteForm: Locator;
  readonly invitationLink: Locator;
  readonly memberRows: Locator;
  readonly invitations: Locator;

  constructor(readonly page: Page) {
    this.inviteForm = page.getByTestId("invite-form");
    this.invitationLink = page.getByTestId("invitation-link");
    this.memberRows = page.getByTestId("member-row");
    this.invitations = page.getByTestId("invitation-list");
  }

  async goto(slug: string) {
    await this.page.goto(`/projects/${slug}/members`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  }

  memberRow(email: string) {
    return this.page.locator(`[data-testid="member-row"][data-email="${email}"]`);
  }

  /** Invites the address with the role; returns the invitation link the page shows. */
  async invite(email: string, role: "owner" | "admin" | "member" | "viewer" = "member"): Promise<string> {
    await this.inviteForm.getByLabel("Email", { exact: true }).fill(email);
    await this.inviteForm.getByLabel("Role", { exact: true }).selectOption(role);
    await this.inviteForm.getByRole("button", { name: "Invite" }).click();
    await expect(this.page.getByTestId("invitation-result")).toContainText(`Invitation for ${email} created`);
    await expect(this.invitationLink).toHaveValue(/\/invite\/[^/]+$/);
    return this.invitationLink.inputValue();
  }
}

/** /invite/<token>: join a project, signed in or not. */
export class InvitationPage {
  readonly acceptButton: Locator;

  constructor(readonly page: Page) {
    this.acceptButton = page.getByTestId("accept-invitation");
  }

  heading(projectName: string) {
    return this.page.getByRole("heading", { level: 1, name: `Join ${projectName}` });
  }

  createAccountLink() {
    return this.page.getByRole("link", { name: "Create an account" });
  }
}
