// bench/agent20.mjs: an agent works the requests bench/agent20.py filed,
// in Debian's Chromium through playwright-core (tests/browser's), the way a
// person does at 1280×800: open the queue, open the request, decide, back to
// the queue (today's console opens the role's next request itself after a
// confirm: the agent decides it when it is one of its own, else goes back
// to the queue); cs first, then the merchant, then the arbiter.
//
//   node bench/agent20.mjs PLAN.json CONSOLE
//
// CONSOLE says which console and how the agent uses it:
//   now        today's console with the mouse: the action, 自定义 and the
//              amount in yuan as meant ("70"), 预览处理结果, then 确认
//   now-keys   today's console by keyboard (static/desk.js): A / R / E,
//              Ctrl+Enter to the preview, Y confirms; 自定义 still clicked
//   before     the console before issue 10 (fen field, no preview), the
//              agent types the yuan it means, as in the issue ("70" is
//              then 70 fen); a refused amount ("45.50") makes the agent go
//              back and type the fen it now knows the field wants
//   before-fen the same console with an agent who always types fen ("7000")
//
// The think-time model is fixed and the same for every console, so the
// comparison is of the consoles, not of the machine: THINK_ACTION_MS before
// each click or key chord, THINK_KEY_MS per character typed, THINK_READ_MS
// for each page that loads (reading it). Prints one JSON line: wall time,
// the think time inside it, page loads, clicks, keystrokes, decisions, and
// the refused posts the agent met.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const THINK_ACTION_MS = Number(process.env.THINK_ACTION_MS ?? 500);
const THINK_KEY_MS = Number(process.env.THINK_KEY_MS ?? 100);
const THINK_READ_MS = Number(process.env.THINK_READ_MS ?? 1000);
const NOTE = '凭证与订单记录不符，驳回。';

const [planFile, mode] = process.argv.slice(2);
if (!planFile || !['now', 'now-keys', 'before', 'before-fen'].includes(mode)) {
	console.error('usage: agent20.mjs PLAN.json now|now-keys|before|before-fen');
	process.exit(2);
}
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
const base = process.env.RD_URL;
const old = mode.startsWith('before');

const count = { loads: 0, clicks: 0, keys: 0, decisions: 0, refused: 0, think_ms: 0 };
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
async function think(ms) {
	count.think_ms += ms;
	await sleep(ms);
}

let page;

// Every committed main-frame navigation is a page the agent waits for and
// reads (a POST answered 303 commits once, at its target).
async function loaded() {
	await page.waitForLoadState('load');
	await think(THINK_READ_MS);
}

async function click(locator) {
	await think(THINK_ACTION_MS);
	count.clicks++;
	await locator.click();
}

// A click that navigates: waits for the page it leads to.
async function clickTo(locator) {
	await think(THINK_ACTION_MS);
	count.clicks++;
	const [resp] = await Promise.all([page.waitForNavigation(), locator.click()]);
	await loaded();
	return resp;
}

async function chord(keys) {
	await think(THINK_ACTION_MS);
	count.keys++;
	await page.keyboard.press(keys);
}

async function chordTo(keys) {
	await think(THINK_ACTION_MS);
	count.keys++;
	const [resp] = await Promise.all([page.waitForNavigation(), page.keyboard.press(keys)]);
	await loaded();
	return resp;
}

// Clicks into a field and types text (replacing what it held: one chord to
// select it all first when it was not empty).
async function typeInto(locator, text) {
	await click(locator);
	if ((await locator.inputValue()) !== '')
		await chord('Control+A');
	await think(THINK_KEY_MS * [...text].length);
	count.keys += [...text].length;
	await locator.fill(text);
}

function fail(msg) {
	throw new Error(`agent20 (${mode}): ${msg} at ${page.url()}`);
}

async function login(who) {
	await think(THINK_ACTION_MS);	// a bookmark
	count.clicks++;
	await page.goto(base + '/desk/login');
	await loaded();
	await typeInto(page.locator('#login'), who.login);
	await typeInto(page.locator('#password'), who.password);
	await clickTo(page.locator('button[type=submit]'));
	if (new URL(page.url()).pathname !== '/desk')
		fail(`login as ${who.login} did not reach the queue`);
}

const stateOf = () => page.locator('[data-state]').first().getAttribute('data-state');

