// Progressive enhancement for every page; everything works without it.
// Runs in <head>: marks the document so the phone layout may fold the
// navigation behind the menu button without a flash.
document.documentElement.classList.add('js');
// A labelled box of suggestions after `field`: a polite live region that
// says how many there are, and the list itself. Hidden until filled.
function suggestionBox(field, className, label) {
  const box = document.createElement('div');
  box.className = className;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', label);
  box.hidden = true;
  const said = document.createElement('p');
  said.className = 'visually-hidden';
  said.setAttribute('aria-live', 'polite');
  const list = document.createElement('ul');
  box.append(said, list);
  field.after(box);
  return { box, said, list };
}

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
  // Composers count characters as the server does (code points) and keep
  // a text over the limit from being sent, so it is never lost to a
  // refusal; the server refuses it anyway and gives the form back.
  document.querySelectorAll('textarea[data-max-chars]').forEach((area) => {
    const max = Number(area.dataset.maxChars);
    const counter = document.querySelector(`#${area.id}-count .counter`);
    const tooLong = document.getElementById(`${area.id}-too-long`);
    const digits = new Intl.NumberFormat(document.documentElement.lang || 'en');
    const over = () => [...area.value.trim()].length > max;
    const update = () => {
      const n = [...area.value].length;
      if (counter) counter.textContent = `(${digits.format(n)} / ${digits.format(max)})`;
      const bad = over();
      if (tooLong) tooLong.hidden = !bad;
      if (bad) area.setAttribute('aria-invalid', 'true');
      else if (!document.getElementById(`${area.id}-error`)) area.removeAttribute('aria-invalid');
    };
    area.addEventListener('input', update);
    update();
    area.form?.addEventListener('submit', (e) => {
      if (over()) {
        e.preventDefault();
        update();
        area.focus();
      }
    });
  });
  // Profile settings: a member who has not chosen a time zone gets their
  // browser's preselected (if the list has it), and is told it is not
  // saved until they save the form.
  const zoneSelect = document.querySelector('select[data-browser-zone]');
  if (zoneSelect && zoneSelect.value === '') {
    let browserZone = '';
    try {
      browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    } catch (e) {
      browserZone = '';
    }
    const option = Array.from(zoneSelect.options).find((o) => o.value === browserZone);
    if (browserZone && option) {
      zoneSelect.value = browserZone;
      const said = document.getElementById('time-zone-detected');
      if (said) said.hidden = false;
    }
  }
  // Live preview: the server renders the Markdown exactly as it will
  // render the post (same sanitiser), a moment after typing stops.
  document.querySelectorAll('textarea[data-preview]').forEach((area) => {
    const csrf = area.form?.querySelector('input[name=csrf]');
    if (!csrf) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary preview-toggle';
    button.textContent = area.dataset.preview;
    button.setAttribute('aria-expanded', 'false');
    const pane = document.createElement('div');
    pane.id = `${area.id}-preview`;
    pane.className = 'body preview';
    pane.dir = 'auto';
    pane.hidden = true;
    pane.setAttribute('aria-live', 'polite');
    pane.setAttribute('aria-label', area.dataset.preview);
    pane.setAttribute('role', 'region');
    button.setAttribute('aria-controls', pane.id);
    area.after(pane);
    area.after(button);
    let timer = 0;
    let asked = 0;
    const render = async () => {
      const mine = ++asked;
      const body = new URLSearchParams({ csrf: csrf.value, body: area.value });
      try {
        const r = await fetch('/preview', { method: 'POST', body, credentials: 'same-origin' });
        if (r.ok && mine === asked) pane.innerHTML = await r.text();
      } catch (_) { /* offline: the preview waits for the next keystroke */ }
    };
    button.addEventListener('click', () => {
      const open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      pane.hidden = !open;
      if (open) render();
    });
    area.addEventListener('input', () => {
      if (pane.hidden) return;
      clearTimeout(timer);
      timer = setTimeout(render, 300);
    });
  });
  // Attachments: a button, pasting and dropping files send each one to
  // the server, which checks and keeps it; the Markdown that shows it
  // takes the place of a placeholder at the cursor. The body is the file
  // itself (never read as a form), the name in the address.
  document.querySelectorAll('textarea[data-upload]').forEach((area) => {
    const csrf = area.form?.querySelector('input[name=csrf]');
    if (!csrf) return;
    const max = Number(area.dataset.uploadMax) || 0;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary attach';
    button.textContent = area.dataset.upload;
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.hidden = true;
    input.id = `${area.id}-files`;
    const status = document.createElement('p');
    status.className = 'upload-status muted';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    area.after(status);
    area.after(input);
    area.after(button);
    button.addEventListener('click', () => input.click());
    let serial = 0;
    const changed = () => area.dispatchEvent(new Event('input', { bubbles: true }));
    const send = async (file) => {
      if (max && file.size > max) {
        status.textContent = area.dataset.uploadTooLarge;
        return;
      }
      const name = file.name || 'pasted.png';
      const placeholder = `![${area.dataset.uploading} ${++serial}]()`;
      const at = area.selectionStart;
      const before = at > 0 && area.value[at - 1] !== '\n' ? '\n' : '';
      area.setRangeText(`${before}${placeholder}\n`, at, area.selectionEnd, 'end');
      status.textContent = area.dataset.uploading;
      const put = (text) => {
        const i = area.value.indexOf(placeholder);
        if (i >= 0) area.setRangeText(text, i, i + placeholder.length, 'preserve');
        changed();
      };
      try {
        const r = await fetch(`/uploads?name=${encodeURIComponent(name)}`, {
          method: 'POST',
          body: file,
          credentials: 'same-origin',
          headers: { 'X-CSRF-Token': csrf.value, 'Content-Type': 'application/octet-stream' },
        });
        const answer = await r.json().catch(() => null);
        if (r.ok && answer) {
          put(answer.markdown);
          status.textContent = answer.name;
        } else {
          put('');
          status.textContent = answer?.error?.message || area.dataset.uploadFailed;
        }
      } catch (_) {
        put('');
        status.textContent = area.dataset.uploadFailed;
      }
    };
    input.addEventListener('change', () => {
      [...input.files].forEach(send);
      input.value = '';
    });
    area.addEventListener('paste', (e) => {
      const files = [...(e.clipboardData?.files || [])];
      if (!files.length) return;
      e.preventDefault();
      files.forEach(send);
    });
    area.addEventListener('dragover', (e) => {
      if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
      e.preventDefault();
      area.classList.add('dropping');
    });
    area.addEventListener('dragleave', () => area.classList.remove('dropping'));
    area.addEventListener('drop', (e) => {
      area.classList.remove('dropping');
      const files = [...(e.dataTransfer?.files || [])];
      if (!files.length) return;
      e.preventDefault();
      area.focus();
      files.forEach(send);
    });
  });
  // The member's picture: chosen, sent, and shown at once.
  document.querySelectorAll('[data-avatar-upload]').forEach((box) => {
    const input = box.querySelector('input[type=file]');
    const status = box.querySelector('.upload-status');
    input?.addEventListener('change', async () => {
      const file = input.files[0];
      if (!file) return;
      try {
        const r = await fetch('/settings/avatar', {
          method: 'POST',
          body: file,
          credentials: 'same-origin',
          headers: { 'X-CSRF-Token': box.dataset.csrf, 'Content-Type': 'application/octet-stream' },
        });
        const answer = await r.json().catch(() => null);
        if (r.ok && answer) {
          document.querySelectorAll('.profile-avatar img.avatar').forEach((img) => { img.src = answer.url; });
          status.textContent = box.dataset.saved;
        } else {
          status.textContent = answer?.error?.message || box.dataset.failed;
        }
      } catch (_) {
        status.textContent = box.dataset.failed;
      }
      input.value = '';
    });
  });
  // Drafts: what the member types is kept on the server a moment after
  // they stop, so a reload, a closed tab or another device finds it
  // (the page puts it back in the form); posting it discards it.
  document.querySelectorAll('textarea[data-draft]').forEach((area) => {
    const form = area.form;
    const csrf = form?.querySelector('input[name=csrf]');
    if (!csrf) return;
    const title = form.querySelector('input[name=title]');
    const status = document.createElement('p');
    status.className = 'muted draft-status';
    status.setAttribute('role', 'status');
    (area.parentElement.querySelector('.preview-toggle') || area).after(status);
    let timer = 0;
    let sent = `${title ? title.value : ''}\u0000${area.value}`;
    const save = async () => {
      const now = `${title ? title.value : ''}\u0000${area.value}`;
      if (now === sent) return;
      const body = new URLSearchParams({ csrf: csrf.value, title: title ? title.value : '', body: area.value });
      try {
        const r = await fetch(`/drafts/${encodeURIComponent(area.dataset.draft)}`,
          { method: 'POST', body, credentials: 'same-origin' });
        if (r.ok) {
          sent = now;
          status.textContent = area.dataset.draftSaved;
        }
      } catch (_) { /* offline: the next keystroke tries again */ }
    };
    const later = () => {
      status.textContent = '';
      clearTimeout(timer);
      timer = setTimeout(save, 800);
    };
    area.addEventListener('input', later);
    title?.addEventListener('input', later);
  });
  // Quote-reply: each post gets a Quote button that puts the passage the
  // reader selected in it (or, with nothing selected, its opening) into
  // the reply form as a Markdown quote crediting its author.
  const reply = document.getElementById('reply');
  const replyBody = reply?.querySelector('textarea[name=body]');
  if (reply && replyBody) {
    document.querySelectorAll('article.post[data-author]').forEach((post) => {
      const text = post.querySelector('.body:not(.placeholder)');
      const actions = post.querySelector('.actions');
      if (!text || !actions) return;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary quote';
      button.textContent = reply.dataset.quote;
      // Read the selection before the click moves the focus away.
      const selected = () => {
        const sel = window.getSelection();
        return sel && !sel.isCollapsed && text.contains(sel.anchorNode)
          && text.contains(sel.focusNode) ? sel.toString() : '';
      };
      let chosen = '';
      button.addEventListener('pointerdown', () => { chosen = selected(); });
      button.addEventListener('click', () => {
        const passage = (chosen || selected() || text.innerText.slice(0, 500)).trim();
        chosen = '';
        if (!passage) return;
        const quoted = passage.split('\n').map((l) => `> ${l}`).join('\n');
        const credit = `@${post.dataset.author} [${reply.dataset.quoteWrote}](/p/${post.id.slice(1)}):`;
        const before = replyBody.value.trimEnd();
        replyBody.value = `${before ? `${before}\n\n` : ''}${credit}\n${quoted}\n\n`;
        replyBody.dispatchEvent(new Event('input', { bubbles: true }));
        replyBody.focus();
        replyBody.setSelectionRange(replyBody.value.length, replyBody.value.length);
      });
      actions.prepend(button);
    });
  }
  // Agents: a canned response goes in where the cursor is, keeping what
  // was typed (without JavaScript the page reloads with it in the form).
  const canned = document.getElementById('canned-form');
  const agentReply = document.getElementById('reply-body');
  if (canned && agentReply) {
    canned.addEventListener('submit', (e) => {
      const option = canned.querySelector('select option:checked');
      if (!option || option.dataset.text === undefined) return;
      e.preventDefault();
      const text = option.dataset.text;
      const start = agentReply.selectionStart ?? agentReply.value.length;
      const end = agentReply.selectionEnd ?? start;
      agentReply.setRangeText(text, start, end, 'end');
      agentReply.dispatchEvent(new Event('input', { bubbles: true }));
      agentReply.focus();
    });
  }
  // Instant results under a search box: the first few matches as links
  // while typing (arrow keys move through them, Escape closes), and the
  // count said to screen readers. Enter still opens the full search.
  document.querySelectorAll('input[data-instant]').forEach((input) => {
    const { box, said, list } = suggestionBox(input, 'instant', input.dataset.instant);
    let timer = 0;
    let asked = 0;
    const close = () => { box.hidden = true; };
    const links = () => [...list.querySelectorAll('a')];
    const show = async () => {
      const q = input.value.trim();
      const mine = ++asked;
      if ([...q].length < 2) { list.replaceChildren(); said.textContent = ''; close(); return; }
      try {
        const r = await fetch(`/search/instant?q=${encodeURIComponent(q)}`, { credentials: 'same-origin' });
        if (!r.ok || mine !== asked) return;
        const found = await r.json();
        list.replaceChildren(...found.results.map((hit) => {
          const li = document.createElement('li');
          const a = document.createElement('a');
          a.href = hit.url;
          a.dir = 'auto';
          a.textContent = hit.title;
          if (hit.solved) a.className = 'solved';
          li.append(a);
          return li;
        }));
        said.textContent = found.said;
        box.hidden = found.results.length === 0;
      } catch (_) { /* offline: the full search still works */ }
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(show, 200);
    });
    const move = (e, from) => {
      const all = links();
      if (!all.length) return;
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        all[Math.min(from + 1, all.length - 1)].focus();
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        if (from <= 0) input.focus(); else all[from - 1].focus();
      } else if (e.key === 'Escape') {
        close();
        input.focus();
      }
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' && box.hidden && list.children.length) box.hidden = false;
      move(e, -1);
    });
    list.addEventListener('keydown', (e) => move(e, links().indexOf(document.activeElement)));
    // Leaving the box and the field (not moving between them) closes it.
    input.form?.addEventListener('focusout', () => {
      setTimeout(() => { if (!input.form.contains(document.activeElement)) close(); }, 0);
    });
  });
  // @mention completion: after "@" and a letter or two, members whose
  // username starts so are listed under the composer; ArrowDown reaches
  // them, Enter or a click puts "@username " in, Escape goes back.
  document.querySelectorAll('textarea[data-mentions]').forEach((area) => {
    const { box, said, list } = suggestionBox(area, 'mentions instant', area.dataset.mentions);
    let timer = 0;
    let asked = 0;
    // The "@prefix" just before the caret, if the member is typing one.
    const typing = () => {
      const before = area.value.slice(0, area.selectionStart);
      const m = before.match(/(^|[\s(])@([\p{L}\p{N}_.-]{1,32})$/u);
      return m ? { prefix: m[2], start: before.length - m[2].length - 1 } : null;
    };
    const close = () => { box.hidden = true; };
    const choose = (username) => {
      const at = typing();
      if (!at) { close(); area.focus(); return; }
      const end = area.selectionStart;
      area.setRangeText(`@${username} `, at.start, end, 'end');
      close();
      area.focus();
      area.dispatchEvent(new Event('input', { bubbles: true }));
    };
    const suggest = async () => {
      const at = typing();
      const mine = ++asked;
      if (!at) { close(); return; }
      try {
        const r = await fetch(`/members/mention?q=${encodeURIComponent(at.prefix)}`, { credentials: 'same-origin' });
        if (!r.ok || mine !== asked) return;
        const found = await r.json();
        list.replaceChildren(...found.results.map((m) => {
          const li = document.createElement('li');
          const b = document.createElement('button');
          b.type = 'button';
          b.dir = 'auto';
          b.textContent = `@${m.username} · ${m.name}`;
          b.addEventListener('click', () => choose(m.username));
          li.append(b);
          return li;
        }));
        said.textContent = found.said;
        box.hidden = found.results.length === 0;
      } catch (_) { /* offline: type the name out */ }
    };
    area.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
    const buttons = () => [...list.querySelectorAll('button')];
    area.addEventListener('keydown', (e) => {
      if (box.hidden) return;
      if (e.key === 'ArrowDown') { e.preventDefault(); buttons()[0]?.focus(); }
      else if (e.key === 'Escape') { e.preventDefault(); close(); }
    });
    list.addEventListener('keydown', (e) => {
      const all = buttons();
      const i = all.indexOf(document.activeElement);
      if (e.key === 'ArrowDown') { e.preventDefault(); all[Math.min(i + 1, all.length - 1)].focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); if (i <= 0) area.focus(); else all[i - 1].focus(); }
      else if (e.key === 'Escape') { e.preventDefault(); close(); area.focus(); }
    });
  });
  let pending = 0;
  window.addEventListener('resize', () => {
    clearTimeout(pending);
    pending = setTimeout(scrollables, 150);
  });
});
