// flow.test.mjs: the buyer's refund flow in a real browser, on a phone, and
// the staff decision (yuan, preview, confirm) on a desktop and a phone.
//
// Debian's Chromium (/usr/bin/chromium), driven by playwright-core, at a phone
// viewport in a Chinese locale: open a signed hand-off link, read why each
// refund type is or is not possible, submit an invalid form and see one
// message per field, upload a PNG, submit, read the status page and its
// timeline, cancel. A full-page screenshot of every step goes to
// $RD_BROWSER_OUT (default tests/out/browser). Any console error, page error,
// failed sub-resource, Content Security Policy violation or sideways
// scrolling fails the test.
//
// The stack comes from the environment (RD_URL, RD_API_SECRET), as
// `scripts/stack up DIR` prints it; the test seeds its own order through the
// signed storefront API (CONTRACT.md §5), so it can run against any stack.
//
//   RD_URL=... RD_API_SECRET=... node --test --test-reporter=tap flow.test.mjs
//   (tests/browser/run.sh does this, installing playwright-core when missing)

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(process.env.RD_BROWSER_OUT ||
    path.join(here, '..', 'out', 'browser'));
const CHROMIUM = process.env.RD_CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT = 15_000;

// The flags the machine notes ask for: without the background-networking
// ones Chromium keeps dialling Google and floods the closed network with
// refused connections.
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'];

// A mid-range Android phone: what most buyers of game cards hold.
const PHONE = {
	viewport: { width: 390, height: 844 },
	deviceScaleFactor: 2,
	isMobile: true,
	hasTouch: true,
	locale: 'zh-CN',
	timezoneId: 'Asia/Shanghai',
	userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 ' +
	    '(KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
};

const GOOD_REASON = '卡密显示无效，充值时提示卡号或密码错误，无法使用。';

// ---------------------------------------------------------------- stack

function env(name) {
	const v = process.env[name];
	if (!v)
		throw new Error(`${name} is not set: run under scripts/test, or ` +
		    'export the lines `scripts/stack up DIR` prints');
	return v;
}

const nowUnix = () => Math.floor(Date.now() / 1000);
const hmacHex = (secret, msg) =>
    crypto.createHmac('sha256', secret).update(msg).digest('hex');

// A name no other test or earlier run uses: [A-Za-z0-9], well under 32.
function unique(prefix) {
	return prefix + Date.now().toString(36) +
	    crypto.randomBytes(3).toString('hex');
}

// One storefront API call, signed per CONTRACT.md §5.
async function api(method, apiPath, obj) {
	const secret = env('RD_API_SECRET');
	const body = obj === undefined ? '' : JSON.stringify(obj);
	const ts = String(nowUnix());
	const bodyHash = crypto.createHash('sha256').update(body).digest('hex');
	const sig = hmacHex(secret, `${method}\n${apiPath}\n${ts}\n${bodyHash}`);
	const resp = await fetch(env('RD_URL') + apiPath, {
		method,
		headers: {
			'Content-Type': 'application/json',
			'X-RD-Timestamp': ts,
			'X-RD-Signature': sig,
		},
		body: body === '' ? undefined : body,
		redirect: 'manual',
	});
	const text = await resp.text();
	if (resp.status !== 200 && resp.status !== 201)
		throw new Error(`${method} ${apiPath}: HTTP ${resp.status}: ${text.slice(0, 300)}`);
	return text;
}

// A game card delivered as a card key whose key the buyer has looked at: a
// used good, so only defect claims (invalid_item, with evidence, reviewed by
// customer service) remain open, and the request stays open to be cancelled.
async function seedUsedCard(merchant = 'm-browser') {
	const no = unique('BR');
	const order = {
		order_no: no,
		buyer_id: unique('BB'),
		merchant_id: merchant,
		category: 'game_card',
		title: '测试点卡 100 元（浏览器测试）',
		amount: 10000,
		currency: 'CNY',
		pay_channel: 'alipay',
		paid_at: nowUnix() - 600,
		contact: `${no.toLowerCase()}@example.com`,
		lookup_code: 'LC' + crypto.randomBytes(8).toString('hex'),
	};
	await api('POST', '/api/v1/orders', order);
	await api('POST', `/api/v1/orders/${no}/delivery`,
	    { state: 'delivered', kind: 'card_key', at: nowUnix() });
	await api('POST', `/api/v1/orders/${no}/usage`,
	    { key_revealed_at: nowUnix() });
	return order;
}

// The storefront hand-off link of CONTRACT.md §3, signed here.
function startLink(order) {
	const ts = nowUnix();
	const q = `order=${encodeURIComponent(order.order_no)}` +
	    `&buyer=${encodeURIComponent(order.buyer_id)}&ts=${ts}`;
	return `/refund/start?${q}&sig=${hmacHex(env('RD_API_SECRET'), q)}`;
}

// ---------------------------------------------------------------- PNG

