// Item pages, the about page and error pages.
import { assert, equal } from './harness.mjs';

export default [
  ['item page: contents, citation with a copy button, related items, translations', async (h) => {
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/doc/gp-18?lang=en');
    assert((await page.locator('h1').textContent()).length > 10, 'title');
    assert(await page.locator('.meta .badge.gp').isVisible(), 'GP badge');
    const toc = page.locator('nav.toc li a');
    const passages = await page.locator('.body h2').count();
    equal(await toc.count(), passages, 'one contents entry per passage');
    const target = await toc.nth(1).getAttribute('href');
    await toc.nth(1).click();
    assert(page.url().endsWith(target), 'contents link jumps to its passage');
    assert(await page.locator(`.body ${target}`).isVisible(), 'passage anchor exists');

    const citation = await page.locator('#citation-text').textContent();
    assert(citation.includes('gp-18 [en]') && citation.includes('Good Practice 18'), citation);
    const copy = page.locator('button.copy');
    assert(await copy.isVisible(), 'copy button shown with JS');
    await copy.click();
    await page.waitForFunction(() => document.querySelector('.copy-status').textContent.length > 0);
    equal(await page.evaluate(() => navigator.clipboard.readText()), citation.trim(), 'clipboard');
    assert(await page.locator('.related li').count() > 0, 'related items');
    assert(await page.locator('.facts a.tag').count() > 3, 'actor, region and practice links');
    await h.axe(page, 'item en');
    await h.screenshot(page, 'item-en');

    const french = page.locator('a[hreflang=fr]').last();
    await Promise.all([page.waitForURL(/lang=fr/), french.click()]);
    equal(await page.getAttribute('html', 'lang'), 'fr', 'French page');
    equal(await page.getAttribute('h1', 'lang'), 'fr', 'French item');
    assert((await page.locator('#citation-text').textContent()).includes('Bonne pratique 18'), 'French citation');
    await h.axe(page, 'item fr');
    await h.screenshot(page, 'item-fr');
    await ctx.close();
  }],

  ['item page without the copy script keeps a plain citation', async (h) => {
    const ctx = await h.context({ javaScript: false });
    const { page } = await h.open(ctx, '/doc/gp-23');
    assert(await page.locator('#citation-text').isVisible(), 'citation shown');
    equal(await page.locator('button.copy').isVisible(), false, 'no dead copy button without JS');
    await ctx.close();
  }],

  ['an item switched to Arabic is read in Arabic, right to left', async (h) => {
    // Every item now exists in en, fr and ar: the Arabic link of an instrument leads to its
    // Arabic version, laid out right to left.
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/doc/untoc?lang=en');
    const arabic = page.locator('.langs a[hreflang=ar]');
    await Promise.all([page.waitForURL(/lang=ar/), arabic.click()]);
    equal(await page.getAttribute('h1', 'lang'), 'ar', 'the Arabic version');
    equal(await page.getAttribute('h1', 'dir'), 'rtl', 'right to left');
    await h.axe(page, 'item ar from en');
    await ctx.close();
  }],

  ['about page: sources, what verified means, how to cite', async (h) => {
    const ctx = await h.context();
    for (const lang of ['en', 'fr', 'ar']) {
      const { page } = await h.open(ctx, `/about?lang=${lang}`);
      equal(await page.locator('main h2').count(), 4, `sections (${lang})`);
      assert(await page.locator('.sources li').count() >= 5, 'source documents listed');
      assert((await page.locator('.about .cite').textContent()).includes('nexuskb'), 'example citation');
      await h.axe(page, `about ${lang}`);
      if (lang !== 'fr') await h.screenshot(page, `about-${lang}`);
      await page.close();
    }
    await ctx.close();
  }],

  ['errors are HTML pages in the reader\'s language', async (h) => {
    const ctx = await h.context({ locale: 'fr-FR' });
    const { page, response } = await h.open(ctx, '/doc/no-such-item');
    equal(response.status(), 404, 'status');
    equal(await page.getAttribute('html', 'lang'), 'fr', 'language from Accept-Language');
    await h.axe(page, 'error 404');
    const bad = await page.goto(`${h.base}/search?actor=wizards`);
    equal(bad.status(), 400, 'unknown facet value');
    await ctx.close();
  }],
];
