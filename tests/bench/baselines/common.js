// Shared by the baseline widgets the benchmark compares cg-inventory with.
//
// Each baseline downloads the same feed, keeps the same items (something to
// buy, each id once), and shows the same controls under the same accessible
// names as the widget ("Search the catalogue", "Sort", facet checkboxes,
// "Minimum price" / "Maximum price", a role=status count), so one driver runs
// them all. They render the first PAGE results as cards and a count.
//
// Written to be a fair opponent, not a straw man: folded search text and sort
// keys are computed once at load, sort orders are built once per key and
// reused, and a query is one pass over the items.

/** Results rendered as cards. */
export const PAGE = 50;
/** Facet values shown per group (selected ones are always shown). */
const SHOWN_VALUES = 8;
/** The facets, by label and item field, in the widget's order. */
export const FACETS = [
  ['Type', 'kinds'],
  ['Genre', 'genres'],
  ['Style', 'styles'],
  ['Format', 'formats'],
  ['Country', 'countries'],
];
export const SORTS = [
  ['relevance', 'Best match'],
  ['price-asc', 'Price: low to high'],
  ['price-desc', 'Price: high to low'],
  ['year-desc', 'Year: newest first'],
  ['year-asc', 'Year: oldest first'],
  ['title', 'Title A–Z'],
  ['artist', 'Artist A–Z'],
];
const KIND_LABELS = { ReleaseItem: 'Release', ProductItem: 'Product', BookItem: 'Book' };

/** Case- and accent-insensitive text; the Unicode pass only where needed. */
export function fold(text) {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(text) ? text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase() : text.toLowerCase();
}

const strings = (value) =>
  Array.isArray(value) ? value.filter((v) => typeof v === 'string' && v.trim()) : typeof value === 'string' && value.trim() ? [value] : [];
const number = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** A listing there is something to buy from: published and not out of tracked stock. */
function buyable(listing) {
  if (!listing || typeof listing !== 'object') return false;
  if (listing.status != null && String(listing.status).trim().toLowerCase() !== 'published') return false;
  const quantity = number(listing.stock?.quantity);
  return quantity === null || quantity >= 1;
}

/** The feed's items as flat records with their search text and sort keys. */
export function readFeed(feed) {
  if (!Array.isArray(feed)) throw new Error('The feed is not a list of items.');
  const seen = new Set();
  const items = [];
  for (const raw of feed) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const listings = Array.isArray(raw.listings) ? raw.listings.filter(buyable) : [];
    if (listings.length === 0) continue;
    if (raw.id != null) {
      if (seen.has(raw.id)) continue;
      seen.add(raw.id);
    }
    const data = raw.data && typeof raw.data === 'object' ? raw.data : {};
    const labels = [];
    const catnos = strings(data.cat);
    for (const label of Array.isArray(data.labels) ? data.labels : []) {
      if (typeof label === 'string') labels.push(label);
      else if (label && typeof label.name === 'string') {
        labels.push(label.name);
        if (typeof label.catno === 'string') catnos.push(label.catno);
      }
    }
    const artists = strings(data.artists);
    const authors = strings(data.authors);
    const makers = strings(data.manufacturer);
    const creators = artists.length ? artists : authors.length ? authors : makers;
    const title = typeof data.title === 'string' ? data.title.trim() : '';
    const prices = listings.map((l) => number(l.prices?.sale)).filter((p) => p !== null && p >= 0);
    const year = number(data.year);
    const kind = typeof raw.type === 'string' && raw.type ? raw.type : 'Item';
    const image = strings(data.images).find((u) => /^https?:\/\//i.test(u)) ?? null;
    items.push({
      index: items.length,
      id: raw.id ?? null,
      path: typeof raw.path === 'string' ? raw.path : null,
      title,
      creators,
      meta: [labels[0], catnos[0], strings(data.formats).join(', '), year, typeof data.country === 'string' ? data.country : null]
        .filter((v) => v != null && v !== '')
        .join(' · '),
      image,
      offers: listings.length,
      prices,
      price: prices.length ? Math.min(...prices) : null,
      year: year !== null && Number.isInteger(year) && year >= 1000 && year <= 2200 ? year : null,
      kinds: [KIND_LABELS[kind] ?? kind],
      genres: strings(data.genres),
      styles: strings(data.styles),
      formats: strings(data.formats),
      countries: strings(data.country),
      mainText: fold(`${title} ${creators.join(' ')}`),
      otherText: fold(`${labels.join(' ')} ${catnos.join(' ')} ${authors.join(' ')} ${makers.join(' ')}`),
      titleKey: fold(title),
      artistKey: fold(creators[0] ?? ''),
    });
  }
  return items;
}

/** The view the controls describe. */
export function emptyView() {
  return { query: '', sort: 'relevance', selected: Object.fromEntries(FACETS.map(([label]) => [label, new Set()])), priceMin: null, priceMax: null };
}

