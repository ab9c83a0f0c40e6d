// Shared behaviour of every page: the theme toggle and auto-submitting selects.
const root = document.documentElement;

function setTheme(theme) {
  root.dataset.theme = theme;
  try { localStorage.setItem("benchlab-theme", theme); } catch (e) { /* private mode */ }
  document.dispatchEvent(new CustomEvent("benchlab:theme", { detail: theme }));
}

document.getElementById("theme-toggle")?.addEventListener("click", () => {
  setTheme(root.dataset.theme === "light" ? "dark" : "light");
});

for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.submit());
}
