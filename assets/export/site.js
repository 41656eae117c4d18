// The National Solutions Index: search, filters, sorting and pages for the static site that
// `nsi export --format html` writes. It reads window.NSI_SITE (assets/data.js) and ranks as
// `nsi search` does: the same folded words per field, the same BM25F weights, prefix matching,
// one typo in words of five letters or more, and quoted phrases; the arithmetic is done in
// 32-bit floats, as nsi does it, so the order of results is the same.
//
// Entry text is untrusted: the DOM is built with createElement and textContent only.
(function () {
  "use strict";

  var data = window.NSI_SITE;
  var PAGE_SIZE = 50;
  var fr = Math.fround;

  function $(id) { return document.getElementById(id); }
  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    if (attributes) {
      Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  var numberFormat = new Intl.NumberFormat("en-GB");
  function number(n) { return numberFormat.format(n); }
  var dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  function day(iso) {
    var date = new Date(iso + "T00:00:00Z");
    return isNaN(date.getTime()) ? iso : dayFormat.format(date);
  }
  function plural(n, one, many) { return number(n) + " " + (n === 1 ? one : many); }

  if (!data || !data.entries) {
    var status = $("status");
    if (status) status.textContent = "The search data (assets/data.js) could not be read.";
    return;
  }

  // ---------------------------------------------------------------------------------------
  // Text, as nsi folds it (src/catalogue/search/text.rs)
  // ---------------------------------------------------------------------------------------
  var MARKS = /\p{M}/gu;
  var NOT_WORD = /[^\p{Alphabetic}\p{N}]+/u;
  function fold(text) { return text.normalize("NFKD").replace(MARKS, "").toLowerCase(); }
  function tokens(text) { return fold(text).split(NOT_WORD).filter(function (w) { return w !== ""; }); }

  function withinOneEdit(a, b) {
    if (a === b) return true;
    var i;
    if (a.length === b.length) {
      var first = -1, second = -1;
      for (i = 0; i < a.length; i++) {
        if (a[i] !== b[i]) {
          if (first < 0) first = i;
          else if (second < 0) second = i;
          else return false;
        }
      }
      if (second < 0) return true;
      return second === first + 1 && a[first] === b[second] && a[second] === b[first];
    }
    var short = a.length < b.length ? a : b, long = a.length < b.length ? b : a;
    if (long.length - short.length !== 1) return false;
    var p = 0;
    while (p < short.length && short[p] === long[p]) p++;
    for (i = p; i < short.length; i++) if (short[i] !== long[i + 1]) return false;
    return true;
  }

  function editDistance(a, b) {
    var previous2 = new Array(b.length + 1).fill(0);
    var previous = [];
    var i, j;
    for (j = 0; j <= b.length; j++) previous.push(j);
    for (i = 1; i <= a.length; i++) {
      var current = new Array(b.length + 1).fill(i);
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          current[j] = Math.min(current[j], previous2[j - 2] + 1);
        }
      }
      previous2 = previous;
      previous = current;
    }
    return previous[b.length];
  }

  // ---------------------------------------------------------------------------------------
  // The index: postings per word, with each entry's field-weighted term frequency
  // ---------------------------------------------------------------------------------------
  var ranking = data.ranking;
  var K1 = fr(ranking.k1), B = fr(ranking.b);
  var MATCH_WEIGHTS = ranking.match_weights.map(fr);
  var STOP_WORDS = new Set(ranking.stop_words);
  var entries = data.entries;
  var N = entries.length;
  var F = data.fields.length;
  var fieldWeights = data.fields.map(function (f) { return fr(f.weight); });
  // Each field's length pivot: a match in a field this long counts at its plain weight.
  var pivots = data.fields.map(function (f) { return fr(f.pivot); });
  var terms = data.terms;
  var T = terms.length;
  var termNumber = new Map();
  terms.forEach(function (term, t) { termNumber.set(term, t); });
  // Code points, not UTF-16 units, as nsi counts characters.
  var termChars = terms.map(function (term) { return Array.from(term); });
  var sortedTerms = terms.map(function (_, t) { return t; }).sort(function (x, y) {
    return terms[x] < terms[y] ? -1 : terms[x] > terms[y] ? 1 : 0;
  });

  var lengths = new Uint16Array(N * F);
  var totalWords = 0;
  entries.forEach(function (entry, e) {
    for (var f = 0; f < F; f++) {
      var n = 0;
      entry.words[f].forEach(function (item) { n += item.length; });
      totalWords += n;
      lengths[e * F + f] = Math.min(n, 65535);
    }
  });

  var postingTerm = new Int32Array(totalWords);
  var postingEntry = new Int32Array(totalWords);
  var postingTf = new Float32Array(totalWords);
  var postings = 0;
  (function invert() {
    var mark = new Int32Array(T).fill(-1);
    var slot = new Int32Array(T);
    var counts = new Uint16Array(1024 * F);
    var touched = [];
    entries.forEach(function (entry, e) {
      touched.length = 0;
      for (var f = 0; f < F; f++) {
        var items = entry.words[f];
        for (var i = 0; i < items.length; i++) {
          var item = items[i];
          for (var k = 0; k < item.length; k++) {
            var t = item[k];
            if (mark[t] !== e) {
              mark[t] = e;
              slot[t] = touched.length;
              touched.push(t);
              if (counts.length < touched.length * F) {
                var bigger = new Uint16Array(counts.length * 2);
                bigger.set(counts);
                counts = bigger;
              }
              counts.fill(0, slot[t] * F, slot[t] * F + F);
            }
            counts[slot[t] * F + f] += 1;
          }
        }
      }
      for (var s = 0; s < touched.length; s++) {
        var tf = 0;
        for (var g = 0; g < F; g++) {
          var count = counts[s * F + g];
          if (count > 0) {
            var norm = fr(fr(1 - B) + fr(fr(B * lengths[e * F + g]) / pivots[g]));
            tf = fr(tf + fr(fr(fieldWeights[g] * count) / norm));
          }
        }
        postingTerm[postings] = touched[s];
        postingEntry[postings] = e;
        postingTf[postings] = tf;
        postings++;
      }
    });
  })();
  // Group the postings by word (a counting sort), keeping entry order within each word.
  var documentFrequency = new Int32Array(T);
  var offsets = new Int32Array(T + 1);
  var byTermEntry = new Int32Array(postings);
  var byTermTf = new Float32Array(postings);
  (function group() {
    var p;
    for (p = 0; p < postings; p++) documentFrequency[postingTerm[p]]++;
    for (var t = 0; t < T; t++) offsets[t + 1] = offsets[t] + documentFrequency[t];
    var next = offsets.slice(0, T);
    for (p = 0; p < postings; p++) {
      var at = next[postingTerm[p]]++;
      byTermEntry[at] = postingEntry[p];
      byTermTf[at] = postingTf[p];
    }
  })();
  postingTerm = postingEntry = postingTf = null;

  function idf(frequency) {
    var n = fr(N), df = fr(frequency);
    return fr(Math.log(fr(1 + fr(fr(fr(n - df) + 0.5) / fr(df + 0.5)))));
  }

  // ---------------------------------------------------------------------------------------
  // Queries (src/catalogue/search/query.rs)
  // ---------------------------------------------------------------------------------------
  function parseQuery(input) {
    var query = { words: [], phrases: [] };
    function addPhrase(words) {
      if (words.length === 1) query.words.push({ text: words[0], exact: true });
      else if (words.length > 1) {
        words.forEach(function (w) { query.words.push({ text: w, exact: true }); });
        query.phrases.push(words);
      }
    }
    input.split('"').forEach(function (part, i) {
      if (i % 2 === 1) { addPhrase(tokens(part)); return; }
      part.split(/\s+/).forEach(function (word) {
        var words = tokens(word);
        if (words.length > 1) addPhrase(words);
        else if (words.length === 1) query.words.push({ text: words[0], exact: false });
      });
    });
    var meaningful = query.words.some(function (w) { return w.exact || !STOP_WORDS.has(w.text); });
    if (meaningful) {
      query.words = query.words.filter(function (w) { return w.exact || !STOP_WORDS.has(w.text); });
    }
    return query;
  }

  function lowerBound(text) {
    var lo = 0, hi = sortedTerms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[sortedTerms[mid]] < text) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // The words of the vocabulary a query word matches: [term, kind] with kind 0 exact,
  // 1 prefix, 2 one edit away.
  function expand(word) {
    var matches = [];
    var exact = termNumber.get(word.text);
    if (exact !== undefined) matches.push([exact, 0]);
    if (word.exact) return matches;
    var chars = Array.from(word.text);
    var length = chars.length;
    if (length >= ranking.prefix_min_length) {
      var prefixed = [];
      for (var i = lowerBound(word.text); i < sortedTerms.length; i++) {
        var t = sortedTerms[i];
        if (!terms[t].startsWith(word.text)) break;
        if (terms[t] !== word.text) prefixed.push(t);
      }
      prefixed.sort(function (x, y) { return documentFrequency[y] - documentFrequency[x]; });
      prefixed.slice(0, ranking.max_prefix_terms).forEach(function (t) { matches.push([t, 1]); });
    }
    if (length >= ranking.typo_min_length) {
      for (var s = 0; s < sortedTerms.length; s++) {
        var term = sortedTerms[s];
        var other = termChars[term].length;
        if (other + 1 >= length && other <= length + 1 && terms[term] !== word.text &&
            !terms[term].startsWith(word.text) && withinOneEdit(termChars[term], chars)) {
          matches.push([term, 2]);
        }
      }
    }
    return matches;
  }

  function phraseHolds(entry, phrase) {
    for (var f = 0; f < F; f++) {
      var items = entry.words[f];
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        for (var start = 0; start + phrase.length <= item.length; start++) {
          var k = 0;
          while (k < phrase.length && item[start + k] === phrase[k]) k++;
          if (k === phrase.length) return true;
        }
      }
    }
    return false;
  }

  // Nearest words of the vocabulary to a word that matched nothing (at most two edits).
  function suggest(word) {
    var chars = Array.from(word);
    var near = [];
    for (var t = 0; t < T; t++) {
      var other = termChars[t];
      if (Math.abs(other.length - chars.length) > 2 || terms[t].length <= 2) continue;
      var distance = editDistance(chars, other);
      if (distance <= 2) near.push([distance, documentFrequency[t], terms[t]]);
    }
    near.sort(function (a, b) {
      return a[0] - b[0] || b[1] - a[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
    });
    return near.slice(0, 3).map(function (n) { return n[2]; });
  }

  // Which entries match `input`, with their scores: null for an empty query.
  var textCache = { input: null, result: null };
  function textSearch(input) {
    if (textCache.input === input) return textCache.result;
    var query = parseQuery(input);
    var result = null;
    if (query.words.length > 0) {
      var W = query.words.length;
      var best = new Float32Array(W * N).fill(-1);
      var expandedAny = [];
      query.words.forEach(function (word, w) {
        var expansions = expand(word);
        expandedAny.push(expansions.length > 0);
        var mostCommon = 0;
        expansions.forEach(function (x) { mostCommon = Math.max(mostCommon, documentFrequency[x[0]]); });
        var rarity = idf(mostCommon);
        expansions.forEach(function (x) {
          var weight = fr(MATCH_WEIGHTS[x[1]] * rarity);
          for (var p = offsets[x[0]]; p < offsets[x[0] + 1]; p++) {
            var tf = byTermTf[p];
            var score = fr(fr(fr(weight * tf) * fr(K1 + 1)) / fr(tf + K1));
            var at = w * N + byTermEntry[p];
            if (score > best[at]) best[at] = score;
          }
        });
      });
      var phrases = query.phrases.map(function (phrase) {
        return phrase.map(function (word) { return termNumber.get(word); });
      });
      var phrasesHold = function (e) {
        return phrases.every(function (phrase) {
          return phrase.indexOf(undefined) < 0 && phraseHolds(entries[e], phrase);
        });
      };
      var matched = function (all) {
        var found = [];
        for (var e = 0; e < N; e++) {
          var hits = 0;
          for (var w = 0; w < W; w++) if (best[w * N + e] >= 0) hits++;
          if ((all ? hits === W : hits > 0) && phrasesHold(e)) found.push(e);
        }
        return found;
      };
      var found = matched(true);
      var partial = found.length === 0 && W > 1;
      if (partial) found = matched(false);
      var scores = new Map();
      found.forEach(function (e) {
        var sum = 0;
        for (var w = 0; w < W; w++) if (best[w * N + e] >= 0) sum = fr(sum + best[w * N + e]);
        scores.set(e, sum);
      });
      var unmatched = query.words.filter(function (_, w) { return !expandedAny[w]; })
        .map(function (word) { return word.text; });
      result = { entries: found, scores: scores, partial: partial, unmatched: unmatched };
    }
    textCache = { input: input, result: result };
    return result;
  }

  // ---------------------------------------------------------------------------------------
  // Filters
  // ---------------------------------------------------------------------------------------
  var facets = data.facets;
  var labels = {};
  facets.forEach(function (facet) {
    labels[facet.key] = new Map(facet.values.map(function (v) { return [v[0], v[1]]; }));
  });
  var levelFacet = facets.filter(function (f) { return f.kind === "at-most"; })[0];
  var levelRank = new Map(levelFacet ? levelFacet.values.map(function (v, i) { return [v[0], i]; }) : []);
  var phaseRank = new Map((facets.filter(function (f) { return f.key === "phase"; })[0] || { values: [] })
    .values.map(function (v, i) { return [v[0], i]; }));
  var valuesOf = {
    category: function (entry) { return entry.categories; },
    force: function (entry) { return [entry.force].concat(entry.partners); },
    region: function (entry) { return [entry.region]; },
    phase: function (entry) { return [entry.phase]; },
    technology: function (entry) { return entry.technology; },
  };
  var entryValues = {};
  Object.keys(valuesOf).forEach(function (key) { entryValues[key] = entries.map(valuesOf[key]); });
  var entryLevel = entries.map(function (entry) {
    return entry.level === null ? -1 : levelRank.get(entry.level);
  });
  var foldedTitle = entries.map(function (entry) { return fold(entry.title); });
  var foldedForce = entries.map(function (entry) { return fold(entry.force_name); });
  var categoryNames = entries.map(function (entry) {
    return entry.categories.map(function (c) { return labels.category.get(c) || c; }).join(", ");
  });

  var state = emptyState();
  function emptyState() {
    var chosen = {};
    facets.forEach(function (facet) { if (facet.kind === "any") chosen[facet.key] = new Set(); });
    return { q: "", chosen: chosen, level: "", sort: "", page: 1 };
  }

  function keeps(e, skip) {
    for (var key in state.chosen) {
      if (key === skip || state.chosen[key].size === 0) continue;
      var chosen = state.chosen[key];
      var values = entryValues[key][e];
      var any = false;
      for (var i = 0; i < values.length; i++) if (chosen.has(values[i])) { any = true; break; }
      if (!any) return false;
    }
    if (skip !== "level" && state.level !== "") {
      if (entryLevel[e] > levelRank.get(state.level)) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Sorting
  // ---------------------------------------------------------------------------------------
  var SORTS = {
    relevance: null,
    title: function (a, b) { return compare(foldedTitle[a], foldedTitle[b]); },
    force: function (a, b) { return compare(foldedForce[a], foldedForce[b]); },
    phase: function (a, b) { return (phaseRank.get(entries[a].phase) || 0) - (phaseRank.get(entries[b].phase) || 0); },
    level: function (a, b) { return entryLevel[a] - entryLevel[b]; },
    reviewed: function (a, b) { return compare(entries[a].reviewed, entries[b].reviewed); },
  };
  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function byTitle(a, b) { return compare(foldedTitle[a], foldedTitle[b]) || compare(entries[a].id, entries[b].id); }

  function currentSort(text) {
    var sort = state.sort || (text ? "relevance" : "title");
    var key = sort.replace(/^-/, "");
    if (!(key in SORTS) || (key === "relevance" && !text)) { sort = text ? "relevance" : "title"; key = sort; }
    return { sort: sort, key: key, descending: sort.charAt(0) === "-" };
  }

  function sortRows(rows, text) {
    var how = currentSort(text);
    if (how.key === "relevance") {
      rows.sort(function (a, b) {
        return text.scores.get(b) - text.scores.get(a) || compare(entries[a].id, entries[b].id);
      });
    } else {
      var by = SORTS[how.key], sign = how.descending ? -1 : 1;
      rows.sort(function (a, b) { return sign * by(a, b) || byTitle(a, b); });
    }
    return how;
  }

  // ---------------------------------------------------------------------------------------
  // The address: the state in the fragment, so a link can be shared and reload restores it
  // ---------------------------------------------------------------------------------------
  function toHash() {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    Object.keys(state.chosen).forEach(function (key) {
      // One parameter per value: technologies are free text and may hold commas.
      state.chosen[key].forEach(function (value) { params.append(key, value); });
    });
    if (state.level) params.set("level", state.level);
    if (state.sort) params.set("sort", state.sort);
    if (state.page > 1) params.set("page", String(state.page));
    var text = params.toString();
    return text ? "#" + text : "";
  }

  function fromHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var next = emptyState();
    next.q = params.get("q") || "";
    Object.keys(next.chosen).forEach(function (key) {
      params.getAll(key).forEach(function (value) {
        if (value && labels[key].has(value)) next.chosen[key].add(value);
      });
    });
    var level = params.get("level") || "";
    next.level = levelRank.has(level) ? level : "";
    next.sort = params.get("sort") || "";
    next.page = Math.max(1, parseInt(params.get("page"), 10) || 1);
    state = next;
  }

  // Each search is a step in the browser's history, so Back returns to the search before it:
  // a choice (a filter, a sort, a page) is a new step, and so is a burst of typing, which
  // then updates its own step until the typing pauses for a second.
  var typing = null;
  function saveHash(how) {
    var hash = toHash();
    if (hash !== location.hash && !(hash === "" && location.hash === "#")) {
      var address = hash || location.pathname + location.search;
      if (how === "replace") history.replaceState(null, "", address);
      else history.pushState(null, "", address);
    }
  }
  function endTyping() {
    clearTimeout(typing);
    typing = null;
  }
  function typed() {
    var how = typing ? "replace" : "push";
    clearTimeout(typing);
    typing = setTimeout(function () { typing = null; }, 1000);
    return how;
  }

  // ---------------------------------------------------------------------------------------
  // The page
  // ---------------------------------------------------------------------------------------
  var COLUMNS = [
    { key: "title", label: "Solution", sort: "title" },
    { key: "force", label: "Owner", sort: "force" },
    { key: "categories", label: "Categories" },
    { key: "phase", label: "Phase", sort: "phase" },
    { key: "level", label: "Skills needed", sort: "level" },
    { key: "reviewed", label: "Last reviewed", sort: "reviewed" },
  ];
  var facetControls = {};

  function buildFacets() {
    var holder = $("facets");
    facets.forEach(function (facet) {
      var id = "facet-" + facet.key;
      if (facet.kind === "at-most") {
        var wrap = el("div", { class: "facet" });
        var label = el("label", { for: id, class: "facet-label" }, facet.label);
        var select = el("select", { id: id });
        select.appendChild(el("option", { value: "" }, "Any level"));
        facet.values.forEach(function (v) { select.appendChild(el("option", { value: v[0] }, v[1])); });
        select.addEventListener("change", function () {
          state.level = select.value;
          state.page = 1;
          update();
        });
        wrap.appendChild(label);
        wrap.appendChild(select);
        holder.appendChild(wrap);
        facetControls[facet.key] = { select: select };
        return;
      }
      var details = el("details", { class: "facet", id: id });
      if (facet.key === "category" || facet.key === "phase") details.open = true;
      var summary = el("summary", null, facet.label);
      var chosenNote = el("span", { class: "chosen" });
      summary.appendChild(chosenNote);
      details.appendChild(summary);
      var fieldset = el("fieldset");
      fieldset.appendChild(el("legend", { class: "visually-hidden" }, facet.label));
      var options = el("div", { class: "options" });
      var boxes = [];
      facet.values.forEach(function (v, i) {
        var optionId = id + "-" + i;
        var row = el("div", { class: "option" });
        var box = el("input", { type: "checkbox", id: optionId });
        box.value = v[0];
        var label = el("label", { for: optionId }, v[1] + " ");
        var count = el("span", { class: "count" });
        label.appendChild(count);
        box.addEventListener("change", function () {
          if (box.checked) state.chosen[facet.key].add(v[0]);
          else state.chosen[facet.key].delete(v[0]);
          state.page = 1;
          update();
        });
        row.appendChild(box);
        row.appendChild(label);
        options.appendChild(row);
        boxes.push({ box: box, count: count, value: v[0] });
      });
      fieldset.appendChild(options);
      details.appendChild(fieldset);
      holder.appendChild(details);
      facetControls[facet.key] = { details: details, boxes: boxes, note: chosenNote };
    });
  }

  function buildHeader() {
    var row = document.querySelector("#results thead tr");
    COLUMNS.forEach(function (column) {
      var th = el("th", { scope: "col" });
      if (column.sort) {
        var button = el("button", { type: "button", "data-sort": column.sort }, column.label);
        button.addEventListener("click", function () {
          var how = currentSort(textSearch(state.q));
          state.sort = how.key === column.sort && !how.descending ? "-" + column.sort : column.sort;
          state.page = 1;
          update();
        });
        th.appendChild(button);
      } else {
        th.textContent = column.label;
      }
      row.appendChild(th);
    });
  }

  function showControls() {
    var input = $("q");
    if (input.value !== state.q) input.value = state.q;
    Object.keys(state.chosen).forEach(function (key) {
      var control = facetControls[key];
      control.boxes.forEach(function (b) { b.box.checked = state.chosen[key].has(b.value); });
      var n = state.chosen[key].size;
      control.note.textContent = n ? " (" + n + " chosen)" : "";
      if (n) control.details.open = true;
    });
    if (facetControls.level) facetControls.level.select.value = state.level;
    var sortSelect = $("sort");
    var how = currentSort(textSearch(state.q));
    if (sortSelect) {
      sortSelect.querySelector('option[value="relevance"]').disabled = !state.q.trim();
      sortSelect.value = how.sort;
    }
    document.querySelectorAll("#results thead th").forEach(function (th, i) {
      var column = COLUMNS[i];
      if (column.sort && column.sort === how.key) {
        th.setAttribute("aria-sort", how.descending ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  function countFacets(candidates) {
    Object.keys(state.chosen).forEach(function (key) {
      var counts = new Map();
      var values = entryValues[key];
      for (var i = 0; i < candidates.length; i++) {
        var e = candidates[i];
        if (!keeps(e, key)) continue;
        var seen = values[e];
        for (var k = 0; k < seen.length; k++) {
          if (k > 0 && seen.indexOf(seen[k]) < k) continue;
          counts.set(seen[k], (counts.get(seen[k]) || 0) + 1);
        }
      }
      facetControls[key].boxes.forEach(function (b) {
        b.count.textContent = "(" + number(counts.get(b.value) || 0) + ")";
      });
    });
  }

  function renderRows(rows, first) {
    var body = document.querySelector("#results tbody");
    var fragment = document.createDocumentFragment();
    rows.forEach(function (e) {
      var entry = entries[e];
      var tr = el("tr");
      var title = el("td", { class: "solution" });
      var link = el("a", null, entry.title);
      link.href = entry.page;
      title.appendChild(link);
      title.appendChild(el("p", { class: "summary" }, entry.summary));
      tr.appendChild(title);
      tr.appendChild(el("td", { "data-label": "Owner" }, entry.force_name));
      tr.appendChild(el("td", { "data-label": "Categories" }, categoryNames[e]));
      tr.appendChild(el("td", { "data-label": "Phase" }, labels.phase.get(entry.phase) || entry.phase));
      var level = entry.level === null ? "None listed" : (labels.level && labels.level.get(entry.level)) || entry.level;
      tr.appendChild(el("td", { "data-label": "Skills needed" }, level));
      tr.appendChild(el("td", { "data-label": "Last reviewed", "data-value": entry.reviewed }, day(entry.reviewed)));
      fragment.appendChild(tr);
    });
    clear(body);
    body.appendChild(fragment);
    $("results").setAttribute("data-first-row", String(first));
  }

  function renderPager(total, pages) {
    var pager = $("pager");
    clear(pager);
    if (pages <= 1) return;
    function go(page) {
      return function () {
        state.page = page;
        update();
        $("results-heading").scrollIntoView();
        $("caption").focus();
      };
    }
    var previous = el("button", { type: "button", class: "previous" }, "Previous page");
    previous.disabled = state.page <= 1;
    previous.addEventListener("click", go(state.page - 1));
    var next = el("button", { type: "button", class: "next" }, "Next page");
    next.disabled = state.page >= pages;
    next.addEventListener("click", go(state.page + 1));
    pager.appendChild(previous);
    pager.appendChild(el("p", null, "Page " + number(state.page) + " of " + number(pages)));
    pager.appendChild(next);
  }

  function renderHelp(text, candidates, total) {
    var holder = $("suggestions");
    clear(holder);
    if (total > 0) {
      if (text && text.partial) {
        holder.appendChild(el("p", { class: "notice" },
          "No solution matches every word, so these match some of them."));
      }
      return;
    }
    if (text && text.unmatched.length) {
      var p = el("p", { class: "notice" });
      p.appendChild(document.createTextNode("Did you mean: "));
      var any = false;
      text.unmatched.forEach(function (word) {
        suggest(word).forEach(function (better) {
          var button = el("button", { type: "button", class: "link" }, better);
          button.addEventListener("click", function () {
            state.q = tokens(state.q).map(function (w) { return w === word ? better : w; }).join(" ");
            state.page = 1;
            update();
            $("q").focus();
          });
          if (any) p.appendChild(document.createTextNode(", "));
          p.appendChild(button);
          any = true;
        });
      });
      if (any) holder.appendChild(p);
    }
    if (candidates.length > 0) {
      // The words matched but the filters removed everything: say what each filter costs.
      var effects = [];
      facets.forEach(function (facet) {
        var active = facet.kind === "at-most" ? state.level !== "" : state.chosen[facet.key].size > 0;
        if (!active) return;
        var without = candidates.filter(function (e) { return keeps(e, facet.key); }).length;
        effects.push(facet.label + ": " + plural(without, "solution", "solutions") + " without it");
      });
      if (effects.length) {
        var list = el("ul", { class: "notice" });
        effects.forEach(function (text) { list.appendChild(el("li", null, text)); });
        holder.appendChild(el("p", null, "The filters removed every match. Without each filter:"));
        holder.appendChild(list);
      }
    }
  }

  // `how`: "push" (the default) makes the new state a step in the history, "push-typing" too
  // but as the start of a burst of typing, "replace" updates the current step.
  function update(how) {
    var started = performance.now();
    var text = textSearch(state.q);
    var candidates;
    if (text) candidates = text.entries;
    else {
      candidates = new Array(N);
      for (var i = 0; i < N; i++) candidates[i] = i;
    }
    var rows = [];
    for (var c = 0; c < candidates.length; c++) if (keeps(candidates[c])) rows.push(candidates[c]);
    sortRows(rows, text);
    var total = rows.length;
    var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (state.page > pages) state.page = pages;
    var first = (state.page - 1) * PAGE_SIZE;
    renderRows(rows.slice(first, first + PAGE_SIZE), first);
    countFacets(candidates);
    showControls();
    renderPager(total, pages);
    renderHelp(text, candidates, total);

    var filtered = Object.keys(state.chosen).some(function (k) { return state.chosen[k].size; }) || state.level;
    var what = state.q.trim() ? " matching “" + state.q.trim() + "”" : "";
    var status = total === 0
      ? "No solutions" + what + (filtered ? " with these filters" : "") + "."
      : plural(total, "solution", "solutions") + what + (filtered ? " with these filters" : "") +
        (pages > 1 ? ", showing " + number(first + 1) + " to " + number(Math.min(first + PAGE_SIZE, total)) : "") +
        (text && currentSort(text).key === "relevance" ? ", best match first" : "") + ".";
    $("status").textContent = status;
    $("caption").textContent = "Solutions" + what + (pages > 1 ? ", page " + state.page + " of " + pages : "");
    // A choice ends a burst of typing: the next keystroke starts a new step.
    if (how !== "replace" && how !== "push-typing") endTyping();
    saveHash(how);
    document.body.setAttribute("data-update-ms", (performance.now() - started).toFixed(1));
    document.body.setAttribute("data-results", String(total));
  }

  function start() {
    buildFacets();
    buildHeader();
    $("caption").setAttribute("tabindex", "-1");
    fromHash();
    var input = $("q");
    input.addEventListener("input", function () {
      state.q = input.value;
      state.page = 1;
      var how = typed();
      update(how === "push" ? "push-typing" : how);
    });
    $("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      state.q = input.value;
      state.page = 1;
      update();
    });
    var sortSelect = $("sort");
    if (sortSelect) {
      sortSelect.addEventListener("change", function () {
        state.sort = sortSelect.value;
        state.page = 1;
        update();
      });
    }
    $("clear").addEventListener("click", function () {
      state = emptyState();
      update();
      input.focus();
    });
    window.addEventListener("hashchange", function () {
      // Back, Forward or an edited address: show that state, and start a new step on typing.
      endTyping();
      fromHash();
      update("replace");
    });
    update("replace");
    document.body.setAttribute("data-ready", "true");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
