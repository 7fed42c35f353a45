// Docs pages: draw mermaid diagrams (when the page loaded the bundled
// mermaid script) in the portal's light or dark theme, keep tab choices in
// step, let the keyboard reach wide code blocks. Everything else on a docs
// page works without JavaScript.
(function () {
  "use strict";
  function dark() {
    var t = document.documentElement.getAttribute("data-theme");
    if (t === "dark" || t === "light") return t === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  function drawDiagrams() {
    if (!window.mermaid) return;
    var nodes = document.querySelectorAll(".docs-content .mermaid, .docs-content pre > code.language-mermaid");
    var targets = [];
    nodes.forEach(function (node) {
      // A fenced block rendered as code: draw into a div in its place.
      if (node.tagName === "CODE") {
        var div = document.createElement("div");
        div.className = "mermaid";
        div.textContent = node.textContent;
        node.parentNode.replaceWith(div);
        node = div;
      } else if (node.tagName === "PRE" && node.querySelector("code")) {
        node.textContent = node.querySelector("code").textContent;
      }
      targets.push(node);
    });
    if (!targets.length) return;
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark() ? "dark" : "default" });
    window.mermaid.run({ nodes: targets }).catch(function () {});
  }
  // Tabs: the same label chosen in one tab set is chosen in the others.
  function linkTabs() {
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.matches || !input.matches(".tabbed-set > input")) return;
      var label = input.parentNode.querySelector('label[for="' + input.id + '"]');
      if (!label) return;
      var text = label.textContent.trim();
      document.querySelectorAll(".tabbed-set").forEach(function (set) {
        if (set === input.parentNode) return;
        set.querySelectorAll(":scope > .tabbed-labels > label, :scope > label").forEach(function (other) {
          if (other.textContent.trim() === text) {
            var target = document.getElementById(other.htmlFor);
            if (target && !target.checked) target.checked = true;
          }
        });
      });
    });
  }
  // Code blocks wider than the page scroll; make them reachable by keyboard.
  function focusableScrollers() {
    document.querySelectorAll(".docs-content pre").forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth + 1 && !pre.hasAttribute("tabindex")) {
        pre.setAttribute("tabindex", "0");
      }
    });
  }
  function ready() {
    focusableScrollers();
    drawDiagrams();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  linkTabs();
})();
