/* Byline's preview script. It runs in a private script world, so the page (whose own scripts are
 * off) can neither see nor call it. It patches only the top-level blocks that changed, so the page
 * never reloads and the reader's scroll position stays where it was. */
'use strict';

(function () {
  /* For each top-level block: how many DOM nodes it made, and its first source line. */
  let counts = [];
  let lines = [];

  function content () {
    return document.getElementById('byline-content');
  }

  function nodeIndexOfBlock (block) {
    let index = 0;
    for (let i = 0; i < block; i++)
      index += counts[i];
    return index;
  }

  /* Replaces blocks [start, start + removeCount) with the blocks in htmls; newLines holds the first
   * source line of every block of the new document. Returns the document's height, read to force
   * the layout, so that the caller's callback means "patched and laid out". */
  function patch (start, removeCount, htmls, newLines) {
    const root = content();
    const first = nodeIndexOfBlock(start);
    let removeNodes = 0;
    for (let i = start; i < start + removeCount; i++)
      removeNodes += counts[i];

    for (let i = 0; i < removeNodes; i++)
      root.removeChild(root.childNodes[first]);

    /* A template's content loads nothing and runs no script; the blocks' images load once, in
     * the page. It is parsed by rules of its own, though, which keep a table row that a page's
     * body drops, for one: a <body> start tag first, which the parser then ignores, makes it
     * parse the rest as the published page does, as content of the page's body. */
    const ref = root.childNodes[first] || null;
    const newCounts = [];
    const template = document.createElement('template');
    for (const html of htmls) {
      template.innerHTML = '<body>' + html;
      newCounts.push(template.content.childNodes.length);
      root.insertBefore(template.content, ref);
    }
    counts.splice(start, removeCount, ...newCounts);
    lines = newLines;
    return document.documentElement.scrollHeight;
  }

  function setMeta (title, titlePlaceholder, author, date) {
    const titleElement = document.getElementById('byline-title');
    titleElement.textContent = title;
    titleElement.dataset.placeholder = titlePlaceholder;
    document.title = title;
    document.getElementById('byline-author').textContent = author;
    document.getElementById('byline-date').textContent = date;
    return 0;
  }

  /* The draft's language (a BCP 47 tag): hyphenation and quotation marks follow it. */
  function setLang (lang) {
    document.documentElement.lang = lang;
    return 0;
  }

  function setDark (dark) {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    return 0;
  }

  function blockForLine (line) {
    /* The last block starting at or before the line: a binary search, lines are ascending. */
    let low = 0, high = lines.length - 1, found = 0;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (lines[mid] <= line) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  function firstElementOfBlock (block) {
    const root = content();
    let index = nodeIndexOfBlock(block);
    for (let i = 0; i < counts[block]; i++, index++) {
      const node = root.childNodes[index];
      if (node && node.nodeType === Node.ELEMENT_NODE)
        return node;
    }
    return null;
  }

  /* Keeps the block of a source line in view: scrolls only when it is not visible, and then puts
   * it a third of the way down, so that typing never makes the page jump. */
  function revealLine (line) {
    if (lines.length === 0)
      return window.scrollY;
    const element = firstElementOfBlock(blockForLine(line));
    if (!element)
      return window.scrollY;
    const rect = element.getBoundingClientRect();
    const viewport = window.innerHeight;
    if (rect.top >= 0 && rect.top < viewport - 24)
      return window.scrollY;
    if (rect.top < 0 && rect.bottom > viewport / 3)
      return window.scrollY;
    window.scrollTo(0, window.scrollY + rect.top - viewport / 3);
    return window.scrollY;
  }

  function state () {
    return JSON.stringify({ blocks: counts.length, scrollY: window.scrollY, lines: lines.length });
  }

  window.byline = { patch, setMeta, setLang, setDark, revealLine, state, blockForLine };
})();
