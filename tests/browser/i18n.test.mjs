// French and Arabic interfaces: messages, lang and dir attributes, right-to-left layout, and a
// language switcher that keeps the current search.
import { assert, equal } from './harness.mjs';

export default [
  ['French UI from Accept-Language, with French results and pack', async (h) => {
    const ctx = await h.context({ locale: 'fr-FR' });
    const { page } = await h.open(ctx, '/');
    equal(await page.getAttribute('html', 'lang'), 'fr', 'html lang');
    equal(await page.locator('.searchbox label').textContent(), 'Rechercher dans la base de connaissances', 'label');
    await h.axe(page, 'home fr');
    await page.fill('#q', 'blanchiment');
    await Promise.all([page.waitForURL(/q=blanchiment/), page.press('#q', 'Enter')]);
    assert(await page.locator('.hit').count() > 0, 'French results');
    assert(page.url().includes('lang=fr'), 'French items');
    assert(await page.locator('.badge.unverified', { hasText: 'Résumé non vérifié' }).count() > 0, 'French badge');
    equal(await page.locator('.hit .add-to-pack').first().textContent(), 'Ajouter au dossier', 'French action');
    await h.axe(page, 'results fr');
    await h.screenshot(page, 'results-fr');
    await page.goto(`${h.base}/pack?items=gp-18,gp-23,untoc&lang=fr`);
    equal(await page.locator('.kicker').textContent(), 'nexuskb · Dossier de lecture', 'pack in French');
    await h.axe(page, 'pack fr');
    await h.screenshot(page, 'pack-fr');
    await ctx.close();
  }],

  ['the language switcher keeps the query and the filters', async (h) => {
    const ctx = await h.context();
    const { page } = await h.open(ctx, '/search?q=hawala&actor=fiu&lang=en&page=1');
    await Promise.all([page.waitForURL(/lang=fr/), page.click('.langs a[hreflang=fr]')]);
    const url = new URL(page.url());
    equal(url.searchParams.get('q'), 'hawala', 'query kept');
    equal(url.searchParams.get('actor'), 'fiu', 'filter kept');
    equal(await page.getAttribute('html', 'lang'), 'fr', 'UI switched');
    await ctx.close();
  }],

  ['Arabic UI: lang="ar", dir="rtl" and a right-to-left layout', async (h) => {
    const ctx = await h.context({ locale: 'ar' });
    const { page } = await h.open(ctx, '/');
    equal(await page.getAttribute('html', 'lang'), 'ar', 'html lang');
    equal(await page.getAttribute('html', 'dir'), 'rtl', 'html dir');
    await h.axe(page, 'home ar');
    await h.screenshot(page, 'home-ar');

    await page.goto(`${h.base}/search?lang=ar`);
    const facets = await page.locator('.facets').boundingBox();
    const results = await page.locator('.results').boundingBox();
    assert(facets.x > results.x, 'the facet column is on the right');
    equal(await page.locator('.hit h3 a').first().getAttribute('dir'), 'rtl', 'Arabic titles are rtl');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    equal(overflow, 0, 'no horizontal scrolling');
    await h.axe(page, 'results ar');
    await h.screenshot(page, 'results-ar');

    await page.goto(`${h.base}/doc/gp-18?lang=ar`);
    equal(await page.locator('.body').evaluate((e) => getComputedStyle(e).direction), 'rtl', 'body rtl');
    equal(await page.getAttribute('h1', 'lang'), 'ar', 'item lang');
    await h.axe(page, 'item ar');
    await h.screenshot(page, 'item-ar');

    await page.goto(`${h.base}/pack?items=gp-18,gp-1,untoc&lang=ar`);
    equal(await page.locator('article.pack-item .notice').count(), 0, 'every item has its Arabic version');
    equal(await page.locator('#item-untoc h2').getAttribute('dir'), 'rtl', 'instrument in Arabic, rtl');
    await h.axe(page, 'pack ar');
    await h.screenshot(page, 'pack-ar');
    await ctx.close();
  }],
];
