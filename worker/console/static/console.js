// The console's only script of its own (htmx does the rest). No inline script is
// allowed by the Content-Security-Policy, so behaviour hangs on data attributes.

// "Copy" buttons: data-copy names the element whose text is copied.
document.addEventListener('click', (e) => {
  const button = e.target instanceof Element ? e.target.closest('[data-copy]') : null;
  if (!button) return;
  const source = document.getElementById(button.getAttribute('data-copy') || '');
  if (!source) return;
  const done = (text) => {
    const status = document.getElementById(button.getAttribute('aria-describedby') || '');
    if (status) status.textContent = text;
  };
  navigator.clipboard.writeText(source.textContent || '').then(() => done('Copied.'), () => done('Copying failed: select the text and copy it.'));
});

// A refused htmx request (403, 409, 422...) shows the server's problem in the page's alert region instead of failing silently.
document.addEventListener('htmx:responseError', (e) => {
  const region = document.getElementById('console-alert');
  if (!region) return;
  const xhr = e.detail && e.detail.xhr;
  let text = 'The request failed.';
  try {
    const problem = JSON.parse(xhr.responseText);
    text = problem.detail || problem.title || text;
  } catch (_) {
    if (xhr && xhr.status) text = `The request failed (${xhr.status}).`;
  }
  region.textContent = text;
});
