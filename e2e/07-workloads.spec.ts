// Workloads in the browser: create a simulator workload with the form, watch its status turn
// running live, read its logs, stop it, delete it.
import { ensureProject, expect, project, test } from "./fixtures";

test("a simulator workload goes live, shows logs, stops and is deleted", async ({ page }) => {
  test.setTimeout(150_000);
  await ensureProject(page);
  await page.goto(`/projects/${project.slug}/workloads`);
  await page.getByTestId("new-workload").click();

  const form = page.getByTestId("workload-form");
  await form.getByLabel("Name", { exact: true }).fill("Support Bot");
  await expect(form.getByLabel("Slug", { exact: true })).toHaveValue("support-bot");
  await form.getByLabel("Model", { exact: true }).fill("meta-llama/Llama-3.1-8B-Instruct");
  await form.getByLabel("Command", { exact: true }).fill("vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192");
  await form.getByLabel("Provider", { exact: true }).selectOption("simulator");
  // Invalid input is refused with a field error and nothing is created.
  await form.getByLabel("Replicas", { exact: true }).fill("0");
  await form.getByTestId("workload-submit").click();
  await expect(form.getByText(/greater than or equal to 1|Too small/i)).toBeVisible();
  await form.getByLabel("Replicas", { exact: true }).fill("1");
  await form.getByTestId("workload-submit").click();

  await expect(page).toHaveURL(`/projects/${project.slug}/workloads/support-bot`);
  const status = page.getByTestId("workload-status").first();
  await expect(status).toHaveAttribute("data-status", "running", { timeout: 90_000 });
  await expect(page.getByTestId("workload-logs")).toContainText("meta-llama/Llama-3.1-8B-Instruct", { timeout: 20_000 });
  await expect(page.getByTestId("status-timeline")).toContainText("provisioning");
  await expect(page.getByTestId("workload-endpoint")).toHaveValue(new RegExp(`/endpoint/${project.slug}/support-bot/v1$`));

  await page.getByTestId("stop-workload").click();
  await page.getByTestId("confirm-workload-action").click();
  await expect(status).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
  await expect(page.getByTestId("start-workload")).toBeVisible();

  await page.getByTestId("delete-workload").click();
  await page.getByTestId("confirm-workload-action").click();
  await expect(page).toHaveURL(`/projects/${project.slug}/workloads`);
  await expect(page.locator('[data-testid="workload-row"][data-slug="support-bot"]')).toHaveCount(0, { timeout: 30_000 });
});
