/**
 * GraphiQL works offline: headless Chromium (Debian's chromium via playwright-core) loads GET /graphql with every
 * request to a host other than the gateway blocked, runs a query, and the result appears in the page.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, stopGateways, type TestGateway } from '../support/gateway.ts';
import { writeWeblogs } from '../support/weblogs-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
let lake: string;
let gw: TestGateway;
let browser: Browser | undefined;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-graphiql-'));
  await writeWeblogs(join(lake, 'weblogs'));
  gw = await startGateway({ LAKE_ROOT: lake });
});

afterAll(async () => {
  await browser?.close();
  await stopGateways();
  await rm(lake, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM))('GraphiQL', () => {
  it('loads with the network blocked, runs a query and shows the result', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(gw.url) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const query = '{ weblogs(where: { id: { eq: 5 } }) { edges { node { message } } } }';
    await page.goto(`${gw.url}/graphql?query=${encodeURIComponent(query)}`, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(async () => page.locator('.graphiql-response').innerText(), { timeout: 20_000 }).toContain('unavailable');
    expect(outside).toEqual([]);
  });
});
