// Small behaviours shared by the pages; htmx does the rest.
(function () {
  "use strict";
  // "Select all" for batch decisions: a checkbox with data-select-all="name" toggles boxes of that name.
  document.addEventListener("change", function (e) {
    var name = e.target.getAttribute && e.target.getAttribute("data-select-all");
    if (!name) return;
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      if (!box.disabled) box.checked = e.target.checked;
    });
  });
  // A button with data-confirm asks first (instead of an inline onclick, which the
  // Content-Security-Policy forbids); data-print prints the page.
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-confirm], [data-print]");
    if (!el) return;
    if (el.hasAttribute("data-print")) { window.print(); return; }
    if (!window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); e.stopImmediatePropagation(); }
  });
  // Long-running forms (an evaluation run, an import): one click, and show that it is working.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute("data-busy")) return;
    if (form.dataset.submitted) { e.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.classList.add("is-busy");
  });
  // A refused htmx request (403/404/409/500) shows its message instead of failing silently.
  document.body.addEventListener("htmx:responseError", function (e) {
    var box = document.getElementById("messages");
    if (!box) return;
    var div = document.createElement("div");
    div.className = "alert alert-danger";
    div.textContent = "操作未完成（" + e.detail.xhr.status + "）：" + (e.detail.xhr.getResponseHeader("X-Jinjie-Message") ? decodeURIComponent(e.detail.xhr.getResponseHeader("X-Jinjie-Message")) : "请刷新页面后重试");
    box.appendChild(div);
  });
})();
