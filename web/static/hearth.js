// Progressive enhancement for every page; everything works without it.
// Runs in <head>: marks the document so the phone layout may fold the
// navigation behind the menu button without a flash.
document.documentElement.classList.add('js');
document.addEventListener('DOMContentLoaded', () => {
  const button = document.querySelector('.menu-button');
  const nav = document.getElementById('site-nav');
  if (!button || !nav) return;
  button.hidden = false;
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('open', open);
  });
});
