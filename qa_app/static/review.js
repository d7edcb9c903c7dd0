// Keyboard shortcuts on the review page (templates/reviews/review.html; the help overlay lists them):
//   j / k   focus the next / previous flag in the side list (and scroll its message into view)
//   c / d   confirm / dismiss the focused flag
//   1-9     choose that point (N/A counts as the last one) for the focused criterion of the scoring form
//   s       save the draft
//   ?       show / hide the help overlay (Esc closes it)
// Nothing fires while typing in a text field or with Ctrl/Alt/Meta held (access key n stays the browser's).
(function () {
  "use strict";

  const flags = function () { return Array.from(document.querySelectorAll(".flag-list .flag-item")); };
  const help = document.getElementById("shortcut-help");
  let currentCriterion = null; // the criterion whose answer last had focus
  let opener = null;

  function typing(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable) return true;
    const tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") return true;
    if (tag !== "input") return false;
    return !["radio", "checkbox", "button", "submit", "reset"].includes((target.type || "text").toLowerCase());
  }

  function focusedFlag() {
    const active = document.activeElement;
    return active && active.closest ? active.closest(".flag-list .flag-item") : null;
  }

  function moveFlag(step) {
    const list = flags();
    if (!list.length) return;
    const index = list.indexOf(focusedFlag());
    const next = list[index < 0 ? (step > 0 ? 0 : list.length - 1) : (index + step + list.length) % list.length];
    list.forEach(function (li) { li.classList.remove("flag-current"); });
    next.classList.add("flag-current");
    next.focus();
    const message = next.dataset.message && document.getElementById(next.dataset.message);
    if (message) message.scrollIntoView({ block: "nearest" });
    next.scrollIntoView({ block: "nearest" });
  }

  function judge(verdict) {
    const li = focusedFlag();
    const button = li && li.querySelector('button[data-verdict="' + verdict + '"]');
    if (button && !button.disabled) button.click();
  }

  function choosePoint(number) {
    const criterion = (document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".criterion") : null) || currentCriterion;
    if (!criterion) return;
    const radios = criterion.querySelectorAll("input[type=radio]");
    const radio = radios[number - 1];
    if (!radio) return;
    radio.click(); // a click fires "change", so the live total (rubrics.js) updates
    radio.focus();
  }

  function saveDraft() {
    const button = document.querySelector(".scoring-form [name=save]");
    if (button) button.click();
  }

  function toggleHelp(show) {
    if (!help) return;
    const open = show === undefined ? help.hidden : show;
    if (open) {
      opener = document.activeElement;
      help.hidden = false;
      help.focus();
    } else {
      help.hidden = true;
      if (opener && opener.focus) opener.focus();
    }
  }

  document.addEventListener("focusin", function (event) {
    const criterion = event.target.closest ? event.target.closest(".criterion") : null;
    if (criterion) currentCriterion = criterion;
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) return;
    if (typing(event.target)) return;
    const key = event.key;
    if (key === "Escape" && help && !help.hidden) { toggleHelp(false); return; }
    let handled = true;
    if (key === "?") toggleHelp();
    else if (key === "j") moveFlag(1);
    else if (key === "k") moveFlag(-1);
    else if (key === "c") judge("confirmed");
    else if (key === "d") judge("dismissed");
    else if (key === "s") saveDraft();
    else if (/^[1-9]$/.test(key)) choosePoint(Number(key));
    else handled = false;
    if (handled) event.preventDefault();
  });

  document.querySelectorAll(".shortcut-help-open").forEach(function (b) {
    b.addEventListener("click", function () { toggleHelp(true); });
  });
  document.querySelectorAll(".shortcut-help-close").forEach(function (b) {
    b.addEventListener("click", function () { toggleHelp(false); });
  });
})();
