// The Tokens page: Data/Control tabs, the create dialog, the shown-once secret dialog, and the
// per-row revoke and rotate dialogs.
import { expect, type Locator, type Page } from "@playwright/test";

export class TokensPage {
  readonly createButton: Locator;
  readonly secretDialog: Locator;
  readonly secretField: Locator;

  constructor(readonly page: Page) {
    this.createButton = page.getByTestId("create-token");
    this.secretDialog = page.getByTestId("token-secret-dialog");
    this.secretField = page.getByTestId("token-secret");
  }

  async goto(projectSlug: string, kind: "data" | "control" = "data") {
    await this.page.goto(`/projects/${projectSlug}/tokens?kind=${kind}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Tokens" })).toBeVisible();
  }

  row(name: string): Locator {
    return this.page.getByTestId("token-row").filter({ has: this.page.getByRole("cell", { name, exact: true }) });
  }

  /** Creates a token through the dialog and returns the secret read from the shown-once field. */
  async create(name: string, kind: "data" | "control"): Promise<string> {
    await this.createButton.click();
    const form = this.page.getByTestId("create-token-form");
    await form.getByLabel("Name").fill(name);
    if (kind === "control") await form.getByLabel(/Control/).check();
    await form.getByTestId("create-token-submit").click();
    await expect(this.secretDialog).toBeVisible();
    return this.secretField.inputValue();
  }

  /** "I have copied it" → confirmation → close. */
  async closeSecretDialog() {
    await this.page.getByTestId("token-done").click();
    await expect(this.page.getByTestId("token-close-confirm")).toBeVisible();
    await this.page.getByTestId("token-close-confirm-yes").click();
    await expect(this.secretDialog).toBeHidden();
  }

  /** The row of the current (active) token with this name; rotated-away rows keep the name too. */
  activeRow(name: string): Locator {
    return this.page.locator('[data-testid="token-row"][data-status="active"]').filter({ has: this.page.getByRole("cell", { name, exact: true }) });
  }

  async revoke(name: string) {
    await this.activeRow(name).getByTestId("revoke-token").click();
    await this.page.getByTestId("confirm-revoke").click();
    await expect(this.activeRow(name)).toHaveCount(0);
    await expect(this.row(name).first()).toHaveAttribute("data-status", "revoked");
  }

  async rotate(name: string, grace: "0" | "3600" | "86400"): Promise<string> {
    await this.activeRow(name).getByTestId("rotate-token").click();
    await this.page.getByTestId("rotate-grace").selectOption(grace);
    await this.page.getByTestId("confirm-rotate").click();
    await expect(this.secretDialog).toBeVisible();
    return this.secretField.inputValue();
  }
}
