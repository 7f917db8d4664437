/* Kopdig: small progressive enhancements, no framework.
   1. Money tables: every cell gets its column head as data-label; tables of 3+ columns get the class
      "stack" (kopdig.css shows them as a card per row on a phone).
   2. The section menu is open as a bar on wide screens and closes when a phone user taps outside.
   3. The current page is marked in the section's page row. */
(function () {
  "use strict";

  function heads(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var out = [];
    if (!head) return out;
    Array.prototype.forEach.call(head.cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) out.push(th.textContent.replace(/\s+/g, " ").trim());
    });
    return out;
  }

  function labelRow(tr, labels) {
    var col = 0;
    Array.prototype.forEach.call(tr.cells, function (cell) {
      if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", cell.colSpan > 1 ? "" : (labels[col] || ""));
      col += cell.colSpan || 1;
    });
  }

  function labelTables(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("table.table"), function (table) {
      var labels = heads(table);
      var first = table.tBodies[0] && table.tBodies[0].rows[0];
      var columns = labels.length || (first ? first.cells.length : 0);
      if (columns < 3 || table.classList.contains("keep")) return;
      table.classList.add("stack");
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (tr) { labelRow(tr, labels); });
      });
      if (table.tFoot) Array.prototype.forEach.call(table.tFoot.rows, function (tr) { labelRow(tr, labels); });
    });
  }

  function menus() {
    var wide = window.matchMedia("(min-width: 900px)");
    var menu = document.querySelector("[data-menu]");
    if (!menu) return;
    function sync() { menu.open = wide.matches; }
    sync();
    wide.addEventListener("change", sync);
    document.addEventListener("click", function (e) {
      if (!wide.matches && menu.open && !menu.contains(e.target)) menu.open = false;
    });
  }

  function markCurrent() {
    Array.prototype.forEach.call(document.querySelectorAll("nav.subnav a"), function (a) {
      if (a.pathname === window.location.pathname) {
        a.setAttribute("aria-current", "page");
        if (a.scrollIntoView && a.parentNode.scrollWidth > a.parentNode.clientWidth) {
          a.parentNode.scrollLeft = a.offsetLeft - 16;
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelTables(document);
    menus();
    markCurrent();
    document.body.addEventListener("htmx:afterSettle", function (e) { labelTables(e.target); });
  });
})();