// A real 24-bit PNG (a small gradient), built here so the test needs no
// fixture files; the server checks evidence by its magic bytes and structure.
// noise: random pixels (they barely compress: a file of about w*h*3 bytes).
function makePng(w = 32, h = 32, noise = false) {
	const crcTable = new Uint32Array(256).map((_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc32 = (buf) => {
		let c = 0xffffffff;
		for (const b of buf)
			c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (kind, data) => {
		const len = Buffer.alloc(4);
		len.writeUInt32BE(data.length);
		const kd = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(kd));
		return Buffer.concat([len, kd, crc]);
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr.set([8, 2, 0, 0, 0], 8);	// 8 bits, truecolour, no interlace
	const raw = Buffer.alloc(h * (1 + w * 3));
	for (let y = 0; y < h; y++) {
		const row = y * (1 + w * 3);
		raw[row] = 0;			// filter: none
		if (noise)
			raw.set(crypto.randomBytes(w * 3), row + 1);
		else
			for (let x = 0; x < w; x++)
				raw.set([x * 8, y * 8, 160], row + 1 + x * 3);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', zlib.deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

// ---------------------------------------------------------------- watching

// Records CSP violations in the page (window.__rdCsp) and reports each at
// once through a binding, so one seen just before a navigation is not lost.
// Init scripts run through the DevTools protocol, which the page's CSP
// (script-src 'self') does not govern.
const CSP_SCRIPT = `(() => {
	window.__rdCsp = [];
	document.addEventListener('securitypolicyviolation', (e) => {
		const v = { directive: e.violatedDirective, blocked: e.blockedURI,
		    source: e.sourceFile, line: e.lineNumber, sample: e.sample };
		window.__rdCsp.push(v);
		if (typeof window.__rdReportCsp === 'function')
			window.__rdReportCsp(v);
	}, true);
})();`;

// Watches one browser context: console errors, page errors, CSP violations,
// failed requests and error responses. expect() lets a step declare the one
// error status it causes on purpose (the 422 of an invalid form).
async function watch(context) {
	const problems = [];
	const expected = [];
	const expectedLog = [];
	const notes = [];
	await context.exposeBinding('__rdReportCsp', (src, v) => {
		problems.push(`CSP violation on ${src.page?.url()}: ${JSON.stringify(v)}`);
	});
	await context.addInitScript(CSP_SCRIPT);
	context.on('page', (page) => attach(page));
	for (const page of context.pages())
		attach(page);

	// Chromium logs "Failed to load resource: ... status of 422" for a
	// document too: the one a step asked for is not a fault.
	function expectedConsole(m) {
		const st = /^Failed to load resource: the server responded with a status of (\d+)/
		    .exec(m.text());
		if (!st || !m.location()?.url)
			return false;
		const p = new URL(m.location().url).pathname;
		const i = expectedLog.findIndex((e) => e.path === p && e.status === Number(st[1]));
		if (i < 0)
			return false;
		expectedLog.splice(i, 1);
		return true;
	}

	// Chromium fetches /favicon.ico by itself, once per browser, at a
	// moment of its own choosing: a 404 there is no fault of the page and
	// would make the test flaky, so it is noted, not failed.
	function faviconMiss(m) {
		const u = m.location()?.url;
		return /^Failed to load resource: the server responded with a status of 404/
		    .test(m.text()) && !!u && new URL(u).pathname === '/favicon.ico';
	}

	function attach(page) {
		page.on('console', (m) => {
			const text = m.text();
			if (m.type() === 'error' && expectedConsole(m))
				return;
			if (m.type() === 'error' && faviconMiss(m)) {
				notes.push(`/favicon.ico: ${text} (the browser's own request; tolerated)`);
				return;
			}
			if (m.type() === 'error')
				problems.push(`console error on ${page.url()}: ${text}`);
			else if (/Content[- ]Security[- ]Policy/i.test(text))
				problems.push(`CSP console ${m.type()} on ${page.url()}: ${text}`);
		});
		page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
		page.on('requestfailed', (r) => {
			problems.push(`request failed: ${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
		});
		page.on('response', (r) => {
			if (r.status() < 400)
				return;
			const i = expected.findIndex((e) => e.method === r.request().method() &&
			    new URL(r.url()).pathname === e.path && e.status === r.status());
			if (i >= 0)
				expected.splice(i, 1);
			else
				problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
		});
	}

	return {
		problems,
		notes,
		expect(method, p, status) {
			expected.push({ method, path: p, status });
			expectedLog.push({ path: p, status });
		},
		// Fails when anything went wrong so far, naming the step.
		async check(page, step) {
			const inPage = await page.evaluate(() => window.__rdCsp || null);
			assert.ok(Array.isArray(inPage),
			    'the CSP recorder is not installed in the page');
			const all = problems.concat(inPage.map((v) =>
			    `CSP violation (recorded in page): ${JSON.stringify(v)}`));
			assert.deepEqual(all, [], `after "${step}": console errors, ` +
			    'page errors, failed requests or CSP violations');
		},
	};
}

// ---------------------------------------------------------------- steps

let browser;
let shotNo = 0;

async function shot(page, name) {
	shotNo++;
	const file = path.join(OUT, `${String(shotNo).padStart(2, '0')}-${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

// How many CSS pixels the page is wider than the screen (> 0: it scrolls
// sideways, the classic phone layout fault).
// Measured against the phone's width, not innerWidth: with isMobile,
// Chromium zooms out to fit wide content, and innerWidth grows with it.
const overflow = (page) => page.evaluate((w) =>
    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - w,
    PHONE.viewport.width);

before(async () => {
	fs.mkdirSync(OUT, { recursive: true });
	// Only our own numbered screenshots: the folder may be shared.
	for (const f of fs.readdirSync(OUT))
		if (/^\d\d-[a-z0-9-]+\.png$/.test(f))
			fs.rmSync(path.join(OUT, f));
	assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: ` +
	    'apt-get install -y chromium fonts-noto-cjk');
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: LAUNCH_ARGS,
	});
});

after(async () => {
	await browser?.close();
});

test('the CSP watcher sees a violation (self-check)', { timeout: 60_000 }, async (t) => {
	const context = await browser.newContext(PHONE);
	try {
		const w = await watch(context);
		const page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT);
		await page.goto(env('RD_URL') + '/refund/lookup');
		await w.check(page, 'open /refund/lookup');
		// img-src is 'self' data: only; another origin must be refused
		// before any connection is made.
		await page.evaluate(() => {
			const img = document.createElement('img');
			img.src = 'http://127.0.0.2:9/csp-probe.png';
			document.body.append(img);
		});
		await page.waitForFunction(() => window.__rdCsp.length > 0);
		await page.waitForTimeout(300);
		for (const n of w.notes)
			t.diagnostic(n);
		const joined = w.problems.join('\n');
		assert.match(joined, /CSP violation on .*img-src/,
		    'the securitypolicyviolation binding did not report');
		assert.match(joined, /Content Security Policy/,
		    'no console message about the Content Security Policy');
	} finally {
		await context.close();
	}
});

test('buyer refund flow on a phone', { timeout: 180_000 }, async (t) => {
	const order = await seedUsedCard();
	const base = env('RD_URL');
	const context = await browser.newContext(PHONE);
	t.after(() => context.close());
	const w = await watch(context);
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	page.setDefaultNavigationTimeout(STEP_TIMEOUT);
	const timings = [];
	let refundPath = null;
	let failed = false;

	// A step is a subtest; once one fails the rest are skipped, not
	// failed again for the same cause.
	async function step(name, fn) {
		await t.test(name, async (st) => {
			if (failed) {
				st.skip('an earlier step failed');
				return;
			}
			const t0 = performance.now();
			try {
				await fn();
				await w.check(page, name);
				// A phone page must never scroll sideways.
				const over = await overflow(page);
				assert.ok(over <= 0, `after "${name}": the page is ` +
				    `${over}px wider than the ${PHONE.viewport.width}px screen`);
			} catch (e) {
				failed = true;
				await shot(page, 'failed').catch(() => {});
				throw e;
			} finally {
				timings.push(`${name} ${Math.round(performance.now() - t0)} ms`);
			}
		});
	}

	const typeInput = (code) => page.locator(`input[type=radio][name=type][value=${code}]`);
	const typeItem = (code) => page.locator('li', { has: typeInput(code) });

	await step('open the signed hand-off link', async () => {
		const resp = await page.goto(base + startLink(order));
		assert.equal(resp.status(), 200);
		const u = new URL(page.url());
		assert.equal(u.pathname, '/refund/new');
		assert.equal(u.searchParams.get('order'), order.order_no);
		assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
		await shot(page, 'form');
	});

	await step('read the eligibility of each type and choose invalid_item', async () => {
		// The one open path for used goods, explained in words.
		const why = typeItem('invalid_item').locator('.why');
		await why.waitFor({ state: 'visible' });
		const text = (await why.innerText()).trim();
		assert.ok(text.length >= 10, `invalid_item explanation too short: "${text}"`);
		assert.match(text, /凭证|截图/, 'invalid_item should ask for evidence');
		assert.equal(await typeInput('invalid_item').isEnabled(), true);
		// Used goods: no "not delivered", no change of mind, each with why.
		for (const code of ['not_delivered', 'changed_mind']) {
			assert.equal(await typeInput(code).isDisabled(), true,
			    `${code} should be disabled for a revealed card key`);
			assert.notEqual(await typeInput(code).getAttribute('disabled'), null);
			const reason = (await typeItem(code).locator('.why').innerText()).trim();
			assert.ok(reason.length > 0, `${code} gives no reason`);
		}
		await typeInput('invalid_item').check();
		await shot(page, 'eligibility');
	});

	await step('submit an invalid form and see the per-field messages', async () => {
		await page.locator('textarea#reason').fill('太短了');
		w.expect('POST', '/refund/new', 422);
		const [resp] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST' &&
			    new URL(r.url()).pathname === '/refund/new'),
			page.locator('form[action="/refund/new"] button[type=submit]').click(),
		]);
		assert.equal(resp.status(), 422);
		await page.waitForLoadState('load');
		await page.locator('#err-reason').waitFor({ state: 'visible' });
		await page.locator('#err-evidence').waitFor({ state: 'visible' });
		assert.match(await page.locator('#err-reason').innerText(), /\S/);
		assert.match(await page.locator('#err-evidence').innerText(), /\S/);
		// The buyer's input survives the re-render.
		assert.equal(await page.locator('textarea#reason').inputValue(), '太短了');
		assert.equal(await typeInput('invalid_item').isChecked(), true,
		    'the chosen refund type was not kept');
		await shot(page, 'invalid-form');
	});

	await step('fill a valid reason and upload a PNG', async () => {
		await page.locator('textarea#reason').fill(GOOD_REASON);
		await page.locator('input[type=file]#evidence').setInputFiles({
			name: 'screenshot.png', mimeType: 'image/png', buffer: makePng(),
		});
		const names = await page.locator('#evidence').evaluate((el) =>
		    Array.from(el.files, (f) => f.name));
		assert.deepEqual(names, ['screenshot.png']);
		await shot(page, 'filled');
	});

	await step('submit and reach the status page', async () => {
		await Promise.all([
			page.waitForURL(/\/refund\/[A-Za-z0-9]{22}\?done=submitted$/),
			page.locator('form[action="/refund/new"] button[type=submit]').click(),
		]);
		refundPath = new URL(page.url()).pathname;
		// i10-buyer: the success banner and the next step with its named deadline.
		assert.match(await page.locator('#done').innerText(), /已提交/);
		assert.match(await page.locator('#next-step').innerText(), /审核时限[\s\S]*还剩/);
		await page.waitForLoadState('load');
		const state = page.locator('[data-state]').first();
		assert.equal(await state.getAttribute('data-state'), 'cs_review');
		assert.ok(await state.isVisible(), 'the state is not visible');
		const items = page.locator('ol.timeline > li');
		const n = await items.count();
		assert.ok(n >= 2, `timeline has ${n} item(s), expected at least 2`);
		await items.first().waitFor({ state: 'visible' });
		for (let i = 0; i < n; i++)
			assert.match(await items.nth(i).innerText(), /\S/, `timeline item ${i} is empty`);
		await shot(page, 'status');
	});

	await step('cancel the request', async () => {
		const button = page.locator(`form[action="${refundPath}/cancel"] button`,
		    { hasText: '撤销退款申请' });
		await button.waitFor({ state: 'visible' });
		await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST' &&
			    new URL(r.url()).pathname === `${refundPath}/cancel`),
			button.click(),
		]);
		await page.waitForLoadState('load');
		// i10-buyer: a second page asks first; nothing is cancelled yet.
		await page.locator('#confirm[data-action="cancel"]').waitFor({ state: 'visible' });
		assert.equal(new URL(page.url()).pathname, `${refundPath}/cancel`);
		await shot(page, 'cancel-confirm');
		await Promise.all([
			page.waitForURL(/\?done=cancelled$/),
			page.locator('#confirm-go').click(),
		]);
		assert.equal(new URL(page.url()).pathname, refundPath,
		    'cancel did not lead back to the status page');
		assert.match(await page.locator('#done').innerText(), /已撤销/);
		await page.locator('[data-state="cancelled"]').first().waitFor({ state: 'visible' });
		assert.equal(await page.locator(`form[action="${refundPath}/cancel"]`).count(), 0,
		    'a cancelled request still offers to cancel');
		await shot(page, 'cancelled');
	});

	t.diagnostic(`order ${order.order_no}, refund ${refundPath}`);
	t.diagnostic(`step timings: ${timings.join('; ')}`);
	for (const n of w.notes)
		t.diagnostic(n);
	t.diagnostic(`screenshots: ${OUT}`);
});

// ---------------------------------------------------------------- staff decision (issue 10)

// A staff account made with the binary itself (`refund-desk staff add`),
// as the integration tests do: RD_BIN and RD_CONFIG as scripts/stack prints.
function addStaff(role) {
	const login = unique('br').toLowerCase();
	const password = 'pw-' + crypto.randomBytes(12).toString('hex');
	execFileSync(env('RD_BIN'), ['--config', env('RD_CONFIG'), 'staff', 'add', '--role', role,
	    '--login', login], { input: password + '\n' });
	return { login, password };
}

// A buyer's invalid_item claim (in cs_review) filed through the form.
async function fileClaim(context, order) {
	const page = await context.newPage();
	await page.goto(env('RD_URL') + startLink(order));
	await page.locator('input[type=radio][name=type][value=invalid_item]').check();
	await page.locator('textarea#reason').fill(GOOD_REASON);
	await page.locator('input[type=file]#evidence').setInputFiles({
		name: 'screenshot.png', mimeType: 'image/png', buffer: makePng(),
	});
	await Promise.all([
		page.waitForURL(/\/refund\/[A-Za-z0-9]{22}\?done=submitted$/),
		page.locator('form[action="/refund/new"] button[type=submit]').click(),
	]);
	const id = new URL(page.url()).pathname.split('/').pop();
	await page.close();
	return id;
}

// A claim filed by a buyer on a phone for order, and a new cs account
// signed in, in a fresh watched context of opts, on its request page. The
// caller closes the context.
async function deskOnClaim(opts, order) {
	const base = env('RD_URL');
	const staff = addStaff('cs');
	const buyerContext = await browser.newContext(PHONE);
	const rid = await fileClaim(buyerContext, order);
	await buyerContext.close();
	const context = await browser.newContext(opts);
	const w = await watch(context);
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	await page.goto(base + '/desk/login');
	await page.locator('#login').fill(staff.login);
	await page.locator('#password').fill(staff.password);
	await Promise.all([page.waitForURL(/\/desk$/), page.locator('button[type=submit]').click()]);
	await page.goto(`${base}/desk/refund/${rid}`);
	return { context, w, page, rid };
}

// Sends the decision form; status: the answer it must get.
async function submitDecision(page, rid, status) {
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' &&
		    new URL(r.url()).pathname === `/desk/refund/${rid}/decision`),
		page.locator('#decision button[type=submit]').click(),
	]);
	assert.equal(resp.status(), status);
	await page.waitForLoadState('load');
}

for (const [device, opts] of [['desktop', { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' }],
    ['phone', PHONE]]) {
	test(`staff decision in yuan: preview, then confirm (${device})`, { timeout: 120_000 }, async () => {
		const { context, w, page, rid } = await deskOnClaim(opts, await seedUsedCard());
		try {
			await w.check(page, 'the request page');
			// An agent types 70.505: a field error, the values kept.
			await page.locator('input[name=action][value=approve]').check();
			await page.locator('input[name=amount_choice][value=custom]').check();
			await page.locator('#amount').fill('70.505');
			await page.locator('#internal_note').fill('内部：买家历史正常');
			w.expect('POST', `/desk/refund/${rid}/decision`, 422);
			await submitDecision(page, rid, 422);
			await page.locator('#err-amount').waitFor({ state: 'visible' });
			assert.match(await page.locator('#err-amount').innerText(), /两位小数/);
			assert.equal(await page.locator('#amount').inputValue(), '70.505');
			assert.equal(await page.locator('#internal_note').inputValue(), '内部：买家历史正常');
			await w.check(page, 'a refused amount');
			await shot(page, `desk-${device}-refused`);
			// ¥70: the preview says where the money goes; nothing has moved.
			await page.locator('#amount').fill('¥70');
			await submitDecision(page, rid, 200);
			await page.locator('#preview').waitFor({ state: 'visible' });
			assert.equal((await page.locator('#pv-buyer').innerText()).trim(), '¥70.00');
			assert.equal((await page.locator('#pv-merchant').innerText()).trim(), '¥30.00');
			assert.match(await page.locator('#pv-via').innerText(), /原路退回/);
			await w.check(page, 'the preview');
			await shot(page, `desk-${device}-preview`);
			// Confirm (next request unticked): back on the request page, refunding ¥70.00.
			await page.locator('#next').uncheck();
			await Promise.all([page.waitForURL(new RegExp(`/desk/refund/${rid}$`)),
			    page.locator('#confirm').click()]);
			await page.locator('[data-state="refunding"]').first().waitFor({ state: 'visible' });
			assert.match(await page.locator('body').innerText(), /¥70\.00/);
			assert.match(await page.locator('#internal-notes').innerText(), /买家历史正常/);
			await w.check(page, 'the confirmed decision');
			if (device === 'phone') {
				const over = await overflow(page);
				assert.ok(over <= 0, `the desk page is ${over}px wider than the phone`);
			}
			await shot(page, `desk-${device}-confirmed`);
		} finally {
			await context.close();
		}
	});
}

// ---------------------------------------------------------------- staff request page (issue 10)

// The request page an agent works from, on a phone and a desktop: the
// heading names the order, the screenshot shows inline, nothing scrolls
// sideways, the tap targets are big, and the decision goes by keyboard:
// R chooses 驳回 and puts the cursor in the note (phone), A chooses 同意退款
// (desktop), Ctrl+Enter previews, Y confirms (static/desk.js; the page works
// without it).
for (const [device, opts] of [['phone', PHONE],
    ['desktop', { viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }]]) {
	test(`staff request page and its shortcuts (${device})`, { timeout: 120_000 }, async () => {
		const order = await seedUsedCard();
		const { context, w, page, rid } = await deskOnClaim(opts, order);
		try {
			await page.waitForLoadState('load');
			assert.match(await page.locator('h1#title').innerText(), new RegExp(order.order_no));
			// The thumbnail is the evidence itself, loaded through the staff route.
			const thumb = page.locator('#evidence a.thumb img');
			await thumb.scrollIntoViewIfNeeded();
			await page.waitForFunction(() => {
				const i = document.querySelector('#evidence a.thumb img');
				return i && i.complete && i.naturalWidth > 0;
			});
			const box = await thumb.boundingBox();
			assert.ok(box.width >= 100, `the thumbnail is ${box.width}px wide`);
			assert.match(await page.locator('#risk').innerText(), /24 小时内退款 0 次/);
			const over = await page.evaluate((vw) =>
			    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - vw,
			    opts.viewport.width);
			assert.ok(over <= 0, `${device}: the request page scrolls sideways by ${over}px`);
			// Big tap targets: each decision choice and the button at least 44 px high.
			for (const el of await page.locator('#decision label.act, #decision button[type=submit]').all()) {
				const b = await el.boundingBox();
				assert.ok(b.height >= 44, `${device}: a decision target is ${b.height}px high`);
			}
			assert.ok(await page.locator('#key-help').isVisible(), 'the shortcuts are shown with JavaScript on');
			await w.check(page, `${device} request page`);
			await shot(page, `desk-page-${device}`);
			await page.locator('h1#title').click();
			if (device === 'phone') {
				// R: 驳回 chosen, the cursor in the note to the buyer.
				await page.keyboard.press('r');
				assert.equal(await page.locator('input[name=action][value=reject]').isChecked(), true);
				assert.equal(await page.evaluate(() => document.activeElement.id), 'note');
				await page.keyboard.type('凭证显示卡密已成功兑换。');
			} else {
				// A: 同意退款 at the amount the quick choice proposes.
				await page.keyboard.press('a');
				assert.equal(await page.locator('input[name=action][value=approve]').isChecked(), true);
			}
			// Ctrl+Enter (from inside the note too): the preview, nothing done yet.
			const [pv] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST' &&
				    new URL(r.url()).pathname === `/desk/refund/${rid}/decision`),
				page.keyboard.press('Control+Enter'),
			]);
			assert.equal(pv.status(), 200);
			await page.locator('#preview').waitFor({ state: 'visible' });
			assert.match(await page.locator('#preview').innerText(), device === 'phone' ? /驳回/ : /同意退款/);
			await w.check(page, `${device} preview by keyboard`);
			// Y confirms (next request unticked): back on the request page, decided.
			await page.locator('#next').uncheck();
			await Promise.all([page.waitForURL(new RegExp(`/desk/refund/${rid}$`)), page.keyboard.press('y')]);
			await page.locator(device === 'phone' ? '[data-state="rejected"]' : '[data-state="refunding"]')
			    .first().waitFor({ state: 'visible' });
			await w.check(page, `${device} confirmed by keyboard`);
			await shot(page, `desk-page-${device}-decided`);
		} finally {
			await context.close();
		}
	});
}

// ---------------------------------------------------------------- contrast

// WCAG AA for text: every visible element holding text of its own (or those
// of selector) against the background it is drawn on (the nearest ancestor
// with an opaque background; a translucent colour blended onto it), at
// least 4.5:1, read from the computed colours. Fails naming the worst few.
async function assertContrast(page, step, selector = null) {
	const bad = await page.evaluate((sel) => {
		const rgba = (c) => {
			const m = c.match(/[\d.]+/g) || ['0', '0', '0', '0'];
			return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1];
		};
		const lum = ([r, g, b]) => {
			const f = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
			return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
		};
		const blend = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3]));
		// The colour under el: opaque ancestors' backgrounds, innermost last.
		const under = (el) => {
			const layers = [];
			for (let e = el; e; e = e.parentElement) {
				const c = rgba(getComputedStyle(e).backgroundColor);
				if (c[3] > 0)
					layers.push(c);
				if (c[3] >= 1)
					break;
			}
			let bg = [255, 255, 255];
			for (const c of layers.reverse())
				bg = blend(c, bg);
			return bg;
		};
		const own = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
		const els = sel ? document.querySelectorAll(sel) : [...document.body.querySelectorAll('*')].filter(own);
		const out = [];
		for (const el of els) {
			const cs = getComputedStyle(el);
			const box = el.getBoundingClientRect();
			if (cs.visibility !== 'visible' || box.width === 0 || box.height === 0 || el.closest('[hidden]'))
				continue;
			const bg = under(el);
			const fg = blend(rgba(el instanceof SVGElement ? cs.fill : cs.color), bg);
			const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
			const ratio = (a + 0.05) / (b + 0.05);
			if (ratio < 4.5)
				out.push({ ratio: Math.round(ratio * 100) / 100, tag: el.tagName.toLowerCase(),
				    cls: el.getAttribute('class'), text: el.textContent.trim().slice(0, 30),
				    fg: fg.map(Math.round).join(','), bg: bg.map(Math.round).join(',') });
		}
		return out.sort((x, y) => x.ratio - y.ratio);
	}, selector);
	assert.deepEqual(bad.slice(0, 5), [], `${step}: text under 4.5:1 contrast (${bad.length} elements)`);
}

// ---------------------------------------------------------------- staff queue

// A desktop of the kind agents work at.
const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

// An admin account (the binary's `staff add`, as the stack's config says)
// and one waiting request with the longest order number and a long title,
// inserted beside the order the API registered: the queue must hold it
// without scrolling sideways.
async function seedQueue() {
	const login = unique('qa').toLowerCase();
	const password = 'pw-' + crypto.randomBytes(8).toString('hex');
	execFileSync(env('RD_BIN'), ['--config', env('RD_CONFIG'), 'staff', 'add', '--role', 'admin',
	    '--login', login], { input: password + '\n' });
	const order = await seedUsedCard();
	const t = (process.env.RD_TABLE_PREFIX || '') + 'refunds';
	const o = (process.env.RD_TABLE_PREFIX || '') + 'orders';
	const rid = unique('QB').padEnd(22, '0').slice(0, 22);
	execFileSync('mariadb', ['--no-defaults', '-S', env('RD_MYSQL_SOCKET'), '-uroot', 'refund_desk', '-e',
	    `INSERT INTO ${t} (public_id, order_id, buyer_id, type, state, destination, reason, requested, fee, ` +
	    'refund_amount, risk_flags, deadline, idem, created_at, updated_at) ' +
	    `SELECT '${rid}', id, buyer_id, 'invalid_item', 'cs_review', 'original', 'browser queue', amount, 0, ` +
	    `amount, 1, UNIX_TIMESTAMP() - 1200, '${rid}', UNIX_TIMESTAMP(), UNIX_TIMESTAMP() FROM ${o} ` +
	    `WHERE order_no = '${order.order_no}'`]);
	return { login, password, order };
}

// Signs in through the login form; the queue is where it lands.
async function staffLogin(page, base, login, password) {
	await page.goto(base + '/desk/login');
	await page.fill('input[name="login"]', login);
	await page.fill('input[name="password"]', password);
	await Promise.all([page.waitForURL(/\/desk$/), page.locator('button[type="submit"]').click()]);
}

test('staff queue at 390×844 and 1280×800: no sideways scroll', { timeout: 120_000 }, async (t) => {
	const { login, password, order } = await seedQueue();
	const base = env('RD_URL');
	for (const [name, opts] of [['phone', PHONE], ['desktop', DESKTOP]]) {
		const context = await browser.newContext(opts);
		try {
			const w = await watch(context);
			const page = await context.newPage();
			page.setDefaultTimeout(STEP_TIMEOUT);
			await staffLogin(page, base, login, password);
			// The filter form narrows to the seeded request by its order number.
			await page.fill('#q', order.order_no);
			await Promise.all([page.waitForURL(/[?&]q=/), page.locator('form.filters button').click()]);
			const row = page.locator('table.queue tbody tr');
			assert.equal(await row.count(), 1, `${name}: the search finds the one request`);
			assert.match(await row.innerText(), /已超时 20 分钟/, `${name}: time left as a person reads it`);
			const wide = await page.evaluate((vw) =>
			    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - vw,
			    opts.viewport.width);
			assert.ok(wide <= 0, `${name}: the queue scrolls sideways by ${wide}px`);
			// On the desktop the queue uses the width; on the phone a row is a card.
			const mainWidth = await page.evaluate(() => document.querySelector('main').clientWidth);
			if (name === 'desktop')
				assert.ok(mainWidth > 1000, `desktop: main is ${mainWidth}px wide`);
			else
				assert.equal(await page.locator('table.queue thead').isVisible(), false, 'phone: no table head');
			await w.check(page, `${name} queue`);
			await shot(page, `queue-${name}`);
		} finally {
			await context.close();
		}
	}
});

// ---------------------------------------------------------------- a day's queue (issue 10)

// 300 waiting requests of one new merchant (four in five) and a second one,
// of three types and five states, the first 39 overdue, straight into
// refunds beside two orders the API registered. They carry none of a real
// request's hold bookkeeping: deleted when the test ends (and the browser
// phase runs after the integration phase's check-ledger). QUEUE300 says
// which row is what, so the test knows every count the pages must show.
const Q_TYPES = ['not_delivered', 'not_as_described', 'topup_failed'];
const Q_STATES = ['cs_review', 'cs_review', 'merchant_review', 'need_info', 'arbitration', 'merchant_review'];
const QUEUE300 = Array.from({ length: 300 }, (_, i) => {
	const seq = i + 1;
	return { seq, main: seq % 5 !== 4, type: Q_TYPES[seq % 3], state: Q_STATES[seq % 6], overdue: seq < 40 };
});

function sql(stmt) {
	return execFileSync('mariadb', ['--no-defaults', '-S', env('RD_MYSQL_SOCKET'), '-uroot', 'refund_desk',
	    '-N', '-e', stmt]).toString();
}

async function seedQueue300() {
	const m = unique('mq').toLowerCase();
	const other = unique('mo').toLowerCase();
	const [a, b] = [await seedUsedCard(m), await seedUsedCard(other)];
	const prefix = 'Q3' + crypto.randomBytes(6).toString('hex');
	const px = process.env.RD_TABLE_PREFIX || '';
	const now = nowUnix();
	sql(`INSERT INTO ${px}refunds (public_id, order_id, buyer_id, type, state, destination, reason, requested, ` +
	    'fee, refund_amount, risk_flags, deadline, idem, created_at, updated_at) ' +
	    `SELECT CONCAT('${prefix}', LPAD(s.seq, 8, '0')), o.id, o.buyer_id, ` +
	    `ELT(1 + s.seq % 3, ${Q_TYPES.map((x) => `'${x}'`).join(', ')}), ` +
	    `ELT(1 + s.seq % 6, ${Q_STATES.map((x) => `'${x}'`).join(', ')}), 'original', 'queue300', o.amount, 0, ` +
	    `o.amount, s.seq % 7 = 0, ${now - 40 * 900 + 450} + s.seq * 900, CONCAT('${prefix}', s.seq), ${now} - s.seq, ${now} ` +
	    `FROM seq_1_to_300 s JOIN ${px}orders o ON o.order_no = IF(s.seq % 5 = 4, '${b.order_no}', '${a.order_no}')`);
	return { m, prefix, cleanup: () => sql(`DELETE FROM ${px}refunds WHERE public_id LIKE '${prefix}%'`) };
}

// How many of the seeded rows of the main merchant a filter keeps.
const q300 = (pred) => QUEUE300.filter((x) => x.main && pred(x)).length;

// "共 N 条 · 第 P / Q 页" of the page shown: [N, P, Q].
async function queueTotal(page) {
	if (await page.locator('#queue-empty').count())
		return [0, 1, 0];
	const t = await page.locator('#queue-total').innerText();
	const m = /共 (\d+) 条 · 第 (\d+) \/ (\d+) 页/.exec(t);
	assert.ok(m, `queue total: ${t}`);
	return m.slice(1).map(Number);
}

// Opens the queue with query (a filter as the form sends it) through the
// form itself: fills what it names, submits, and waits for the page.
async function filterQueue(page, f) {
	await page.fill('#q', f.q || '');
	if (await page.locator('#f-merchant').count())
		await page.fill('#f-merchant', f.merchant || '');
	await page.selectOption('#f-state', f.state || '');
	await page.selectOption('#f-type', f.type || '');
	await page.selectOption('#f-sort', f.sort || 'deadline');
	await page.locator('input[name=overdue]').setChecked(!!f.overdue);
	await Promise.all([page.waitForURL(/\/desk\?/), page.locator('form.filters button[type=submit]').click()]);
}

// One decision through the preview and its confirm; amount in 元 when set.
async function decide(page, w, step, rid, { action, amount, want }) {
	await page.locator(`input[name=action][value=${action}]`).check();
	if (amount !== undefined) {
		await page.locator('input[name=amount_choice][value=custom]').check();
		await page.locator('#amount').fill(amount);
	}
	if (await page.locator('#note').isVisible())
		await page.locator('#note').fill('已核实，处理如下。');
	await submitDecision(page, rid, 200);
	await page.locator('#preview').waitFor({ state: 'visible' });
	if (want)
		assert.equal((await page.locator('#pv-buyer').innerText()).trim(), want, `${step}: the preview's amount`);
	await w.check(page, `${step} preview`);
	await assertContrast(page, `${step} preview`);
	// The preview of each action (escalate, refund, reject), before it acts.
	await shot(page, `queue300-${step.replace(/[^a-z0-9]+/g, '-')}-preview-${action}`);
	await page.locator('#next').uncheck();     // this session checks the request it decided
	await Promise.all([page.waitForURL(new RegExp(`/desk/refund/${rid}$`)), page.locator('#confirm').click()]);
}

for (const [device, opts] of [['desktop', DESKTOP], ['phone', PHONE]]) {
	test(`a staff session on a 300-request queue, CS, merchant and admin (${device})`, { timeout: 90_000 }, async () => {
		const base = env('RD_URL');
		const world = await seedQueue300();
		const { m } = world;
		const claims = [];
		try {
			// Two real claims of the merchant (hold and ledger as the app writes them).
			for (let i = 0; i < 2; i++) {
				const buyer = await browser.newContext(PHONE);         // one buyer each
				const order = await seedUsedCard(m);
				claims.push({ order, rid: await fileClaim(buyer, order) });
				await buyer.close();
			}
			const [A, B] = claims;
			const staff = { cs: addStaff('cs'), admin: addStaff('admin') };
			staff.merchant = (() => {
				const login = unique('brm').toLowerCase();
				const password = 'pw-' + crypto.randomBytes(12).toString('hex');
				execFileSync(env('RD_BIN'), ['--config', env('RD_CONFIG'), 'staff', 'add', '--role', 'merchant',
				    '--login', login, '--merchant', m], { input: password + '\n' });
				return { login, password };
			})();
			// Each role: what its actionable tab holds of the main merchant's
			// seeded rows and the claims (A, B: cs_review at first).
			const roles = [
				{ role: 'cs', mine: (s) => s === 'cs_review', claim: A, action: 'escalate',
				    claimsMine: 2, gone: 'others' },
				{ role: 'merchant', mine: (s) => s === 'merchant_review', claim: A, action: 'approve',
				    amount: '60', want: '¥60.00', claimsMine: 1 },
				// An admin's approval would leave it in its tab (refunding: the
				// payout is the admin's); a rejection ends it.
				{ role: 'admin', mine: (s) => s !== 'need_info', claim: B, action: 'reject',
				    stateOnly: 'cs_review', claimsMine: 1, gone: 'others', goneToo: true },
			];
			for (const r of roles) {
				const context = await browser.newContext(opts);
				try {
					const w = await watch(context);
					const page = await context.newPage();
					page.setDefaultTimeout(STEP_TIMEOUT);
					const { login, password } = staff[r.role];
					await staffLogin(page, base, login, password);
					const step = `${device} ${r.role}`;
					// Tabs with counts; the open tab's is the page's total.
					const tabCount = async (t) => Number(await page.locator(`#tab-${t} .count`).innerText());
					const [mineN, othersN] = [await tabCount('mine'), await tabCount('others')];
					assert.equal((await queueTotal(page))[0], mineN, `${step}: the mine tab's count is its total`);
					assert.ok(othersN >= 0);
					const mf = r.role === 'merchant' ? {} : { merchant: m };
					const st = r.stateOnly ? { state: r.stateOnly } : {};
					const seeded = q300((x) => r.mine(x.state) && (!r.stateOnly || x.state === r.stateOnly));
					if (r.role === 'merchant')
						assert.equal(mineN, seeded + r.claimsMine, `${step}: the merchant's tab count`);
					// The merchant (and state) filter: the seeded rows and the claims.
					await filterQueue(page, { ...mf, ...st });
					let [n, p, pages] = await queueTotal(page);
					assert.deepEqual([n, p, pages], [seeded + r.claimsMine, 1, Math.ceil((seeded + r.claimsMine) / 50)],
					    `${step}: filtered total and pages`);
					// Sorted by time left: the overdue rows first.
					const over = await page.locator('table.queue tbody tr').evaluateAll((trs) =>
					    trs.map((tr) => tr.classList.contains('over')));
					const nOver = q300((x) => r.mine(x.state) && x.overdue && (!r.stateOnly || x.state === r.stateOnly));
					assert.deepEqual(over.slice(0, nOver + 1), [...Array(nOver).fill(true), false],
					    `${step}: overdue first`);
					if (device === 'phone')
						assert.equal(await page.locator('table.queue thead').isVisible(), false, `${step}: cards`);
					else
						assert.ok(await page.evaluate(() => document.querySelector('main').clientWidth) > 1000);
					await assertContrast(page, `${step} queue`);
					assert.ok(await overflow(page) <= 0 || device === 'desktop', `${step}: sideways scroll`);
					// Paging: every page says where it is; the last one holds the rest.
					while (await page.locator('#page-next').count()) {
						await Promise.all([page.waitForURL(/page=/), page.locator('#page-next').click()]);
						const [n2, p2, q2] = await queueTotal(page);
						assert.deepEqual([n2, q2], [n, pages], `${step}: page ${p2}`);
						assert.equal(p2, p + 1);
						p = p2;
						assert.equal(await page.locator('table.queue tbody tr').count(),
						    p < pages ? 50 : n - 50 * (pages - 1), `${step}: rows on page ${p}`);
					}
					assert.equal(p, pages, `${step}: paged to the end`);
					// Type and overdue filters narrow (the claims are invalid_item, not overdue).
					// (the merchant's seeded rows are all topup_failed: seq % 6 in {2, 5})
					const type = r.role === 'merchant' ? 'topup_failed' : 'not_delivered';
					await filterQueue(page, { ...mf, ...st, type });
					assert.equal((await queueTotal(page))[0],
					    q300((x) => r.mine(x.state) && x.type === type && (!r.stateOnly || x.state === r.stateOnly)),
					    `${step}: type filter`);
					await filterQueue(page, { ...mf, ...st, overdue: true });
					assert.equal((await queueTotal(page))[0], nOver, `${step}: overdue filter`);
					// Search by order number: the one request.
					await filterQueue(page, { q: r.claim.order.order_no });
					assert.equal(await page.locator('table.queue tbody tr').count(), 1, `${step}: search finds one`);
					await w.check(page, `${step} queue`);
					await shot(page, `queue300-${device}-${r.role}`);
					// Open it and decide it: preview (in 元), confirm.
					await Promise.all([page.waitForURL(new RegExp(`/desk/refund/${r.claim.rid}$`)),
					    page.locator('table.queue tbody tr a').first().click()]);
					assert.match(await page.locator('h1#title').innerText(), new RegExp(r.claim.order.order_no));
					await assertContrast(page, `${step} request page`);
					assert.ok(await overflow(page) <= 0 || device === 'desktop', `${step}: request page sideways scroll`);
					await decide(page, w, step, r.claim.rid, r);
					await w.check(page, `${step} decided`);
					await shot(page, `queue300-${device}-${r.role}-decided`);
					// Back in the queue: gone from the actionable tab.
					await page.goto(`${base}/desk?q=${r.claim.order.order_no}`);
					assert.ok(await page.locator('#queue-empty').isVisible(), `${step}: still in the actionable tab`);
					if (r.gone) {
						await page.goto(`${base}/desk?tab=${r.gone}&q=${r.claim.order.order_no}`);
						assert.equal(await page.locator('table.queue tbody tr').count(), r.goneToo ? 0 : 1,
						    `${step}: ${r.goneToo ? 'still open' : `not in ${r.gone}`}`);
					}
					await w.check(page, `${step} back in the queue`);
				} finally {
					await context.close();
				}
			}
		} finally {
			world.cleanup();
		}
	});
}

// ---------------------------------------------------------------- dashboard (i10-dash)

test('dashboard at 390×844 and 1280×800: charts drawn, no sideways scroll', { timeout: 120_000 }, async () => {
	// seedQueue()'s admin and its request (filed now): today's bar is drawn.
	const { login, password } = await seedQueue();
	const base = env('RD_URL');
	for (const [name, opts] of [['phone', PHONE], ['desktop', DESKTOP]]) {
		const context = await browser.newContext(opts);
		try {
			const w = await watch(context);
			const page = await context.newPage();
			page.setDefaultTimeout(STEP_TIMEOUT);
			await staffLogin(page, base, login, password);
			await Promise.all([page.waitForURL(/\/desk\/dashboard$/), page.locator('#to-dashboard').click()]);
			// The range form: the same page for the days it names.
			const to = await page.locator('#to').inputValue();
			assert.match(to, /^\d{4}-\d\d-\d\d$/, `${name}: the form shows the range`);
			await Promise.all([page.waitForURL(/[?&]from=/), page.locator('form.filters button').click()]);
			for (const id of ['chart-outcomes', 'chart-instant', 'chart-fees'])
				assert.ok(await page.locator(`svg#${id}`).isVisible(), `${name}: ${id} is drawn`);
			assert.ok(await page.locator('svg#chart-outcomes rect').count() >= 1, `${name}: today has a bar`);
			const box = await page.locator('svg#chart-outcomes').boundingBox();
			assert.ok(box.width <= opts.viewport.width && box.height > 50,
			    `${name}: the chart fits the screen (${box.width}×${box.height})`);
			const wide = await page.evaluate((vw) =>
			    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - vw,
			    opts.viewport.width);
			assert.ok(wide <= 0, `${name}: the dashboard scrolls sideways by ${wide}px`);
			// The charts' own text (axes, values, legend) on the white card: at
			// least 4.5:1 (WCAG AA), read from the computed colours.
			await assertContrast(page, `${name} dashboard charts`, 'svg.chart text, .legend li');
			await w.check(page, `${name} dashboard`);
			await shot(page, `dashboard-${name}`);
		} finally {
			await context.close();
		}
	}
});

// ---------------------------------------------------------------- buyer next steps (i10-buyer)

// Every refund state's status page: one refund row per state beside one
// order (none holds the order's open slot, so they do not collide), each
// with the deadline its state runs. want: the deadline's name on the card,
// or null where none runs.
const STATE_CARDS = [
	['submitted', null], ['awaiting_upstream', '上游答复时限'], ['cs_review', '审核时限'],
	['merchant_review', '审核时限'], ['arbitration', '审核时限'], ['need_info', '补充材料截止'],
	['approved', null], ['refunding', null], ['refunded', null], ['rejected', '可申诉至'],
	['cancelled', null], ['closed', null],
];
// 2 days 3 hours and a half: "还剩 2 天 3 小时" now, "2 天 2 小时" an hour on.
const LEFT_SECS = 2 * 86400 + 3 * 3600 + 1800;

function seedStates(order) {
	const t = (process.env.RD_TABLE_PREFIX || '') + 'refunds';
	const o = (process.env.RD_TABLE_PREFIX || '') + 'orders';
	const ids = {};
	const rows = STATE_CARDS.map(([state, want]) => {
		const rid = unique('NS').padEnd(22, '0').slice(0, 22);
		ids[state] = rid;
		const paid = state === 'refunded' ? 4000 : 10000;   // a partial: the rest is explained
		return `SELECT '${rid}', id, buyer_id, 'invalid_item', '${state}', 'original', '卡密无效（浏览器测试）', ` +
		    `amount, 0, ${paid}, 0, ${want ? `UNIX_TIMESTAMP() + ${LEFT_SECS}` : 0}, '${rid}', ` +
		    `UNIX_TIMESTAMP(), UNIX_TIMESTAMP() FROM ${o} WHERE order_no = '${order.order_no}'`;
	});
	execFileSync('mariadb', ['--no-defaults', '-S', env('RD_MYSQL_SOCKET'), '-uroot', 'refund_desk', '-e',
	    `INSERT INTO ${t} (public_id, order_id, buyer_id, type, state, destination, reason, requested, fee, ` +
	    'refund_amount, risk_flags, deadline, idem, created_at, updated_at) ' + rows.join(' UNION ALL ')]);
	return ids;
}

for (const [device, opts] of [['phone', PHONE], ['desktop', DESKTOP]]) {
	test(`buyer next step for every state, and the confirm steps (${device})`, { timeout: 180_000 },
	    async (t) => {
		const base = env('RD_URL');
		const order = await seedUsedCard();
		const ids = seedStates(order);
		const context = await browser.newContext(opts);
		try {
			const w = await watch(context);
			const page = await context.newPage();
			page.setDefaultTimeout(STEP_TIMEOUT);
			const wide = () => page.evaluate((vw) =>
			    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - vw,
			    opts.viewport.width);
			await page.goto(base + startLink(order));
			assert.equal(await page.locator('#back-to-shop').innerText(), '返回商城');
			for (const [state, want] of STATE_CARDS) {
				await page.goto(`${base}/refund/${ids[state]}`);
				const card = page.locator('#next-step');
				await card.waitFor({ state: 'visible' });
				assert.equal(await card.getAttribute('data-state'), state);
				const text = await card.innerText();
				if (want) {
					assert.ok(text.includes(want), `${state}: no ${want} on the card: ${text}`);
					assert.match(text, /还剩 2 天 3 小时/, `${state}: time left`);
				} else
					assert.doesNotMatch(text, /审核时限|补充材料截止|可申诉至|上游答复时限/,
					    `${state}: a deadline where none runs`);
				assert.doesNotMatch(await page.locator('main').innerText(), /处理时限/);
				if (state === 'refunding')
					assert.match(await page.locator('#arrival').innerText(), /支付宝：1–3 个工作日/);
				if (state === 'refunded')
					assert.match(await page.locator('#amt-rest').innerText(), /¥60\.00/);
				if (state === 'rejected')
					assert.equal(await page.locator('#amt-refund').count(), 0,
					    'a rejection shows a refund amount');
				assert.ok(await wide() <= 0, `${state}: the page scrolls sideways`);
				await w.check(page, `${state} card`);
				await shot(page, `next-${device}-${state.replaceAll('_', '-')}`);
			}

			// The time left counts down where JavaScript runs (rd-time.js).
			await page.clock.install();
			await page.goto(`${base}/refund/${ids.cs_review}`);
			await page.clock.fastForward('01:00:00');
			await page.locator('#next-step .left', { hasText: '还剩 2 天 2 小时' }).waitFor();
			await w.check(page, 'the live countdown');

			// The one-time appeal: its own page says so and asks to confirm.
			await page.goto(`${base}/refund/${ids.rejected}`);
			await Promise.all([page.waitForURL(/\/appeal$/), page.locator('#appeal-link').click()]);
			assert.match(await page.locator('#appeal-once').innerText(), /只有一次/);
			// Its evidence input has the upload script's picker (i10-upload).
			await page.locator('form[action$="/appeal"] button.up-pick').waitFor({ state: 'visible' });
			await page.locator('#note-appeal').fill('卡密确实无效，附上新的截图说明。');
			await shot(page, `appeal-${device}`);
			assert.ok(await wide() <= 0, 'the appeal page scrolls sideways');
			await page.locator('#confirm-once').check();
			await Promise.all([page.waitForURL(/\?done=appealed$/), page.locator('#confirm-go').click()]);
			assert.match(await page.locator('#done').innerText(), /申诉已提交/);
			assert.equal(await page.locator('#next-step').getAttribute('data-state'), 'arbitration');
			await w.check(page, 'the appeal');

			// 确认收货 on another order (another buyer: a context of its
			// own, or the hand-off asks to switch): a second page, a message.
			const fresh = await seedUsedCard();
			const ctx2 = await browser.newContext(opts);
			t.after(() => ctx2.close());
			const w2 = await watch(ctx2);
			const p2 = await ctx2.newPage();
			p2.setDefaultTimeout(STEP_TIMEOUT);
			await p2.goto(base + startLink(fresh));
			await p2.locator(`form[action="/order/${fresh.order_no}/confirm"] button`).click();
			await p2.locator('#confirm[data-action="receipt"]').waitFor({ state: 'visible' });
			const over = await p2.evaluate((vw) =>
			    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - vw,
			    opts.viewport.width);
			assert.ok(over <= 0, 'the confirm page scrolls sideways');
			await shot(p2, `receipt-confirm-${device}`);
			await Promise.all([p2.waitForURL(/&done=confirmed$/), p2.locator('#confirm-go').click()]);
			assert.match(await p2.locator('#done').innerText(), /已确认收货/);
			await w2.check(p2, 'confirm receipt');
			await shot(p2, `receipt-done-${device}`);
		} finally {
			await context.close();
		}
	});
}

// ---------------------------------------------------------------- claims up the chain (issue 15)

// An admin, and one claim of a supplier with the longest id (32) and a
// long supplier order number, on a request inserted as seedQueue does:
// the claims page and the request's upstream section must hold them
// without scrolling sideways.
async function seedClaim() {
	const { login, password, order } = await seedQueue();
	const pre = process.env.RD_TABLE_PREFIX || '';
	const supplier = unique('sup').padEnd(32, 'x').slice(0, 32);
	const cid = unique('BC').padEnd(22, '0').slice(0, 22);
	const sql = (q) => execFileSync('mariadb', ['--no-defaults', '-S', env('RD_MYSQL_SOCKET'), '-uroot',
	    'refund_desk', '-N', '-B', '-e', q]).toString().trim();
	const [oid, fid, rid] = sql(`SELECT o.id, r.id, r.public_id FROM ${pre}orders o JOIN ${pre}refunds r ` +
	    `ON r.order_id = o.id WHERE o.order_no = '${order.order_no}'`).split('\t');
	sql(`INSERT INTO ${pre}order_upstreams (order_id, supplier, upstream_order_no, cost) ` +
	    `VALUES (${oid}, '${supplier}', 'UPSTREAM-ORDER-${'9'.repeat(17)}', 123456)`);
	sql(`INSERT INTO ${pre}supplier_claims (public_id, order_id, refund_id, supplier, merchant_id, amount, ` +
	    'recovered, written_off, state, supplier_refund_id, created_at, updated_at, expires_at, next_at) ' +
	    `VALUES ('${cid}', ${oid}, ${fid}, '${supplier}', 'm-browser', 123456, 100000, 23456, 'recovered', ` +
	    "'SUPPLIER-REFUND-ID-0123456789abcdef', UNIX_TIMESTAMP(), UNIX_TIMESTAMP(), UNIX_TIMESTAMP() + 604800, 0)");
	// Its ledger as a real claim has it (rules/ledger_plan.c): booked,
	// recovered, the rest written off, so check-ledger finds the claim whole
	// (seedQueue's inserted request holds no open slot: that it does report).
	for (const [kind, key, amount, from, to] of [
		['claim', 'claim', 123456, `external:supplier:${supplier}`, `claim:${cid}`],
		['claim_recovered', 'claimrec', 100000, `claim:${cid}`, 'merchant_recovery:m-browser'],
		['claim_write_off', 'claimoff', 23456, `claim:${cid}`, `external:supplier:${supplier}`]])
		sql(`INSERT INTO ${pre}ledger_txns (order_id, refund_id, kind, uniq_key, created_at) ` +
		    `VALUES (${oid}, ${fid}, '${kind}', '${key}:${cid}', UNIX_TIMESTAMP()); SET @t = LAST_INSERT_ID(); ` +
		    `INSERT INTO ${pre}ledger_entries (txn_id, account, amount) VALUES (@t, '${from}', -${amount}), ` +
		    `(@t, '${to}', ${amount})`);
	return { login, password, supplier, rid };
}

test('claims page and the claim on its request at 390×844 and 1280×800: no sideways scroll', { timeout: 120_000 }, async () => {
	const { login, password, supplier, rid } = await seedClaim();
	const base = env('RD_URL');
	for (const [name, opts] of [['phone', PHONE], ['desktop', DESKTOP]]) {
		const context = await browser.newContext(opts);
		try {
			const w = await watch(context);
			const page = await context.newPage();
			page.setDefaultTimeout(STEP_TIMEOUT);
			await staffLogin(page, base, login, password);
			// From the queue's link, then the filter narrows to the supplier.
			await Promise.all([page.waitForURL(/\/desk\/claims$/), page.locator('#claims-link').click()]);
			await page.selectOption('#claim-supplier', supplier);
			await Promise.all([page.waitForURL(/[?&]supplier=/), page.locator('form.filters button').click()]);
			const row = page.locator('#claims tbody tr');
			assert.equal(await row.count(), 1, `${name}: the supplier's one claim`);
			assert.match(await row.innerText(), /已追回[\s\S]*¥1234\.56[\s\S]*¥1000\.00 \/ ¥234\.56/,
			    `${name}: state and amounts in yuan`);
			const fig = page.locator(`#supplier-figures tr[data-supplier="${supplier}"]`);
			assert.match(await fig.innerText(), /81\.0%/, `${name}: the recovery rate`);
			const wide = (vw) => page.evaluate((v) =>
			    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - v, vw);
			let over = await wide(opts.viewport.width);
			assert.ok(over <= 0, `${name}: the claims page scrolls sideways by ${over}px`);
			await w.check(page, `${name} claims page`);
			await shot(page, `claims-${name}`);
			// The row's link: the request page with the upstream and its claim.
			await Promise.all([page.waitForURL(new RegExp(`/desk/refund/${rid}$`)),
				row.locator('.claim-refund a').click()]);
			assert.equal(await page.locator('#claim-recovered').innerText(), '¥1000.00');
			over = await wide(opts.viewport.width);
			assert.ok(over <= 0, `${name}: the request page with a claim scrolls sideways by ${over}px`);
			await w.check(page, `${name} request page with a claim`);
			await page.locator('#upstream').screenshot({ path: path.join(OUT, `${String(++shotNo).padStart(2, '0')}-claim-${name}.png`) });
		} finally {
			await context.close();
		}
	}
});

// ---------------------------------------------------------------- uploads (issue 10)

const MIB = 1024 * 1024;

// The refund form filled as a buyer would, on a fresh order.
async function openFilledForm(page, order) {
	const resp = await page.goto(env('RD_URL') + startLink(order));
	assert.equal(resp.status(), 200);
	await page.locator('input[type=radio][name=type][value=invalid_item]').check();
	await page.locator('textarea#reason').fill(GOOD_REASON);
}

async function noSidewaysScroll(page, step) {
	const over = await overflow(page);
	assert.ok(over <= 0, `after "${step}": the page is ${over}px wider than the phone`);
}

// The names and sizes the file input would send now.
const chosen = (page) => page.locator('#evidence').evaluate((el) =>
    Array.from(el.files, (f) => ({ name: f.name, size: f.size, type: f.type })));

test('evidence upload on a phone: picker, thumbnail, shrink of a 7 MiB image, files kept, progress', { timeout: 180_000 }, async (t) => {
	const order = await seedUsedCard();
	const context = await browser.newContext(PHONE);
	t.after(() => context.close());
	const w = await watch(context);
	// What the progress line said while the form was sent, reported out of
	// the page as it changes (the page is left when the redirect comes).
	const progress = [];
	await context.exposeBinding('__rdProgress', (src, text) => progress.push(text));
	await context.addInitScript(() => {
		new MutationObserver(() => {
			const bar = document.querySelector('.up-progress');
			if (bar && !bar.hidden)
				window.__rdProgress(bar.querySelector('.up-bar-text').textContent +
				    ' value=' + bar.querySelector('progress').value);
		}).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
	});
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	await openFilledForm(page, order);

	// The Chinese picker stands in for the browser's own button.
	const pick = page.locator('button.up-pick');
	await pick.waitFor({ state: 'visible' });
	assert.equal((await pick.innerText()).trim(), '选择图片或 PDF 文件');
	assert.equal(await page.locator('#evidence').getAttribute('data-max-bytes'), String(5 * MIB));

	// A small PNG: listed with a thumbnail.
	await page.locator('#evidence').setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: makePng() });
	await page.locator('.up-list li canvas.up-thumb').first().waitFor({ state: 'visible' });
	assert.equal(await page.locator('.up-list li').count(), 1);
	await w.check(page, 'a thumbnail');
	await noSidewaysScroll(page, 'a thumbnail');
	await shot(page, 'upload-thumbnail');

	// A file of a type not taken: said at once, nothing sent, the PNG kept.
	await page.locator('#evidence').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
	await page.locator('.up-msg.err').waitFor({ state: 'visible' });
	assert.match(await page.locator('.up-msg').innerText(), /notes\.txt.*不是可接受的格式/);
	assert.deepEqual((await chosen(page)).map((f) => f.name), ['screenshot.png']);

	// A 7 MiB photo-sized image: shrunk here to a JPEG under the limit, and said so.
	const big = makePng(1600, 1530, true);
	assert.ok(big.length > 7 * MIB, `the test image is ${big.length} bytes`);
	await page.locator('#evidence').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: big });
	await page.locator('.up-msg', { hasText: '已在本机压缩' }).waitFor({ state: 'visible', timeout: 60_000 });
	const files = await chosen(page);
	assert.deepEqual(files.map((f) => f.name), ['screenshot.png', 'photo.jpg']);
	assert.equal(files[1].type, 'image/jpeg');
	assert.ok(files[1].size <= 5 * MIB, `the shrunk image is ${files[1].size} bytes`);
	await page.locator('.up-list li canvas.up-thumb').nth(1).waitFor({ state: 'visible' });
	await w.check(page, 'the shrink');
	await noSidewaysScroll(page, 'the shrink');
	await shot(page, 'upload-shrunk');

	// The server refuses the form (a reason too short): its answer is drawn
	// in place, and the chosen files are still in the picker.
	await page.locator('textarea#reason').fill('太短了');
	w.expect('POST', '/refund/new', 422);
	const [refused] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/refund/new'),
		page.locator('form[action="/refund/new"] button[type=submit]').click(),
	]);
	assert.equal(refused.status(), 422);
	await page.locator('#err-reason').waitFor({ state: 'visible' });
	await page.locator('.up-msg', { hasText: '已保留' }).waitFor({ state: 'visible' });
	assert.deepEqual((await chosen(page)).map((f) => f.name), ['screenshot.png', 'photo.jpg']);
	assert.equal(await page.locator('.reselect').isVisible(), false, 'asks to choose the kept files again');
	assert.equal(await page.locator('input[name=type][value=invalid_item]').isChecked(), true);
	await w.check(page, 'the 422 drawn in place');
	await noSidewaysScroll(page, 'the 422 drawn in place');
	await shot(page, 'upload-422-kept');
	await page.locator('textarea#reason').fill(GOOD_REASON);
	progress.length = 0;

	// Sent with the progress bar, then the status page.
	await Promise.all([
		page.waitForURL(/\/refund\/[A-Za-z0-9]{22}\?done=submitted$/, { timeout: 60_000 }),
		page.locator('form[action="/refund/new"] button[type=submit]').click(),
	]);
	assert.ok(progress.some((p) => /^上传(中 \d+%|完成)/.test(p)), `no progress shown: ${progress.join(' | ')}`);
	assert.ok(progress.some((p) => /value=(\d+)/.test(p) && Number(/value=(\d+)/.exec(p)[1]) > 0),
	    `the bar never moved: ${progress.join(' | ')}`);
	await page.waitForLoadState('load');
	const evidence = await page.locator('body').innerText();
	assert.match(evidence, /photo\.jpg/, 'the shrunk image is not in the evidence list');
	// The status page's 补充凭证 form has the same picker.
	assert.equal(await page.locator('form[action$="/evidence"] button.up-pick').count(), 1);
	await w.check(page, 'the status page');
	await noSidewaysScroll(page, 'the status page');
	await shot(page, 'upload-status');
	t.diagnostic(`shrunk 7 MiB PNG (${big.length} bytes) to a ${files[1].size}-byte JPEG; progress: ${progress.slice(0, 3).join(' | ')} …`);
});

test('evidence upload without JavaScript: 413 keeps the form, then it goes through', { timeout: 120_000 }, async () => {
	const order = await seedUsedCard();
	const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
	try {
		const w = await watch(context);
		const page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT);
		await openFilledForm(page, order);
		assert.equal(await page.locator('button.up-pick').count(), 0, 'the script ran with JavaScript off');
		// The same 7 MiB image, sent as it is: the server's 413, the form again.
		await page.locator('#evidence').setInputFiles({ name: 'photo.png', mimeType: 'image/png',
			buffer: makePng(1600, 1530, true) });
		w.expect('POST', '/refund/new', 413);
		const [resp] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/refund/new'),
			page.locator('form[action="/refund/new"] button[type=submit]').click(),
		]);
		assert.equal(resp.status(), 413);
		await page.waitForLoadState('load');
		assert.match(await page.locator('#err-evidence').innerText(), /photo\.png.*5 MB/);
		assert.equal(await page.locator('textarea#reason').inputValue(), GOOD_REASON);
		assert.equal(await page.locator('input[name=type][value=invalid_item]').isChecked(), true);
		await w.check(page, 'the 413 form');
		await noSidewaysScroll(page, 'the 413 form');
		await shot(page, 'nojs-413');
		// A smaller file: through to the status page.
		await page.locator('#evidence').setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: makePng() });
		await Promise.all([
			page.waitForURL(/\/refund\/[A-Za-z0-9]{22}\?done=submitted$/),
			page.locator('form[action="/refund/new"] button[type=submit]').click(),
		]);
		assert.match(await page.locator('body').innerText(), /screenshot\.png/);
		await w.check(page, 'the status page without JavaScript');
		await noSidewaysScroll(page, 'the status page without JavaScript');
		await shot(page, 'nojs-status');
	} finally {
		await context.close();
	}
});

test("nginx's own 413 / 502 / 504 pages on a phone: styled under the CSP, no sideways scroll", { timeout: 60_000 }, async () => {
	const context = await browser.newContext(PHONE);
	try {
		const w = await watch(context);
		const page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT);
		for (const code of ['413', '502', '504']) {
			// The static page nginx serves for its own error (the status is
			// tested over HTTP: tests/integration/test_nginx_pages.py).
			await page.goto(`${env('RD_URL')}/_errors/${code}.html`);
			assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
			const card = page.locator(`#rd-error-${code}`);
			await card.waitFor({ state: 'visible' });
			// The stylesheet applied: the card is a white box, not bare text.
			assert.equal(await card.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(255, 255, 255)');
			await w.check(page, `nginx ${code} page`);
			await noSidewaysScroll(page, `nginx ${code} page`);
			await shot(page, `nginx-${code}`);
		}
	} finally {
		await context.close();
	}
});

// ---------------------------------------------------------------- the page scripts in English (i10-lang-buyer)

// The upload picker and the live countdown speak the page's language
// (<html lang>, from the lang cookie or Accept-Language): English here.
test('page scripts in English: the picker, its messages and the countdown', { timeout: 120_000 }, async () => {
	const base = env('RD_URL');
	const order = await seedUsedCard();
	const context = await browser.newContext({ ...PHONE, locale: 'en-US',
		extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });
	try {
		const w = await watch(context);
		const page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT);
		await openFilledForm(page, order);
		assert.equal(await page.locator('html').getAttribute('lang'), 'en');
		const pick = page.locator('button.up-pick');
		await pick.waitFor({ state: 'visible' });
		assert.equal((await pick.innerText()).trim(), 'Choose images or PDF files');
		await page.locator('#evidence').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain',
			buffer: Buffer.from('not an image') });
		assert.match(await page.locator('.up-msg').innerText(), /"notes\.txt" cannot be used: only PNG, JPEG or WebP/);
		await page.locator('#evidence').setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: makePng() });
		assert.match(await page.locator('.up-msg').innerText(), /^1 file\(s\) chosen\.$/);
		assert.equal((await page.locator('.up-list button.up-rm').innerText()).trim(), 'Remove');
		await w.check(page, 'the English picker');
		await shot(page, 'en-upload');

		// The countdown: words in English, live.
		const ids = seedStates(order);
		await page.clock.install();
		await page.goto(`${base}/refund/${ids.cs_review}`);
		assert.match(await page.locator('#next-step').innerText(), /2 d 3 h left/);
		await page.clock.fastForward('01:00:00');
		await page.locator('#next-step .left', { hasText: '2 d 2 h left' }).waitFor();
		await w.check(page, 'the English countdown');
		await shot(page, 'en-next-step');
	} finally {
		await context.close();
	}
});

