// Sign-in through the real OpenID provider started by the global setup: the provider's dev login
// and consent pages, then back in the dashboard as the provider's email.
import { APP_URL, OIDC_CLIENT, OIDC_ISSUER, oidcEmail } from "./env";
import { expect, newSession, signInAsOwner, test } from "./fixtures";

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
