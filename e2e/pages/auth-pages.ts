// Sign-in and sign-up pages (our own, under app/(auth)), and the test OpenID provider's dev pages.
import { expect, type Locator, type Page } from "@playwright/test";

export type Credentials = { email: string; password: string; name?: string };

export class SignUpPage {
  readonly form: Locator;
  readonly name: Locator;
  readonly email: Locator;
  readonly password: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId("signup-form");
    this.name = this.form.getByLabel("Name", { exact: true });
    this.email = this.form.getByLabel("Email", { exact: true });
    this.password = this.form.getByLabel("Password", { exact: true });
  }

  async goto() {
    await this.page.goto("/signup");
    await expect(this.heading("Create an account")).toBeVisible();
  }

  heading(title: string) {
    return this.page.getByRole("heading", { level: 1, name: title, exact: true });
  }

  /** Fills the form (leaving a prefilled email alone when none is given) and submits it. */
  async signUp(user: Partial<Credentials> & { password: string }, submitLabel = "Create account") {
    if (user.name !== undefined) await this.name.fill(user.name);
    if (user.email !== undefined) await this.email.fill(user.email);
    await this.password.fill(user.password);
    await this.form.getByRole("button", { name: submitLabel }).click();
  }
}

export class SignInPage {
  readonly form: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId("signin-form");
    this.email = this.form.getByLabel("Email", { exact: true });
    this.password = this.form.getByLabel("Password", { exact: true });
    this.error = this.form.getByRole("alert");
  }

  async goto() {
    await this.page.goto("/signin");
    await expect(this.heading).toBeVisible();
  }

  get heading() {
    return this.page.getByRole("heading", { level: 1, name: "Sign in", exact: true });
  }

  /** On a fresh install /signin shows this instead of the sign-in form. */
  get ownerHeading() {
    return this.page.getByRole("heading", { level: 1, name: "Create the owner account", exact: true });
  }

  async signIn({ email, password }: Credentials) {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.form.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  oauthButton(providerId: string) {
    return this.page.getByTestId(`oauth-${providerId}`);
  }

  createAccountLink() {
    return this.page.getByRole("link", { name: "Create an account" });
  }
}

/** The login and consent pages of oidc-provider's devInteractions (any login id and password work). */
export class OidcProviderPages {
  constructor(readonly page: Page) {}

  async blockExternalRequests() {
    // The dev pages @import a web font from the internet; keep the run offline and fast.
    await this.page.route((url) => url.hostname !== "localhost", (route) => route.abort());
  }

  async logIn(login: string, password = "any-password") {
    await expect(this.page.getByRole("heading", { name: "Sign-in" })).toBeVisible();
    await this.page.getByPlaceholder("Enter any login").fill(login);
    await this.page.getByPlaceholder("and password").fill(password);
    await this.page.getByRole("button", { name: "Sign-in" }).click();
  }

  async consent() {
    await expect(this.page.getByRole("heading", { name: "Authorize" })).toBeVisible();
    await this.page.getByRole("button", { name: "Continue" }).click();
  }
}
