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
    // On a phone the menu is one row that scrolls sideways: the current page's item in view.
    var current = document.querySelector(".main-nav [aria-current=page]");
    if (current && current.scrollIntoView) {
      current.scrollIntoView({ block: "nearest", inline: "center" });
    }
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

  // The filing form's place box (web/places/_place_field.html): choosing a place the gazetteer
  // suggests fills its names in both languages, its coordinates and their precision: the place
  // itself (1), or a district (3); "nearby" (2), if the filer chose it, stays.
  function fill(form, name, value) {
    var box = form.elements[name];
    if (box) {
      box.value = value;
    }
  }

  function choose(button) {
    var form = button.form;
    var d = button.dataset;
    var list = document.getElementById("place-suggestions");
    fill(form, "place", d.name);
    fill(form, "place_ar", d.placeAr);
    fill(form, "place_en", d.placeEn);
    fill(form, "latitude", d.latitude);
    fill(form, "longitude", d.longitude);
    var precision = form.elements.geo_precision;
    if (precision) {
      precision.value = d.precision === "1" && precision.value === "2" ? "2" : d.precision;
    }
    document.getElementById("place-status").textContent = d.name + ": " + list.getAttribute("data-chosen");
    list.innerHTML = "";
    form.elements.place.focus();
  }

  function suggestions() {
    return Array.prototype.slice.call(document.querySelectorAll("#place-suggestions button.suggestion"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("#place-suggestions button.suggestion") : null;
    if (button) {
      choose(button);
    }
  });

  document.addEventListener("input", function (event) {
    // A place typed by hand is no longer the one chosen: its other language goes.
    if (event.target.id === "f-place" && event.target.form) {
      fill(event.target.form, "place_ar", "");
      fill(event.target.form, "place_en", "");
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var buttons = suggestions();
    if (!buttons.length) {
      return;
    }
    var at = buttons.indexOf(target);
    if (target.id === "f-place" && event.key === "ArrowDown") {
      buttons[0].focus();
    } else if (at >= 0 && event.key === "ArrowDown") {
      buttons[Math.min(at + 1, buttons.length - 1)].focus();
    } else if (at >= 0 && event.key === "ArrowUp") {
      (at === 0 ? document.getElementById("f-place") : buttons[at - 1]).focus();
    } else if ((at >= 0 || target.id === "f-place") && event.key === "Escape") {
      document.getElementById("place-suggestions").innerHTML = "";
      document.getElementById("f-place").focus();
    } else {
      return;
    }
    event.preventDefault();
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
