/* Run page: live stage timeline (SSE), brand profile, review of variants, approval, export.
 *
 * Data flow: GET /workflow/result once for everything known so far, then an EventSource on
 * /workflow/stream (starting after the last event we have; the browser resumes with Last-Event-ID
 * after a dropped connection). When the stage changes the result is fetched again; variants are
 * drawn once the run is awaiting approval (or has ended), and are read-only after a decision.
 * All website text goes into the page through textContent only.
 */
(function () {
  "use strict";
  var BT = window.BT;
  var el = BT.el;
  var $ = BT.$;

  var root = $("run");
  var workflowId = root.getAttribute("data-workflow-id");
  var TERMINAL = { completed: true, failed: true, cancelled: true, expired: true };
  var STAGE_ORDER = BT.config.stages.map(function (s) { return s.id; });
  var FORMAT_ORDER = BT.config.formatOrder;

  var state = {
    result: null,
    events: [], // every ProgressEvent we have, by ascending seq
    lastSeq: 0,
    stage: "pending",
    source: null,
    refreshing: null,
    refreshAgain: false,
    variantsDrawn: false,
    selected: {},
    lightbox: { items: [], index: 0 },
    rejectArmed: null,
    decisionQueued: false,
  };

  /* ---------- timeline ---------- */

  function addEvents(list) {
    var changed = false;
    list.forEach(function (e) {
      if (e.seq > state.lastSeq) {
        state.events.push(e);
        state.lastSeq = e.seq;
        changed = true;
      }
    });
    return changed;
  }

  function secondsBetween(a, b) {
    return (new Date(b).getTime() - new Date(a).getTime()) / 1000;
  }

  function drawTimeline() {
    var list = $("timeline");
    BT.clear(list);
    var events = state.events;
    var byStage = {};
    events.forEach(function (e) {
      (byStage[e.stage] = byStage[e.stage] || []).push(e);
    });
    var last = events[events.length - 1];
    var current = last ? last.stage : "pending";
    var ended = !!TERMINAL[current];
    // The stage that was running when the run failed or was cancelled: the last non-terminal one.
    var interrupted = null;
    if (current === "failed" || current === "cancelled" || current === "expired") {
      for (var i = events.length - 1; i >= 0; i--) {
        if (!TERMINAL[events[i].stage]) { interrupted = events[i].stage; break; }
      }
    }
    var now = new Date().toISOString();
    // Stages before the one reached are done even when their events are not at hand (a run read
    // from Temporal's memo while no worker answers carries only its latest event).
    var reached = STAGE_ORDER.indexOf(interrupted || current);

    STAGE_ORDER.forEach(function (stageId, index) {
      var own = byStage[stageId] || [];
      var cls = "pending";
      var first = own[0];
      var lastOwn = own[own.length - 1];
      var end = null;
      if (first) {
        // It ended when the first event of any other stage came after it.
        for (var j = events.indexOf(first) + 1; j < events.length; j++) {
          if (events[j].stage !== stageId) { end = events[j].at; break; }
        }
        if (stageId === interrupted && current !== "expired") cls = current === "failed" ? "failed" : "stopped";
        else if (end || stageId === "completed") cls = "done";
        else cls = "active";
      } else if (stageId === "completed" && ended && current !== "completed") {
        return; // a failed/cancelled/expired run never completes: show its own end below instead
      } else if (index < reached) {
        cls = "done";
      } else if (ended) {
        cls = "skipped"; // the run ended before this stage
      }
      var timing = "";
      if (first) {
        var secs = secondsBetween(first.at, end || (cls === "active" ? now : first.at));
        timing = BT.fmtTime(first.at);
        if (stageId !== "completed" && stageId !== "pending" && (end || cls === "active")) {
          timing += " · " + BT.fmtDuration(secs) + (cls === "active" ? " so far" : "");
        }
      }
      var label = BT.config.stages[index].label;
      var message = lastOwn && lastOwn.message !== label ? lastOwn.message : "";
      var item = el(
        "li",
        { className: "step " + cls, attrs: { "data-stage": stageId, "aria-current": cls === "active" ? "step" : false } },
        el("span", { className: "dot", attrs: { "aria-hidden": "true" } }),
        el(
          "div",
          { className: "step-body" },
          el(
            "div",
            { className: "step-head" },
            el("span", { className: "step-label", text: label }),
            el("span", { className: "step-time", text: timing })
          ),
          message ? el("p", { className: "step-msg", text: message }) : null
        )
      );
      list.appendChild(item);
    });
    if (current === "failed" || current === "cancelled" || current === "expired") {
      list.appendChild(
        el(
          "li",
          { className: "step end " + current, attrs: { "data-stage": current } },
          el("span", { className: "dot", attrs: { "aria-hidden": "true" } }),
          el(
            "div",
            { className: "step-body" },
            el(
              "div",
              { className: "step-head" },
              el("span", { className: "step-label", text: BT.stageLabel(current) }),
              el("span", { className: "step-time", text: BT.fmtTime(last.at) })
            ),
            // A failure's message is in the banner above; cancelled/expired say why here.
            current === "failed" ? null : el("p", { className: "step-msg", text: last.message })
          )
        )
      );
    }
    var percent = last ? last.progress_percent : 0;
    $("progress-bar").style.width = percent + "%";
    $("progress").setAttribute("aria-valuenow", String(percent));
    $("progress").setAttribute("data-stage", current);
  }

  function lastOfStage(stage) {
    for (var i = state.events.length - 1; i >= 0; i--) if (state.events[i].stage === stage) return state.events[i];
    return null;
  }

  function drawHeader() {
    var r = state.result;
    var stage = state.stage;
    var badge = $("run-stage");
    badge.textContent = BT.stageLabel(stage);
    badge.setAttribute("data-stage", stage);
    var profile = r && r.brand_profile;
    $("run-title").textContent = profile && profile.brand_name ? profile.brand_name : r ? BT.shortUrl(r.request.url) : "Campaign";
    var meta = BT.clear($("run-meta"));
    if (r) {
      var req = r.request;
      BT.append(meta, [
        BT.extLink(req.url),
        " · ",
        req.num_variants + (req.num_variants === 1 ? " variant" : " variants") + " per platform",
        " · ",
        req.platforms.map(BT.platformLabel).join(", "),
        " · ",
        BT.humanize(req.objective),
      ]);
      if (r.mode === "fallback") {
        BT.append(meta, [" · ", el("span", { className: "chip warn", text: "in-process (Temporal unavailable)" })]);
      }
    }
    drawElapsed();
    $("cancel-box").hidden = !!TERMINAL[stage] || !r;
    document.title = $("run-title").textContent + " · " + BT.stageLabel(stage) + " · BrandTruth";
  }

  function drawElapsed() {
    var r = state.result;
    var out = $("run-elapsed");
    if (!r || !r.started_at) { out.textContent = ""; return; }
    if (TERMINAL[state.stage]) {
      var dur = r.duration_seconds;
      if (dur === null || dur === undefined) {
        var lastEvent = state.events[state.events.length - 1];
        dur = lastEvent ? secondsBetween(r.started_at, lastEvent.at) : null;
      }
      out.textContent = dur !== null ? "finished in " + BT.fmtDuration(dur) : "";
    } else if (state.stage === "awaiting_approval") {
      var since = lastOfStage("awaiting_approval");
      out.textContent = since ? "ready since " + BT.fmtTime(since.at) : "";
    } else {
      out.textContent = "running for " + BT.fmtDuration(secondsBetween(r.started_at, new Date().toISOString()));
    }
  }

  function drawEnd() {
    var r = state.result;
    var stage = state.stage;
    var errorBox = $("run-error");
    var endedBox = $("run-ended");
    errorBox.hidden = stage !== "failed";
    if (stage === "failed") {
      var failedAt = null;
      for (var i = state.events.length - 1; i >= 0; i--) {
        if (!TERMINAL[state.events[i].stage]) { failedAt = state.events[i].stage; break; }
      }
      $("run-error-title").textContent = failedAt
        ? "This run failed while " + BT.stageLabel(failedAt).toLowerCase()
        : "This run failed";
      var failedEvent = lastOfStage("failed");
      $("run-error-text").textContent =
        (r && r.error) || (failedEvent && (failedEvent.error || failedEvent.message)) || "No reason was recorded.";
    }
    endedBox.hidden = !(stage === "expired" || stage === "cancelled");
    if (stage === "expired") {
      var hours = r ? r.request.approval_timeout_hours : null;
      $("run-ended-title").textContent = "This run expired";
      $("run-ended-text").textContent =
        "No decision was made" + (hours ? " within " + BT.fmtDuration(hours * 3600) : "") +
        ", so nothing was approved. The creatives below are kept for reference; start a new campaign to run them.";
    } else if (stage === "cancelled") {
      $("run-ended-title").textContent = "This run was cancelled";
      $("run-ended-text").textContent =
        "It was stopped before a decision, so nothing was approved. Anything produced before that is shown below.";
    }
  }

  /* ---------- brand profile ---------- */

  function riskBadge(risk) {
    var labels = { low: "Low risk", medium: "Medium risk", high: "High risk", blocked: "Blocked" };
    return el("span", { className: "risk risk-" + risk, text: labels[risk] || risk });
  }

  function evidenceList(evidence) {
    return el(
      "ul",
      { className: "evidence" },
      (evidence || []).map(function (ev) {
        return el(
          "li",
          {},
          el("blockquote", { text: ev.quote, attrs: { cite: BT.safeHref(ev.url) || false } }),
          el(
            "p",
            { className: "evidence-source" },
            "— ",
            ev.section ? el("span", { text: ev.section + ", " }) : null,
            BT.extLink(ev.url)
          )
        );
      })
    );
  }

  function evidenceDetails(evidence, summaryText) {
    var n = (evidence || []).length;
    return el(
      "details",
      { className: "evidence-box" },
      el("summary", { text: summaryText || (n === 1 ? "Show the quote from the site" : "Show " + n + " quotes from the site") }),
      evidenceList(evidence)
    );
  }

  function drawBrand(profile) {
    var box = $("brand");
    if (!profile) { box.hidden = true; return; }
    box.hidden = false;
    // The profile does not change after extraction; redraw only when the notes grow (copy
    // warnings arrive later), so open evidence stays open.
    var key = profile.url + "|" + ((profile.warnings || []).length + ((state.result && state.result.copy_warnings) || []).length);
    if (state.brandKey === key) return;
    state.brandKey = key;
    $("brand-title").textContent = profile.brand_name;
    var tagline = $("brand-tagline");
    tagline.textContent = profile.tagline || "";
    tagline.hidden = !profile.tagline;
    var source = BT.clear($("brand-source"));
    var bits = [BT.extLink(profile.url)];
    if (profile.industry && profile.industry.name) bits.push(" · " + BT.humanize(profile.industry.name));
    if (profile.pages && profile.pages.length) bits.push(" · " + profile.pages.length + (profile.pages.length === 1 ? " page read" : " pages read"));
    BT.append(source, bits);

    var logo = $("brand-logo");
    var logoRef = profile.assets && profile.assets.logo && profile.assets.logo.artifact;
    if (logoRef) {
      logo.src = BT.artifactUrl(logoRef);
      logo.alt = profile.brand_name + " logo";
      logo.hidden = false;
    } else {
      logo.hidden = true;
    }
    var description = $("brand-description");
    description.textContent = profile.description || "";
    description.hidden = !profile.description;

    var palette = BT.clear($("brand-palette"));
    var colors = (profile.assets && profile.assets.colors) || [];
    colors.forEach(function (c) {
      if (!/^#[0-9a-f]{6}$/i.test(c.hex)) return;
      var chip = el("span", { className: "swatch-chip", attrs: { "aria-hidden": "true" } });
      chip.style.backgroundColor = c.hex;
      palette.appendChild(
        el("li", { className: "swatch" }, chip, el("span", { className: "swatch-role", text: BT.humanize(c.role) }), el("code", { text: c.hex }))
      );
    });
    $("brand-palette-box").hidden = !colors.length;

    var tone = profile.tone || {};
    var toneBits = [];
    if (tone.summary) toneBits.push(tone.summary);
    var metrics = [];
    if (typeof tone.reading_ease === "number") metrics.push("reading ease " + Math.round(tone.reading_ease));
    if (typeof tone.sentiment === "number") metrics.push("sentiment " + (tone.sentiment >= 0 ? "+" : "") + tone.sentiment.toFixed(2));
    if (typeof tone.avg_sentence_length === "number") metrics.push(Math.round(tone.avg_sentence_length) + " words per sentence");
    var toneP = BT.clear($("brand-tone"));
    BT.append(toneP, toneBits.length ? toneBits.join(" ") : metrics.join(" · "));
    $("brand-tone-box").hidden = !toneBits.length && !metrics.length;

    var claims = BT.clear($("brand-claims"));
    var all = (profile.claims || []).slice();
    var severity = { blocked: 0, high: 1, medium: 2, low: 3 };
    // Riskiest first: those are the ones a reviewer must look at.
    all.sort(function (a, b) { return (severity[a.risk] - severity[b.risk]) || 0; });
    var counts = {};
    all.forEach(function (c) { counts[c.risk] = (counts[c.risk] || 0) + 1; });
    var summary = ["blocked", "high", "medium", "low"]
      .filter(function (r) { return counts[r]; })
      .map(function (r) { return counts[r] + " " + (r === "blocked" ? "blocked" : r + " risk"); });
    $("claims-summary").textContent = all.length
      ? all.length + (all.length === 1 ? " claim" : " claims") + ": " + summary.join(", ") + ". Each is backed by the exact words on the site."
      : "";
    var SHOWN = 5;
    all.forEach(function (c, i) {
      claims.appendChild(
        el(
          "li",
          { className: "claim", attrs: { id: "claim-" + c.id, hidden: i >= SHOWN && !state.allClaims } },
          el("div", { className: "claim-head" }, riskBadge(c.risk), el("span", { className: "chip", text: BT.humanize(c.kind) })),
          el("p", { className: "claim-text", text: c.text }),
          c.risk_reason ? el("p", { className: "claim-reason", text: c.risk_reason }) : null,
          evidenceDetails(c.evidence)
        )
      );
    });
    if (!all.length) {
      claims.appendChild(el("li", { className: "muted", text: "No checkable claims were found on the site; the copy sticks to what the brand does." }));
    }
    var more = $("claims-more");
    more.hidden = all.length <= SHOWN || !!state.allClaims;
    more.textContent = "Show all " + all.length + " claims";
    var notes = (profile.warnings || []).concat((state.result && state.result.copy_warnings) || []);
    $("brand-notes").hidden = !notes.length;
    $("brand-notes-summary").textContent = notes.length + (notes.length === 1 ? " note" : " notes") + " from reading the site and writing copy";
    var noteList = BT.clear($("brand-notes-list"));
    notes.forEach(function (n) { noteList.appendChild(el("li", { text: n })); });
  }

  /* ---------- variants ---------- */

  function claimIndex(profile) {
    var map = {};
    ((profile && profile.claims) || []).forEach(function (c) { map[c.id] = c; });
    return map;
  }

  function isWordChar(ch) { return !!ch && /[0-9A-Za-z\u00C0-\uFFFF]/.test(ch); }

  /** Where `span` occurs in `text` as whole words (case-insensitive), or -1. */
  function findSpan(text, span) {
    var lower = text.toLowerCase();
    var needle = span.toLowerCase();
    var from = 0;
    var fallback = -1;
    while (true) {
      var at = lower.indexOf(needle, from);
      if (at < 0) return fallback;
      if (!isWordChar(text.charAt(at - 1)) && !isWordChar(text.charAt(at + needle.length))) return at;
      if (fallback < 0) fallback = at;
      from = at + 1;
    }
  }

  /** Text with the spans that rest on claims wrapped in <mark>, each followed by its reference number. */
  function highlighted(text, uses) {
    text = String(text || "");
    var frag = document.createDocumentFragment();
    var ranges = [];
    uses.forEach(function (u) {
      var span = String(u.span || "").trim();
      if (!span) return;
      var at = findSpan(text, span);
      if (at >= 0) ranges.push({ start: at, end: at + span.length, ref: u.ref });
    });
    ranges.sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    // Drop overlaps, then join neighbours of the same claim ("14-day" "free" "trial" -> one mark).
    var merged = [];
    ranges.forEach(function (r) {
      var prev = merged[merged.length - 1];
      if (prev && r.start < prev.end) return;
      if (prev && prev.ref === r.ref && /^[\s\-–—,/]*$/.test(text.slice(prev.end, r.start))) {
        prev.end = r.end;
        return;
      }
      merged.push({ start: r.start, end: r.end, ref: r.ref });
    });
    var pos = 0;
    merged.forEach(function (r) {
      if (r.start > pos) frag.appendChild(document.createTextNode(text.slice(pos, r.start)));
      frag.appendChild(
        el(
          "mark",
          { className: "claim-mark", attrs: { title: "Backed by source " + r.ref + " below" } },
          text.slice(r.start, r.end),
          el("sup", { text: String(r.ref) })
        )
      );
      pos = r.end;
    });
    if (pos < text.length) frag.appendChild(document.createTextNode(text.slice(pos)));
    return frag;
  }

  function copyBlock(variant, uses, profile) {
    var platform = variant.platform;
    var brand = (profile && profile.brand_name) || "";
    var box = el("section", { className: "copy copy-" + platform, attrs: { "aria-label": "Ad copy for " + BT.platformLabel(platform) } });
    box.appendChild(el("h4", { className: "sub", text: "Copy · " + BT.platformLabel(platform) }));
    if (platform === "google_rsa") {
      var host = BT.shortUrl((state.result && state.result.request.url) || "").split("/")[0];
      var path = [host].concat([variant.path1, variant.path2].filter(Boolean)).join(" › ");
      var heads = (variant.headlines && variant.headlines.length ? variant.headlines : [variant.headline]).slice(0, 3);
      var desc = (variant.descriptions && variant.descriptions.length ? variant.descriptions[0] : variant.description) || variant.primary_text;
      box.appendChild(
        el(
          "div",
          { className: "serp" },
          el("p", { className: "serp-path" }, el("strong", { text: "Sponsored" }), " · ", path),
          el("p", { className: "serp-headline" }, highlighted(heads.join(" | "), uses)),
          el("p", { className: "serp-desc" }, highlighted(desc, uses))
        )
      );
      var all = el("details", { className: "rsa-assets" }, el("summary", { text: "All " + (variant.headlines || []).length + " headlines and " + (variant.descriptions || []).length + " descriptions" }));
      all.appendChild(el("h5", { text: "Headlines" }));
      all.appendChild(el("ol", {}, (variant.headlines || []).map(function (h) {
        return el("li", {}, highlighted(h, uses), el("span", { className: "muted", text: " (" + h.length + ")" }));
      })));
      all.appendChild(el("h5", { text: "Descriptions" }));
      all.appendChild(el("ol", {}, (variant.descriptions || []).map(function (d) {
        return el("li", {}, highlighted(d, uses), el("span", { className: "muted", text: " (" + d.length + ")" }));
      })));
      box.appendChild(all);
    } else {
      box.appendChild(
        el(
          "div",
          { className: "post" },
          el("p", { className: "post-brand" }, el("strong", { text: brand }), el("span", { className: "muted", text: " · Sponsored" })),
          el("p", { className: "post-text" }, highlighted(variant.primary_text, uses)),
          el(
            "div",
            { className: "post-link" },
            el(
              "div",
              {},
              el("p", { className: "post-headline" }, highlighted(variant.headline, uses)),
              variant.description ? el("p", { className: "post-desc" }, highlighted(variant.description, uses)) : null
            ),
            el("span", { className: "post-cta", text: variant.cta })
          )
        )
      );
    }
    return box;
  }

  function claimsUsedBlock(uses, claims) {
    if (!uses.length) {
      return el("p", { className: "muted small", text: "This copy makes no factual claims, so there is nothing to trace." });
    }
    return el(
      "section",
      { className: "claims-used" },
      el("h4", { className: "sub", text: "Where the claims come from" }),
      el(
        "ol",
        {},
        uses.map(function (u) {
          var claim = claims[u.claim_id];
          if (!claim) {
            return el("li", { className: "claim-missing" }, el("mark", { className: "ref", text: String(u.ref) }), " “" + u.span + "” — not found in the brand profile");
          }
          return el(
            "li",
            {},
            el("div", { className: "claim-head" }, el("mark", { className: "ref", text: String(u.ref) }), riskBadge(claim.risk)),
            el("p", { className: "claim-text", text: claim.text }),
            evidenceDetails(claim.evidence, "Show the evidence")
          );
        })
      )
    );
  }

  /** Factors averaged over the creatives' scores (the copy-only score when there are none). */
  function topFactors(score) {
    var per = (score.creatives || []).filter(function (c) { return c.format; });
    var basis = per.length ? per : (score.creatives || []);
    var byName = {};
    basis.forEach(function (cs) {
      (cs.factors || []).forEach(function (f) {
        if (f.group === "baseline") return;
        var agg = byName[f.name] || (byName[f.name] = { name: f.name, reason: f.reason, target: f.target, contribution: 0, quality: 0, q: 0, n: 0 });
        agg.contribution += f.contribution;
        agg.n += 1;
        if (typeof f.quality === "number") { agg.quality += f.quality; agg.q += 1; }
      });
    });
    return Object.keys(byName)
      .map(function (k) {
        var a = byName[k];
        return { name: a.name, reason: a.reason, target: a.target, contribution: a.contribution / a.n, quality: a.q ? a.quality / a.q : null };
      })
      .sort(function (a, b) { return Math.abs(b.contribution) - Math.abs(a.contribution); })
      .slice(0, 5);
  }

  function scoreBlock(score) {
    if (!score) return el("p", { className: "muted small", text: "Not scored." });
    var box = el("section", { className: "score" });
    box.appendChild(el("h4", { className: "sub", text: "Predicted performance" }));
    var range = typeof score.confidence_low === "number" && typeof score.confidence_high === "number"
      ? "likely " + Math.round(score.confidence_low) + "–" + Math.round(score.confidence_high) : "";
    box.appendChild(
      el(
        "p",
        { className: "score-line" },
        el("span", { className: "score-big tier-" + score.tier, text: Math.round(score.score) }),
        el("span", { className: "score-of", text: "/100" }),
        el("span", { className: "tier tier-" + score.tier, text: BT.humanize(score.tier) }),
        range ? el("span", { className: "muted", text: range }) : null
      )
    );
    if (score.model) {
      box.appendChild(
        el("p", {
          className: "muted small",
          text: score.model.kind === "prior"
            ? "Estimate from ad-design heuristics (" + score.model.name + "), not trained on your results."
            : "Model " + score.model.name + " " + score.model.version + ", calibrated on past results.",
        })
      );
    }
    (score.policy_failures || []).forEach(function (p) {
      box.appendChild(el("p", { className: "policy", text: "Policy: " + p }));
    });
    var factors = topFactors(score);
    var fixes = score.top_fixes || [];
    if (!factors.length && !fixes.length) return box;
    // Open on wide screens; on a phone the card stays short until asked.
    var why = el("details", { className: "why", attrs: { open: window.matchMedia("(min-width: 900px)").matches } });
    why.appendChild(
      el("summary", {
        text: "Why " + Math.round(score.score) + "? " + factors.length + " factors" + (fixes.length ? ", " + fixes.length + " ways to raise it" : ""),
      })
    );
    box.appendChild(why);
    if (factors.length) {
      why.appendChild(el("h5", { text: "What drives the score" }));
      why.appendChild(
        el(
          "ul",
          { className: "factors" },
          factors.map(function (f) {
            var meter = el("span", { className: "meter", attrs: { "aria-hidden": "true" } }, el("span", { className: "meter-fill" }));
            if (f.quality !== null) meter.firstChild.style.width = Math.round(f.quality * 100) + "%";
            var pts = (f.contribution >= 0 ? "+" : "") + f.contribution.toFixed(1) + " pts";
            return el(
              "li",
              {},
              el("div", { className: "factor-head" }, el("span", { className: "factor-name", text: BT.humanize(f.name) }), el("span", { className: "factor-pts", text: pts })),
              f.quality !== null ? meter : null,
              el("p", { className: "factor-reason", text: f.reason })
            );
          })
        )
      );
    }
    if (fixes.length) {
      why.appendChild(el("h5", { text: "How to raise it" }));
      why.appendChild(el("ul", { className: "fixes" }, fixes.map(function (t) { return el("li", { text: t }); })));
    }
    return box;
  }

  function creativeScore(score, format) {
    if (!score) return null;
    var found = (score.creatives || []).filter(function (c) { return c.format === format; })[0];
    return found || null;
  }

  function sortedCreatives(list) {
    return (list || []).slice().sort(function (a, b) { return FORMAT_ORDER.indexOf(a.format) - FORMAT_ORDER.indexOf(b.format); });
  }

  function creativeItem(vr, creative, heat) {
    var cs = creativeScore(vr.score, creative.format);
    return {
      variantId: vr.variant.id,
      format: creative.format,
      width: creative.width,
      height: creative.height,
      src: BT.artifactUrl(creative.artifact),
      heat: cs && cs.heatmap ? BT.artifactUrl(cs.heatmap) : null,
      score: cs,
      showHeat: heat,
    };
  }

  function creativesBlock(vr, card) {
    var wrap = el("div", { className: "creatives" });
    var items = sortedCreatives(vr.creatives).map(function (c) { return creativeItem(vr, c, false); });
    if (!items.length) {
      wrap.appendChild(el("p", { className: "muted small", text: "No creatives were composed for this variant." }));
      return { node: wrap, items: items };
    }
    items.forEach(function (item, index) {
      var img = el("img", {
        className: "creative-img",
        attrs: {
          src: item.src,
          width: item.width,
          height: item.height,
          alt: vr.variant.id + " " + BT.formatLabel(item.format) + " creative, " + item.width + "×" + item.height,
          "data-format": item.format,
        },
      });
      item.img = img;
      var caption = el(
        "figcaption",
        {},
        el("span", { text: (BT.config.formats[item.format] || {}).short || item.format }),
        item.score
          ? el("span", {
              className: "mini-score tier-" + item.score.tier,
              text: String(Math.round(item.score.score)),
              attrs: { title: "Predicted performance of this format" },
            })
          : null
      );
      var figure = wrap.appendChild(
        el(
          "figure",
          { className: "creative creative-" + item.format },
          el(
            "button",
            {
              className: "thumb",
              attrs: { type: "button", "aria-label": "Enlarge " + vr.variant.id + " " + BT.formatLabel(item.format) },
              on: { click: function () { openLightbox(card.items, index, card.heatToggle.checked); } },
            },
            img
          ),
          caption
        )
      );
      // Equal heights in one row: each figure takes width in proportion to its aspect ratio.
      figure.style.flexGrow = String(item.width / item.height);
      figure.style.maxWidth = (16 * item.width) / item.height + "rem"; // at most 16rem tall when alone

    });
    return { node: wrap, items: items };
  }

  function setHeat(card, on) {
    card.items.forEach(function (item) {
      if (!item.heat) return;
      item.img.src = on ? item.heat : item.src;
      item.img.alt = item.variantId + " " + BT.formatLabel(item.format) + (on ? " attention map" : " creative") + ", " + item.width + "×" + item.height;
    });
  }

  function drawVariants(result) {
    var wrap = BT.clear($("variants"));
    var claims = claimIndex(result.brand_profile);
    var awaiting = result.stage === "awaiting_approval" && !result.decision;
    state.cards = {};
    result.variants.forEach(function (vr) {
      var v = vr.variant;
      var uses = [];
      var refs = {};
      (v.claims_used || []).forEach(function (u) {
        if (!(u.claim_id in refs)) refs[u.claim_id] = Object.keys(refs).length + 1;
        uses.push({ claim_id: u.claim_id, span: u.span, ref: refs[u.claim_id] });
      });
      var uniqueUses = uses.filter(function (u, i) { return uses.findIndex(function (x) { return x.claim_id === u.claim_id; }) === i; });

      var card = { id: v.id, items: [] };
      var article = el("article", { className: "card variant", attrs: { id: "variant-" + v.id, "aria-labelledby": "variant-title-" + v.id, "data-variant": v.id } });
      card.node = article;

      var checkbox = el("input", { className: "select-box", attrs: { type: "checkbox", value: v.id, id: "select-" + v.id } });
      checkbox.checked = !!state.selected[v.id];
      checkbox.disabled = !awaiting;
      checkbox.addEventListener("change", function () {
        state.selected[v.id] = checkbox.checked;
        article.classList.toggle("selected", checkbox.checked);
        drawApproveSummary();
      });
      card.checkbox = checkbox;
      article.classList.toggle("selected", checkbox.checked);

      var scoreChip = vr.score
        ? el("span", { className: "score-chip tier-" + vr.score.tier, attrs: { title: "Predicted performance" } }, String(Math.round(vr.score.score)), el("small", { text: "/100" }))
        : null;
      article.appendChild(
        el(
          "header",
          { className: "card-head" },
          el(
            "div",
            { className: "card-title" },
            el(
              "h3",
              { attrs: { id: "variant-title-" + v.id } },
              "Variant " + v.id.slice(1),
              el("span", { className: "verdict", attrs: { "aria-live": "polite" } })
            ),
            el("p", { className: "muted small" }, BT.platformLabel(v.platform) + " · " + BT.humanize(v.angle) + " angle")
          ),
          scoreChip
        )
      );
      var selectRow = el(
        "label",
        { className: "select", attrs: { for: "select-" + v.id, hidden: !awaiting } },
        checkbox,
        el("span", { text: "Approve variant " + v.id.slice(1) })
      );
      card.selectRow = selectRow;
      article.appendChild(selectRow);

      var creatives = creativesBlock(vr, card);
      card.items = creatives.items;
      article.appendChild(creatives.node);
      var hasHeat = card.items.some(function (i) { return i.heat; });
      var heatToggle = el("input", { attrs: { type: "checkbox", id: "heat-" + v.id } });
      heatToggle.addEventListener("change", function () { setHeat(card, heatToggle.checked); });
      card.heatToggle = heatToggle;
      if (hasHeat) {
        article.appendChild(
          el(
            "div",
            { className: "heat-row" },
            el("label", { className: "toggle", attrs: { for: "heat-" + v.id } }, heatToggle, el("span", { text: "Show attention map" })),
            el("span", { className: "muted small", text: "Brighter areas are where eyes are predicted to land first." })
          )
        );
      }
      article.appendChild(copyBlock(v, uses, result.brand_profile));
      article.appendChild(claimsUsedBlock(uniqueUses, claims));
      article.appendChild(scoreBlock(vr.score));
      var warnings = (vr.variant.warnings || []).concat(vr.warnings || []);
      if (warnings.length) {
        article.appendChild(
          el(
            "section",
            { className: "variant-notes" },
            el("h4", { className: "sub", text: "Check before running" }),
            el("ul", {}, warnings.map(function (w) { return el("li", { text: w }); }))
          )
        );
      }
      wrap.appendChild(article);
      state.cards[v.id] = card;
    });
    state.variantsDrawn = true;
  }

  /* ---------- approval ---------- */

  function selectedIds() {
    var ids = [];
    ((state.result && state.result.variants) || []).forEach(function (vr) {
      if (state.selected[vr.variant.id]) ids.push(vr.variant.id);
    });
    return ids;
  }

  function drawApproveSummary() {
    var ids = selectedIds();
    var total = ((state.result && state.result.variants) || []).length;
    var button = $("approve");
    button.disabled = !ids.length;
    button.textContent = ids.length ? "Approve " + ids.length + (ids.length === 1 ? " variant" : " variants") : "Select variants to approve";
    $("approve-summary").textContent = ids.length
      ? "Approving " + ids.map(function (id) { return "variant " + id.slice(1); }).join(", ") + "; the other " + (total - ids.length) + " will be rejected."
      : "No variants selected yet. Tick “Approve variant …” on the ones you want to run.";
    $("sticky-count").textContent = ids.length + " of " + total + " selected";
  }

  function drawDecision(decision) {
    var box = $("decision");
    if (!decision) { box.hidden = true; return; }
    box.hidden = false;
    var approved = decision.approved_ids || [];
    var rejected = decision.rejected_ids || [];
    var names = function (ids) { return ids.map(function (id) { return "variant " + id.slice(1); }).join(", "); };
    $("decision-title").textContent = approved.length ? "Approved " + approved.length + " of " + (approved.length + rejected.length) + " variants" : "All variants rejected";
    var parts = [];
    if (approved.length) parts.push("Approved: " + names(approved) + ".");
    if (rejected.length) parts.push("Rejected: " + names(rejected) + ".");
    parts.push("Decided " + BT.fmtDateTime(decision.decided_at) + ".");
    $("decision-text").textContent = parts.join(" ");
    var comment = $("decision-comment");
    comment.hidden = !decision.comment;
    comment.textContent = decision.comment ? "“" + decision.comment + "”" : "";
    var exp = $("export");
    exp.hidden = !approved.length;
    exp.href = BT.withToken("/workflow/export/" + encodeURIComponent(workflowId) + ".zip");
    Object.keys(state.cards || {}).forEach(function (id) {
      var card = state.cards[id];
      var ok = approved.indexOf(id) >= 0;
      card.node.classList.toggle("approved", ok);
      card.node.classList.toggle("rejected", !ok);
      card.node.classList.remove("selected");
      card.checkbox.checked = ok;
      card.checkbox.disabled = true;
      card.selectRow.hidden = true;
      card.node.querySelector(".verdict").textContent = ok ? "Approved" : "Rejected";
    });
    $("approve-form").hidden = true;
    $("approve-sticky").hidden = true;
    $("review-title").textContent = "Creatives";
    $("review-hint").textContent = "Read-only: this run has been decided. Click a creative to enlarge it.";
  }

  function drawReviewMode() {
    var r = state.result;
    var awaiting = r.stage === "awaiting_approval" && !r.decision && !state.decisionQueued;
    $("approve-form").hidden = !awaiting;
    $("approve-sticky").hidden = !awaiting;
    if (awaiting) drawApproveSummary();
    Object.keys(state.cards || {}).forEach(function (id) {
      state.cards[id].checkbox.disabled = !awaiting;
      state.cards[id].selectRow.hidden = !awaiting;
    });
    if (r.decision) {
      drawDecision(r.decision);
    } else if (TERMINAL[r.stage]) {
      $("review-title").textContent = "Creatives";
      $("review-hint").textContent = "Read-only: this run ended without a decision. Click a creative to enlarge it.";
    }
  }

  async function approve(ids) {
    var error = $("approve-error");
    error.hidden = true;
    $("approve").disabled = true;
    $("reject-all").disabled = true;
    try {
      var comment = $("comment").value.trim();
      var res = await BT.api("/workflow/approve/" + encodeURIComponent(workflowId), {
        method: "POST",
        body: { variant_ids: ids, comment: comment || null },
      });
      if (res.status === 202) {
        state.decisionQueued = true;
        $("approve-form").hidden = true;
        $("approve-sticky").hidden = true;
        var box = $("decision");
        box.hidden = false;
        $("decision-title").textContent = "Decision sent";
        $("decision-text").textContent = res.data.message || "It will be applied as soon as a worker picks it up.";
        return;
      }
      state.result.decision = res.data.decision;
      drawDecision(res.data.decision);
      $("decision").focus();
      announce(res.data.approved_ids.length ? "Approved " + res.data.approved_ids.length + " variants." : "All variants rejected.");
    } catch (e) {
      error.textContent = "The decision was not recorded: " + e.message;
      error.hidden = false;
      $("reject-all").disabled = false;
      drawApproveSummary();
      if (e.status === 409) refresh();
    }
  }

  $("approve-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var ids = selectedIds();
    if (ids.length) approve(ids);
  });

  $("reject-all").addEventListener("click", function () {
    var button = $("reject-all");
    if (state.rejectArmed) {
      clearTimeout(state.rejectArmed);
      state.rejectArmed = null;
      button.textContent = "Reject all";
      approve([]);
      return;
    }
    button.textContent = "Click again to reject all";
    state.rejectArmed = setTimeout(function () {
      state.rejectArmed = null;
      button.textContent = "Reject all";
    }, 5000);
  });

  /* ---------- cancel ---------- */

  $("cancel").addEventListener("click", function () {
    $("cancel").hidden = true;
    $("cancel-confirm").hidden = false;
    $("cancel-no").focus();
  });
  $("cancel-no").addEventListener("click", function () {
    $("cancel-confirm").hidden = true;
    $("cancel").hidden = false;
    $("cancel").focus();
  });
  $("cancel-yes").addEventListener("click", async function () {
    $("cancel-yes").disabled = true;
    try {
      await BT.api("/workflow/cancel/" + encodeURIComponent(workflowId), { method: "POST" });
      setConnection("Cancelling…");
    } catch (e) {
      setConnection("Could not cancel: " + e.message);
    } finally {
      $("cancel-yes").disabled = false;
      $("cancel-confirm").hidden = true;
      $("cancel").hidden = false;
    }
    refresh();
  });

  $("claims-more").addEventListener("click", function () {
    state.allClaims = true;
    var hiddenClaims = document.querySelectorAll("#brand-claims li[hidden]");
    Array.prototype.forEach.call(hiddenClaims, function (li) { li.hidden = false; });
    $("claims-more").hidden = true;
    if (hiddenClaims.length) hiddenClaims[0].querySelector("summary").focus();
  });

  /* ---------- lightbox ---------- */

  function openLightbox(items, index, heat) {
    state.lightbox = { items: items, index: index };
    $("lightbox-heat").checked = !!heat;
    drawLightbox();
    var dialog = $("lightbox");
    if (!dialog.open) dialog.showModal();
    $("lightbox-close").focus();
  }

  function drawLightbox() {
    var lb = state.lightbox;
    var item = lb.items[lb.index];
    if (!item) return;
    var heat = $("lightbox-heat").checked && !!item.heat;
    var img = $("lightbox-img");
    img.src = heat ? item.heat : item.src;
    img.width = item.width;
    img.height = item.height;
    img.alt = "Variant " + item.variantId.slice(1) + ", " + BT.formatLabel(item.format) + (heat ? " attention map" : " creative");
    $("lightbox-title").textContent = "Variant " + item.variantId.slice(1) + " · " + BT.formatLabel(item.format) + " · " + item.width + "×" + item.height;
    $("lightbox-heat").disabled = !item.heat;
    $("lightbox-score").textContent = item.score ? "Score " + Math.round(item.score.score) + " (" + BT.humanize(item.score.tier) + ")" : "";
    $("lightbox-prev").disabled = lb.items.length < 2;
    $("lightbox-next").disabled = lb.items.length < 2;
  }

  function stepLightbox(delta) {
    var lb = state.lightbox;
    if (lb.items.length < 2) return;
    lb.index = (lb.index + delta + lb.items.length) % lb.items.length;
    drawLightbox();
  }

  $("lightbox-close").addEventListener("click", function () { $("lightbox").close(); });
  $("lightbox-heat").addEventListener("change", drawLightbox);
  $("lightbox-prev").addEventListener("click", function () { stepLightbox(-1); });
  $("lightbox-next").addEventListener("click", function () { stepLightbox(1); });
  $("lightbox").addEventListener("click", function (event) {
    if (event.target === $("lightbox")) $("lightbox").close(); // a click on the backdrop
  });
  $("lightbox").addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") stepLightbox(-1);
    else if (event.key === "ArrowRight") stepLightbox(1);
  });

  /* ---------- data ---------- */

  function setConnection(text) { $("connection").textContent = text; }
  function announce(text) { $("announce").textContent = text; }

  function draw() {
    var r = state.result;
    drawHeader();
    drawTimeline();
    drawEnd();
    if (r) {
      drawBrand(r.brand_profile);
      var showVariants = r.variants.length && (r.stage === "awaiting_approval" || TERMINAL[r.stage]);
      if (showVariants) {
        if (!state.variantsDrawn) drawVariants(r);
        $("review").hidden = false;
        drawReviewMode();
      }
    }
  }

  /** Fetch the result again (coalescing calls made while one is in flight). */
  async function refresh() {
    if (state.refreshing) { state.refreshAgain = true; return state.refreshing; }
    state.refreshing = (async function () {
      try {
        var result = (await BT.api("/workflow/result/" + encodeURIComponent(workflowId))).data;
        state.result = result;
        addEvents(result.events || []);
        var last = state.events[state.events.length - 1];
        state.stage = last ? last.stage : result.stage; // the stream may be ahead of this answer
        draw();
      } catch (e) {
        if (e.status === 404) {
          $("run-title").textContent = "Run not found";
          setConnection("There is no run with this id (or it was stored by a server that is not reachable now).");
          closeStream();
        } else {
          setConnection("Could not load the run: " + e.message);
          if (!(e instanceof BT.ApiError) && window.console) console.error(e);
        }
        throw e;
      } finally {
        state.refreshing = null;
      }
    })();
    try { await state.refreshing; } catch (e) { return; }
    if (state.refreshAgain) { state.refreshAgain = false; await refresh(); }
  }

  function closeStream() {
    if (state.source) { state.source.close(); state.source = null; }
  }

  function onEvent(message) {
    var data;
    try { data = JSON.parse(message.data); } catch (e) { return; }
    var before = state.stage;
    if (!addEvents([data])) return;
    state.stage = data.stage;
    drawTimeline();
    drawHeader();
    if (data.stage !== before) {
      announce(BT.stageLabel(data.stage) + ": " + data.message);
      refresh();
    }
    if (TERMINAL[data.stage]) {
      closeStream();
      setConnection("");
    }
  }

  function openStream() {
    closeStream();
    if (TERMINAL[state.stage]) return;
    var url = BT.withToken("/workflow/stream/" + encodeURIComponent(workflowId) + "?after=" + state.lastSeq);
    var source = new EventSource(url);
    state.source = source;
    source.addEventListener("open", function () { setConnection("Live — updates appear as they happen."); });
    source.addEventListener("message", onEvent); // every event, terminal ones too, is a default event
    source.addEventListener("error", function () {
      if (source !== state.source) return;
      if (source.readyState === EventSource.CONNECTING) {
        setConnection("Connection lost — reconnecting…");
        return;
      }
      // Closed for good (e.g. the key was refused or the server restarted): re-check, then reopen.
      setConnection("Connection closed — reconnecting…");
      closeStream();
      refresh().then(function () {
        if (!TERMINAL[state.stage]) setTimeout(openStream, 2000);
      });
    });
  }

  setInterval(function () {
    if (!state.result || TERMINAL[state.stage]) return;
    drawElapsed();
    var active = document.querySelector(".step.active .step-time");
    if (active) drawTimeline();
  }, 1000);

  window.addEventListener("scroll", function () {
    var form = $("approve-form");
    if (form.hidden) return;
    var rect = form.getBoundingClientRect();
    $("approve-sticky").classList.toggle("gone", rect.top < window.innerHeight);
  }, { passive: true });

  BT.ready().then(async function () {
    await refresh();
    if (state.result) openStream();
  });
})();
