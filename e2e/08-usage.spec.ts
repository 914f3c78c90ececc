// After requests through the gateway, the usage charts, overview, billing and CSV show them.
import { ensureProject, expect, project, test } from "./fixtures";
import { TokensPage } from "./pages/tokens-page";

test("usage through the gateway shows up in charts, overview, billing and the CSV", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await ensureProject(page);
  const tokens = new TokensPage(page);
  await tokens.goto(project.slug);
  const secret = await tokens.create("e2e-usage", "data");
  await tokens.closeSecretDialog();

  await page.goto(`/projects/${project.slug}/workloads`);
  const demo = page.getByTestId("demo-workload");
  if (await demo.isVisible()) await demo.click();
  else await page.goto(`/projects/${project.slug}/workloads/demo-chat`);
  await expect(page.getByTestId("workload-status").first()).toHaveAttribute("data-status", "running", { timeout: 90_000 });

  let totalTokens = 0;
  for (let i = 0; i < 3; i++) {
    const res = await page.request.post(`/endpoint/${project.slug}/demo-chat/v1/chat/completions`, {
      headers: { authorization: `Bearer ${secret}` },
      data: { model: "meta-llama/Llama-3.1-8B-Instruct", messages: [{ role: "user", content: `hello number ${i}` }], max_tokens: 6 },
    });
    expect(res.status()).toBe(200);
    const body = await res.json();
    totalTokens += body.usage.prompt_tokens + body.usage.completion_tokens;
  }

  // Usage records are written in batches about once a second.
  await expect(async () => {
    await page.goto(`/projects/${project.slug}/usage?range=24h&group=workload`);
    const row = page.locator('[data-testid="top-row"][data-key="demo-chat"]');
    await expect(row.getByTestId("top-requests")).toHaveText("3", { timeout: 5_000 });
    await expect(row.getByTestId("top-tokens")).toHaveText(totalTokens.toLocaleString("en-US"));
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("requests-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("latency-chart")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("usage-page.png"), fullPage: true });
  await testInfo.attach("usage-page", { path: testInfo.outputPath("usage-page.png"), contentType: "image/png" });

  await page.getByTestId("group-token").click();
  await expect(page.locator('[data-testid="top-row"]').filter({ hasText: "e2e-usage" }).getByTestId("top-requests")).toHaveText("3");

  await page.goto(`/projects/${project.slug}`);
  await expect(page.getByTestId("overview-requests")).toHaveText("3");
  await page.goto(`/projects/${project.slug}/billing`);
  await expect(page.locator('[data-testid="billing-row"][data-workload="demo-chat"]')).toContainText("3");

  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  const csv = await page.request.get(`/api/projects/${project.slug}/usage.csv?from=${from}&to=${to}&group_by=day`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toBe("bucket_start,workload,token,requests,errors,prompt_tokens,completion_tokens,cost_usd");
  const ours = lines.filter((l) => l.includes(",demo-chat,") && l.includes("e2e-usage"));
  expect(ours.reduce((s, l) => s + Number(l.split(",")[3]), 0)).toBe(3);
  const anonymous = await page.request.fetch(`/api/projects/${project.slug}/usage.csv?from=${from}&to=${to}`, { headers: { cookie: "" } });
  expect([401, 404]).toContain(anonymous.status());
});