/** Whether any of the item's listings is priced within the view's range. */
export function inPriceRange(item, view) {
  if (view.priceMin === null && view.priceMax === null) return true;
  const min = view.priceMin ?? -Infinity;
  const max = view.priceMax ?? Infinity;
  return item.prices.some((p) => p >= min && p <= max);
}

/**
 * Applies the facet selections to `candidates` (items that already pass the
 * text and price filters), with disjunctive counts: each facet's counts
 * ignore that facet's own selection, as in the widget.
 */
export function facetFilter(candidates, view) {
  const selections = FACETS.map(([label]) => view.selected[label]);
  const counts = FACETS.map(() => new Map());
  const add = (f, item) => {
    for (const value of item[FACETS[f][1]]) counts[f].set(value, (counts[f].get(value) ?? 0) + 1);
  };
  const passed = [];
  for (const item of candidates) {
    let failed = -1;
    let failures = 0;
    for (let f = 0; f < FACETS.length && failures < 2; f += 1) {
      const chosen = selections[f];
      if (chosen.size > 0 && !item[FACETS[f][1]].some((v) => chosen.has(v))) {
        failures += 1;
        failed = f;
      }
    }
    if (failures === 0) {
      passed.push(item);
      for (let f = 0; f < FACETS.length; f += 1) add(f, item);
    } else if (failures === 1) {
      add(failed, item);
    }
  }
  return { passed, counts };
}

/** Sort orders over all items, built on first use (item indexes, best first). */
export function sortOrders(items) {
  const cache = new Map();
  const last = (a, b, cmp) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : cmp(a, b));
  const compare = {
    'price-asc': (a, b) => last(a.price, b.price, (x, y) => x - y),
    'price-desc': (a, b) => last(a.price, b.price, (x, y) => y - x),
    'year-desc': (a, b) => last(a.year, b.year, (x, y) => y - x),
    'year-asc': (a, b) => last(a.year, b.year, (x, y) => x - y),
    title: (a, b) => (a.titleKey < b.titleKey ? -1 : a.titleKey > b.titleKey ? 1 : 0),
    artist: (a, b) => last(a.artistKey || null, b.artistKey || null, (x, y) => (x < y ? -1 : x > y ? 1 : 0)),
  };
  return (key) => {
    if (!compare[key]) return null;
    if (!cache.has(key)) cache.set(key, Int32Array.from([...items].sort(compare[key]), (item) => item.index));
    return cache.get(key);
  };
}

/** Puts `matched` (items) in the order of `order` (all item indexes), in one pass. */
export function inOrder(matched, order, total) {
  const hit = new Uint8Array(total);
  for (const item of matched) hit[item.index] = 1;
  const out = [];
  for (const index of order) if (hit[index]) out.push(index);
  return out;
}

/** Facet values to show: most frequent first, selected ones always. */
export function facetValues(counts, selected) {
  const values = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = values.slice(0, SHOWN_VALUES);
  for (const name of selected) if (!shown.some(([n]) => n === name)) shown.push([name, counts.get(name) ?? 0]);
  return shown;
}

const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children.filter((c) => c != null));
  return node;
};

/**
 * Runs a baseline: downloads the feed named by `?feed=`, builds the engine
 * with `createEngine(items)` (which may be async), then renders and answers
 * the controls with `engine.query(view)` →
 * `{ total, items: [first PAGE items], facets: [[label, [[value, count]…]]…] }`.
 */
