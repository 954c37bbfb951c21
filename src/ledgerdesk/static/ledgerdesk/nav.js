// Main nav menus are <details> elements, so they open and close by keyboard (Enter/Space on the
// summary) and are announced as expanded/collapsed without any script. This adds what a menu
// is expected to do besides: one open at a time, and Escape, a click outside or tabbing away
// closes it.
(function () {
  "use strict";

  function menus() {
    return document.querySelectorAll(".mainnav details.navmenu");
  }

  function closeAll(except) {
    menus().forEach(function (menu) {
      if (menu !== except) menu.open = false;
    });
  }

  function setUp() {
    menus().forEach(function (menu) {
      // "toggle" does not bubble, so each menu gets its own listener.
      menu.addEventListener("toggle", function () {
        if (menu.open) closeAll(menu);
      });
      menu.addEventListener("focusout", function (event) {
        // relatedTarget is null when focus goes nowhere (a click on the page); the click
        // handler below deals with that.
        if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) {
          menu.open = false;
        }
      });
    });

    document.addEventListener("click", function (event) {
      menus().forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      menus().forEach(function (menu) {
        if (!menu.open) return;
        var hadFocus = menu.contains(document.activeElement);
        menu.open = false;
        // Back to the menu's button, so the keyboard user is where they started.
        if (hadFocus) menu.querySelector("summary").focus();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
