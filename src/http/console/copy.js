// The copy buttons: copy a statement's text (its data-copy attribute) to the clipboard. A file
// of its own because the pages' Content-Security-Policy forbids inline scripts. Without it, the
// statement stays selectable in its <blockquote>.
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy]");
  if (!button) return;
  var text = button.getAttribute("data-copy");
  var done = function (label) {
    var before = button.textContent;
    button.textContent = label;
    setTimeout(function () { button.textContent = before; }, 2000);
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(text).then(
      function () { done("Copied"); },
      function () { done("Select the text above and copy it"); }
    );
  } else {
    done("Select the text above and copy it");
  }
});
