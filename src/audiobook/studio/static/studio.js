// The studio page. Every piece of article text goes into the page through textContent or a form
// field's value, never as HTML.
"use strict";

const state = { id: null, script: null, rows: [], dropped: [], warnings: [], voices: [], defaults: {},
  cast: {}, dirty: false, job: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, "");
    else if (v !== false && v != null) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function say(msg) { $("status").textContent = msg; }
function fail(msg) { const a = $("alert"); a.textContent = "Қате: " + msg; a.hidden = false; }
function clearFail() { $("alert").hidden = true; $("alert").textContent = ""; }

async function api(method, url, body, isJson = true) {
  const opts = { method, headers: {} };
  if (body instanceof FormData) opts.body = body;
  else if (body !== undefined) { opts.body = JSON.stringify(body); opts.headers["Content-Type"] = "application/json"; }
  const resp = await fetch(url, opts);
  if (!resp.ok) {
    let msg = resp.status + " " + resp.statusText;
    try { msg = (await resp.json()).error || msg; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return isJson ? resp.json() : resp;
}

// --- bringing an article in ---------------------------------------------------------------------

async function bringIn(body, what) {
  clearFail();
  say(what + ": талдануда…");
  try {
    show(await api("POST", "/api/articles", body));
    say("Мақала талданды: " + state.rows.length + " абзац.");
    $("editor-h").focus();
  } catch (e) { fail(e.message); say(""); }
}

function show(view) {
  state.id = view.id;
  state.script = view.script;
  state.dropped = view.dropped || [];
  state.warnings = view.warnings || [];
  state.cast = view.cast || {};
  const starts = new Map(view.script.chapters.map((c) => [c.first_segment, c.title]));
  state.rows = view.script.segments.map((s, i) => ({ speaker: s.speaker, text: s.text,
    chapter: starts.has(i), title: starts.get(i) || "" }));
  state.dirty = false;
  $("article-title").textContent = view.script.title + (view.script.date ? " (" + view.script.date + ")" : "");
  $("yaml-link").href = view.yaml;
  for (const id of ["editor", "voices-section", "render-section"]) $(id).hidden = false;
  $("editor-h").tabIndex = -1;
  drawRows(); drawWarnings(); drawDropped(); drawVoices();
}

// --- the script table ---------------------------------------------------------------------------

function warnedSegments() {
  return new Set(state.warnings.filter((w) => Number.isInteger(w.segment)).map((w) => w.segment));
}

function drawRows() {
  const body = $("rows");
  body.replaceChildren();
  const warned = warnedSegments();
  state.rows.forEach((row, i) => {
    const chapter = el("input", { type: "checkbox", id: "ch-" + i, checked: row.chapter, disabled: i === 0,
      onchange: (ev) => { row.chapter = ev.target.checked; if (!row.title) row.title = "Тарау"; touch(); drawRows(); } });
    const chapterCell = el("td", { class: "chapter" }, chapter, el("label", { for: "ch-" + i, text: " Тарау басы" }));
    if (row.chapter) {
      const title = el("input", { type: "text", id: "ct-" + i, "aria-label": "Тарау атауы, абзац " + i,
        oninput: (ev) => { row.title = ev.target.value; touch(); } });
      title.value = row.title;
      chapterCell.append(title);
    }
    const speaker = el("select", { id: "sp-" + i, "aria-label": "Сөйлеуші, абзац " + i,
      onchange: (ev) => { row.speaker = ev.target.value; touch(); } });
    for (const s of state.script.speakers) {
      speaker.append(el("option", { value: s.id, text: s.name + " (" + roleName(s.role) + ")", selected: s.id === row.speaker }));
    }
    const text = el("textarea", { id: "tx-" + i, rows: 3, "aria-label": "Мәтін, абзац " + i,
      oninput: (ev) => { row.text = ev.target.value; touch(); } });
    text.value = row.text;
    if (warned.has(i)) text.setAttribute("aria-describedby", "warn-" + i);
    const play = el("button", { type: "button", class: "play", "aria-label": "Абзац " + i + " тыңдау",
      text: "▶ Тыңдау", onclick: () => playSegment(i) });
    body.append(el("tr", { class: [row.chapter ? "chapter-start" : "", warned.has(i) ? "warn" : ""].join(" ").trim() || null },
      el("td", { class: "num", text: String(i) }), chapterCell, el("td", {}, speaker),
      el("td", { class: "text" }, text), el("td", {}, play)));
  });
}

function roleName(role) {
  return { narrator: "жүргізуші", interviewer: "тілші", interviewee: "сұхбат беруші" }[role] || role;
}

function touch() { state.dirty = true; say("Өзгеріс сақталмаған."); }

function drawWarnings() {
  const list = $("warnings");
  list.replaceChildren();
  $("warnings-box").hidden = state.warnings.length === 0;
  const once = new Set();
  for (const w of state.warnings) {
    const item = el("li", { class: "warning" });
    if (Number.isInteger(w.segment) && !once.has(w.segment)) { item.id = "warn-" + w.segment; once.add(w.segment); }
    item.append(el("span", { text: (Number.isInteger(w.segment) ? "Абзац " + w.segment + ": " : "") + w.message }));
    if (w.word) {
      item.append(" ", el("button", { type: "button", text: "«" + w.word + "» сөздікке", onclick: () => {
        $("lex-written").value = w.word; $("lex-spoken").focus(); } }));
    }
    list.append(item);
  }
}

function drawDropped() {
  const list = $("dropped");
  list.replaceChildren();
  $("dropped-box").hidden = state.dropped.length === 0;
  state.dropped.forEach((d, k) => {
    const keep = el("button", { type: "button", text: "Қалдыру", "aria-label": "Қалдыру: " + d.text, onclick: () => {
      const at = Math.max(0, Math.min(Number.isInteger(d.segment) ? d.segment : 0, state.rows.length));
      const narrator = (state.script.speakers.find((s) => s.role === "narrator") || state.script.speakers[0]).id;
      const row = { speaker: narrator, text: d.text, chapter: false, title: "" };
      if (at === 0) { row.chapter = true; row.title = state.rows[0].title; state.rows[0].chapter = false; }
      state.rows.splice(at, 0, row);
      state.dropped.splice(k, 1);
      touch(); drawRows(); drawDropped();
      say("Мәтін сценарийге қосылды (абзац " + at + ").");
    } });
    list.append(el("li", {}, el("del", { text: d.text }), " ", keep));
  });
}

// --- saving --------------------------------------------------------------------------------------

function editedScript() {
  const s = state.script;
  const chapters = [];
  const segments = state.rows.map((r, i) => {
    if (r.chapter || i === 0) chapters.push({ title: (r.title || "Тарау").trim() || "Тарау", first_segment: i });
    const sp = s.speakers.find((x) => x.id === r.speaker);
    return { speaker: r.speaker, role: sp ? sp.role : undefined, text: r.text, chapter: chapters.length - 1 };
  });
  return { title: s.title, date: s.date, lead: s.lead, speakers: s.speakers, segments, chapters };
}

async function save() {
  if (!state.dirty) return true;
  clearFail();
  try {
    const view = await api("PUT", "/api/articles/" + state.id + "/script", editedScript());
    const rowsBefore = state.rows.length;
    show(view);
    say("Сценарий сақталды (" + rowsBefore + " абзац).");
    return true;
  } catch (e) { fail(e.message); return false; }
}

// --- hearing -------------------------------------------------------------------------------------

async function playUrl(url, what) {
  clearFail();
  say(what + ": дыбысталуда…");
  try {
    const blob = await (await api("GET", url, undefined, false)).blob();
    const player = $("player");
    if (player.dataset.url) URL.revokeObjectURL(player.dataset.url);
    player.dataset.url = player.src = URL.createObjectURL(blob);
    await player.play();
    say(what + ": ойнатылуда.");
  } catch (e) { fail(e.message); }
}

async function playSegment(i) {
  if (!(await save())) return;
  await playUrl("/api/articles/" + state.id + "/segments/" + i + "/audio", "Абзац " + i);
}

// --- voices --------------------------------------------------------------------------------------

function drawVoices() {
  const box = $("voices");
  box.replaceChildren();
  for (const sp of state.script.speakers) {
    const id = "voice-" + sp.id;
    const select = el("select", { id, onchange: async (ev) => {
      sp.voice = ev.target.value || null; state.dirty = true;
      if (await save()) say(sp.name + ": дауыс өзгертілді.");
    } });
    const current = state.cast[sp.id] || "";
    select.append(el("option", { value: "", text: "Әдепкі (" + current + ")", selected: !sp.voice }));
    for (const v of state.voices) select.append(el("option", { value: v.ref, text: v.label, selected: v.ref === sp.voice }));
    const sample = el("button", { type: "button", text: "Үлгіні тыңдау", "aria-label": sp.name + ": дауыс үлгісін тыңдау",
      onclick: () => playUrl("/api/voices/" + encodeURIComponent(select.value || current) + "/sample", sp.name) });
    box.append(el("div", { class: "voice" }, el("label", { for: id, text: sp.name + " (" + roleName(sp.role) + ")" }), select, sample));
  }
}

// --- rendering -----------------------------------------------------------------------------------

function progress(job) {
  const p = Math.max(0, Math.min(1, job.progress || 0));
  $("progress").value = p;
  $("progress-text").textContent = Math.round(p * 100) + "%" + (job.state === "done" ? " — дайын" : "");
}

async function render() {
  if (!(await save())) return;
  clearFail();
  const formats = ["mp3"].concat($("fmt-m4b").checked ? ["m4b"] : []);
  $("render").disabled = true;
  $("results").hidden = true;
  progress({ progress: 0 });
  try {
    const { job } = await api("POST", "/api/articles/" + state.id + "/render", { formats });
    say("Эпизод жасалуда…");
    follow(job);
  } catch (e) { fail(e.message); $("render").disabled = false; }
}

function follow(job) {
  const events = new EventSource("/api/jobs/" + job + "/events");
  events.onmessage = (ev) => {
    const j = JSON.parse(ev.data);
    progress(j);
    if (j.state === "done" || j.state === "failed") { events.close(); finished(j); }
  };
  events.onerror = () => { events.close(); poll(job); };
}

async function poll(job) {
  const j = await api("GET", "/api/jobs/" + job);
  progress(j);
  if (j.state === "done" || j.state === "failed") finished(j);
  else setTimeout(() => poll(job), 500);
}

function finished(job) {
  $("render").disabled = false;
  if (job.state === "failed") { fail(job.error || "эпизод жасалмады"); say(""); return; }
  state.job = job;
  const mins = job.duration ? " (" + (job.duration / 60).toFixed(1) + " мин)" : "";
  say("Эпизод дайын" + mins + ".");
  $("readalong").href = job.outputs.html;
  const list = $("downloads");
  list.replaceChildren();
  for (const [name, url] of Object.entries(job.outputs)) {
    list.append(el("li", {}, el("a", { href: url, download: url.split("/").pop(), text: name })));
  }
  if (!$("base-url").value) $("base-url").value = location.origin + "/feed/";
  $("results").hidden = false;
  $("results-h").tabIndex = -1;
  $("results-h").focus();
}

async function addToFeed(ev) {
  ev.preventDefault();
  clearFail();
  try {
    const r = await api("POST", "/api/articles/" + state.id + "/feed", { base_url: $("base-url").value,
      title: $("feed-title").value });
    $("feed-link").href = r.feed; $("feed-link").hidden = false;
    say("Эпизод таспаға қосылды.");
  } catch (e) { fail(e.message); }
}

// --- wiring --------------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", async () => {
  if (location.search.includes("token=")) history.replaceState(null, "", location.pathname);  // the cookie has it
  $("upload-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = $("file").files[0];
    if (!f) { fail("файл таңдалмады"); return; }
    const data = new FormData(); data.append("file", f);
    bringIn(data, f.name);
  });
  $("text-form").addEventListener("submit", (ev) => { ev.preventDefault(); bringIn({ text: $("text").value }, "Мәтін"); });
  $("url-form").addEventListener("submit", (ev) => { ev.preventDefault(); bringIn({ url: $("url").value }, $("url").value); });
  $("lexicon-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await api("POST", "/api/lexicon", { written: $("lex-written").value, spoken: $("lex-spoken").value });
      say("Сөздікке қосылды: " + $("lex-written").value);
      $("lex-written").value = ""; $("lex-spoken").value = "";
      if (state.id) show(await api("GET", "/api/articles/" + state.id));
    } catch (e) { fail(e.message); }
  });
  $("save").addEventListener("click", async () => { state.dirty = true; await save(); });
  $("render").addEventListener("click", render);
  $("feed-form").addEventListener("submit", addToFeed);
  try {
    const v = await api("GET", "/api/voices");
    state.voices = v.voices; state.defaults = v.defaults;
  } catch (e) { fail(e.message); }
});
