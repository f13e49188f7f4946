// Progressive enhancement for every page; everything works without it.
// Runs in <head>: marks the document so the phone layout may fold the
// navigation behind the menu button without a flash.
document.documentElement.classList.add('js');
document.addEventListener('DOMContentLoaded', () => {
  const button = document.querySelector('.menu-button');
  const nav = document.getElementById('site-nav');
  if (button && nav) {
    button.hidden = false;
    const setOpen = (open) => {
      button.setAttribute('aria-expanded', String(open));
      nav.classList.toggle('open', open);
    };
    button.addEventListener('click', () => {
      setOpen(button.getAttribute('aria-expanded') !== 'true');
    });
    // Escape closes the menu and gives the focus back to its button.
    nav.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
        setOpen(false);
        button.focus();
      }
    });
  }
  // A code block or table wider than the screen scrolls inside itself;
  // keyboard users need to reach it to scroll it (WCAG 2.1.1).
  const scrollables = () => {
    document.querySelectorAll('main pre, main table').forEach((el) => {
      if (el.scrollWidth > el.clientWidth + 1) {
        if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
      } else if (el.getAttribute('tabindex') === '0') {
        el.removeAttribute('tabindex');
      }
    });
  };
  scrollables();
  let pending = 0;
  window.addEventListener('resize', () => {
    clearTimeout(pending);
    pending = setTimeout(scrollables, 150);
  });
});
