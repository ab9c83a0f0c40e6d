// Draws every `.plot` from the JSON figure embedded beside it, in the page's theme colours.
// A page that swaps in a fresher figure (the live run page) calls drawAll again: plotly's
// `react` updates a plot already drawn in place rather than drawing it anew.
//
// Plotly is 4.6 MB of script that a browser on a busy machine takes seconds to compile. Loaded
// with `defer` in the page's head it held every module of the page (the run page's rows, its
// live progress) and the page's load until it was compiled: 2-4 s for a run page whose HTML
// came in 0.2 s. It is fetched here instead, only by a page that has a chart and only once the
// page has loaded (compiling it earlier could still hold the page's own events), so the page
// is usable at once and its charts are drawn when plotly arrives.
const PLOTLY = "/static/vendor/plotly.min.js";
let plotly = null;

const loaded = new Promise((resolve) => {
  if (document.readyState === "complete") resolve();
  else window.addEventListener("load", () => resolve(), { once: true });
});

function loadPlotly() {
  plotly ??= loaded.then(() => new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = PLOTLY;
    script.async = true;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => { plotly = null; reject(new Error(`${PLOTLY} did not load`)); };
    document.head.append(script);
  }));
  return plotly;
}

function themed(layout) {
  const css = getComputedStyle(document.documentElement);
  const fg = css.getPropertyValue("--fg").trim();
  const grid = css.getPropertyValue("--grid").trim();
  const axis = (a) => ({ gridcolor: grid, zerolinecolor: grid, linecolor: grid, ...a });
  return {
    autosize: true,
    height: 320,
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { color: fg, family: css.getPropertyValue("--font").trim() },
    legend: { orientation: "h", y: -0.2 },
    colorway: ["#5b9cff", "#f5a524", "#3ecf8e", "#ef5f6b", "#b18cff", "#2ec4d6", "#e879c6", "#9aa5b1"],
    ...layout,
    margin: { l: 56, r: 16, t: 16, b: 48, ...(layout.margin || {}) },
    xaxis: axis(layout.xaxis || {}),
    yaxis: axis(layout.yaxis || {}),
    ...(layout.xaxis2 ? { xaxis2: axis(layout.xaxis2) } : {}),
  };
}

function figures() {
  return [...document.querySelectorAll(".plot[data-figure]")].flatMap((el) => {
    const source = document.getElementById(el.dataset.figure);
    return source ? [[el, JSON.parse(source.textContent)]] : [];
  });
}

// Each chart's room is kept before plotly arrives, so the tables below do not jump when it
// does (app.css gives the others theirs); a figure that knows its height (a bar per model)
// gets exactly that much.
function reserve(el, figure) {
  if (figure.layout && figure.layout.height) el.style.minHeight = `${figure.layout.height}px`;
}

function draw(Plotly) {
  for (const [el, figure] of figures()) {
    reserve(el, figure);
    Plotly.react(el, figure.data, themed(figure.layout || {}), {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    });
  }
}

// Resolves once every chart on the page is drawn (at once when it has none); a page without
// plotly's file (no `plotly` wheel) keeps its charts' numbers in the tables beside them.
export function drawAll() {
  const shown = figures();
  if (!shown.length) return Promise.resolve();
  for (const [el, figure] of shown) reserve(el, figure);
  return loadPlotly().then(draw, () => {});
}

drawAll();
document.addEventListener("benchlab:theme", drawAll);
