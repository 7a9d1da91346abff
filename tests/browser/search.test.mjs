// Start page and search results: badges, facets with and without JavaScript, chips, pagination,
// notices, escaping, the asset budget and keyboard access.
import { assert, equal } from './harness.mjs';

async function total(page) {
  return Number(await page.locator('.total').textContent());
}

async function hitIds(page) {
  return page.locator('.hit .add-to-pack').evaluateAll((links) => links.map((a) => a.dataset.id));
}

export default [
  ['home page browses practices, actor types and regions with counts', async (h) => {
    const ctx = await h.context();
    const { page, response } = await h.open(ctx, '/?lang=en');
    equal(response.status(), 200, 'status');
    const csp = response.headers()['content-security-policy'] || '';
    assert(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), `strict CSP: ${csp}`);
    equal(response.headers()['x-content-type-options'], 'nosniff', 'nosniff');
    equal(await page.locator('.browse section h2').count(), 3, 'browse sections');
    assert(await page.locator('.browse .count').count() > 20, 'each value has a count');
    await h.axe(page, 'home en');
    await h.screenshot(page, 'home-en');
    await ctx.close();
  }],

  ['search shows kind, GP number and unverified badges, snippets and tags', async (h) => {
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/?lang=en');
    await page.fill('#q', 'hawala');
    await Promise.all([page.waitForURL(/\/search\?q=hawala/), page.press('#q', 'Enter')]);
    const hits = page.locator('.hit');
    assert(await hits.count() > 0, 'hits');
    equal(await page.locator('.hit .badge.kind').count(), await hits.count(), 'a kind badge per hit');
    assert(await page.locator('.hit .badge.gp').count() > 0, 'a GP number badge');
    assert(await page.locator('.hit .badge.unverified').count() > 0, 'an unverified badge');
    assert(await page.locator('.hit .snippet mark').count() > 0, 'matches are marked');
    assert(await page.locator('.hit .tag').count() > 0, 'actor and region tags');
    equal(await page.locator('h1 q').textContent(), 'hawala', 'the query in the heading');
    await h.axe(page, 'results en');
    await h.screenshot(page, 'results-en');
    await ctx.close();
  }],

  ['the search box suggests completions from /api/v1/suggest', async (h) => {
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/?lang=en');
    await page.locator('#q').pressSequentially('haw', { delay: 30 });
    await page.waitForFunction(() => document.querySelectorAll('#suggestions option').length > 0);
    const first = await page.locator('#suggestions option').first().getAttribute('value');
    assert(/haw/i.test(first), `suggestion ${first}`);
    await ctx.close();
  }],

  ['a facet click with JavaScript applies at once; its chip removes it', async (h) => {
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/search?lang=en');
    const before = await total(page);
    equal(await page.locator('.facet-form .apply').isVisible(), false, 'no Apply button with JS');
    const label = page.locator('.facet-actor label').nth(1);
    const count = Number(await label.locator('.count').textContent());
    const value = await label.locator('input').getAttribute('value');
    await Promise.all([page.waitForURL(new RegExp(`actor=${value}`)), label.locator('input').check()]);
    equal(await total(page), count, 'total equals the count shown beside the box');
    assert(await page.locator(`.facet-actor input[value="${value}"]`).isChecked(), 'box stays checked');
    assert(await page.locator('.facet-actor input').count() > 1, 'other actor values stay listed (disjunctive)');
    const chip = page.locator('.chips a').first();
    assert((await chip.textContent()).includes(await label.locator('.label').textContent()), 'chip names the value');
    await Promise.all([page.waitForURL((url) => !url.search.includes('actor=')), chip.click()]);
    equal(await total(page), before, 'removing the chip restores the total');
    // axe cannot run where scripts are off; check the no-JS layout (Apply button shown) here.
    await page.evaluate(() => document.documentElement.classList.remove('js'));
    assert(await page.locator('.facet-form .apply').isVisible(), 'Apply button in the no-JS layout');
    await h.axe(page, 'results (no-JS layout)');
    await ctx.close();
  }],

  ['a facet click without JavaScript applies with the Apply button', async (h) => {
    const ctx = await h.context({ javaScript: false });
    const { page } = await h.open(ctx, '/search?q=corruption&lang=en');
    assert(await page.locator('.facet-form .apply').isVisible(), 'Apply button without JS');
    const label = page.locator('.facet-region label').first();
    const count = Number(await label.locator('.count').textContent());
    const value = await label.locator('input').getAttribute('value');
    await label.locator('input').check();
    equal(page.url().includes('region='), false, 'nothing happens before Apply');
    await Promise.all([page.waitForURL(new RegExp(`region=${value}`)), page.click('.facet-form .apply')]);
    equal(await total(page), count, 'filtered total');
    assert(page.url().includes('q=corruption'), 'the query is kept');
    await ctx.close();
  }],

  ['pagination: numbered pages, next and previous', async (h) => {
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/search?lang=en');
    const nav = page.locator('nav.pagination');
    assert(await nav.isVisible(), 'pagination');
    equal(await nav.locator('[aria-current=page]').textContent(), '1', 'current page');
    const first = await hitIds(page);
    await Promise.all([page.waitForURL(/page=2/), nav.locator('a[rel=next]').click()]);
    equal(await page.locator('nav.pagination [aria-current=page]').textContent(), '2', 'page 2');
    const second = await hitIds(page);
    assert(second.every((id) => !first.includes(id)), 'page 2 shows other items');
    await Promise.all([page.waitForURL((u) => !u.search.includes('page=')),
      page.locator('nav.pagination a[rel=prev]').click()]);
    equal(JSON.stringify(await hitIds(page)), JSON.stringify(first), 'back on page 1');
    await h.axe(page, 'results paginated');
    await ctx.close();
  }],

  ['notices: did-you-mean, relaxed query and syntax fallback', async (h) => {
    const ctx = await h.context();
    let { page } = await h.open(ctx, '/search?q=corrupton&lang=en');
    assert((await page.locator('.notice-corrected a').textContent()).includes('corruption'), 'correction link');
    await h.axe(page, 'results corrected');
    await page.goto(`${h.base}/search?q=hawala+zebra&lang=en`);
    assert(await page.locator('.notice-relaxed').isVisible(), 'relaxed notice');
    await page.goto(`${h.base}/search?q=%22hawala&lang=en`);
    assert(await page.locator('.notice-syntax').isVisible(), 'syntax fallback notice');
    await page.goto(`${h.base}/search?q=qqqqxzzz&lang=en`);
    assert(await page.locator('.empty').isVisible(), 'no-results message');
    await h.axe(page, 'results empty');
    await ctx.close();
  }],

  ['queries are printed as text, never as markup', async (h) => {
    const ctx = await h.context();
    const evil = '"><img src=x onerror=alert(1)><script>alert(2)</script>';
    const { page } = await h.open(ctx, `/search?q=${encodeURIComponent(evil)}`);
    equal(await page.locator('h1 q').textContent(), evil, 'query shown verbatim');
    equal(await page.locator('main img').count(), 0, 'no injected element');
    equal(await page.inputValue('#q'), evil, 'search box keeps the query');
    await ctx.close();
  }],

  ['a results page loads under 60 KB of CSS, JS and images', async (h) => {
    const ctx = await h.context();
    const page = await ctx.newPage();
    let bytes = 0;
    const assets = [];
    page.on('response', async (response) => {
      const type = response.request().resourceType();
      if (!['stylesheet', 'script', 'image', 'font'].includes(type)) return;
      const size = (await response.body()).length;
      bytes += size;
      assets.push(`${response.url()} ${size}`);
    });
    await page.goto(`${h.base}/search?q=border&lang=en`);
    await page.waitForLoadState('networkidle');
    assert(assets.length >= 2, `CSS and JS loaded: ${assets}`);
    assert(bytes < 60 * 1024, `assets ${bytes} bytes:\n${assets.join('\n')}`);
    const cache = await ctx.request.get(`${h.base}/static/style.css`);
    assert(cache.headers().etag && cache.headers()['cache-control'], 'ETag and Cache-Control');
    await ctx.close();
  }],

  ['keyboard: the skip link comes first and focus is visible', async (h) => {
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/search?q=hawala&lang=en');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return { cls: el.className, outline: style.outlineStyle, top: box.top };
    });
    equal(focused.cls, 'skip', 'first Tab stop');
    assert(focused.outline !== 'none' && focused.top >= 0, `skip link visible when focused: ${JSON.stringify(focused)}`);
    await page.keyboard.press('Enter');
    assert(page.url().endsWith('#main'), 'skip link moves to main');
    await ctx.close();
  }],
];