// Today's console: choose, fill, preview (200, nothing moved), confirm.
async function decideNow(task, step) {
	const keys = mode === 'now-keys';
	const radio = page.locator(`#decision input[name=action][value=${step.action}]`);
	if (keys) {	// a fresh page has no field focused: the letter chooses
		await chord({ approve: 'a', reject: 'r', escalate: 'e' }[step.action]);
	} else
		await click(radio);
	if (step.action === 'approve' && step.say !== null) {
		await click(page.locator('#decision input[name=amount_choice][value=custom]'));
		await typeInto(page.locator('#amount'), step.say);
	}
	if (step.action === 'reject') {
		if (keys) {	// R put the cursor in the note
			await think(THINK_KEY_MS * [...NOTE].length);
			count.keys += [...NOTE].length;
			await page.keyboard.insertText(NOTE);
		} else
			await typeInto(page.locator('#note'), NOTE);
	}
	const pv = keys ? await chordTo('Control+Enter') :
	    await clickTo(page.locator('#decision button[type=submit]'));
	if (pv.status() !== 200 || await page.locator('#preview').count() === 0)
		fail(`task ${task.n}: no preview (HTTP ${pv.status()})`);
	// The confirm form opens the next request of the queue (its default):
	// that page says the last one was done and links to it.
	const done = keys ? await chordTo('y') : await clickTo(page.locator('#confirm'));
	const at = new URL(page.url());
	const here = at.pathname.endsWith(task.id);
	const next = at.searchParams.get('prev') === task.id &&
	    await page.locator(`#prev-done a[href$="/desk/refund/${task.id}"]`).count() === 1;
	if (done.status() !== 200 || !(here || next))
		fail(`task ${task.n}: confirm led to neither the request nor the next one (HTTP ${done.status()})`);
}

// The console before issue 10: choose, type, send; it acts at once.
async function decideBefore(task, step) {
	await click(page.locator(`input[name=action][value=${step.action}]`));
	const fen = step.say === null ? null : String(Math.round(Number(step.say) * 100));
	if (step.action === 'approve' && step.say !== null)
		await typeInto(page.locator('#amount'), mode === 'before-fen' ? fen : step.say);
	if (step.action === 'reject')
		await typeInto(page.locator('#note'), NOTE);
	const send = page.locator('form[action$="/decision"] button[type=submit]');
	let resp = await clickTo(send);
	if (resp.status() === 422 && step.action === 'approve' && step.say !== null) {
		// The bare error page: back to the form, the amount again in fen.
		count.refused++;
		await think(THINK_ACTION_MS);
		count.clicks++;
		await page.goBack();
		await loaded();
		await click(page.locator(`input[name=action][value=approve]`));
		await typeInto(page.locator('#amount'), fen);
		resp = await clickTo(send);
	}
	if (resp.status() !== 200 || !new URL(page.url()).pathname.endsWith(task.id))
		fail(`task ${task.n}: the decision was not taken (HTTP ${resp.status()})`);
}

async function work(role) {
	const pending = [];
	for (const task of plan.tasks)
		task.steps.forEach((s, i) => s.role === role && pending.push({ task, step: s, i }));
	if (pending.length === 0)
		return;
	await login(plan.staff[role]);
	while (pending.length > 0) {
		// Today's console may already show one of this role's requests: the
		// next one it opened after the last confirm. Otherwise the queue.
		const m = new URL(page.url()).pathname.match(/\/desk\/refund\/([^/]+)$/);
		let k = old || !m ? -1 : pending.findIndex((p) => p.task.id === m[1]);
		if (k < 0) {
			if (m)
				await clickTo(page.getByRole('link', { name: '← 返回待处理' }).first());
			k = 0;
			const id = pending[0].task.id;
			const link = page.locator(`a[href="/desk/refund/${id}"]`).first();
			if (await link.count() === 0 && !old) {
				// Not on the first page (a shared stack: the browser test's
				// smoke): the agent searches by the request's id.
				await typeInto(page.locator('#q'), id);
				await clickTo(page.locator('form.filters button'));
			}
			if (await link.count() === 0)
				fail(`task ${pending[0].task.n}: ${id} is not in the ${role} queue`);
			await clickTo(link);
		}
		const [{ task, step }] = pending.splice(k, 1);
		await (old ? decideBefore : decideNow)(task, step);
		count.decisions++;
		const st = await stateOf();
		if (st === null)
			fail(`task ${task.n}: the request page shows no state`);
		if (old)
			await clickTo(page.getByRole('link', { name: '← 返回待处理' }).first());
	}
	await page.context().clearCookies();
}

const browser = await chromium.launch({
	executablePath: process.env.RD_CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 },
	    locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
	page = await context.newPage();
	page.setDefaultTimeout(20_000);
	page.on('framenavigated', (f) => { if (f === page.mainFrame()) count.loads++; });
	const t0 = performance.now();
	for (const role of ['cs', 'merchant', 'arbiter'])
		await work(role);
	const wall = performance.now() - t0;
	console.log(JSON.stringify({ console: mode, requests: plan.tasks.length, wall_ms: Math.round(wall),
	    ...count, machine_ms: Math.round(wall - count.think_ms),
	    think: { action_ms: THINK_ACTION_MS, key_ms: THINK_KEY_MS, read_ms: THINK_READ_MS } }));
} finally {
	await browser.close();
}
