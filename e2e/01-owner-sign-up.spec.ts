// A fresh install: the first person creates the owner account, signs out and in again; a wrong
// password is refused without creating a session.
import { expect, owner, test } from "./fixtures";

test.describe.serial("owner account on a fresh install", () => {
  test("the first owner signs up and lands on “Create your first project”", async ({ page, signInPage, signUpPage, dashboard }) => {
    await page.goto("/signin");
    await expect(signInPage.ownerHeading).toBeVisible();
    await expect(page.getByText("This is a new InferenceKey install. The first account owns it.")).toBeVisible();
    await expect(signInPage.form).toHaveCount(0);

    await signUpPage.signUp(owner, "Create owner account");

    await expect(page).toHaveURL(/\/$/);
    await expect(dashboard.firstProjectHeading).toBeVisible();
    await expect(dashboard.createProjectForm).toBeVisible();
    await dashboard.expectSignedInAs(owner.email);
    await expect(dashboard.switcher).toHaveText("Select a project");
  });

  test("the owner signs out and signs in again", async ({ page, signInPage, dashboard }) => {
    await signInPage.goto(); // no longer a fresh install: the normal sign-in form
    await signInPage.signIn(owner);
    await expect(dashboard.firstProjectHeading).toBeVisible();
    await dashboard.expectSignedInAs(owner.email);

    await dashboard.signOut();
    await expect(signInPage.heading).toBeVisible();
    await expect(dashboard.currentUser).toHaveCount(0);
    // Signed out for real: the dashboard sends us back to sign in.
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
    await expect(signInPage.heading).toBeVisible();

    await signInPage.signIn(owner);
    await expect(page).toHaveURL(/\/$/);
    await dashboard.expectSignedInAs(owner.email);
  });

  test("a wrong password is refused and no session is created", async ({ page, context, signInPage, dashboard }) => {
    await signInPage.goto();
    await signInPage.signIn({ email: owner.email, password: "not-the-password-0000" });

    await expect(signInPage.error).toHaveText("Invalid email or password.");
    await expect(page).toHaveURL(/\/signin/);
    await expect(dashboard.currentUser).toHaveCount(0);
    const cookies = await context.cookies();
    expect(cookies.filter((c) => c.name.includes("session-token"))).toEqual([]);

    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
    await expect(signInPage.heading).toBeVisible();
  });
});
