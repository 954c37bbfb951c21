/* The reply coach in the composer: a live review of the draft while the agent types.
 *
 * Plain JavaScript, no build step, nothing from a CDN. The page works without it: the
 * server reviews every reply when it is sent and asks for a reason below the team's
 * threshold. This script only shows the same review earlier, and applies suggestions.
 *
 * The coach counts offsets in Unicode code points (Python); a textarea counts UTF-16 code
 * units, so every span is converted before it touches the textarea.
 */
(function () {
  "use strict";

  var DELAY_MS = 600;
  var form = document.querySelector("form.reply-form[data-coach-url]");
  var panel = document.getElementById("coach");
  if (!form || !panel || !window.fetch) return;

  var textarea = form.querySelector("textarea[name=text]");
  var scoreLine = panel.querySelector(".coach-score");
  var list = panel.querySelector(".coach-findings");
  var reason = form.querySelector(".coach-reason");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var url = form.getAttribute("data-coach-url");
  var timer = null;
  var latest = 0; // only the answer to the latest request is shown

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Code points -> UTF-16 index into `text` (an emoji is one code point, two units).
  function utf16Index(text, codePoints) {
    var index = 0;
    for (var seen = 0; seen < codePoints && index < text.length; seen++) {
      var unit = text.charCodeAt(index);
      index += unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length ? 2 : 1;
    }
    return index;
  }

  // Where a finding's words are in the draft now. The agent may have typed since the
  // review: then the same words nearest their old place, or null if they are gone.
  function locate(finding) {
    var value = textarea.value;
    if (value.slice(finding.from, finding.to) === finding.flagged) {
      return [finding.from, finding.to];
    }
    var best = -1;
    for (var at = value.indexOf(finding.flagged); at !== -1; at = value.indexOf(finding.flagged, at + 1)) {
      if (best === -1 || Math.abs(at - finding.from) < Math.abs(best - finding.from)) best = at;
    }
    return best === -1 ? null : [best, best + finding.flagged.length];
  }

  function select(finding) {
    var span = locate(finding);
    if (!span) {
      reviewNow();
      return;
    }
    textarea.focus();
    textarea.setSelectionRange(span[0], span[1]);
    // Chrome and Firefox scroll a textarea to its selection on focus, not on select.
    textarea.blur();
    textarea.focus();
  }

  function apply(finding) {
    var span = locate(finding);
    if (!span) {
      reviewNow();
      return;
    }
    textarea.focus();
    textarea.setSelectionRange(span[0], span[1]);
    // insertText keeps the browser's undo history (Ctrl+Z brings the old words back).
    var done = false;
    try {
      done = document.execCommand("insertText", false, finding.replacement);
    } catch (error) {
      done = false;
    }
    if (!done) textarea.setRangeText(finding.replacement, span[0], span[1], "end");
    reviewNow();
  }

  function renderFinding(finding) {
    var item = element("li", "coach-finding coach-" + finding.severity);
    item.appendChild(element("span", "coach-severity", finding.severity_words));
    var show = element("button", "coach-excerpt", "\u201c" + finding.excerpt + "\u201d");
    show.type = "button";
    show.title = "Select these words in the reply";
    item.appendChild(show);
    item.appendChild(element("span", "coach-message", finding.message));
    if (finding.replacement !== null) {
      var applyButton = element("button", "coach-apply", "Apply \u201c" + finding.replacement + "\u201d");
      applyButton.type = "button";
      applyButton.title = "Replace the flagged words with the suggestion";
      applyButton.addEventListener("click", function (event) {
        event.stopPropagation();
        apply(finding);
      });
      item.appendChild(applyButton);
    } else if (finding.suggestion) {
      item.appendChild(element("span", "coach-tip", "Suggestion: " + finding.suggestion));
    }
    // The whole finding selects its words; the excerpt button is the keyboard's way in.
    item.addEventListener("click", function () {
      select(finding);
    });
    return item;
  }

  function setScore(text, below) {
    if (scoreLine.textContent !== text) scoreLine.textContent = text;
    scoreLine.classList.toggle("coach-below", below);
  }

  function show(review, text) {
    panel.hidden = false;
    var bar = review.threshold;
    setScore(
      "Coach score " + review.score + " of 100 \u00b7 " +
        (review.below_threshold ? "below your team\u2019s bar of " : "meets your team\u2019s bar of ") + bar,
      review.below_threshold
    );
    list.textContent = "";
    review.findings.forEach(function (finding) {
      finding.from = utf16Index(text, finding.start);
      finding.to = utf16Index(text, finding.end);
      finding.flagged = text.slice(finding.from, finding.to);
      list.appendChild(renderFinding(finding));
    });
    if (!review.findings.length) {
      list.appendChild(element("li", "coach-none", "Nothing to change: this reply reads well."));
    }
    if (reason) reason.hidden = !review.below_threshold;
  }

  function clear() {
    panel.hidden = true;
    list.textContent = "";
    setScore("", false);
  }

  function unavailable() {
    panel.hidden = false;
    list.textContent = "";
    setScore("The coach cannot be reached just now. Your reply is still checked when you send it.", false);
  }

  function reviewNow() {
    clearTimeout(timer);
    var text = textarea.value;
    var mine = ++latest;
    if (!text.trim()) {
      clear();
      return;
    }
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ text: text }),
    })
      .then(function (response) {
        if (!response.ok) throw new Error("coach: HTTP " + response.status);
        return response.json();
      })
      .then(function (review) {
        if (mine === latest) show(review, text);
      })
      .catch(function () {
        if (mine === latest) unavailable();
      });
  }

  textarea.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(reviewNow, DELAY_MS);
  });
  // A draft already there (a canned reply, a refused send) is reviewed at once, which
  // also turns the server's plain list into one with Apply buttons.
  if (textarea.value.trim()) reviewNow();
})();
