// Chancery: small enhancements; every page works without this script.
(function () {
  "use strict";
  var open = null;
  function closePopover() {
    if (open) { open.remove(); open = null; }
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.fnref");
    if (!a) {
      if (open && !open.contains(e.target)) closePopover();
      return;
    }
    var id = a.getAttribute("href").slice(1);
    var note = document.getElementById(id);
    if (!note) return;
    e.preventDefault();
    closePopover();
    var pop = document.createElement("div");
    pop.className = "popover";
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-label", "Note " + a.textContent);
    var body = document.createElement("div");
    Array.prototype.forEach.call(note.childNodes, function (n) { body.appendChild(n.cloneNode(true)); });
    var back = body.querySelector(".backlink");
    if (back) back.remove();
    pop.appendChild(body);
    var go = document.createElement("a");
    go.className = "go";
    go.href = "#" + id;
    go.textContent = "Go to note in the list";
    go.addEventListener("click", closePopover);
    pop.appendChild(go);
    pop.tabIndex = -1;
    document.body.appendChild(pop);
    var r = a.getBoundingClientRect();
    var left = Math.max(8, Math.min(window.scrollX + r.left - 20, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8));
    pop.style.left = left + "px";
    pop.style.top = (window.scrollY + r.bottom + 6) + "px";
    open = pop;
    pop.focus();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { closePopover(); return; }
    var t = e.target;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]")) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") {
      var q = document.getElementById("quick-q") || document.getElementById("sq") || document.getElementById("home-q");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    } else if (e.key === "j" || e.key === "k") {
      var l = document.getElementById(e.key === "j" ? "next-doc" : "prev-doc");
      if (l) location.href = l.href;
    }
  });
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button.copy");
    if (!b) return;
    var src = document.getElementById(b.getAttribute("data-copy"));
    if (!src || !navigator.clipboard) return;
    navigator.clipboard.writeText(src.textContent.trim()).then(function () {
      b.textContent = "Copied";
      setTimeout(function () { b.textContent = "Copy citation"; }, 2000);
    });
  });
})();
