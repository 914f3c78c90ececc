// Sign-in through the real OpenID provider started by the global setup: the provider's dev login
// and consent pages, then back in the dashboard as the provider's email.
import { APP_URL, OIDC_CLIENT, OIDC_ISSUER, oidcEmail } from "./env";
import { expect, newSession, signInAsOwner, test } from "./fixtures";
import { SignUpPage } from "./pages/auth-pages";

// Past a fresh install /signin shows the provider buttons (a fresh install shows only the owner form).
test.beforeAll(async ({ browser }) => {
  const { context, page } = await newSession(browser);
  try {
    await signInAsOwner(page);
  } finally {
    await context.close();
  }
});

test("a user signs in with the OpenID provider and lands in the dashboard", async ({ page, signInPage, oidcPages, dashboard }) => {
  const login = "olivia";
  await oidcPages.blockExternalRequests();

  await signInPage.goto();
  const button = signInPage.oauthButton("oidc");
  await expect(button).toHaveText(`Continue with ${OIDC_CLIENT.name}`);
  await button.click();

  await expect(page).toHaveURL((url) => url.origin === OIDC_ISSUER);
  await oidcPages.logIn(login);
  await oidcPages.consent();

  await expect(page).toHaveURL(`${APP_URL}/`);
  await dashboard.expectSignedInAs(oidcEmail(login));
  await expect(dashboard.firstProjectHeading).toBeVisible();
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.includes("session-token"))).toBe(true);
});

test("an address someone registered with a password is not taken over by its owner's first SSO sign-in", async ({ browser, page, signInPage, oidcPages }) => {
  // Mallory registers the address of a colleague who has not signed in yet, with a password.
  const victim = "valerie";
  const { context, page: attacker } = await newSession(browser);
  try {
    const signUp = new SignUpPage(attacker);
    await signUp.goto();
    await signUp.signUp({ name: "Mallory", email: oidcEmail(victim), password: "mallory-password-1234" });
    await expect(attacker).toHaveURL(`${APP_URL}/`);
  } finally {
    await context.close();
  }

  // Valerie signs in through the company's identity provider: she is not let into Mallory's account.
  await oidcPages.blockExternalRequests();
  await signInPage.goto();
  await signInPage.oauthButton("oidc").click();
  await oidcPages.logIn(victim);
  await oidcPages.consent();
  await expect(page).toHaveURL(/\/signin\?error=OAuthAccountNotLinked/);
  await expect(page.getByRole("alert")).toContainText("already used by another sign-in method");
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.includes("session-token"))).toBe(false);
});
