(function () {
  "use strict";
  var audio = document.getElementById("audio");
  var transcript = document.getElementById("transcript");
  var follow = document.getElementById("follow");
  var player = document.querySelector(".player");
  if (!audio || !transcript) return;
  var cues = Array.prototype.slice.call(transcript.querySelectorAll(".cue[data-start]"));
  var chapters = Array.prototype.slice.call(document.querySelectorAll("nav button[data-start]"));
  var cueStarts = cues.map(function (el) { return parseFloat(el.getAttribute("data-start")); });
  var chapterStarts = chapters.map(function (el) { return parseFloat(el.getAttribute("data-start")); });
  var reduceMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var currentCue = -1;
  var currentChapter = -1;

  // Last index whose start is <= t (starts are sorted); -1 before the first.
  function indexAt(starts, t) {
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function setCurrent(list, oldIndex, newIndex) {
    if (oldIndex >= 0) {
      list[oldIndex].removeAttribute("aria-current");
      list[oldIndex].classList.remove("is-current");
    }
    if (newIndex >= 0) {
      list[newIndex].setAttribute("aria-current", "true");
      list[newIndex].classList.add("is-current");
    }
  }

  function reveal(el) {
    var top = player ? player.getBoundingClientRect().bottom : 0;
    var rect = el.getBoundingClientRect();
    if (rect.top >= top && rect.bottom <= window.innerHeight) return;
    var smooth = !(reduceMotion && reduceMotion.matches);
    el.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
  }

  // Small epsilon: a seek to a sentence's start may report a time a hair before it.
  function update(t, scroll) {
    var i = indexAt(cueStarts, t + 0.01);
    if (i !== currentCue) {
      setCurrent(cues, currentCue, i);
      currentCue = i;
      if (scroll && i >= 0 && follow && follow.checked) reveal(cues[i]);
    }
    var c = indexAt(chapterStarts, t + 0.01);
    if (c !== currentChapter) {
      setCurrent(chapters, currentChapter, c);
      currentChapter = c;
    }
  }

  function seek(el) {
    var t = parseFloat(el.getAttribute("data-start"));
    if (!isFinite(t)) return;
    audio.currentTime = t;
    update(t, false);
    var playing = audio.play();
    if (playing && playing.catch) playing.catch(function () { /* autoplay refused: stay paused */ });
  }

  transcript.addEventListener("click", function (event) {
    var el = event.target.closest(".cue[data-start]");
    if (!el) return;
    // Let people select text without jumping the audio.
    var selection = window.getSelection ? String(window.getSelection()) : "";
    if (selection.length > 0) return;
    seek(el);
  });
  transcript.addEventListener("keydown", function (event) {
    var el = event.target.closest(".cue[data-start]");
    if (!el || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
      event.preventDefault(); // Space would otherwise scroll the page
      seek(el);
    }
  });
  chapters.forEach(function (button) {
    button.addEventListener("click", function () { seek(button); });
  });
  audio.addEventListener("timeupdate", function () { update(audio.currentTime, !audio.paused); });
  audio.addEventListener("seeked", function () { update(audio.currentTime, false); });
})();
