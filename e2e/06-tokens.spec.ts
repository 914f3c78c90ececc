// Tokens in the browser: minted and shown once (copy button → clipboard), gone after the dialog
// closes, on reload and on back-navigation; they work against the API until revoked; rotation
// shows the new secret once.
import { ensureProject, expect, project, test } from "./fixtures";
import { TokensPage } from "./pages/tokens-page";

test("a data token is shown once, copied, and then nowhere", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await ensureProject(page);
  const tokens = new TokensPage(page);
  await tokens.goto(project.slug);

  const secret = await tokens.create("e2e-app", "data");
  expect(secret).toMatch(/^ik_live_[0-9A-Za-z]{42}$/);
  await expect(tokens.secretDialog).toContainText("You will not see this token again");
  await tokens.secretDialog.getByRole("button", { name: "Copy" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  // Escape does not silently discard the secret: it asks first.
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("token-close-confirm")).toBeVisible();
  await page.getByRole("button", { name: "Back" }).click();
  await tokens.closeSecretDialog();

  const row = tokens.row("e2e-app");
  await expect(row).toHaveAttribute("data-status", "active");
  await expect(row).toContainText(`${secret.slice(0, 12)}…${secret.slice(-4)}`);
  await expect(row).toContainText(`${project.slug}/*`);
  expect(await page.content()).not.toContain(secret);

  await page.reload();
  await expect(tokens.row("e2e-app")).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  await page.goto(`/projects/${project.slug}/members`);
  await page.goBack();
  await expect(tokens.row("e2e-app")).toBeVisible();
  expect(await page.content()).not.toContain(secret);
  await expect(tokens.secretDialog).toBeHidden();
});

test("a control token works on the API until it is revoked; rotation shows the new secret once", async ({ page, request }) => {
  await ensureProject(page);
  const tokens = new TokensPage(page);
  await tokens.goto(project.slug, "control");
  const control = await tokens.create("e2e-deploy", "control");
  expect(control).toMatch(/^ik_sdk_/);
  await tokens.closeSecretDialog();

  const list = () => request.get(`/api/projects/${project.slug}/workloads`, { headers: { authorization: `Bearer ${control}` } });
  expect((await list()).status()).toBe(200);

  const rotated = await tokens.rotate("e2e-deploy", "0");
  expect(rotated).toMatch(/^ik_sdk_/);
  expect(rotated).not.toBe(control);
  await tokens.closeSecretDialog();
  expect(await page.content()).not.toContain(rotated);
  expect((await list()).status()).toBe(403);
  const withNew = await request.get(`/api/projects/${project.slug}/workloads`, { headers: { authorization: `Bearer ${rotated}` } });
  expect(withNew.status()).toBe(200);

  await tokens.revoke("e2e-deploy");
  const afterRevoke = await request.get(`/api/projects/${project.slug}/workloads`, { headers: { authorization: `Bearer ${rotated}` } });
  expect(afterRevoke.status()).toBe(403);
  expect(await afterRevoke.json()).toEqual({ error: { code: "forbidden", message: "This token is not valid for this request." } });
});
