// ceasefire: small enhancements only. Every page works without this file.
(function () {
  "use strict";

  // A form that came back with errors: bring its summary into view and give it focus.
  function focusErrors(root) {
    var summary = (root || document).querySelector(".error-summary[tabindex]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrors(document);
    // A block just added to a form (another finding, another recommendation): its first box
    // takes the keyboard, unless errors came back first.
    var form = document.querySelector("form[data-focus]");
    if (form && !document.querySelector(".error-summary[tabindex]")) {
      var box = document.getElementById(form.getAttribute("data-focus"));
      if (box) {
        box.focus();
      }
    }
  });

  // After htmx swaps a decision card in, keep the keyboard where the user was working.
  document.addEventListener("htmx:afterSwap", function () {
    var summary = document.querySelector(".decision .error-summary[tabindex]");
    if (summary) {
      summary.focus();
      return;
    }
    var status = document.querySelector(".decision [role='status']");
    if (status) {
      status.setAttribute("tabindex", "-1");
      status.focus();
    }
  });
})();
