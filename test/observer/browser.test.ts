/**
 * The observer page in a real browser: headless Chromium (Debian's `chromium`, which .ci/run
 * installs when it is missing) driven by playwright-core, against the example backend started as
 * `npm start` starts it, with the observer mounted at /observer.
 *
 * With OBSERVER_SCREENSHOTS=1 the test also writes the guide's screenshots to docs/guides/images/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { killBackends, root, startBackend, waitFor } from '../examples/backend_process.js';

const browsers: Browser[] = [];
afterEach(async () => {
  for (const b of browsers.splice(0)) await b.close();
  killBackends();
});

const screenshots = process.env['OBSERVER_SCREENSHOTS'] === '1';
const images = join(root, 'docs', 'guides', 'images');
async function shot(page: Page, name: string): Promise<void> {
  if (!screenshots) return;
  mkdirSync(images, { recursive: true });
  await page.screenshot({ path: join(images, `observer-${name}.png`) });
}

function chromiumPath(): string {
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
}

describe('the observer page in Chromium', () => {
  it('renders the tree, restarts a killed child, filters the table and traces a message', async () => {
    const backend = await startBackend();
    const url = String((await waitFor(backend, (r) => r['label'] === 'backend.observer', 'the observer URL'))['url']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/observer\/\?token=[0-9a-f]{32}$/);

    // A long job, so that the DynamicSupervisor has a child to show.
    expect((await fetch(`${backend.url}/jobs?work=60000`, { method: 'POST' })).status).toBe(202);

    const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
    browsers.push(browser);
    const page = await browser.newPage({ viewport: { width: 1200, height: 720 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url);

    // The tree renders, live.
    const kv = page.locator('li.node[data-id="kv"]');
    await kv.waitFor();
    await page.locator('li.node[data-id="jobs"] li.node').waitFor();
    await expect.poll(() => page.locator('#live').textContent()).toBe('live');
    expect(await page.locator('li.node').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-id')))).toEqual(
      expect.arrayContaining(['kv', 'rate_limiter', 'jobs', 'flaky', 'http']),
    );
    await shot(page, 'tree');

    // The kill button: the child is back with a new pid within a second.
    const before = await kv.getAttribute('data-pid');
    expect(before).toMatch(/^<\d+\.\d+\.\d+>$/);
    await kv.locator(':scope > .row button.kill').click();
    const clicked = Date.now();
    await expect.poll(() => kv.getAttribute('data-pid'), { timeout: 1000, interval: 20 }).not.toBe(before);
    await expect.poll(() => kv.getAttribute('data-pid'), { timeout: 1000, interval: 20 }).toMatch(/^<\d+\.\d+\.\d+>$/);
    expect(Date.now() - clicked).toBeLessThan(1000);
    const after = await kv.getAttribute('data-pid');
    expect(await kv.locator(':scope > .row .restarts').textContent()).toBe('restarts: 1');
    expect(await kv.locator(':scope > .row .last-exit').textContent()).toBe('last exit: killed');

    // The process table filters.
    await page.click('nav a[data-view="processes"]');
    await page.locator('#table tbody tr').first().waitFor();
    await page.fill('#filter', 'rate_limiter');
    await expect.poll(() => page.locator('#table tbody tr').count()).toBe(1);
    expect(await page.locator('#table tbody tr td').nth(1).textContent()).toBe('rate_limiter');
    await page.fill('#filter', '');
    await expect.poll(() => page.locator('#table tbody tr').count()).toBeGreaterThan(5);
    await shot(page, 'processes');

    // The trace shows a message sent to the process.
    await page.goto(`${url}#/process/${encodeURIComponent(after!)}`);
    await page.locator('#p-state').filter({ hasText: /\S/ }).waitFor();
    await page.click('#p-trace');
    await expect.poll(() => page.locator('#p-trace').getAttribute('data-on')).toBe('true');
    const put = await fetch(`${backend.url}/kv/traced-key`, { method: 'PUT', body: 'traced value' });
    expect(put.status).toBe(200);
    const line = page.locator('#p-log li', { hasText: 'traced-key' });
    await line.waitFor({ timeout: 5000 });
    expect(await line.textContent()).toMatch(/call \{\s+type: "put",\s+key: "traced-key"/);
    await shot(page, 'process');

    await page.click('nav a[data-view="timeline"]');
    await page.locator('#chart canvas').first().waitFor();
    await page.locator('#events li', { hasText: 'killed' }).first().waitFor();
    await shot(page, 'timeline');

    // Everything the page loaded came from the backend itself.
    const origin = new URL(url).origin;
    expect(requests.filter((r) => !r.startsWith(origin))).toEqual([]);
  }, 60_000);
});