// ---------------------------------------------------------------- bench/agent20 smoke

// bench/agent20 (the twenty-request timing of issue 10) on three of its
// requests, without think time: cs approves one in full, one at ¥70 typed
// as "70" (preview, confirm) and rejects one, and each buyer's refund is
// the intended fen. Keeps the bench working as the console changes; the
// ledger check is the integration phase's (other tests' rows are here).
test('bench/agent20 smoke: three requests through preview and confirm, to the fen', { timeout: 60_000 }, async () => {
	const bench = path.join(here, '..', '..', 'bench');
	const plan = path.join(OUT, 'agent20-plan.json');
	const run = (cmd, args, extra = {}) => execFileSync(cmd, args,
	    { encoding: 'utf8', env: { ...process.env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
	try {
		run('python3', [path.join(bench, 'agent20.py'), 'seed', '3', plan]);
		const agent = JSON.parse(run('node', [path.join(bench, 'agent20.mjs'), plan, 'now'],
		    { THINK_ACTION_MS: '0', THINK_KEY_MS: '0', THINK_READ_MS: '0' }));
		assert.equal(agent.decisions, 3);
		assert.ok(agent.loads >= 2 + 3 * 2, 'login, then at least the preview and the confirm for each');
		const check = JSON.parse(run('python3', [path.join(bench, 'agent20.py'), 'verify', plan, '--no-check-ledger']));
		assert.deepEqual(check.wrong, [], 'a buyer got another amount than the agent meant');
	} finally {
		fs.rmSync(plan, { force: true });
	}
});
