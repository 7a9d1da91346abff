// Reading packs: building, reordering and titling (with and without JavaScript), printing,
// Markdown export and the JSON route.
import fs from 'node:fs';
import path from 'node:path';
import { assert, equal, shotsDir } from './harness.mjs';

async function packOrder(page) {
  return page.locator('article.pack-item').evaluateAll((items) => items.map((a) => a.id.replace(/^item-/, '')));
}

function itemsParam(page) {
  return new URL(page.url()).searchParams.get('items');
}

async function stored(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('nexuskb.pack')));
}

export default [
  ['build, reorder and title a pack with JavaScript (localStorage mirrored in the URL)', async (h) => {
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/search?q=hawala&lang=en');
    const links = page.locator('.hit .add-to-pack');
    const ids = [];
    for (let i = 0; i < 3; ++i) {
      ids.push(await links.nth(i).getAttribute('data-id'));
      await links.nth(i).click();
      equal(await links.nth(i).textContent(), 'In your pack', 'link shows the item is in the pack');
    }
    equal(page.url().includes('/search'), true, 'adding stays on the results');
    equal(await page.locator('header .pack-count').textContent(), ' (3)', 'header count');
    equal(JSON.stringify((await stored(page)).items), JSON.stringify(ids), 'localStorage');

    await page.goto(`${h.base}/pack?lang=en`);  // no items: the script opens the stored pack
    await page.waitForURL(/items=/);
    equal(itemsParam(page), ids.join(','), 'URL mirrors the stored pack');
    equal(JSON.stringify(await packOrder(page)), JSON.stringify(ids), 'items in order');
    equal(await page.locator('nav.pack-toc li').count(), 3, 'contents');

    await Promise.all([page.waitForURL(new RegExp(`items=${ids[1]},${ids[0]},`)),
      page.locator('article.pack-item').first().locator('a.move-down').click()]);
    const moved = [ids[1], ids[0], ids[2]];
    equal(JSON.stringify(await packOrder(page)), JSON.stringify(moved), 'moved down');
    equal(JSON.stringify((await stored(page)).items), JSON.stringify(moved), 'storage follows');
    await Promise.all([page.waitForURL(new RegExp(`items=${ids[1]},${ids[2]},${ids[0]}`)),
      page.locator('article.pack-item').last().locator('a.move-up').click()]);

    await page.fill('#pack-title-input', 'Atelier Mali — procureurs');
    await Promise.all([page.waitForURL(/title=/), page.click('.pack-title-form button')]);
    equal(await page.locator('h1').textContent(), 'Atelier Mali — procureurs', 'cover title');
    equal((await stored(page)).title, 'Atelier Mali — procureurs', 'title stored');
    assert(await page.locator('.cover time').getAttribute('datetime'), 'cover date');
    assert(await page.locator('button.print').isVisible(), 'print button with JS');
    await h.axe(page, 'pack en');
    await h.screenshot(page, 'pack-en');

    await page.goto(`${h.base}/?lang=en`);
    assert((await page.locator('a.pack-link').getAttribute('href')).includes('title=Atelier'), 'header link opens the pack');
    await ctx.close();
  }],

  ['print the pack: a cover, then one item per page', async (h) => {
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/pack?items=gp-18,gp-23,gp-1&title=Printed&lang=en');
    await page.emulateMedia({ media: 'print' });
    equal(await page.locator('.pack-tools').isVisible(), false, 'tools hidden in print');
    equal(await page.locator('header.site').isVisible(), false, 'site header hidden in print');
    equal(await page.locator('.item-actions').first().isVisible(), false, 'arrange links hidden');
    const breaks = await page.locator('article.pack-item').evaluateAll((a) => a.map((e) => getComputedStyle(e).breakBefore));
    equal(breaks.join(), 'page,page,page', 'page break before each item');
    await h.screenshot(page, 'pack-print-en');
    const pdf = await page.pdf({ format: 'A4' });
    fs.writeFileSync(path.join(shotsDir, 'pack-en.pdf'), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert(pages >= 5, `cover, contents and three items need at least 5 pages, got ${pages}`);
    await ctx.close();
  }],

  ['build a pack without JavaScript: add, move and remove links rewrite the URL', async (h) => {
    const ctx = await h.context({ javaScript: false });
    const { page } = await h.open(ctx, '/search?q=hawala&lang=en');
    const a = await page.locator('.hit .add-to-pack').first().getAttribute('data-id');
    await Promise.all([page.waitForURL(/\/pack\?/), page.locator('.hit .add-to-pack').first().click()]);
    equal(itemsParam(page), a, 'first item');
    await Promise.all([page.waitForURL(/\/search\?/), page.click('a.find-more')]);
    await page.fill('#q', 'corruption');
    await Promise.all([page.waitForURL(/q=corruption/), page.press('#q', 'Enter')]);
    assert(page.url().includes(`pack=${a}`), 'the search keeps the pack');
    equal(await page.locator(`.hit .add-to-pack[data-id="${a}"]`).count() <= 1, true, 'sanity');
    const other = page.locator(`.hit .add-to-pack:not([data-id="${a}"])`).first();
    const b = await other.getAttribute('data-id');
    await Promise.all([page.waitForURL(/\/pack\?/), other.click()]);
    equal(itemsParam(page), `${a},${b}`, 'second item appended');
    await Promise.all([page.waitForURL(/\/about\?/), page.click('header a[href^="/about"]')]);
    await Promise.all([page.waitForURL(/\/pack\?/), page.click('header a.pack-link')]);
    equal(itemsParam(page), `${a},${b}`, 'the pack survives a visit to another page');
    await Promise.all([page.waitForURL(new RegExp(`items=${b},${a}`)),
      page.locator('article.pack-item').nth(1).locator('a.move-up').click()]);
    equal(JSON.stringify(await packOrder(page)), JSON.stringify([b, a]), 'moved up');
    await Promise.all([page.waitForURL(new RegExp(`items=${a}(&|$)`)),
      page.locator('article.pack-item').first().locator('a.remove').click()]);
    equal(JSON.stringify(await packOrder(page)), JSON.stringify([a]), 'removed');
    equal(await page.locator('button.print').isVisible(), false, 'no print button without JS');
    await ctx.close();
  }],

  ['Markdown export downloads the pack in order', async (h) => {
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/pack?items=gp-23,gp-18&title=Export&lang=fr');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.md')]);
    assert(download.suggestedFilename().endsWith('.md'), download.suggestedFilename());
    const file = path.join(shotsDir, 'pack-fr.md');
    await download.saveAs(file);
    const md = fs.readFileSync(file, 'utf8');
    assert(md.startsWith('# Export\n'), md.slice(0, 80));
    assert(md.includes('## Sommaire'), 'contents');
    const first = md.indexOf('## BP 23'), second = md.indexOf('## BP 18');
    assert(first > 0 && second > first, 'items in pack order');
    assert(md.includes('### Citation') && md.includes('élément nexuskb gp-18 [fr]'), 'citations');
    const res = await ctx.request.get(`${h.base}/pack?items=gp-18&format=md`);
    assert(res.headers()['content-type'].startsWith('text/markdown'), 'content type');
    assert(res.headers()['content-disposition'].startsWith('attachment'), 'download');
    await ctx.close();
  }],

  ['the JSON pack route returns items in order, with errors as JSON', async (h) => {
    const ctx = await h.context();
    const ok = await ctx.request.get(`${h.base}/api/v1/packs?items=gp-18,gp-1&lang=fr`);
    equal(ok.status(), 200, 'status');
    const body = await ok.json();
    equal(body.items.map((i) => i.id).join(), 'gp-18,gp-1', 'order');
    equal(body.items[0].lang, 'fr', 'language');
    assert(body.items[0].html.length > 100 && body.items[0].citation.text, 'bodies and citations');
    const unknown = await ctx.request.get(`${h.base}/api/v1/packs?items=gp-18,nope`);
    equal(unknown.status(), 404, 'unknown item');
    equal((await unknown.json()).error.parameter, 'items', 'error names the parameter');
    equal((await ctx.request.get(`${h.base}/api/v1/packs`)).status(), 400, 'items required');
    await ctx.close();
  }],

  ['a pack naming a removed item still opens, without it', async (h) => {
    const ctx = await h.context();
    const { page, response } = await h.open(ctx, '/pack?items=gp-18,no-such-item&lang=en');
    equal(response.status(), 200, 'status');
    assert((await page.locator('.notice-missing').textContent()).includes('no-such-item'), 'notice');
    await page.waitForURL(/items=gp-18&/);
    equal((await stored(page)).items.join(), 'gp-18', 'only known items are kept');
    await page.goto(`${h.base}/pack?items=&lang=en`);
    assert(await page.locator('.pack-empty').isVisible(), 'empty pack explains itself');
    await h.axe(page, 'pack empty');
    await ctx.close();
  }],
];
