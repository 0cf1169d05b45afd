/**
 * n8n's editor in headless Chromium: Debian's chromium driven by the playwright-core that n8n ships
 * (so no browser is downloaded), logged in through the REST API. Selectors are the editor's own
 * `data-test-id`s.
 */
import { existsSync } from 'node:fs';

import type { N8nInstance, Owner } from './n8n';

const CHROMIUM = '/usr/bin/chromium';

/* eslint-disable @typescript-eslint/no-explicit-any -- playwright-core's types live in n8n's install, outside this project */
export type Page = any;
type Browser = any;

export class Editor {
	private constructor(
		private readonly browser: Browser,
		readonly page: Page,
		readonly url: string,
	) {}

	static async open(n8n: N8nInstance, owner: Owner): Promise<Editor> {
		if (!existsSync(CHROMIUM)) throw new Error('Debian chromium is not installed (provision.sh installs it as root)');
		const url = await n8n.startServer(owner);
		const { chromium } = require(require.resolve('playwright-core', { paths: [n8n.provisioned.n8nDir] }));
		const browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		try {
			const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
			const login = await page.context().request.post(`${url}/rest/login`, { data: { emailOrLdapLoginId: owner.email, password: owner.password } });
			if (login.status() !== 200) throw new Error(`editor login failed: ${login.status()}`);
			return new Editor(browser, page, url);
		} catch (error) {
			await browser.close();
			throw error;
		}
	}

	async close() {
		await this.browser.close();
	}

	/** A saved workflow on the canvas, every node drawn. */
	async openWorkflow(id: string) {
		await this.page.goto(`${this.url}/workflow/${id}`);
		await this.page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
		await this.page.waitForLoadState('networkidle');
	}

	/** A node's panel (double-click on the canvas), once its parameters are shown. */
	async openNode(name: string) {
		await this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
		await this.page.waitForSelector('[data-test-id="node-parameters"] [data-test-id="parameter-item"]', { timeout: 30_000 });
	}

	/** The parameter whose label is exactly `label`, in the open node's panel. */
	parameter(label: string) {
		return this.page.locator('[data-test-id="node-parameters"] [data-test-id="parameter-item"]').filter({ has: this.page.getByText(label, { exact: true }) });
	}

	/** The texts of the visible entries of an open dropdown. */
	async visibleTexts(selector: string): Promise<string[]> {
		return (await this.page.locator(`${selector}:visible`).allInnerTexts()).map((text: string) => text.trim());
	}

	/**
	 * Opens a resource locator's list (From List), types a search and waits until the list shows
	 * exactly `expected`, the entries the local server holds for that search.
	 */
	async pick(field: string, search: string, expected: string[]): Promise<string[]> {
		await this.page.locator(`[data-test-id="resource-locator-${field}"] [data-test-id="rlc-input"]`).click();
		await this.page.locator('[data-test-id="rlc-search"]').click();
		await this.page.keyboard.type(search);
		const want = [...expected].sort();
		// The list first shows every entry, then the search's answer.
		const deadline = Date.now() + 30_000;
		for (;;) {
			const shown = await this.visibleTexts('[data-test-id="rlc-item"]');
			if (JSON.stringify([...shown].sort()) === JSON.stringify(want) || Date.now() > deadline) return shown;
			await this.page.waitForTimeout(250);
		}
	}

	/**
	 * What the node panel of a new workflow (Add first step) lists for a search: each entry's node
	 * type and the name shown, in the panel's order.
	 */
	async searchNodePanel(term: string): Promise<{ type: string; name: string }[]> {
		await this.page.goto(`${this.url}/workflow/new`);
		await this.page.locator('[data-test-id="canvas-add-button"]').click();
		await this.page.locator('[data-test-id="node-creator-search-bar"]').click();
		await this.page.keyboard.type(term);
		const read = async () =>
			(await this.page.$$eval('[data-test-id="node-creator"] [data-test-id="item-iterator-item"][data-keyboard-nav-type="node"]', (items: any[]) =>
				items.map((item) => ({
					// "<type>-<uuid>": the uuid tells entries of one type apart.
					type: String(item.getAttribute('data-keyboard-nav-id')).replace(/-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, ''),
					name: String(item.querySelector('[data-test-id="node-creator-item-name"]')?.textContent ?? '').trim(),
				})),
			)) as { type: string; name: string }[];
		// The search answers after a debounce: read until two reads a moment apart agree.
		let last = '';
		for (const deadline = Date.now() + 30_000; ; ) {
			const entries = await read();
			const now = JSON.stringify(entries);
			if ((entries.length > 0 && now === last) || Date.now() > deadline) return entries;
			last = now;
			await this.page.waitForTimeout(750);
		}
	}

	/** The open node's parameter panel with its open list, cut out of the page. */
	async screenshotParameters(file: string) {
		const box = async (selector: string) => await this.page.locator(selector).last().boundingBox();
		const ndv = await box('[data-test-id="ndv"]');
		const tabs = await box('[data-test-id="tab-params"]');
		const panel = await box('[data-test-id="node-parameters"]');
		const items = await box('[data-test-id="rlc-item"]:visible');
		const top = tabs.y - 12;
		const bottom = Math.min(ndv.y + ndv.height, Math.max(items ? items.y + items.height : 0, top + 300) + 16);
		await this.page.screenshot({ path: file, clip: { x: panel.x - 12, y: top, width: panel.width + 24, height: bottom - top } });
	}
}
