// Progressive enhancement only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('[data-autofocus]');
  if (summary instanceof HTMLElement) summary.focus();
});
