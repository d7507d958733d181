import { describeViolations, seriousViolations } from './axe.ts';
import { expect, signIn, test } from './harness.ts';
import { CLUSTER, setUpIssuedByApi } from './flows.ts';

test.use({ bypassCSP: true });
test('probe', async ({ page, server, fleet }) => {
  await setUpIssuedByApi(server, fleet);
  await page.goto(`${server.url}/sign-in`);
  await page.waitForLoadState('networkidle');
  console.log('== sign-in\n' + describeViolations(await seriousViolations(page)));
  await signIn(page, server);
  for (const url of ['/', `/clusters/${CLUSTER}`, `/clusters/${CLUSTER}/certificates`, `/clusters/${CLUSTER}/certificates/kubernetes`, `/clusters/${CLUSTER}/nodes`, `/clusters/${CLUSTER}/nodes/worker1`, '/audit', `/clusters/${CLUSTER}/jobs`, `/clusters/${CLUSTER}/talks`]) {
    await page.goto(`${server.url}${url}`);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    console.log(`== ${url} title=${await page.title()} h1=${await page.locator('h1').count()}\n` + describeViolations(await seriousViolations(page)));
  }
  await page.goto(`${server.url}/clusters/${CLUSTER}`);
  await page.getByTestId('review-again').click();
  await page.getByTestId('issue-certificates').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.waitForTimeout(500);
  console.log('== dialog\n' + describeViolations(await seriousViolations(page)));
});
