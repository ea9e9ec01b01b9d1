// mockserver console: reads and drives the admin JSON API (/__admin). No framework, no build step.
// The admin token, when the sandbox has one, lives in this closure only (never in storage).
"use strict";
(() => {
  const ADMIN = "/__admin";
  const POLL_MS = 2000;
  const state = { token: null, tenant: "default", view: "overview", selected: null, vendors: [], stateDoc: null, busy: false };

  // -- small helpers ----------------------------------------------------------------------------
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "class") el.className = value;
      else el.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  function fill(el, ...children) {  // replaceChildren, for nested lists with gaps
    el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  }

  function flash(message, error = false) {
    const box = $("#flash");
    box.textContent = message;
    box.className = error ? "flash error" : "flash";
    box.hidden = false;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(() => { box.hidden = true; }, error ? 6000 : 2500);
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {  // not a secure context: the old way
      const area = h("textarea", {}, text);
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    flash("Copied to the clipboard");
  }

  const copyButton = (text) => h("button", { class: "copy", type: "button", onclick: () => copy(text) }, "Copy");
  const pill = (status) => h("span", { class: `pill s${status ? String(status)[0] : 0}` }, status ?? "drop");
  const emptyRow = (cols, text) => h("tr", { class: "empty" }, h("td", { colspan: cols }, text));
  const time = (iso) => (iso || "").replace("T", " ").replace(/\.\d+/, "").replace("+00:00", "Z");

  const decode = (text) => { try { return decodeURIComponent(text); } catch (_) { return text; } };

  function pretty(text) {
    if (!text) return "";
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (_) { return text; }
  }

  // -- the admin API ----------------------------------------------------------------------------
  class AuthNeeded extends Error {}

  async function api(method, path, body) {
    const headers = { "Accept": "application/json" };
    if (state.tenant && state.tenant !== "default") headers["X-Sandbox-Tenant"] = state.tenant;
    if (state.token) headers["Authorization"] = `Bearer ${state.token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(ADMIN + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) { askToken(); throw new AuthNeeded("the admin token is needed"); }
    if (response.status === 204) return null;
    const type = response.headers.get("content-type") || "";
    const data = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) {
      const error = data && data.error;
      const message = error ? `${error.title}: ${error.detail}` : `${response.status} ${response.statusText}`;
      throw new Error(message);
    }
    return data;
  }

  function askToken() {
    const dialog = $("#token-dialog");
    if (!dialog.open) dialog.showModal();
  }

  async function act(fn, done) {  // a user's action: report its error, refresh what it changed
    try {
      await fn();
      if (done) flash(done);
    } catch (err) {
      if (!(err instanceof AuthNeeded)) flash(err.message, true);
    }
    await refresh();
  }

  // -- views ------------------------------------------------------------------------------------
  const views = {
    async overview() {
      const [health, credentials] = await Promise.all([api("GET", "/health"), api("GET", "/credentials")]);
      const rows = Object.values(health.rows || {}).reduce((a, b) => a + b, 0);
      const stat = (label, value) => h("div", { class: "stat" }, h("div", { class: "label" }, label), h("div", { class: "value" }, value));
      $("#health").replaceChildren(
        stat("Tenant", health.tenant || state.tenant), stat("Seed", health.seed), stat("Scale", health.scale),
        stat("Rows", rows.toLocaleString()), stat("Tables", Object.keys(health.rows || {}).length),
        stat("Up", `${Math.round(health.uptime_seconds)} s`));
      for (const card of $$(".vendor")) {
        const creds = credentials[card.dataset.vendor] || {};
        const cell = $(".credentials", card);
        const entries = Object.entries(creds);
        const signature = JSON.stringify(entries);
        if (cell.dataset.signature === signature) continue;
        cell.dataset.signature = signature;
        cell.replaceChildren(...(entries.length ? entries.map(([key, value]) => {
          const text = typeof value === "string" ? value : JSON.stringify(value);
          return h("span", { class: "cred" }, h("span", { class: "muted" }, key), h("code", { title: text }, text), copyButton(text));
        }) : [h("span", { class: "muted" }, "none")]));
      }
    },

    async requests() {
      const form = $("#request-filters");
      const params = new URLSearchParams({ limit: "200" });
      for (const name of ["vendor", "method", "status", "path"]) {
        const value = form.elements[name].value.trim();
        if (value) params.set(name, value);
      }
      const { requests } = await api("GET", `/requests?${params}`);
      $("#count-requests").textContent = requests.length >= 200 ? "200+" : requests.length || "";
      const body = $("#requests-table tbody");
      const signature = requests.map((e) => e.id).join(",");
      if (body.dataset.signature === signature) return;  // nothing new: keep the rows (and a hover, a click)
      body.dataset.signature = signature;
      body.replaceChildren(...(requests.length ? requests.map((entry) => {
        const marks = [];
        if (entry.faults && entry.faults.length) marks.push(h("span", { class: "mark fault" }, `fault ${entry.faults.join(",")}`));
        if (entry.stub) marks.push(h("span", { class: "mark stub" }, `stub ${entry.stub}`));
        if (entry.warnings && entry.warnings.length) marks.push(h("span", { class: "mark warning", title: entry.warnings.join("\n") }, "warning"));
        if (entry.near_misses) marks.push(h("span", { class: "mark miss" }, "no route"));
        const row = h("tr", { class: "clickable" + (state.selected === entry.id ? " selected" : ""), "data-id": entry.id,
                               onclick: () => { state.selected = entry.id; showRequest(entry); $$("#requests-table tr.selected").forEach((r) => r.classList.remove("selected")); row.classList.add("selected"); } },
          h("td", { class: "muted" }, entry.id), h("td", { class: "muted mono" }, time(entry.time).slice(11)),
          h("td", {}, entry.vendor), h("td", { class: "method" }, entry.method),
          h("td", { class: "path" }, entry.path + (entry.query ? `?${decode(entry.query)}` : "")),
          h("td", {}, pill(entry.status)), h("td", { class: "muted" }, Math.round(entry.duration_ms)), h("td", {}, marks));
        return row;
      }) : [emptyRow(8, "No requests yet. Call a vendor API and they appear here.")]));
    },

    async unmatched() {
      const { requests } = await api("GET", "/requests/unmatched?limit=100");
      $("#count-unmatched").textContent = requests.length || "";
      $("#unmatched-list").replaceChildren(...(requests.length ? requests.map((entry) => h("div", { class: "miss-card" },
        h("div", {}, h("span", { class: "method" }, entry.method), " ", h("code", {}, entry.path + (entry.query ? `?${entry.query}` : "")),
          " ", pill(entry.status), h("span", { class: "muted" }, `  ${time(entry.time)} · ${entry.vendor}`)),
        h("div", { class: "muted" }, "Closest routes:"),
        h("ol", {}, (entry.near_misses || []).map((miss) => h("li", {}, `${miss.method} ${miss.path}`,
          h("span", { class: "score" }, `${Math.round(miss.score * 100)}%`))))))
        : [h("p", { class: "muted" }, "Every request matched a route.")]));
    },

    async stubs() {
      const { stubs } = await api("GET", "/stubs");
      $("#stubs-table tbody").replaceChildren(...(stubs.length ? stubs.map((stub) => h("tr", {},
        h("td", { class: "muted" }, stub.id),
        h("td", { class: "path" }, describeMatch(stub.match)),
        h("td", {}, pill(stub.response.status || 200), " ",
          h("code", {}, summary(stub.response.body))),
        h("td", {}, stub.priority),
        h("td", {}, `${stub.hits}${stub.times ? ` / ${stub.times}` : ""}`, stub.active ? "" : h("span", { class: "muted" }, " (spent)")),
        h("td", {}, h("button", { class: "small danger", type: "button", onclick: () => act(() => api("DELETE", `/stubs/${stub.id}`), "Stub removed") }, "Remove"))))
        : [emptyRow(6, "No stubs in this tenant.")]));
    },

    async outbox() {
      const { messages } = await api("GET", "/outbox?limit=100");
      $("#count-outbox").textContent = messages.length || "";
      $("#outbox-list").replaceChildren(...(messages.length ? messages.map((message) => h("article", { class: "mail" },
        h("header", {}, h("div", { class: "subject" }, message.subject || "(no subject)"),
          h("div", { class: "meta" }, `From ${message.vendor} · To ${message.to} · ${time(message.sent_at)}${message.kind ? ` · ${message.kind}` : ""}`)),
        h("div", { class: "body" }, linkify(message.body || "")),
        Object.keys(message.data || {}).length ? h("div", { class: "data" }, Object.entries(message.data).map(([key, value]) => {
          const text = typeof value === "string" ? value : JSON.stringify(value);
          return h("span", { class: "cred" }, h("span", { class: "muted" }, key), /^https?:\/\//.test(text)
            ? h("a", { href: text, target: "_blank", rel: "noopener" }, text) : h("code", {}, text), copyButton(text));
        })) : null))
        : [h("p", { class: "muted" }, "The outbox is empty: no vendor has sent mail in this tenant.")]));
    },

    async webhooks() {
      const { deliveries } = await api("GET", "/webhooks?limit=100");
      $("#webhooks-table tbody").replaceChildren(...(deliveries.length ? deliveries.map((delivery) => h("tr", { "data-id": delivery.id },
        h("td", { class: "muted" }, delivery.id), h("td", {}, delivery.vendor),
        h("td", {}, delivery.event, h("details", { class: "payload" }, h("summary", {}, "payload"),
          h("pre", {}, JSON.stringify(delivery.payload, null, 2)))),
        h("td", { class: "path" }, delivery.target_url),
        h("td", {}, h("span", { class: `pill ${delivery.status === "delivered" ? "s2" : delivery.status === "failed" ? "s5" : "s4"}` }, delivery.status)),
        h("td", {}, h("ul", { class: "attempts" }, delivery.attempts.map((a) =>
          h("li", {}, `#${a.attempt} ${time(a.at).slice(11)} → ${a.status_code ?? a.error} (${Math.round(a.duration_ms)} ms)`)))),
        h("td", {}, h("button", { class: "small", type: "button", "data-replay": delivery.id,
          onclick: () => act(() => api("POST", `/webhooks/${delivery.id}/replay`), `Delivery ${delivery.id} sent again`) }, "Replay"))))
        : [emptyRow(7, "No webhook deliveries in this tenant.")]));
    },

    async faults() {
      const { faults } = await api("GET", "/faults");
      $("#faults-table tbody").replaceChildren(...(faults.length ? faults.map((rule) => h("tr", {},
        h("td", { class: "muted" }, rule.id), h("td", { class: "path" }, describeMatch(rule.match)),
        h("td", {}, describeEffect(rule.effect)), h("td", {}, rule.probability),
        h("td", {}, `${rule.fired}${rule.times ? ` / ${rule.times}` : ""}`),
        h("td", {}, h("button", { class: "small danger", type: "button", onclick: () => act(() => api("DELETE", `/faults/${rule.id}`), "Fault removed") }, "Remove"))))
        : [emptyRow(6, "No fault rules: every vendor behaves.")]));
    },

    async clock() { /* the clock is read on every tick (topbar) */ },

    async tenants() {
      const { tenants, limit } = await api("GET", "/tenants");
      $("#tenants-table tbody").replaceChildren(...tenants.map((name) => h("tr", {},
        h("td", {}, name, name === state.tenant ? h("span", { class: "tag" }, " selected") : ""),
        h("td", {}, name === "default" ? h("span", { class: "muted" }, `up to ${limit} live tenants`)
          : h("button", { class: "small danger", type: "button", onclick: () => act(() => api("DELETE", `/tenants/${encodeURIComponent(name)}`), `Tenant ${name} dropped`) }, "Drop")))));
    },

    async state() {
      const snapshots = (await api("GET", "/snapshots")).snapshots || [];
      $("#snapshots-table tbody").replaceChildren(...snapshots.slice().reverse().map((snap) => h("tr", {},
        h("td", {}, snap.name, snap.automatic ? h("span", { class: "tag" }, " automatic") : ""),
        h("td", {}, snap.created || ""), h("td", {}, String(snap.rows ?? "")),
        h("td", {},
          h("button", { class: "small", type: "button", onclick: () => { state.stateDoc = null; act(() => api("POST", `/snapshots/${encodeURIComponent(snap.name)}/restore`), `Restored ${snap.name}`); } }, "Restore"),
          " ",
          h("button", { class: "small danger", type: "button", onclick: () => act(() => api("DELETE", `/snapshots/${encodeURIComponent(snap.name)}`), `Snapshot ${snap.name} deleted`) }, "Delete")))));
      const health = await api("GET", "/health");
      $("#tables-table tbody").replaceChildren(...Object.entries(health.rows || {}).map(([name, count]) =>
        h("tr", { class: "clickable", onclick: () => showTable(name, 0) }, h("td", { class: "path" }, name), h("td", {}, count))));
    },
  };

  function describeMatch(match) {
    const parts = [];
    if (match.vendor) parts.push(match.vendor);
    parts.push(match.method || "*");
    parts.push(match.path || "*");
    if (match.query) parts.push(`?${new URLSearchParams(match.query)}`);
    if (match.headers) parts.push(Object.entries(match.headers).map(([k, v]) => `${k}: ${v}`).join(", "));
    if (match.body) parts.push(match.body.contains !== undefined ? `body ∋ "${match.body.contains}"` : `${match.body.pointer} = ${JSON.stringify(match.body.equals)}`);
    return parts.join("  ");
  }

  function describeEffect(effect) {
    if (effect.type === "latency") return effect.ms !== undefined ? `latency ${effect.ms} ms` : `latency ${effect.min_ms}–${effect.max_ms} ms`;
    if (effect.type === "error") return `error ${effect.status}`;
    if (effect.type === "rate_limit") return `rate limit (retry after ${effect.retry_after ?? 1} s)`;
    return effect.type;
  }

  function summary(body) {
    const text = typeof body === "string" ? body : JSON.stringify(body ?? "");
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  }

  function linkify(text) {
    const out = [];
    let last = 0;
    for (const match of text.matchAll(/https?:\/\/[^\s<>"')]+/g)) {
      out.push(text.slice(last, match.index), h("a", { href: match[0], target: "_blank", rel: "noopener" }, match[0]));
      last = match.index + match[0].length;
    }
    out.push(text.slice(last));
    return out;
  }

  function showRequest(entry) {
    const panel = $("#request-detail");
    const headers = (obj) => Object.entries(obj || {}).map(([k, v]) => `${k}: ${v}`).join("\n");
    const response = entry.response || {};
    fill(panel,
      h("button", { class: "small subtle close", type: "button", onclick: () => { panel.hidden = true; state.selected = null; } }, "Close"),
      h("h3", {}, h("span", { class: "method" }, entry.method), " ", entry.path),
      h("div", { class: "muted" }, `#${entry.id} · ${time(entry.time)} · ${entry.vendor} · tenant ${entry.tenant} · ${entry.duration_ms} ms`),
      entry.faults && entry.faults.length ? h("p", {}, h("span", { class: "mark fault" }, "fault"), ` answered by fault rule ${entry.faults.join(", ")}`) : null,
      entry.stub ? h("p", {}, h("span", { class: "mark stub" }, "stub"), ` answered by stub ${entry.stub}; the store never saw it`) : null,
      (entry.warnings || []).length ? [h("h4", {}, "Sandbox warnings"), h("pre", {}, entry.warnings.join("\n"))] : null,
      entry.near_misses ? [h("h4", {}, "No route matched. Closest routes"), h("pre", {}, entry.near_misses.map((m) => `${m.method} ${m.path}  (${Math.round(m.score * 100)}%)`).join("\n"))] : null,
      entry.query ? [h("h4", {}, "Query"), h("pre", {}, entry.query.split("&").map(decode).join("\n"))] : null,
      h("h4", {}, "Request headers"), h("pre", {}, headers(entry.headers)),
      entry.body ? [h("h4", {}, `Request body${entry.body_truncated ? " (cut)" : ""}`), h("pre", {}, pretty(entry.body))] : null,
      h("h4", {}, "Response "), h("div", {}, pill(entry.status)),
      response.headers ? [h("h4", {}, "Response headers"), h("pre", {}, headers(response.headers))] : null,
      response.body ? [h("h4", {}, `Response body${response.body_truncated ? " (cut at 8 KiB)" : ""}`), h("pre", {}, pretty(response.body))] : null);
    panel.hidden = false;
  }

  const PAGE = 25;
  async function showTable(name, page) {
    const panel = $("#table-rows");
    if (!state.stateDoc || page === 0) state.stateDoc = await api("GET", "/state");
    const rows = (state.stateDoc.tables || {})[name] || [];
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    fill(panel,
      h("button", { class: "small subtle close", type: "button", onclick: () => { panel.hidden = true; } }, "Close"),
      h("h3", {}, name), h("div", { class: "muted" }, `${rows.length} rows · page ${page + 1} of ${pages}`),
      h("div", { class: "row" },
        h("button", { class: "small subtle", type: "button", disabled: page === 0, onclick: () => showTable(name, page - 1) }, "← Previous"),
        h("button", { class: "small subtle", type: "button", disabled: page + 1 >= pages, onclick: () => showTable(name, page + 1) }, "Next →")),
      rows.slice(page * PAGE, (page + 1) * PAGE).map(([key, doc]) => [h("h4", {}, `key ${key}`), h("pre", {}, JSON.stringify(doc, null, 2))]));
    panel.hidden = false;
  }

  // -- the clock, tenants and the tick ------------------------------------------------------------
  async function readClock() {
    const clock = await api("GET", "/clock");
    const badge = $("#clock-badge");
    badge.textContent = time(clock.now) + (clock.frozen ? " ❄" : "");
    badge.classList.toggle("frozen", clock.frozen);
    $("#clock-now").textContent = time(clock.now);
    $("#clock-now").dataset.now = clock.now;
    $("#clock-info").textContent = clock.frozen ? "Frozen: time stands still until you advance or unfreeze it."
      : Math.round(clock.offset_seconds || 0) === 0 ? "Running on real time."
        : `Running, ${Math.abs(Math.round(clock.offset_seconds)).toLocaleString()} s ${clock.offset_seconds > 0 ? "ahead of" : "behind"} real time.`;
    $("#clock-freeze").textContent = clock.frozen ? "Unfreeze" : "Freeze";
    $("#clock-freeze").dataset.frozen = clock.frozen;
  }

  async function readTenants() {
    const { tenants } = await api("GET", "/tenants");
    const select = $("#tenant");
    const names = tenants.includes(state.tenant) ? tenants : [...tenants, state.tenant];
    if (select.dataset.names !== names.join("\n")) {
      select.dataset.names = names.join("\n");
      select.replaceChildren(...names.map((name) => h("option", { value: name }, name)));
    }
    select.value = state.tenant;
  }

  async function refresh() {
    if (document.body.dataset.adminToken === "required" && !state.token) { askToken(); return; }
    if (state.busy) return;
    state.busy = true;
    try {
      await Promise.all([readClock(), readTenants(), views[state.view]()]);
      document.body.dataset.ready = "true";
    } catch (err) {
      if (!(err instanceof AuthNeeded)) flash(err.message, true);
    } finally {
      state.busy = false;
    }
  }

  function show(view) {
    if (!views[view]) view = "overview";
    state.view = view;
    for (const section of $$(".view")) section.hidden = section.id !== `view-${view}`;
    for (const link of $$("#nav a")) link.classList.toggle("active", link.dataset.view === view);
    refresh();
  }

  // -- wiring -----------------------------------------------------------------------------------
  function wire() {
    for (const code of $$("code[data-origin]")) {
      code.textContent = location.origin + code.dataset.origin;
    }
    for (const button of $$("button[data-copy-from]")) {
      button.addEventListener("click", () => copy(button.previousElementSibling.textContent));
    }
    state.vendors = $$(".vendor").map((card) => card.dataset.vendor);
    for (const select of $$("select[name=vendor]")) {
      select.append(...state.vendors.map((name) => h("option", { value: name }, name)));
    }
    window.addEventListener("hashchange", () => show(location.hash.slice(1)));
    $("#tenant").addEventListener("change", (event) => { state.tenant = event.target.value; state.stateDoc = null; refresh(); });
    $("#request-filters").addEventListener("input", () => views.requests().catch(() => {}));
    $("#request-filters").addEventListener("submit", (event) => event.preventDefault());
    $("#clear-journal").addEventListener("click", () => act(() => api("DELETE", "/requests"), "Journal cleared"));

    $("#stub-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const f = event.target.elements;
      const match = {};
      for (const name of ["vendor", "method", "path"]) if (f[name].value.trim()) match[name] = f[name].value.trim();
      if (f.contains.value) match.body = { contains: f.contains.value };
      let body = f.body.value;
      try { body = JSON.parse(body); } catch (_) { /* plain text */ }
      const stub = { match, response: { status: Number(f.status.value || 200), body } };
      if (f.priority.value) stub.priority = Number(f.priority.value);
      if (f.times.value) stub.times = Number(f.times.value);
      act(() => api("POST", "/stubs", stub), "Stub added");
    });

    $("#fault-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const f = event.target.elements;
      const match = {};
      for (const name of ["vendor", "method", "path"]) if (f[name].value.trim()) match[name] = f[name].value.trim();
      const effect = { type: f.type.value };
      if (effect.type === "error") effect.status = Number(f.amount.value);
      if (effect.type === "latency") effect.ms = Number(f.amount.value);
      const rule = { match, effect, probability: Number(f.probability.value || 1) };
      if (f.times.value) rule.times = Number(f.times.value);
      act(() => api("POST", "/faults", rule), "Fault added");
    });
    $("#fault-form").elements.type.addEventListener("change", (event) => {
      $("#fault-form").elements.amount.value = { error: 503, latency: 500 }[event.target.value] ?? "";
    });

    $("#clock-freeze").addEventListener("click", (event) =>
      act(() => api("PUT", "/clock", { frozen: event.target.dataset.frozen !== "true" })));
    for (const button of $$("button[data-advance]")) {
      button.addEventListener("click", () => act(() => api("PUT", "/clock", { advance: Number(button.dataset.advance) }), `Clock advanced by ${button.textContent.slice(1)}`));
    }
    $("#clock-advance").addEventListener("submit", (event) => {
      event.preventDefault();
      const seconds = Number(event.target.elements.seconds.value);
      act(() => api("PUT", "/clock", { advance: seconds }), `Clock advanced by ${seconds} s`);
    });
    $("#clock-set").addEventListener("submit", (event) => {
      event.preventDefault();
      act(() => api("PUT", "/clock", { now: event.target.elements.now.value.trim() }), "Clock set");
    });
    $("#clock-real").addEventListener("click", () => act(() => api("PUT", "/clock", { now: null, frozen: false }), "Back to real time"));

    $("#state-download").addEventListener("click", () => act(async () => {
      const doc = await api("GET", "/state");
      const link = h("a", { href: URL.createObjectURL(new Blob([JSON.stringify(doc)], { type: "application/json" })),
                             download: `mockserver-state-${state.tenant}.json` });
      document.body.append(link);
      link.click();
      link.remove();
    }));
    $("#snapshot-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const name = event.target.elements.name.value.trim();
      act(() => api("POST", "/snapshots", { name }), `Saved snapshot ${name}`);
      event.target.reset();
    });
    $("#state-reset").addEventListener("click", () => {
      if (confirm(`Reset tenant "${state.tenant}" to its seeded world? Every change since seeding is dropped.`)) {
        state.stateDoc = null;
        act(() => api("POST", "/reset"), "Reset to the seeded world");
      }
    });

    $("#token-form").addEventListener("submit", () => {
      state.token = $("#token-form").elements.token.value;
      $("#token-form").elements.token.value = "";
      refresh();
    });

    setInterval(() => { if ($("#live").checked && !document.hidden && !$("#token-dialog").open) refresh(); }, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", () => {
    wire();
    if (document.body.dataset.adminToken === "required") askToken();  // no 401 round trip first
    show(location.hash.slice(1) || "overview");
  });
})();
