// The gift form on /support/, made nicer with JavaScript: one amount at a time. Without it the
// server takes "Other amount" over a chosen preset.
(() => {
  "use strict";

  const form = document.querySelector(".support-form form");
  if (!form) return;
  const other = form.querySelector("input[name='other']");
  const presets = form.querySelectorAll("input[name='preset']");
  if (!other) return;

  presets.forEach((preset) => {
    preset.addEventListener("change", () => {
      if (preset.checked) other.value = "";
    });
  });
  other.addEventListener("input", () => {
    if (other.value === "") return;
    presets.forEach((preset) => { preset.checked = false; });
  });
})();