export async function start(createEngine) {
  const root = document.getElementById('cg-inventory');
  const params = new URLSearchParams(location.search);
  const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: params.get('currency') || 'EUR' });
  const storefront = params.get('storefront') || '';
  root.append(el('div', { className: 'cg-loading' }, el('progress', { ariaLabel: 'Loading the inventory' })));
  let engine;
  let items;
  try {
    const response = await fetch(params.get('feed'));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    items = readFeed(await response.json());
    engine = await createEngine(items);
  } catch (error) {
    root.replaceChildren(el('p', { role: 'alert', textContent: `The inventory could not be loaded: ${error.message}` }));
    return;
  }

  const view = emptyView();
  const search = el('input', { type: 'search', ariaLabel: 'Search the catalogue', placeholder: 'Search title, artist, label, cat. no…', autocomplete: 'off' });
  const sort = el('select', { ariaLabel: 'Sort' }, ...SORTS.map(([value, label]) => el('option', { value, textContent: label })));
  const count = el('p', { className: 'cg-count' });
  count.setAttribute('role', 'status');
  count.setAttribute('aria-live', 'polite');
  const facetLists = FACETS.map(() => el('ul', { className: 'cg-facet-values' }));
  const priceInput = (label) => el('input', { type: 'number', min: '0', step: '0.01', ariaLabel: label });
  const priceMin = priceInput('Minimum price');
  const priceMax = priceInput('Maximum price');
  const results = el('ul', { className: 'cg-results' });
  root.replaceChildren(
    el('div', { className: 'cg-toolbar' }, search, el('label', { className: 'cg-sort' }, sort), count),
    el(
      'div',
      { className: 'cg-body' },
      el(
        'section',
        { className: 'cg-facets', ariaLabel: 'Filters' },
        ...FACETS.map(([label], f) => el('fieldset', { className: 'cg-facet' }, el('legend', { textContent: label }), facetLists[f])),
        el('fieldset', { className: 'cg-facet' }, el('legend', { textContent: 'Price' }), priceMin, ' – ', priceMax),
      ),
      el('div', { className: 'cg-main' }, results),
    ),
  );

  const card = (item) =>
    el(
      'li',
      { className: 'cg-card' },
      el(
        'a',
        { className: 'cg-link', href: item.path && storefront ? storefront + item.path : '#', target: '_blank', rel: 'noopener' },
        item.image ? el('img', { className: 'cg-cover', src: item.image, alt: '', loading: 'lazy', decoding: 'async', width: 160, height: 160 }) : null,
        el('h3', { className: 'cg-title', textContent: item.title || 'Untitled' }),
      ),
      el('p', { className: 'cg-artists', textContent: item.creators.join(', ') }),
      el('p', { className: 'cg-meta', textContent: item.meta }),
      el('p', { className: 'cg-price', textContent: item.price === null ? 'Price on request' : money.format(item.price) }),
      item.offers > 1 ? el('p', { className: 'cg-more-offers', textContent: `${item.offers} offers` }) : null,
    );

  const render = () => {
    const answer = engine.query(view);
    count.textContent = answer.total === 1 ? '1 item' : `${answer.total} items`;
    results.replaceChildren(...answer.items.map(card));
    answer.facets.forEach(([label, values], f) => {
      const chosen = view.selected[label];
      facetLists[f].replaceChildren(
        ...values.map(([value, n]) => {
          const box = el('input', { type: 'checkbox', checked: chosen.has(value) });
          box.addEventListener('change', () => {
            if (box.checked) chosen.add(value);
            else chosen.delete(value);
            render();
          });
          return el('li', {}, el('label', { className: 'cg-check' }, box, el('span', { className: 'cg-check-label', textContent: value }), el('span', { className: 'cg-facet-count', textContent: String(n) })));
        }),
      );
    });
  };
  search.addEventListener('input', () => {
    view.query = search.value;
    render();
  });
  sort.addEventListener('change', () => {
    view.sort = sort.value;
    render();
  });
  const price = (input) => (input.value.trim() === '' || !Number.isFinite(input.valueAsNumber) ? null : input.valueAsNumber);
  for (const input of [priceMin, priceMax]) {
    input.addEventListener('change', () => {
      view.priceMin = price(priceMin);
      view.priceMax = price(priceMax);
      render();
    });
  }
  render();
}

/** The answer shape every engine returns, from ordered item indexes and facet counts. */
export function answer(items, indexes, counts, view) {
  return {
    total: indexes.length,
    items: indexes.slice(0, PAGE).map((i) => items[i]),
    facets: FACETS.map(([label], f) => [label, facetValues(counts[f], view.selected[label])]),
  };
}

/**
 * The plain-arrays engine: one pass over the items per query for the text
 * (`match(query)` gives a Float64Array of scores by item index, 0 for no
 * match, or null when there is no query),
 * the price range and the facets, then a prebuilt sort order.
 */
export function scanEngine(items, match) {
  const orders = sortOrders(items);
  return {
    query(view) {
      const scores = match(view.query);
      const candidates = [];
      for (const item of items) {
        if (scores && scores[item.index] === 0) continue;
        if (inPriceRange(item, view)) candidates.push(item);
      }
      const { passed, counts } = facetFilter(candidates, view);
      const order = orders(view.sort);
      let indexes;
      if (order) indexes = inOrder(passed, order, items.length);
      else if (scores) indexes = passed.map((item) => item.index).sort((a, b) => scores[b] - scores[a]);
      else indexes = passed.map((item) => item.index);
      return answer(items, indexes, counts, view);
    },
  };
}

/** Substring search like the widget's: every folded word must occur; title and creators score higher. */
export function substringSearch(items) {
  return (query) => {
    const terms = fold(query).split(/\s+/).filter(Boolean);
    if (terms.length === 0) return null;
    const scores = new Float64Array(items.length);
    for (const item of items) {
      let score = 0;
      for (const term of terms) {
        if (item.mainText.includes(term)) score += 2;
        else if (item.otherText.includes(term)) score += 1;
        else {
          score = 0;
          break;
        }
      }
      scores[item.index] = score;
    }
    return scores;
  };
}
