// The owner invites a second person by email; in their own browser they open the link, create
// their account (email prefilled), accept, and see the project. The owner then sees them listed.
import { ensureProject, expect, member, newSession, owner, project, test } from "./fixtures";
import { SignUpPage } from "./pages/auth-pages";
import { DashboardPage, ProjectPage } from "./pages/dashboard-page";
import { InvitationPage } from "./pages/members-page";

test("an invited user creates an account from the link, joins and is listed as a member", async ({ page, browser, membersPage }) => {
  await ensureProject(page);
  await membersPage.goto(project.slug);
  await expect(membersPage.memberRows).toHaveCount(1);
  await expect(membersPage.memberRow(owner.email)).toContainText("(you)");

  const link = await membersPage.invite(member.email, "member");
  expect(link.startsWith("http://localhost:")).toBe(true);
  await expect(membersPage.invitations).toContainText(member.email);

  // The invited person, in a browser session of their own.
  const guest = await newSession(browser);
  try {
    const invitation = new InvitationPage(guest.page);
    await guest.page.goto(link);
    await expect(invitation.heading(project.name)).toBeVisible();
    await expect(guest.page.getByText(`You are invited as member (${member.email}).`)).toBeVisible();

    await invitation.createAccountLink().click();
    await expect(guest.page).toHaveURL(/\/signup\?/);
    const signUp = new SignUpPage(guest.page);
    await expect(signUp.email).toHaveValue(member.email);
    await signUp.signUp({ name: member.name, password: member.password });

    // Back on the invitation, now signed in.
    await expect(invitation.heading(project.name)).toBeVisible();
    await expect(guest.page.getByText(`Signed in as ${member.email}.`)).toBeVisible();
    await invitation.acceptButton.click();

    const projectPage = new ProjectPage(guest.page);
    const dashboard = new DashboardPage(guest.page);
    await expect(guest.page).toHaveURL(`/projects/${project.slug}`);
    await expect(projectPage.title).toHaveText(project.name);
    await dashboard.expectSignedInAs(member.email);
    await expect(projectPage.memberCount).toHaveText("2");
    expect(await dashboard.switcherProjectNames()).toEqual([project.name]);

    // The link works once.
    await guest.page.goto(link);
    await expect(guest.page.getByRole("heading", { level: 1, name: "Invitation not valid" })).toBeVisible();
  } finally {
    await guest.context.close();
  }

  // The owner's session: the member is listed, the invitation is no longer pending.
  await page.reload();
  await expect(membersPage.memberRows).toHaveCount(2);
  await expect(membersPage.memberRow(member.email)).toContainText(member.name);
  await expect(membersPage.memberRow(member.email).getByRole("combobox", { name: "Role" })).toHaveValue("member");
  await expect(membersPage.invitations).toHaveCount(0);
});
