// Forms with data-confirm="question" ask before submitting (replaces inline onsubmit=, which the CSP forbids).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
