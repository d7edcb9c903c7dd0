// Live total for the rubric preview: sends the chosen answers to /rubrics/score, which runs the same
// scoring function as reviews, so the preview can never disagree with a real score.
(function () {
  "use strict";
  function fmt(x) { return x === null || x === undefined ? "—" : (Math.round(x * 10) / 10).toFixed(1); }

  function answers(root) {
    const out = {};
    root.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      out[input.name.slice("answer-".length)] = input.value;
    });
    return out;
  }

  function show(root, data) {
    const total = root.querySelector(".preview-total");
    total.querySelector(".overall").textContent = fmt(data.overall);
    const verdict = total.querySelector(".verdict");
    verdict.textContent = data.passed === null ? "pass at " + data.pass_threshold
      : (data.passed ? "pass" : "fail") + " (threshold " + data.pass_threshold + ")" + (data.complete ? "" : ", incomplete");
    verdict.className = "verdict " + (data.passed === null ? "text-muted" : (data.passed ? "text-success" : "text-danger"));
    const notes = [];
    if (data.critical_failures.length) notes.push("critical failure: " + data.critical_failures.join(", "));
    if (data.section_failures.length) notes.push("section failed: " + data.section_failures.join(", "));
    total.querySelector(".note").textContent = notes.join("; ");
    root.querySelectorAll("[data-section]").forEach(function (fs) {
      const s = data.sections[fs.dataset.section];
      fs.querySelector(".section-score").textContent = s ? fmt(s.score) + (s.failed ? " (failed)" : "") : "—";
    });
  }

  function update(root) {
    const body = { answers: answers(root) };
    if (root.dataset.versionId) body.version_id = Number(root.dataset.versionId);
    else body.content = root.querySelector(".preview-content").value;
    fetch(root.dataset.scoreUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify(body),
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (data.error) root.querySelector(".preview-total .note").textContent = data.error;
      else show(root, data);
    });
  }

  document.querySelectorAll(".rubric-preview").forEach(function (root) {
    root.addEventListener("change", function () { update(root); });
    root.querySelector(".preview-reset").addEventListener("click", function () {
      root.querySelectorAll("input[type=radio]:checked").forEach(function (i) { i.checked = false; });
      update(root);
    });
  });
})();
