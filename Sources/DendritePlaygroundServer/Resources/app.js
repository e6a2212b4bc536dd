// Dendrite playground page: the controls and the URL hash, the WebSocket session and the
// drawings. The contract is docs/playground-protocol.md. No external code.
"use strict";

(() => {
  const PALETTE = { blue: "#0072B2", orange: "#D55E00", green: "#009E73", pink: "#CC79A7", yellow: "#E69F00", sky: "#56B4E9", black: "#000000" };
  const CLASS_COLORS = [[0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167], [230, 159, 0], [86, 180, 233]];
  const TWO_CLASS = ["circle", "xor", "gauss", "spiral"];
  const MULTI_CLASS = ["gauss3", "spiral3"];
  const REGRESSION = ["plane", "multi-gauss"];
  const KEYS = ["dataset", "loss", "activation", "outputActivation", "layers", "learningRate", "batchSize", "optimizer", "init",
    "noise", "trainRatio", "features", "regularization", "regularizationRate", "dropout", "seed", "compare", "compareWith", "preset"];
  const COMPARE_DEFAULTS = { loss: "mse", activation: "relu", init: "normal" };

  const $ = (id) => document.getElementById(id);

  // ---- configuration and the hash ----

  function defaults(dataset) {
    const loss = MULTI_CLASS.includes(dataset) ? "softmax-cross-entropy" : REGRESSION.includes(dataset) ? "mse" : "sigmoid-cross-entropy";
    return { dataset, loss, activation: "tanh", outputActivation: "auto", layers: "4,2", learningRate: "0.03", batchSize: "10",
      optimizer: "sgd", init: "glorot", noise: "0", trainRatio: "50", features: "x1,x2", regularization: "none",
      regularizationRate: "0", dropout: "0", seed: "1", compare: "", compareWith: "", preset: "" };
  }

  function parseHash() {
    const values = {};
    const text = location.hash.replace(/^#/, "");
    for (const pair of text.split("&")) {
      if (!pair) continue;
      const at = pair.indexOf("=");
      const key = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
      const value = at < 0 ? "" : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, " "));
      values[key] = value;
    }
    return values;
  }

  // The keys set in the hash (those that differ from the defaults, and the preset).
  let explicit = {};

  function configFromControls() {
    const dataset = $("dataset").value;
    const base = defaults(dataset);
    const config = {};
    const preset = $("preset").value;
    for (const key of KEYS) {
      const value = $(key).value.trim();
      // Under a preset only the keys set by hand override it (the others show its values).
      if (preset && key !== "preset" && !(key in explicit)) continue;
      if (key === "dataset" || value !== base[key] || key in explicit) config[key] = value;
    }
    if (config.compare && !config.compareWith) config.compareWith = COMPARE_DEFAULTS[config.compare];
    for (const key of Object.keys(config)) if (config[key] === "" && key !== "dataset") delete config[key];
    return config;
  }

  function writeHash(config, play) {
    const parts = Object.entries(config).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2C/g, ",")}`);
    if (play) parts.push("play=1");
    const hash = "#" + parts.join("&");
    if (location.hash !== hash) {
      ignoreHashChange = hash;
      window.history.replaceState(null, "", hash);
    }
  }

  function controlsFromHash(values) {
    const dataset = values.dataset || "circle";
    const base = defaults(dataset);
    explicit = {};
    for (const key of KEYS) {
      const value = key in values ? values[key] : base[key];
      // The data set counts as set by hand only beside a preset (which has its own).
      if (key in values && (key !== "dataset" || "preset" in values)) explicit[key] = true;
      setControl(key, value);
    }
    if (!$("compareWith").value && $("compare").value) $("compareWith").placeholder = COMPARE_DEFAULTS[$("compare").value] || "";
  }

  function setControl(key, value) {
    const element = $(key);
    if (element.tagName === "SELECT" && ![...element.options].some((o) => o.value === value)) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      element.appendChild(option);
    }
    element.value = value;
  }

  // ---- the WebSocket session ----

  let socket = null;
  let playing = false;
  let started = false;
  let ignoreHashChange = null;
  let pending = [];
  let reconnectDelay = 500;

  function connect() {
    socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    socket.addEventListener("open", () => {
      reconnectDelay = 500;
      $("connection").textContent = "connected";
      const queued = pending;
      pending = [];
      if (queued.length) queued.forEach(send);
      else start(wantsPlay());
    });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (error) { showStatus("The server sent something that is not JSON."); return; }
      if (message.type === "frame") onFrame(message);
      else if (message.type === "error") showStatus(message.message);
      else if (message.type === "export") onExport(message);
    });
    socket.addEventListener("close", () => {
      $("connection").textContent = "disconnected: retrying…";
      started = false;
      setPlaying(false);
      setTimeout(connect, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 8000);
    });
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    else pending.push(message);
  }

  function wantsPlay() { return parseHash().play === "1"; }

  // Rebuilds the session from the controls; plays or stays at epoch 0.
  function start(play) {
    const config = configFromControls();
    writeHash(config, play);
    clearHistory();
    hideStatus();
    firstFrame = true;
    reflectPreset = Boolean(config.preset);
    send({ type: "start", config });
    if (!play) send({ type: "reset" });
    started = true;
    setPlaying(play);
  }

  function setPlaying(value) {
    playing = value;
    const button = $("play");
    button.textContent = value ? "Pause" : "Play";
    button.setAttribute("aria-pressed", value ? "true" : "false");
  }

  // ---- figures ----

  function number(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return String(value);
    if (digits === 0) return String(Math.round(value));
    const magnitude = Math.abs(value);
    if (magnitude !== 0 && magnitude < 0.001) return String(Number(value.toPrecision(3)));
    return value.toFixed(digits);
  }

  function datasetKind(name) {
    if (MULTI_CLASS.includes(name)) return "multi";
    if (REGRESSION.includes(name)) return "regression";
    if (TWO_CLASS.includes(name)) return "binary";
    return "bundled";
  }

  let firstFrame = true;
  let points = null;
  let lossHistory = { a: [], b: [] };
  let lastNetworkDraw = 0;
  let latest = null;
  let drawScheduled = false;

  // After a preset starts, the controls show its set-up: the first frame carries the
  // effective config (the engine knows the presets; the page does not).
  let reflectPreset = false;
  function showPresetConfig(config) {
    for (const key of KEYS) {
      if (key === "preset" || key in explicit || !(key in config)) continue;
      setControl(key, String(config[key]));
    }
  }

  function clearHistory() { lossHistory = { a: [], b: [] }; }

  function onFrame(frame) {
    if (frame.points) points = frame.points;
    if (frame.epoch === 0 || firstFrame) { if (frame.epoch <= 1) clearHistory(); firstFrame = false; }
    const race = Boolean(frame.b);
    document.querySelectorAll(".race-only").forEach((element) => { element.hidden = !race; });
    $("epoch").textContent = number(frame.epoch, 0);
    $("train-loss").textContent = number(frame.trainLoss, 4);
    $("test-loss").textContent = number(frame.testLoss, 4);
    pushHistory(lossHistory.a, frame);
    if (race) {
      $("epoch-b").textContent = number(frame.b.epoch, 0);
      $("train-loss-b").textContent = number(frame.b.trainLoss, 4);
      $("test-loss-b").textContent = number(frame.b.testLoss, 4);
      pushHistory(lossHistory.b, frame.b);
    }
    if (typeof frame.playing === "boolean" && frame.playing !== playing) {
      setPlaying(frame.playing);
      writeHash(configFromControls(), frame.playing);
    }
    if (reflectPreset && frame.config) { reflectPreset = false; showPresetConfig(frame.config); }
    latest = frame;
    if (!drawScheduled) {
      drawScheduled = true;
      requestAnimationFrame(() => { drawScheduled = false; draw(latest); });
    }
  }

  function pushHistory(list, frame) {
    const last = list[list.length - 1];
    if (last && frame.epoch <= last.epoch) {
      if (frame.epoch < last.epoch) list.length = 0; else list.pop();
    }
    list.push({ epoch: frame.epoch, train: frame.trainLoss, test: frame.testLoss });
    if (list.length > 2000) list.splice(0, list.length - 2000);
  }

  function draw(frame) {
    if (!frame) return;
    const kind = datasetKind($("dataset").value);
    const has2D = Boolean(frame.boundary);
    $("no-boundary").hidden = has2D;
    $("boundary").hidden = !has2D;
    if (has2D) {
      drawBoundary($("boundary"), frame.boundary, kind, points);
      if (frame.b && frame.b.boundary) drawBoundary($("boundary-b"), frame.b.boundary, kind, points);
    }
    drawLossChart(frame);
    const now = performance.now();
    if (now - lastNetworkDraw > 150 || !playing) {
      lastNetworkDraw = now;
      drawNetwork(frame);
    }
    drawAdvice(frame);
    drawGradientFlow(frame);
  }

  // ---- colours ----

  function mix(a, b, t) { return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)); }
  const WHITE = [255, 255, 255];
  const ORANGE = CLASS_COLORS[1];
  const BLUE = CLASS_COLORS[0];

  // A diverging scale: -1 orange, 0 white, +1 blue.
  function diverging(v) {
    const t = Math.max(-1, Math.min(1, v));
    return t >= 0 ? mix(WHITE, BLUE, t * 0.85) : mix(WHITE, ORANGE, -t * 0.85);
  }

  function cellColor(value, kind, scale) {
    if (value === null || value === undefined || Number.isNaN(value)) return [200, 200, 200];
    if (kind === "multi") {
      const cls = Math.max(0, Math.floor(value));
      const p = Math.min(1, Math.max(0, value - cls));
      return mix(WHITE, CLASS_COLORS[cls % CLASS_COLORS.length], 0.25 + 0.6 * p);
    }
    if (kind === "regression") return diverging(value / (scale || 1));
    return diverging((value - 0.5) * 2);
  }

  function labelColor(label, kind, scale) {
    if (kind === "multi") return CLASS_COLORS[Math.max(0, Math.round(label)) % CLASS_COLORS.length];
    if (kind === "regression") return diverging(label / (scale || 1)).map((c) => c * 0.8);
    return label >= 0.5 ? BLUE : ORANGE;
  }

  function rgb(c) { return `rgb(${c[0]},${c[1]},${c[2]})`; }

  // ---- the decision boundary ----

  function drawBoundary(canvas, boundary, kind, pts) {
    const size = boundary.size;
    const values = boundary.values || [];
    const [low, high] = boundary.extent || [-6, 6];
    let scale = 1;
    if (kind === "regression") scale = Math.max(1e-9, ...values.map((v) => Math.abs(v) || 0));
    const image = document.createElement("canvas");
    image.width = size; image.height = size;
    const ictx = image.getContext("2d");
    const data = ictx.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      const c = cellColor(values[i], kind, scale);
      data.data[i * 4] = c[0]; data.data[i * 4 + 1] = c[1]; data.data[i * 4 + 2] = c[2]; data.data[i * 4 + 3] = 255;
    }
    ictx.putImageData(data, 0, 0);
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    if (!pts) return;
    const toX = (x) => (x - low) / (high - low) * canvas.width;
    const toY = (y) => (high - y) / (high - low) * canvas.height;
    const drawPoints = (list, test) => {
      for (const p of list || []) {
        ctx.beginPath();
        ctx.arc(toX(p[0]), toY(p[1]), 3.2, 0, 2 * Math.PI);
        const c = labelColor(p[2], kind, scale);
        ctx.fillStyle = test ? "#ffffff" : rgb(c);
        ctx.strokeStyle = test ? rgb(c) : "#ffffff";
        ctx.lineWidth = test ? 2 : 1;
        ctx.fill();
        ctx.stroke();
      }
    };
    drawPoints(pts.train, false);
    drawPoints(pts.test, true);
  }

  // A unit's small heat map as a data: URL (the CSP allows data: images).
  const unitCanvas = document.createElement("canvas");
  function unitImage(map) {
    const size = map.size;
    const values = map.values || [];
    const scale = Math.max(1e-9, ...values.map((v) => Math.abs(v) || 0));
    unitCanvas.width = size; unitCanvas.height = size;
    const ctx = unitCanvas.getContext("2d");
    const data = ctx.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      const c = diverging((values[i] || 0) / scale);
      data.data[i * 4] = c[0]; data.data[i * 4 + 1] = c[1]; data.data[i * 4 + 2] = c[2]; data.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(data, 0, 0);
    return unitCanvas.toDataURL();
  }

  // ---- the loss chart ----

  function drawLossChart(frame) {
    const canvas = $("loss-chart");
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = canvas.clientWidth || 480;
    const cssHeight = Math.round(cssWidth * 0.42);
    if (canvas.width !== Math.round(cssWidth * ratio)) { canvas.width = Math.round(cssWidth * ratio); canvas.height = Math.round(cssHeight * ratio); }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const w = cssWidth, h = cssHeight;
    ctx.clearRect(0, 0, w, h);
    const race = Boolean(frame.b);
    const series = race ? [lossHistory.a, lossHistory.b] : [lossHistory.a];
    const all = series.flat().flatMap((p) => [p.train, p.test]).filter((v) => Number.isFinite(v));
    const left = 44, right = 8, top = 8, bottom = 22;
    ctx.strokeStyle = "#333333"; ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(left, top); ctx.lineTo(left, h - bottom); ctx.lineTo(w - right, h - bottom); ctx.stroke();
    ctx.fillStyle = "#555555"; ctx.font = "11px sans-serif";
    if (!all.length) return;
    const maxY = Math.max(...all) * 1.05 || 1;
    const epochs = series.flat().map((p) => p.epoch);
    const minX = Math.min(...epochs), maxX = Math.max(minX + 1, ...epochs);
    const x = (e) => left + (e - minX) / (maxX - minX) * (w - left - right);
    const y = (v) => top + (1 - v / maxY) * (h - top - bottom);
    ctx.textAlign = "right";
    for (let i = 0; i <= 4; i++) {
      const v = maxY * i / 4;
      ctx.fillText(v < 0.01 && v > 0 ? v.toExponential(1) : v.toFixed(2), left - 4, y(v) + 4);
      ctx.strokeStyle = "#eeeeee"; ctx.beginPath(); ctx.moveTo(left + 1, y(v)); ctx.lineTo(w - right, y(v)); ctx.stroke();
    }
    ctx.textAlign = "center";
    ctx.fillText(`epoch ${minX}`, left + 30, h - 6);
    ctx.fillText(String(maxX), w - right - 14, h - 6);
    const colors = [PALETTE.blue, PALETTE.orange];
    series.forEach((list, index) => {
      for (const [field, dash] of [["train", []], ["test", [5, 4]]]) {
        ctx.strokeStyle = colors[index]; ctx.lineWidth = 2; ctx.setLineDash(dash);
        ctx.beginPath();
        let first = true;
        for (const p of list) {
          if (!Number.isFinite(p[field])) continue;
          if (first) ctx.moveTo(x(p.epoch), y(p[field])); else ctx.lineTo(x(p.epoch), y(p[field]));
          first = false;
        }
        ctx.stroke();
      }
    });
    ctx.setLineDash([]);
    const legend = $("loss-legend");
    const wanted = race ? "race" : "single";
    if (legend.dataset.kind !== wanted) {
      legend.dataset.kind = wanted;
      legend.textContent = "";
      const item = (cls, text) => {
        const key = document.createElement("span"); key.className = cls; legend.appendChild(key);
        legend.appendChild(document.createTextNode(text));
      };
      item("key", race ? "A train" : "train");
      item("key dashed", race ? "A test" : "test");
      if (race) { item("key b", "B train"); item("key b dashed", "B test"); }
    }
  }

  // ---- the network ----

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attributes, parent) {
    const element = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, v);
    if (parent) parent.appendChild(element);
    return element;
  }

  function drawNetwork(frame) {
    const container = $("network");
    container.textContent = "";
    const network = frame.network;
    if (!network) return;
    const columns = [network.inputs.map((name) => ({ name }))];
    for (const layer of network.layers) columns.push(Array.from({ length: layer.units }, (_, i) => ({ name: `${layer.activation} ${i + 1}` })));
    const node = 30, gapY = 10;
    const tallest = Math.max(...columns.map((c) => c.length));
    const height = Math.max(120, tallest * (node + gapY) + 30);
    const width = Math.max(320, columns.length * 120);
    const root = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "The network: units and weights" }, container);
    const colX = (i) => 30 + i * ((width - 90) / Math.max(1, columns.length - 1));
    const nodeY = (count, j) => (height - count * (node + gapY) + gapY) / 2 + j * (node + gapY);
    const edges = svg("g", {}, root);
    let totalEdges = 0;
    network.layers.forEach((layer) => { totalEdges += (layer.weights || []).length * ((layer.weights || [])[0] || []).length; });
    const allWeights = network.layers.flatMap((l) => (l.weights || []).flat()).map(Math.abs);
    const maxWeight = Math.max(1e-9, ...allWeights);
    network.layers.forEach((layer, index) => {
      const from = columns[index], to = columns[index + 1];
      (layer.weights || []).forEach((row, j) => {
        row.forEach((w, i) => {
          if (totalEdges > 1500 && Math.abs(w) < maxWeight * 0.2) return;
          const line = svg("line", {
            x1: colX(index) + node, y1: nodeY(from.length, i) + node / 2, x2: colX(index + 1), y2: nodeY(to.length, j) + node / 2,
            stroke: w >= 0 ? PALETTE.blue : PALETTE.orange, "stroke-width": (0.5 + 4.5 * Math.abs(w) / maxWeight).toFixed(2),
            "stroke-opacity": "0.75",
          }, edges);
          svg("title", {}, line).textContent = `weight ${from[i] ? from[i].name : i + 1} → ${to[j].name}: ${w.toPrecision(4)}`;
        });
      });
    });
    const nodes = svg("g", {}, root);
    columns.forEach((column, index) => {
      column.forEach((unit, j) => {
        const x = colX(index), y = nodeY(column.length, j);
        const map = index > 0 && frame.units && frame.units[index - 1] ? frame.units[index - 1][j] : null;
        const group = svg("g", {}, nodes);
        if (map && map.values) {
          svg("image", { x, y, width: node, height: node, href: unitImage(map), preserveAspectRatio: "none" }, group);
          svg("rect", { x, y, width: node, height: node, fill: "none", stroke: "#333333" }, group);
        } else {
          svg("rect", { x, y, width: node, height: node, rx: 4, fill: index === 0 ? "#f2f2f2" : "#ffffff", stroke: "#333333" }, group);
        }
        if (index === 0) {
          const label = svg("text", { x: x + node / 2, y: y + node / 2 + 4, "text-anchor": "middle", "font-size": "10", fill: "#222222" }, group);
          label.textContent = unit.name;
        }
        const bias = index > 0 ? (network.layers[index - 1].biases || [])[j] : undefined;
        svg("title", {}, group).textContent = index === 0 ? `input ${unit.name}` : `${unit.name}${bias !== undefined ? `, bias ${Number(bias).toPrecision(4)}` : ""}`;
      });
      const caption = svg("text", { x: colX(index) + node / 2, y: height - 6, "text-anchor": "middle", "font-size": "11", fill: "#555555" }, root);
      caption.textContent = index === 0 ? "inputs" : index === columns.length - 1 ? "output" : `layer ${index}`;
    });
  }

  // ---- advice and gradient flow ----

  function drawAdvice(frame) {
    const list = $("advice");
    const items = [];
    for (const [tag, source] of [["", frame], ["B: ", frame.b]]) {
      if (!source || !source.advice) continue;
      for (const advice of source.advice) items.push({ tag, advice });
    }
    const key = JSON.stringify(items);
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    list.textContent = "";
    if (!items.length) {
      const li = document.createElement("li"); li.className = "none"; li.textContent = "No warnings."; list.appendChild(li);
      return;
    }
    for (const { tag, advice } of items) {
      const li = document.createElement("li");
      li.className = advice.severity || "warning";
      const strong = document.createElement("span"); strong.className = "tag"; strong.textContent = `${tag}${advice.severity || "warning"}: `;
      li.appendChild(strong);
      li.appendChild(document.createTextNode(advice.message || advice.code || ""));
      list.appendChild(li);
    }
  }

  const LOG_MIN = -8, LOG_MAX = 2;

  function drawGradientFlow(frame) {
    const panel = $("gradient-flow");
    panel.textContent = "";
    const flows = [["A", frame.gradientFlow], ["B", frame.b ? frame.b.gradientFlow : null]].filter(([, f]) => f);
    if (!flows.length) { panel.textContent = "No gradient figures yet."; return; }
    for (const [name, flow] of flows) {
      const table = document.createElement("table");
      const caption = document.createElement("caption");
      caption.className = "scale";
      caption.textContent = `${flows.length > 1 ? `network ${name}: ` : ""}‖∂J/∂W‖ per layer, log scale 1e${LOG_MIN} … 1e${LOG_MAX}`;
      table.appendChild(caption);
      const head = table.insertRow();
      for (const text of ["layer", "‖∂J/∂W‖", "", "saturated", "dead"]) { const th = document.createElement("th"); th.textContent = text; head.appendChild(th); }
      (flow.layers || []).forEach((layer, i) => {
        const row = table.insertRow();
        row.insertCell().textContent = layer;
        const norm = (flow.weightGradientNorms || [])[i];
        const cell = row.insertCell(); cell.className = "bar-cell";
        const track = document.createElement("div"); track.className = "track";
        const bar = document.createElement("div"); bar.className = name === "B" ? "bar b" : "bar";
        const fraction = norm > 0 ? (Math.log10(norm) - LOG_MIN) / (LOG_MAX - LOG_MIN) : 0;
        bar.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
        track.title = `‖∂J/∂W‖ = ${norm === null || norm === undefined ? "n/a" : Number(norm).toPrecision(3)}`;
        track.appendChild(bar); cell.appendChild(track);
        row.insertCell().textContent = norm === null || norm === undefined ? "n/a" : Number(norm).toExponential(1);
        const share = (list) => { const v = list ? list[i] : null; return v === null || v === undefined ? "—" : `${Math.round(v * 100)}%`; };
        row.insertCell().textContent = share(flow.saturatedShare);
        row.insertCell().textContent = share(flow.deadShare);
      });
      panel.appendChild(table);
      if (flow.flags && flow.flags.length) {
        const flags = document.createElement("ul"); flags.className = "flags";
        for (const flag of flow.flags) { const li = document.createElement("li"); li.textContent = flag; flags.appendChild(li); }
        panel.appendChild(flags);
      }
    }
  }

  // ---- export ----

  function onExport(message) {
    try {
      const binary = atob(message.modelFile || "");
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = message.fileName || "playground.safetensors";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      $("command-line").textContent = message.commandLine
        ? message.commandLine
        : `Saved ${link.download}. The 2-D data sets have no matching 'dendrite train' command.`;
    } catch (error) {
      showStatus("The exported model could not be decoded.");
    }
  }

  // ---- status ----

  function showStatus(text) { const status = $("status"); status.textContent = text; status.hidden = false; }
  function hideStatus() { $("status").hidden = true; }

  // ---- wiring ----

  function onControlChange(event) {
    const key = event.target.id;
    if (key === "preset") {
      // A preset brings its own set-up: the other keys go back to their defaults.
      const preset = $("preset").value;
      const dataset = $("dataset").value;
      controlsFromHash(preset ? { preset } : { dataset });
    } else if (key === "dataset") {
      // The loss default follows the data set unless the loss was set explicitly.
      const values = {};
      for (const k of Object.keys(explicit)) values[k] = $(k).value.trim();
      values.dataset = $("dataset").value;
      controlsFromHash(values);
    } else {
      explicit[key] = true;
      if (key === "compare") {
        $("compareWith").value = "";
        delete explicit.compareWith;
      }
    }
    start(playing || !started);
  }

  function init() {
    controlsFromHash(parseHash());
    for (const key of KEYS) $(key).addEventListener("change", onControlChange);
    $("play").addEventListener("click", () => {
      if (!started) start(true);
      else if (playing) { send({ type: "pause" }); setPlaying(false); writeHash(configFromControls(), false); }
      else { send({ type: "resume" }); setPlaying(true); writeHash(configFromControls(), true); }
    });
    $("step").addEventListener("click", () => {
      if (!started) start(false);
      send({ type: "step" });
      setPlaying(false);
      writeHash(configFromControls(), false);
    });
    $("reset").addEventListener("click", () => {
      if (!started) start(false); else { firstFrame = true; clearHistory(); send({ type: "reset" }); }
      setPlaying(false);
      writeHash(configFromControls(), false);
    });
    $("export").addEventListener("click", () => {
      if (!started) start(false);
      send({ type: "export" });
    });
    $("controls").addEventListener("submit", (event) => event.preventDefault());
    window.addEventListener("hashchange", () => {
      if (ignoreHashChange === location.hash) { ignoreHashChange = null; return; }
      controlsFromHash(parseHash());
      start(wantsPlay());
    });
    window.addEventListener("resize", () => { if (latest) draw(latest); });
    connect();
  }

  init();
})();
