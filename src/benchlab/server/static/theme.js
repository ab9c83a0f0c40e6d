// Runs before the first paint (a classic script in <head>) so a light-theme user never sees a dark flash.
(function () {
  try {
    var saved = localStorage.getItem("benchlab-theme");
    if (saved === "light" || saved === "dark") document.documentElement.dataset.theme = saved;
  } catch (e) { /* storage may be off: keep the default dark theme */ }
})();
