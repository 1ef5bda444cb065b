// The gift form on /support/, made nicer with JavaScript: one amount at a time, and amounts
// shown in the currency chosen. Without it the server takes "Other amount" over a chosen
// preset, and the presets keep the first currency's symbol.
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

  const currency = form.querySelector("select[name='currency']");
  if (!currency || !form.dataset.symbols) return;
  const symbols = Object.fromEntries(form.dataset.symbols.split(" ").map((pair) => pair.split(":")));
  const relabel = () => {
    const symbol = symbols[currency.value] || "";
    presets.forEach((preset) => {
      const label = form.querySelector(`label[for='${preset.id}']`);
      if (label) label.textContent = symbol + Number(preset.value).toLocaleString("en-GB");
    });
    const otherLabel = form.querySelector(`label[for='${other.id}']`);
    if (otherLabel) otherLabel.textContent = symbol ? `Other amount (${symbol})` : "Other amount";
  };
  currency.addEventListener("change", relabel);
})();
