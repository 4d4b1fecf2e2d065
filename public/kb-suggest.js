// Contact form: while the subject is typed, shows matching Wissensdatenbank articles beside it. Without it the form works the same.
(() => {
  'use strict';
  const box = document.getElementById('kb-vorschlaege');
  const status = document.getElementById('kb-vorschlaege-status');
  const input = box && document.getElementById(box.dataset.kbSuggestFor || '');
  const list = box && box.querySelector('ul');
  if (!box || !status || !input || !list || !window.fetch) return;

  const minLength = 3;
  const waitMs = 300;
  let timer;
  let asked = '';
  let pending;

  // Wide screens show the box beside the form, at the height of the field it belongs to.
  const alignWithField = () => {
    box.style.top = `${input.closest('.field')?.offsetTop ?? 0}px`;
  };

  const show = (articles) => {
    list.replaceChildren(...articles.map((article) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = article.url;
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = article.title;
      const where = document.createElement('span');
      where.className = 'kb-suggestion-section';
      where.textContent = article.section;
      const opens = document.createElement('span');
      opens.className = 'visually-hidden';
      opens.textContent = ' (öffnet in einem neuen Tab)';
      link.append(opens);
      item.append(link, where);
      return item;
    }));
    box.hidden = articles.length === 0;
    if (articles.length > 0) alignWithField();
    // Said once per change, so a screen reader hears that help appeared without being sent away from the field.
    status.textContent = articles.length === 0 ? ''
      : `${articles.length === 1 ? 'Ein passender Artikel' : `${articles.length} passende Artikel`} aus der Wissensdatenbank unter dem Betreff.`;
  };

  const lookUp = () => {
    const query = input.value.trim();
    if (query === asked) return;
    asked = query;
    pending?.abort();
    if (query.length < minLength) {
      show([]);
      return;
    }
    pending = new AbortController();
    fetch(`/kb/suggest?q=${encodeURIComponent(query)}`, { headers: { Accept: 'application/json' }, signal: pending.signal, credentials: 'same-origin' })
      .then((response) => (response.ok ? response.json() : { articles: [] }))
      .then((data) => {
        if (query !== asked) return;
        const articles = Array.isArray(data.articles) ? data.articles : [];
        show(articles.filter((article) => typeof article.url === 'string' && article.url.startsWith('/kb/articles/')));
      })
      .catch(() => undefined);
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(lookUp, waitMs);
  });
  // A subject kept after a form error, or restored by the browser, gets its suggestions at once.
  if (input.value.trim()) lookUp();
})();
