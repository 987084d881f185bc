// Progressive enhancement only: a form marked data-upload-progress="ID" posts normally without
// this file. With it, the file is sent in the background, the element ID shows a <progress> bar
// while it uploads, and the page the server answers with (the report, or the errors) replaces
// the current one's main content.
(() => {
  if (!('FormData' in window) || !('DOMParser' in window) || !('upload' in new XMLHttpRequest())) return;

  const fill = (template, percent) => (template || '').replace('{percent}', String(percent));

  /** Puts the answered page's <main> in place of this one's and moves focus to what matters. */
  function show(html) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const next = doc.querySelector('main');
    const current = document.querySelector('main');
    if (!next || !current) return false;
    current.replaceWith(document.importNode(next, true));
    if (doc.title) document.title = doc.title;
    const main = document.querySelector('main');
    const target = main.querySelector('[data-autofocus]') || main.querySelector('#report-title') || main.querySelector('h1');
    if (target instanceof HTMLElement) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    }
    return true;
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.uploadProgress || event.defaultPrevented) return;
    const region = document.getElementById(form.dataset.uploadProgress);
    const bar = region && region.querySelector('progress');
    const status = region && region.querySelector('[role="status"]');
    if (!region || !bar || !status) return;
    event.preventDefault();

    const button = form.querySelector('button[type="submit"], button:not([type])');
    const xhr = new XMLHttpRequest();
    let milestone = -1;
    const settle = () => {
      if (button) button.disabled = false;
    };

    region.hidden = false;
    bar.value = 0;
    // Set after the region shows, so screen readers announce it.
    setTimeout(() => {
      if (milestone < 0) status.textContent = fill(status.dataset.uploaded, 0);
    }, 100);
    if (button) button.disabled = true;

    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.min(100, Math.round((e.loaded / e.total) * 100));
      bar.value = percent;
      const step = Math.floor(percent / 25);
      if (step !== milestone) {
        milestone = step;
        status.textContent = fill(status.dataset.uploaded, percent);
      }
    });
    xhr.upload.addEventListener('load', () => {
      milestone = Infinity;
      bar.removeAttribute('value');
      status.textContent = status.dataset.processing || '';
    });
    // Never send the file a second time: an answer without a page (a proxy's error, a body too
    // large) is told as a failure, like a broken connection, and the button can be pressed again.
    const failed = () => {
      settle();
      bar.value = 0;
      status.textContent = status.dataset.failed || '';
    };
    xhr.addEventListener('load', () => {
      settle();
      if (!show(xhr.responseText)) failed();
    });
    xhr.addEventListener('error', failed);
    xhr.addEventListener('abort', failed);
    xhr.addEventListener('timeout', failed);
    xhr.open('POST', form.action);
    xhr.setRequestHeader('accept', 'text/html');
    const csrf = form.querySelector('input[name="_csrf"]');
    if (csrf instanceof HTMLInputElement) xhr.setRequestHeader('x-csrf-token', csrf.value);
    xhr.send(new FormData(form));
  });
})();
